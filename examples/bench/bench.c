/* bench-ipc programs: an echo server and a client that calls it in timed batches. */
#include "bench.h"
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
