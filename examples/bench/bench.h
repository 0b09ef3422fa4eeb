/* bench-ipc: the call/reply loop that `microsim bench` times. */
#ifndef BENCH_H
#define BENCH_H

#include "ms_manifest.h"

enum bench_label {
    BENCH_ECHO = 1, /* 8 words, answered with the same 8 words */
    BENCH_STOP = 2,
};

#define BENCH_EP 1

/* The client writes this one-byte mark before the first batch and after each
 * batch; the simulator timestamps the marks on the host. */
#define BENCH_MARK "."

ms_entry_fn bench_server;
ms_entry_fn bench_client;

#endif
