/* System call statistics: how many calls of each kind, and how each ended. */
#ifndef K_STATS_H
#define K_STATS_H

#include <stdint.h>

#include "ms_abi.h"
#include "object/thread.h"

/* Outcomes besides the error codes 0..MS_ERROR_COUNT-1. */
enum {
    K_OUTCOME_BLOCKED = MS_ERROR_COUNT, /* the caller blocked; its result comes later */
    K_OUTCOME_ENDED,                    /* the caller ended (exit, thread_exit, killed itself) */
    K_OUTCOMES
};

/* Counts by call number (the last row: numbers outside the table) and by
 * outcome. The platform owns the memory; boot clears it. */
typedef struct k_syscall_stats {
    uint64_t calls[MS_SYS_COUNT + 1][K_OUTCOMES];
    uint64_t wakes[MS_ERROR_COUNT]; /* results later given to calls that blocked */
    uint64_t invariant_checks;
} k_syscall_stats_t;

/* Where to count (NULL: nowhere). Clears *stats. Call after invariants_enable. */
void stats_init(k_syscall_stats_t *stats);

/* Nonzero when calls are counted or checked (stats_init sets it). */
extern int k_stats_active;

void stats_record_call(uint64_t nr, const thread_t *t);

/* Records system call nr made by t, now that the kernel has handled it: its
 * result is t's rax unless t blocked or ended. With the invariant checker on,
 * a result the ABI does not list for nr is a kernel panic. Costs one test
 * when neither counting nor checking. */
static inline void stats_record(uint64_t nr, const thread_t *t)
{
    if (k_stats_active)
        stats_record_call(nr, t);
}

void stats_record_wake_call(int err);

/* A blocked call ends with err, given to it by another thread's call. */
static inline void stats_record_wake(int err)
{
    if (k_stats_active)
        stats_record_wake_call(err);
}

/* One more full invariant check ran. */
void stats_note_check(void);

#endif
