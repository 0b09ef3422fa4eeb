/* bench-ipc programs: an echo server and a client that calls it in timed batches. */
#include "bench.h"
#include "ms/print.h"
#include "ms/syscall.h"

void bench_server(const ms_start_t *start)
{
    (void)start;
    ms_msg_t m;
    uint64_t err = ms_recv(BENCH_EP, &m);
    while (err == MS_OK && ms_info_label(m.info) == BENCH_ECHO)
        err = ms_reply_recv(BENCH_EP, &m);
    ms_reply(&m);
    ms_exit(err == MS_OK ? 0 : 1);
}

/* arg[0] batches of arg[1] calls, each with 8 words. */
void bench_client(const ms_start_t *start)
{
    uint64_t batches = start->arg[0], per_batch = start->arg[1], wrong = 0;
    ms_msg_t m = {.info = ms_info(BENCH_ECHO, 8, 0, 0)};
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
