/* Physical page frames: a bitmap over the machine's memory, next fit (each search starts after the last run given, then wraps). */
#include "frame.h"

#include "arch/arch.h"
#include "rt.h"

static uint64_t used[K_FRAMES_MAX / 64]; /* bit set: allocated or not memory */
static uint64_t first_pa;
static unsigned nframes, nfree, hint;

static int frame_used(unsigned i)
{
    return (int)((used[i / 64] >> (i % 64)) & 1u);
}

static void mark(unsigned i, unsigned n, int set)
{
    for (unsigned k = i; k < i + n; k++) {
        if (set)
            used[k / 64] |= 1ull << (k % 64);
        else
            used[k / 64] &= ~(1ull << (k % 64));
    }
}

void frame_init(uint64_t base, uint64_t size)
{
    first_pa = (base + K_PAGE_SIZE - 1) & ~(uint64_t)(K_PAGE_SIZE - 1);
    uint64_t n = size > first_pa - base ? (size - (first_pa - base)) / K_PAGE_SIZE : 0;
    nframes = n > K_FRAMES_MAX ? K_FRAMES_MAX : (unsigned)n;
    rt_memset(used, 0, (nframes + 63) / 64 * sizeof used[0]);
    nfree = nframes;
    hint = 0;
}

/* The first run of n free frames at or after start, or nframes. */
static unsigned find_run(unsigned start, unsigned n)
{
    unsigned run = 0;
    for (unsigned i = start; i < nframes; i++) {
        if (!(i % 64) && used[i / 64] == ~0ull && i + 64 <= nframes) {
            run = 0;
            i += 63;
            continue;
        }
        run = frame_used(i) ? 0 : run + 1;
        if (run == n)
            return i + 1 - n;
    }
    return nframes;
}

uint64_t frame_alloc(unsigned n)
{
    if (n == 0 || n > nfree)
        return 0;
    unsigned i = find_run(hint, n);
    if (i == nframes)
        i = find_run(0, n);
    if (i == nframes)
        return 0;
    mark(i, n, 1);
    nfree -= n;
    hint = i + n;
    uint64_t pa = first_pa + (uint64_t)i * K_PAGE_SIZE;
    rt_memset(frame_ptr(pa), 0, (uint64_t)n * K_PAGE_SIZE);
    return pa;
}

void frame_free(uint64_t pa, unsigned n)
{
    unsigned i = (unsigned)((pa - first_pa) / K_PAGE_SIZE);
    mark(i, n, 0);
    nfree += n;
}

unsigned frame_free_count(void)
{
    return nfree;
}

unsigned frame_total(void)
{
    return nframes;
}

void *frame_ptr(uint64_t pa)
{
    return arch_phys_to_kernel(pa);
}
