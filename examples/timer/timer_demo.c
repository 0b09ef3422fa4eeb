/*
 * timer: three sleepers ask the timer service for 30, 10 and 20 ms and
 * wake in the order of their deadlines; an alarm client has its own
 * notification signalled after 15 ms; a prober's malformed requests get
 * their errors. On the virtual clock the idle machine's time jumps to each
 * alarm's tick.
 */
#include "ms/print.h"
#include "ms/timer.h"
#include "scenarios.h"

#define H_TIMER 1
#define H_NTFN 2 /* the alarm client's notification */
#define MS_PER_NS 1000000ull

static void sleeper(const ms_start_t *start)
{
    uint64_t err = ms_sleep(H_TIMER, start->arg[0] * MS_PER_NS);
    ms_printf("%s: woke after %lu ms (%s)\n", start->name, (unsigned long)start->arg[0], ms_error_name(err));
    ms_exit(err == MS_OK ? 0 : 1);
}

static void alarmed(const ms_start_t *start)
{
    ms_msg_t m = {.info = ms_info(TIMER_ALARM, 2, 0, 1), .w = {15 * MS_PER_NS, 0x8}, .handle = H_NTFN};
    uint64_t err = ms_call(H_TIMER, &m);
    uint64_t bits = 0;
    if (err == MS_OK && m.w[0] == MS_OK)
        err = ms_wait(H_NTFN, &bits);
    ms_printf("%s: alarm after 15 ms, bits 0x%lx\n", start->name, (unsigned long)bits);
    ms_exit(bits == 0x8 ? 0 : 1);
}

static uint64_t ask(uint32_t label, unsigned words, uint64_t w0, uint64_t w1)
{
    ms_msg_t m = {.info = ms_info(label, words, 0, 0), .w = {w0, w1}};
    uint64_t err = ms_call(H_TIMER, &m);
    return err == MS_OK ? m.w[0] : err;
}

static void prober(const ms_start_t *start)
{
    unsigned ok = 0;
    ok += ask(0x99, 0, 0, 0) == MS_E_NOSYS;
    ok += ask(TIMER_SLEEP, 2, 1, 1) == MS_E_INVAL;
    ok += ask(TIMER_SLEEP, 1, TIMER_MAX_NS + 1, 0) == MS_E_RANGE;
    ok += ask(TIMER_ALARM, 2, MS_PER_NS, 1) == MS_E_INVAL; /* no notification sent */
    ms_printf("%s: %u of 4 malformed requests refused\n", start->name, ok);
    ms_exit(ok == 4 ? 0 : 1);
}

#define TIMER_CLIENT(task_name, fn, ms)                                                                           \
    {.name = task_name, .entry = fn, .prio = 10, .arg = {ms},                                                    \
     .handles = {{.slot = H_TIMER, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT}, \
                 {.slot = H_NTFN, .type = MS_OBJ_NOTIFICATION, .index = 0, .rights = MS_RIGHT_SEND | MS_RIGHT_RECV}}}

const ms_manifest_t scenario_timer = {
    .name = "timer",
    .description = "sleepers wake in deadline order through the timer service; an alarm; malformed requests refused",
    .endpoints = 1,
    .notifications = 1,
    .ntasks = 6,
    .tasks = {
        {.name = "timer", .entry = timer_main, .prio = 40, .daemon = 1, .arg = {40},
         .handles = {{.slot = TIMER_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV},
                     {.slot = TIMER_H_SEND, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
        TIMER_CLIENT("slow", sleeper, 30),
        TIMER_CLIENT("quick", sleeper, 10),
        TIMER_CLIENT("middle", sleeper, 20),
        TIMER_CLIENT("alarmed", alarmed, 0),
        TIMER_CLIENT("prober", prober, 0),
    },
};
