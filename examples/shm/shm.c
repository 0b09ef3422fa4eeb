/*
 * shm: a producer shares a 64 KiB buffer with a consumer by a map item in a
 * message (read-only for the consumer), then passes 10 MiB through it, one
 * buffer at a time, with two notifications: "full" and "empty". The consumer
 * checks every byte. No data crosses the kernel after the first message.
 */
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define H_CHANNEL 1
#define H_FULL 2
#define H_EMPTY 3
#define BUFFER_PAGES 16u
#define BUFFER_BYTES (BUFFER_PAGES * MS_PAGE_SIZE)
#define TOTAL_BYTES (10u << 20)
#define ROUNDS (TOTAL_BYTES / BUFFER_BYTES)
/* Where the consumer takes the buffer: in its own slot of the window, past
 * its memory, so that no other task's pages are there. */
#define CONSUMER_WINDOW (MS_USER_TASK_BASE + MS_USER_TASK_STRIDE + MS_USER_TASK_STRIDE / 2)

static uint8_t pattern(unsigned round, unsigned i)
{
    return (uint8_t)(round * 131u + i * 7u + (i >> 8));
}

static void producer(const ms_start_t *start)
{
    uint8_t *buf = (uint8_t *)(uintptr_t)start->heap_base; /* page-aligned, the loader's */
    ms_msg_t m = {.info = ms_info(1, 3, 0, 0) | MS_INFO_MAP, .w = {ROUNDS, (uintptr_t)buf | MS_MAP_READ, BUFFER_PAGES}};
    if (ms_send(H_CHANNEL, &m) != MS_OK)
        ms_exit(1);
    uint64_t bits;
    for (unsigned r = 0; r < ROUNDS; r++) {
        for (unsigned i = 0; i < BUFFER_BYTES; i++)
            buf[i] = pattern(r, i);
        ms_signal(H_FULL, 1);
        if (ms_wait(H_EMPTY, &bits) != MS_OK)
            ms_exit(1);
    }
    ms_exit(0);
}

static void consumer(const ms_start_t *start)
{
    ms_msg_t m;
    if (ms_map_window(CONSUMER_WINDOW, BUFFER_PAGES) != MS_OK || ms_recv(H_CHANNEL, &m) != MS_OK ||
        !ms_info_has_map(m.info)) {
        ms_printf("%s: no buffer came\n", start->name);
        ms_exit(1);
    }
    const volatile uint8_t *buf = (const volatile uint8_t *)(uintptr_t)CONSUMER_WINDOW;
    uint64_t wrong = 0, seen = 0, bits;
    for (unsigned r = 0; r < m.w[0]; r++) {
        if (ms_wait(H_FULL, &bits) != MS_OK)
            ms_exit(1);
        for (unsigned i = 0; i < BUFFER_BYTES; i++)
            wrong += buf[i] != pattern(r, i);
        seen += BUFFER_BYTES;
        ms_signal(H_EMPTY, 1);
    }
    ms_printf("%s: %lu bytes through %u KiB of shared memory, %lu wrong\n", start->name, (unsigned long)seen,
              BUFFER_BYTES / 1024, (unsigned long)wrong);
    ms_exit(wrong == 0 && seen == TOTAL_BYTES ? 0 : 1);
}

const ms_manifest_t scenario_shm = {
    .name = "shm",
    .description = "a producer maps a 64 KiB buffer to a consumer and passes 10 MiB through it; every byte checked",
    .endpoints = 1,
    .notifications = 2,
    .ntasks = 2,
    .tasks = {
        {.name = "producer", .entry = producer, .prio = 10,
         .handles = {{.slot = H_CHANNEL, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND},
                     {.slot = H_FULL, .type = MS_OBJ_NOTIFICATION, .index = 0, .rights = MS_RIGHT_SEND},
                     {.slot = H_EMPTY, .type = MS_OBJ_NOTIFICATION, .index = 1, .rights = MS_RIGHT_RECV}}},
        {.name = "consumer", .entry = consumer, .prio = 10,
         .handles = {{.slot = H_CHANNEL, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV},
                     {.slot = H_FULL, .type = MS_OBJ_NOTIFICATION, .index = 0, .rights = MS_RIGHT_RECV},
                     {.slot = H_EMPTY, .type = MS_OBJ_NOTIFICATION, .index = 1, .rights = MS_RIGHT_SEND}}},
    },
};
