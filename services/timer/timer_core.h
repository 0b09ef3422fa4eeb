/* The timer service's sleeper table and request decisions, apart from IPC (unit tests drive it). */
#ifndef TIMER_CORE_H
#define TIMER_CORE_H

#include <stdint.h>

#include "ms/timer.h"

/* The badge of the service's own alarm thread, the only sender of TIMER_WOKEN. */
#define TIMER_WOKEN_BADGE 0x1u

/* Sleeper i waits for bit 1 << i of the service's notification. */
typedef struct timer_core {
    ms_handle_t sleepers[TIMER_SLEEPERS]; /* saved replies by bit, 0: free */
} timer_core_t;

/* One request as it arrived. */
typedef struct timer_request {
    uint32_t label;
    unsigned words, payload;
    uint64_t w[2];
    uint64_t badge;
    int has_handle;
} timer_request_t;

/* What the IPC loop does for a request (the first step that fails gives the reply's error):
 *   TIMER_STEP_REPLY  nothing: reply err.
 *   TIMER_STEP_SLEEP  alarm(own notification, bits, ns), then reply_save into timer_sleeper_saved(slot).
 *   TIMER_STEP_ALARM  describe the request's handle, check it with timer_alarm_target, then
 *                     alarm(that handle, bits, ns); reply err.
 *   TIMER_STEP_WAKE   reply_with MS_OK to wake[0..nwake) (their slots are free again); reply err.
 * Then, if close_handle, close the handle the request carried (a pending alarm keeps its own
 * reference). */
enum timer_step { TIMER_STEP_REPLY, TIMER_STEP_SLEEP, TIMER_STEP_ALARM, TIMER_STEP_WAKE };

typedef struct timer_action {
    enum timer_step step;
    uint64_t err;
    unsigned slot;     /* SLEEP: the sleeper's slot */
    uint64_t ns, bits; /* SLEEP, ALARM: the kernel alarm to set */
    ms_handle_t wake[TIMER_SLEEPERS];
    unsigned nwake;
    int close_handle;
} timer_action_t;

void timer_core_init(timer_core_t *t);

/* Decides what to do for rq. Only a TIMER_WOKEN from the alarm thread changes the table. */
void timer_decide(timer_core_t *t, const timer_request_t *rq, timer_action_t *act);

/* The error for a client alarm's handle: described is handle_info's result on it, type and
 * rights what it said; bits the alarm's bits. MS_OK for a notification with the send right
 * and bits. */
uint64_t timer_alarm_target(uint64_t described, uint64_t type, uint64_t rights, uint64_t bits);

/* The reply of the sleeper in slot (which timer_decide chose) was saved as reply. */
void timer_sleeper_saved(timer_core_t *t, unsigned slot, ms_handle_t reply);

/* The sleepers whose bits are in fired: their saved replies into due[], in bit order, and
 * their slots freed. Bits with no sleeper are ignored. Returns how many. */
unsigned timer_take_due(timer_core_t *t, uint64_t fired, ms_handle_t due[TIMER_SLEEPERS]);

#endif
