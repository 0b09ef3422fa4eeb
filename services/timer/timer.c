/*
 * timer: sleeps and alarms for clients. Each sleeper gets a bit of the
 * service's notification and a kernel alarm on it; a second thread waits on
 * the notification and calls the main thread, which answers the sleepers
 * whose bits came (their replies were saved). An alarm for a client is the
 * kernel's alarm on the client's own notification. See ms/timer.h. The table
 * and every decision are in timer_core.c; this is the IPC loop around it.
 */
#include "ms/timer.h"

#include "ms/names.h"
#include "ms/print.h"
#include "timer_core.h"

#define ALARM_STACK (8u * 1024u)

typedef struct timer {
    ms_handle_t ntfn;
    timer_core_t core;
} timer_t;

static timer_request_t request_of(const ms_msg_t *m)
{
    return (timer_request_t){
        .label = ms_info_label(m->info),
        .words = ms_info_words(m->info),
        .payload = ms_info_payload(m->info),
        .w = {m->w[0], m->w[1]},
        .badge = m->badge,
        .has_handle = ms_info_has_handle(m->info),
    };
}

/* A sleeper's alarm on its bit of the service's notification; its reply is saved. */
static uint64_t sleep_for(timer_t *tm, const timer_action_t *act, int *deferred)
{
    ms_handle_t reply;
    uint64_t err = ms_alarm(tm->ntfn, act->bits, act->ns);
    if (err == MS_OK && (err = ms_reply_save(&reply)) == MS_OK) {
        timer_sleeper_saved(&tm->core, act->slot, reply);
        *deferred = 1;
    }
    return err;
}

/* A client's alarm on the notification it sent. */
static uint64_t alarm_for(ms_handle_t ntfn, const timer_action_t *act)
{
    uint64_t type = 0, rights = 0, badge;
    uint64_t described = ms_handle_info(ntfn, &type, &rights, &badge);
    uint64_t err = timer_alarm_target(described, type, rights, act->bits);
    return err == MS_OK ? ms_alarm(ntfn, act->bits, act->ns) : err;
}

static void wake(const timer_action_t *act)
{
    for (unsigned i = 0; i < act->nwake; i++) {
        ms_msg_t r = {.info = ms_info(0, 1, 0, 0), .w = {MS_OK}};
        ms_reply_with(act->wake[i], &r);
    }
}

/* A request, through the core; *deferred if its reply was saved. */
static void serve(timer_t *tm, ms_msg_t *m, int *deferred)
{
    timer_request_t rq = request_of(m);
    timer_action_t act;
    timer_decide(&tm->core, &rq, &act);
    uint64_t err = act.err;
    if (act.step == TIMER_STEP_SLEEP)
        err = sleep_for(tm, &act, deferred);
    else if (act.step == TIMER_STEP_ALARM)
        err = alarm_for((ms_handle_t)m->handle, &act);
    else if (act.step == TIMER_STEP_WAKE)
        wake(&act);
    if (act.close_handle)
        ms_handle_close((ms_handle_t)m->handle); /* a pending alarm keeps its own reference */
    *m = (ms_msg_t){.info = ms_info(0, 1, 0, 0), .w = {err}};
}

/* The alarm thread: the bits of the alarms that fired go to the main thread. */
static void alarm_thread(uint64_t arg)
{
    ms_handle_t ntfn = (ms_handle_t)(arg & 0xffffffffu), to_main = (ms_handle_t)(arg >> 32);
    uint64_t bits;
    while (ms_wait(ntfn, &bits) == MS_OK) {
        ms_msg_t m = {.info = ms_info(TIMER_WOKEN, 1, 0, 0), .w = {bits}};
        ms_call(to_main, &m);
    }
    ms_thread_exit();
}

void timer_main(const ms_start_t *start)
{
    timer_t tm = {.ntfn = 0};
    timer_core_init(&tm.core);
    ms_handle_t to_main, thread;
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    uint64_t err = ms_notification_create(&tm.ntfn);
    if (err == MS_OK)
        err = ms_handle_copy(TIMER_H_SEND, MS_RIGHT_SEND, TIMER_WOKEN_BADGE, &to_main);
    if (err == MS_OK)
        err = ms_thread_create(MS_HANDLE_SELF, alarm_thread, heap, ALARM_STACK, heap + ALARM_STACK,
                               (uint64_t)to_main << 32 | tm.ntfn, (uint8_t)start->arg[0], &thread);
    if (err == MS_OK)
        err = ms_names_publish(start, TIMER_PATH, TIMER_H_SEND);
    if (err != MS_OK) {
        ms_printf("%s: cannot start (%s)\n", start->name, ms_error_name(err));
        ms_exit(1);
    }
    ms_msg_t m;
    err = ms_recv(TIMER_H_ENDPOINT, &m);
    while (err == MS_OK) {
        int deferred = 0;
        serve(&tm, &m, &deferred);
        err = deferred ? ms_recv(TIMER_H_ENDPOINT, &m) : ms_reply_recv(TIMER_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%s)\n", start->name, ms_error_name(err));
    ms_exit(1);
}
