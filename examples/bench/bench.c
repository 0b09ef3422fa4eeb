/* bench-ipc programs: an echo server and a client that calls it in timed batches. */
#include "bench.h"
#include "ms/pager.h"
#include "ms/print.h"
#include "ms/syscall.h"

/* The echo loop, as a task of its own or as a thread of the caller's. */
static void echo(void)
{
    ms_msg_t m;
    uint64_t err = ms_recv(BENCH_EP, &m);
    while (err == MS_OK && ms_info_label(m.info) == BENCH_ECHO)
        err = ms_reply_recv(BENCH_EP, &m);
    ms_reply(&m);
    ms_exit(err == MS_OK ? 0 : 1);
}

void bench_server(const ms_start_t *start)
{
    (void)start;
    echo();
}

static void echo_thread(uint64_t arg)
{
    (void)arg;
    echo();
}

/* arg[2] set: the echo server is a thread of this task (its stack and IPC
 * buffer on the heap), so calls stay in one address space. */
static int start_echo_thread(const ms_start_t *start)
{
    if (!start->arg[2])
        return 1;
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    ms_handle_t h;
    return ms_thread_create(MS_HANDLE_SELF, echo_thread, heap, BENCH_THREAD_STACK, heap + BENCH_THREAD_STACK, 0,
                            BENCH_CLIENT_PRIO, &h) == MS_OK;
}

/* arg[0] batches of arg[1] calls, each with 8 words. */
void bench_client(const ms_start_t *start)
{
    uint64_t batches = start->arg[0], per_batch = start->arg[1], wrong = 0;
    ms_msg_t m = {.info = ms_info(BENCH_ECHO, 8, 0, 0)};
    if (!start_echo_thread(start))
        ms_exit(1);
    ms_debug_write(BENCH_MARK, 1);
    for (uint64_t b = 0; b < batches; b++) {
        for (uint64_t i = 0; i < per_batch; i++) {
            for (unsigned w = 0; w < 8; w++)
                m.w[w] = i + w;
            if (ms_call(BENCH_EP, &m) != MS_OK || m.w[7] != i + 7)
                wrong++;
        }
        ms_debug_write(BENCH_MARK, 1);
    }
    m.info = ms_info(BENCH_STOP, 0, 0, 0);
    ms_call(BENCH_EP, &m);
    ms_exit(wrong ? 1 : 0);
}

/* bench-pages: arg[0] pages the pager maps on request (PAGER_ALLOC), then
 * touched (each a hosted TLB fill); then arg[0] fresh pages touched (each a
 * page fault served by the pager). Marks before, between and after. */
void bench_pages(const ms_start_t *start)
{
    uint64_t n = start->arg[0];
    volatile uint8_t *heap = (volatile uint8_t *)(uintptr_t)start->heap_base;
    ms_msg_t m = {.info = ms_info(PAGER_ALLOC, 2, 0, 0), .w = {start->heap_base, n}};
    if (ms_call(BENCH_EP, &m) != MS_OK || m.w[0] != MS_OK)
        ms_exit(1);
    ms_debug_write(BENCH_MARK, 1);
    for (uint64_t i = 0; i < n; i++)
        heap[i * MS_PAGE_SIZE] = 1;
    ms_debug_write(BENCH_MARK, 1);
    for (uint64_t i = n; i < 2 * n; i++)
        heap[i * MS_PAGE_SIZE] = 1;
    ms_debug_write(BENCH_MARK, 1);
    ms_exit(0);
}

void bench_spin(const ms_start_t *start)
{
    volatile uint64_t spins = 0;
    ms_debug_write(BENCH_MARK, 1);
    for (uint64_t i = 0; i < start->arg[0]; i++)
        spins = spins + 1;
    ms_debug_write(BENCH_MARK, 1);
    ms_exit(0);
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

void bench_tsc_gaps(const ms_start_t *start)
{
    uint64_t lost = 0, begin = rdtsc(), last = begin;
    while (last - begin < start->arg[0]) {
        uint64_t now = rdtsc();
        if (now - last > BENCH_GAP_MIN_CYCLES)
            lost += now - last;
        last = now;
    }
    ms_printf("lost %llu\n", (unsigned long long)lost);
    ms_exit(0);
}
