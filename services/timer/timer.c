/*
 * timer: sleeps and alarms for clients. Each sleeper gets a bit of the
 * service's notification and a kernel alarm on it; a second thread waits on
 * the notification and calls the main thread, which answers the sleepers
 * whose bits came (their replies were saved). An alarm for a client is the
 * kernel's alarm on the client's own notification. See ms/timer.h.
 */
#include "ms/timer.h"

#include "ms/names.h"
#include "ms/print.h"

#define WOKEN_BADGE 0x1u
#define ALARM_STACK (8u * 1024u)

typedef struct timer {
    ms_handle_t ntfn;
    ms_handle_t sleepers[TIMER_SLEEPERS]; /* saved replies by bit, 0: free */
} timer_t;

static uint64_t sleep_for(timer_t *tm, uint64_t ns, int *deferred)
{
    if (ns > TIMER_MAX_NS)
        return MS_E_RANGE;
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++) {
        if (tm->sleepers[i])
            continue;
        uint64_t err = ms_alarm(tm->ntfn, 1ull << i, ns);
        if (err == MS_OK && (err = ms_reply_save(&tm->sleepers[i])) == MS_OK)
            *deferred = 1;
        return err;
    }
    return MS_E_FULL;
}

static uint64_t alarm_for(const ms_msg_t *m)
{
    uint64_t type = 0, rights = 0, badge;
    if (!ms_info_has_handle(m->info))
        return MS_E_INVAL;
    if (m->w[0] > TIMER_MAX_NS)
        return MS_E_RANGE;
    if (ms_handle_info((ms_handle_t)m->handle, &type, &rights, &badge) != MS_OK || type != MS_OBJ_NOTIFICATION ||
        !(rights & MS_RIGHT_SEND) || m->w[1] == 0)
        return MS_E_INVAL;
    return ms_alarm((ms_handle_t)m->handle, m->w[1], m->w[0]);
}

static void woken(timer_t *tm, uint64_t bits)
{
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++) {
        if (!(bits & (1ull << i)) || !tm->sleepers[i])
            continue;
        ms_msg_t r = {.info = ms_info(0, 1, 0, 0), .w = {MS_OK}};
        ms_reply_with(tm->sleepers[i], &r);
        tm->sleepers[i] = 0;
    }
}

static void serve(timer_t *tm, ms_msg_t *m, int *deferred)
{
    uint32_t label = ms_info_label(m->info);
    unsigned words = ms_info_words(m->info);
    uint64_t err = MS_OK;
    if (label == TIMER_WOKEN && m->badge == WOKEN_BADGE)
        woken(tm, m->w[0]);
    else if (label == TIMER_SLEEP && words == 1 && !ms_info_payload(m->info))
        err = sleep_for(tm, m->w[0], deferred);
    else if (label == TIMER_ALARM && words == 2 && !ms_info_payload(m->info))
        err = alarm_for(m);
    else
        err = label == TIMER_SLEEP || label == TIMER_ALARM ? MS_E_INVAL : MS_E_NOSYS;
    if (ms_info_has_handle(m->info))
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
    ms_handle_t to_main, thread;
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    uint64_t err = ms_notification_create(&tm.ntfn);
    if (err == MS_OK)
        err = ms_handle_copy(TIMER_H_SEND, MS_RIGHT_SEND, WOKEN_BADGE, &to_main);
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
