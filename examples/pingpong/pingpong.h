/* pingpong: the protocol between its client and server. */
#ifndef PINGPONG_H
#define PINGPONG_H

#include <stdint.h>

#include "ms_manifest.h"

enum pingpong_label {
    PINGPONG_PING = 1, /* w0 = round, w1 = payload; reply w0 = round, w1 = pingpong_answer(payload) */
    PINGPONG_DONE = 2, /* sent, not called: w0 = rounds made; the server then exits */
    PINGPONG_WRONG = 3, /* reply: the request was not what the server expected */
};

/* The payload of round i for a run seeded with seed (xorshift64 of both). */
static inline uint64_t pingpong_payload(uint64_t seed, uint64_t round)
{
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + round + 1;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

static inline uint64_t pingpong_answer(uint64_t payload)
{
    return ~payload;
}

/* The pingpong handle numbers: the endpoint they share. */
#define PINGPONG_EP 1

ms_entry_fn pingpong_server;
ms_entry_fn pingpong_client;

#endif
