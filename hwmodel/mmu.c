/*
 * The simulated MMU: the x86-64 page walk over tables in simulated physical
 * memory, and the hosted TLB, which is the set of host mappings of that
 * memory in the user window. Everything here may run in the SIGSEGV handler:
 * only system calls (mmap, mprotect) and memory the simulator owns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <valgrind/memcheck.h>

#include "mmu.h"

#define PAGE 4096u
#define LEVELS 4
#define RSVD_ADDR_BITS (((1ull << 52) - 1) & ~((1ull << HW_MAXPHYADDR) - 1))

/* ---- the page walk ---- */

static int canonical(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/* Bits of a present entry at level (0: PML4 .. 3: PT) that must be zero. */
static uint64_t reserved_bits(uint64_t e, unsigned level)
{
    uint64_t r = e & RSVD_ADDR_BITS;
    if (level == 0 && (e & HW_PTE_PS))
        r |= HW_PTE_PS; /* no 512 GiB pages */
    else if (level == 1 && (e & HW_PTE_PS))
        r |= e & 0x3fffe000ull; /* a 1 GiB page's frame is 1 GiB aligned (bit 12 is PAT) */
    else if (level == 2 && (e & HW_PTE_PS))
        r |= e & 0x1fe000ull; /* a 2 MiB page's frame is 2 MiB aligned */
    return r;
}

hw_walk_result_t hw_mmu_walk(const hw_physmem_t *pm, uint64_t cr3, uint64_t va, unsigned access, hw_walk_t *w)
{
    *w = (hw_walk_t){0};
    if (!canonical(va))
        return HW_WALK_NONCANONICAL;
    unsigned want = access & (HW_PF_W | HW_PF_U | HW_PF_I);
    uint64_t *used[LEVELS];
    uint64_t table = cr3 & HW_PTE_ADDR;
    int writable = 1, user = 1, executable = 1;
    for (unsigned level = 0; level < LEVELS; level++) {
        unsigned shift = 39 - 9 * level;
        uint64_t at = table + ((va >> shift) & 511) * 8;
        if (at + 8 > pm->size) {
            w->error = want | HW_PF_P | HW_PF_RSVD;
            return HW_WALK_PF;
        }
        uint64_t *entry = (uint64_t *)(pm->map + at);
        uint64_t e = *entry;
        if (!(e & HW_PTE_P)) {
            w->error = want;
            return HW_WALK_PF;
        }
        if (reserved_bits(e, level)) {
            w->error = want | HW_PF_P | HW_PF_RSVD;
            return HW_WALK_PF;
        }
        used[level] = entry;
        writable &= (e & HW_PTE_W) != 0;
        user &= (e & HW_PTE_U) != 0;
        executable &= !(e & HW_PTE_NX);
        if (level == LEVELS - 1 || (level > 0 && (e & HW_PTE_PS))) {
            uint64_t size = 1ull << shift;
            uint64_t pa = (e & HW_PTE_ADDR & ~(size - 1)) | (va & (size - 1));
            if (((want & HW_PF_U) && !user) || ((want & HW_PF_W) && !writable) || ((want & HW_PF_I) && !executable)) {
                w->error = want | HW_PF_P;
                return HW_WALK_PF;
            }
            if ((e & HW_PTE_ADDR & ~(size - 1)) + size > pm->size) {
                w->error = want | HW_PF_P | HW_PF_RSVD;
                return HW_WALK_PF;
            }
            for (unsigned l = 0; l <= level; l++)
                *used[l] |= HW_PTE_A;
            if (want & HW_PF_W)
                *entry |= HW_PTE_D;
            *w = (hw_walk_t){.pa = pa, .page_size = size, .writable = writable, .user = user,
                             .executable = executable, .dirty = (*entry & HW_PTE_D) != 0};
            return HW_WALK_OK;
        }
        table = e & HW_PTE_ADDR;
    }
    return HW_WALK_PF; /* not reached */
}

/* ---- the hosted TLB ---- */

/*
 * slot[i] says what window page i holds: 0 nothing (PROT_NONE reserve), or
 * the root of the space whose page it is, with the host protection in the
 * low bits. Each space also lists its pages (sorted window page numbers), so
 * that a strict switch touches only its pages.
 */
#define SLOT_PROT 0x7u

struct hw_mmu_space {
    uint64_t root;
    uint32_t *pages;
    unsigned n, cap;
    int prefilled; /* the pages its tables already marked accessed are mapped */
};

static void *page_addr(const hw_mmu_t *mmu, uint32_t i)
{
    return (void *)(mmu->base + (uintptr_t)i * PAGE);
}

/* Memcheck must not report a user access to a window page the hosted TLB
 * has not filled yet: on the simulated machine the memory is there, and
 * the fault is the MMU's business. (A no-op outside Valgrind.) */
static void tell_memcheck(void *addr, size_t len)
{
    VALGRIND_MAKE_MEM_DEFINED(addr, len);
}

static int reserve(hw_mmu_t *mmu, uint32_t first, uint32_t n)
{
    mmu->host_calls++;
    void *p = mmap(page_addr(mmu, first), (size_t)n * PAGE, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
    tell_memcheck(page_addr(mmu, first), (size_t)n * PAGE);
    return p == MAP_FAILED ? -1 : 0;
}

int hw_mmu_init(hw_mmu_t *mmu, hw_physmem_t *pm, uintptr_t base, uintptr_t size, int fast)
{
    *mmu = (hw_mmu_t){.pm = pm, .base = base, .size = size, .fast = fast};
    void *p = mmap((void *)base, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE,
                   -1, 0);
    if (p == MAP_FAILED)
        return -1;
    if (p != (void *)base) { /* a kernel without MAP_FIXED_NOREPLACE */
        munmap(p, size);
        errno = EEXIST;
        return -1;
    }
    tell_memcheck(p, size);
    mmu->slot = calloc(size / PAGE, sizeof *mmu->slot);
    if (!mmu->slot) {
        munmap(p, size);
        return -1;
    }
    return 0;
}

void hw_mmu_fini(hw_mmu_t *mmu)
{
    if (!mmu->slot)
        return;
    munmap((void *)mmu->base, mmu->size);
    for (unsigned i = 0; i < mmu->nspaces; i++)
        free(mmu->spaces[i].pages);
    free(mmu->spaces);
    free(mmu->slot);
    *mmu = (hw_mmu_t){0};
}

/* The space at root, made if new; NULL only if the host is out of memory. */
static hw_mmu_space_t *space_of(hw_mmu_t *mmu, uint64_t root)
{
    for (unsigned i = 0; i < mmu->nspaces; i++)
        if (mmu->spaces[i].root == root)
            return &mmu->spaces[i];
    hw_mmu_space_t *grown = realloc(mmu->spaces, (mmu->nspaces + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    if (mmu->current) /* the array moved */
        mmu->current = grown + (mmu->current - mmu->spaces);
    mmu->spaces = grown;
    hw_mmu_space_t *s = &mmu->spaces[mmu->nspaces++];
    *s = (hw_mmu_space_t){.root = root};
    return s;
}

/* Position of page i in s's sorted list (where it is, or would go). */
static unsigned find_page(const hw_mmu_space_t *s, uint32_t i)
{
    unsigned lo = 0, hi = s->n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (s->pages[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void list_add(hw_mmu_space_t *s, uint32_t i)
{
    unsigned at = find_page(s, i);
    if (at < s->n && s->pages[at] == i)
        return;
    if (s->n == s->cap) {
        unsigned cap = s->cap ? 2 * s->cap : 64;
        uint32_t *grown = realloc(s->pages, cap * sizeof *grown);
        if (!grown)
            return; /* the page stays mapped but unlisted: a strict switch misses it */
        s->pages = grown;
        s->cap = cap;
    }
    memmove(&s->pages[at + 1], &s->pages[at], (s->n - at) * sizeof *s->pages);
    s->pages[at] = i;
    s->n++;
}

static void list_remove(hw_mmu_space_t *s, uint32_t i)
{
    unsigned at = find_page(s, i);
    if (at < s->n && s->pages[at] == i) {
        memmove(&s->pages[at], &s->pages[at + 1], (s->n - at - 1) * sizeof *s->pages);
        s->n--;
    }
    if (s->n == 0)
        s->prefilled = 0;
}

/* Window page i no longer holds anything. */
static void evict(hw_mmu_t *mmu, uint32_t i)
{
    uint64_t slot = mmu->slot[i];
    if (!slot)
        return;
    hw_mmu_space_t *owner = space_of(mmu, slot & ~(uint64_t)SLOT_PROT & ~(uint64_t)(PAGE - 1));
    if (owner)
        list_remove(owner, i);
    reserve(mmu, i, 1);
    mmu->slot[i] = 0;
    mmu->flushes++;
}

static int host_prot(const hw_walk_t *w)
{
    return PROT_READ | (w->writable && w->dirty ? PROT_WRITE : 0) | (w->executable ? PROT_EXEC : 0);
}

/* Maps window pages [i, i + n) to physical pa.. for space s with prot;
 * in strict mode a space that is not current keeps them unreachable. */
static void install(hw_mmu_t *mmu, hw_mmu_space_t *s, uint32_t i, uint32_t n, uint64_t pa, int prot)
{
    for (uint32_t k = i; k < i + n; k++)
        if (mmu->slot[k] && (mmu->slot[k] & ~(uint64_t)(PAGE - 1)) != s->root)
            evict(mmu, k);
    int reach = !mmu->fast && s != mmu->current ? PROT_NONE : prot;
    mmu->host_calls++;
    if (mmap(page_addr(mmu, i), (size_t)n * PAGE, reach, MAP_SHARED | MAP_FIXED, mmu->pm->fd, (off_t)pa) ==
        MAP_FAILED)
        return;
    for (uint32_t k = i; k < i + n; k++) {
        mmu->slot[k] = s->root | (uint64_t)prot;
        list_add(s, k);
    }
    mmu->fills += n;
}

/* ---- prefill: the pages a space's tables already mark accessed ---- */

typedef struct run {
    uint32_t first, n;
    uint64_t pa;
    int prot;
} run_t;

static void run_flush(hw_mmu_t *mmu, hw_mmu_space_t *s, run_t *r)
{
    if (r->n)
        install(mmu, s, r->first, r->n, r->pa, r->prot);
    r->n = 0;
}

/* Adds the 4 KiB page at window page i (physical pa) to the run, or starts
 * a new one. */
static void run_add(hw_mmu_t *mmu, hw_mmu_space_t *s, run_t *r, uint32_t i, uint64_t pa, int prot)
{
    if (r->n && i == r->first + r->n && pa == r->pa + (uint64_t)r->n * PAGE && prot == r->prot) {
        r->n++;
        return;
    }
    run_flush(mmu, s, r);
    *r = (run_t){.first = i, .n = 1, .pa = pa, .prot = prot};
}

/*
 * A TLB may cache any translation the tables allow; this one caches, at the
 * first switch to a space, the user pages whose accessed bit is already set
 * (a loader's pages, or pages used before), so that the space does not pay
 * one host fault per page. Pages never accessed still fault on first use, as
 * their accessed bit must be set then.
 */
static void prefill(hw_mmu_t *mmu, hw_mmu_space_t *s)
{
    s->prefilled = 1;
    run_t r = {0};
    uint32_t npages = (uint32_t)(mmu->size / PAGE);
    for (uint32_t i = 0; i < npages;) {
        uintptr_t va = mmu->base + (uintptr_t)i * PAGE;
        /* Skip unmapped stretches a table at a time. */
        uint64_t table = s->root & HW_PTE_ADDR;
        uint64_t e = 0;
        unsigned level;
        for (level = 0; level < LEVELS; level++) {
            e = *(uint64_t *)(mmu->pm->map + table + ((va >> (39 - 9 * level)) & 511) * 8);
            if (!(e & HW_PTE_P) || (level > 0 && (e & HW_PTE_PS)) || reserved_bits(e, level))
                break;
            table = e & HW_PTE_ADDR;
            if (table + PAGE > mmu->pm->size)
                break;
        }
        if (level < LEVELS) {
            uintptr_t span = (uintptr_t)1 << (39 - 9 * level);
            uintptr_t next = (va & ~(span - 1)) + span;
            i = next >= mmu->base + mmu->size ? npages : (uint32_t)((next - mmu->base) / PAGE);
            run_flush(mmu, s, &r);
            continue;
        }
        hw_walk_t w;
        if ((e & HW_PTE_A) && hw_mmu_walk(mmu->pm, s->root, va, HW_PF_U, &w) == HW_WALK_OK)
            run_add(mmu, s, &r, i, w.pa, host_prot(&w));
        else
            run_flush(mmu, s, &r);
        i++;
    }
    run_flush(mmu, s, &r);
}

/* ---- CR3, INVLPG and faults ---- */

/* Strict mode: the outgoing space's pages become unreachable (one call over
 * its span: every other page is unreachable already), the incoming space's
 * come back, one call per run of pages with the same protection. */
static void hide(hw_mmu_t *mmu, hw_mmu_space_t *s)
{
    if (!s || s->n == 0)
        return;
    uint32_t first = s->pages[0], last = s->pages[s->n - 1];
    mmu->host_calls++;
    mprotect(page_addr(mmu, first), (size_t)(last - first + 1) * PAGE, PROT_NONE);
    tell_memcheck(page_addr(mmu, first), (size_t)(last - first + 1) * PAGE);
}

static void reveal(hw_mmu_t *mmu, hw_mmu_space_t *s)
{
    for (unsigned k = 0; k < s->n;) {
        uint32_t first = s->pages[k];
        int prot = (int)(mmu->slot[first] & SLOT_PROT);
        unsigned end = k + 1;
        while (end < s->n && s->pages[end] == first + (end - k) && (int)(mmu->slot[s->pages[end]] & SLOT_PROT) == prot)
            end++;
        mmu->host_calls++;
        mprotect(page_addr(mmu, first), (size_t)(end - k) * PAGE, prot);
        k = end;
    }
}

void hw_mmu_load_cr3(hw_mmu_t *mmu, uint64_t root)
{
    root &= HW_PTE_ADDR;
    if (root == mmu->cr3)
        return;
    mmu->switches++;
    hw_mmu_space_t *next = root ? space_of(mmu, root) : NULL;
    if (!mmu->fast) {
        hide(mmu, mmu->current);
        if (next && next->prefilled)
            reveal(mmu, next);
    }
    mmu->cr3 = root;
    mmu->current = next;
    if (next && !next->prefilled)
        prefill(mmu, next);
}

void hw_mmu_invlpg(hw_mmu_t *mmu, uint64_t root, uintptr_t va)
{
    if (!hw_mmu_in_window(mmu, va))
        return;
    uint32_t i = (uint32_t)((va - mmu->base) / PAGE);
    if (mmu->slot[i] && (mmu->slot[i] & ~(uint64_t)(PAGE - 1)) == (root & HW_PTE_ADDR))
        evict(mmu, i);
}

unsigned hw_mmu_fill(hw_mmu_t *mmu, uintptr_t va, unsigned access)
{
    access = (access & (HW_PF_W | HW_PF_I)) | HW_PF_U;
    hw_mmu_space_t *s = mmu->current;
    if (!s)
        return access; /* no space: nothing is present */
    if (hw_mmu_in_window(mmu, va)) {
        uint64_t slot = mmu->slot[(va - mmu->base) / PAGE];
        /* A fault on a page this space holds readable that is not a fetch can
         * only be a write (Valgrind's signal frames may not say so). */
        if ((slot & ~(uint64_t)(PAGE - 1)) == s->root && !(access & HW_PF_I))
            access |= HW_PF_W;
    }
    hw_walk_t w;
    hw_walk_result_t r = hw_mmu_walk(mmu->pm, s->root, va, access, &w);
    if (r != HW_WALK_OK)
        return r == HW_WALK_PF ? w.error : (access | HW_PF_P);
    if (!hw_mmu_in_window(mmu, va))
        return access | HW_PF_P; /* a mapping the hosted TLB cannot hold */
    uint32_t i = (uint32_t)((va - mmu->base) / PAGE);
    uint64_t pa = w.pa & ~(uint64_t)(PAGE - 1);
    int prot = host_prot(&w);
    if ((mmu->slot[i] & ~(uint64_t)(PAGE - 1)) == s->root) {
        mmu->host_calls++;
        mprotect(page_addr(mmu, i), PAGE, prot);
        mmu->slot[i] = s->root | (uint64_t)prot;
        return 0;
    }
    install(mmu, s, i, 1, pa, prot);
    return 0;
}
