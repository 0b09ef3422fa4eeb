/* The timer service's sleeper table and request decisions, apart from IPC. */
#include "timer_core.h"

void timer_core_init(timer_core_t *t)
{
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++)
        t->sleepers[i] = 0;
}

/* A sleep of ns: the first free slot's bit gets a kernel alarm. */
static void decide_sleep(const timer_core_t *t, uint64_t ns, timer_action_t *act)
{
    if (ns > TIMER_MAX_NS) {
        act->err = MS_E_RANGE;
        return;
    }
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++) {
        if (t->sleepers[i])
            continue;
        act->step = TIMER_STEP_SLEEP;
        act->slot = i;
        act->bits = 1ull << i;
        act->ns = ns;
        return;
    }
    act->err = MS_E_FULL;
}

/* A client's alarm: its handle is checked next (timer_alarm_target). */
static void decide_alarm(const timer_request_t *rq, timer_action_t *act)
{
    if (!rq->has_handle)
        act->err = MS_E_INVAL;
    else if (rq->w[0] > TIMER_MAX_NS)
        act->err = MS_E_RANGE;
    else
        *act = (timer_action_t){.step = TIMER_STEP_ALARM, .err = MS_OK, .ns = rq->w[0], .bits = rq->w[1]};
}

void timer_decide(timer_core_t *t, const timer_request_t *rq, timer_action_t *act)
{
    *act = (timer_action_t){.step = TIMER_STEP_REPLY, .err = MS_OK};
    if (rq->label == TIMER_WOKEN && rq->badge == TIMER_WOKEN_BADGE) {
        act->step = TIMER_STEP_WAKE;
        act->nwake = timer_take_due(t, rq->w[0], act->wake);
    } else if (rq->label == TIMER_SLEEP && rq->words == 1 && rq->payload == 0) {
        decide_sleep(t, rq->w[0], act);
    } else if (rq->label == TIMER_ALARM && rq->words == 2 && rq->payload == 0) {
        decide_alarm(rq, act);
    } else {
        act->err = rq->label == TIMER_SLEEP || rq->label == TIMER_ALARM ? MS_E_INVAL : MS_E_NOSYS;
    }
    act->close_handle = rq->has_handle;
}

uint64_t timer_alarm_target(uint64_t described, uint64_t type, uint64_t rights, uint64_t bits)
{
    if (described != MS_OK || type != MS_OBJ_NOTIFICATION || !(rights & MS_RIGHT_SEND) || bits == 0)
        return MS_E_INVAL;
    return MS_OK;
}

void timer_sleeper_saved(timer_core_t *t, unsigned slot, ms_handle_t reply)
{
    t->sleepers[slot] = reply;
}

unsigned timer_take_due(timer_core_t *t, uint64_t fired, ms_handle_t due[TIMER_SLEEPERS])
{
    unsigned n = 0;
    for (unsigned i = 0; i < TIMER_SLEEPERS; i++) {
        if (!(fired & (1ull << i)) || !t->sleepers[i])
            continue;
        due[n++] = t->sleepers[i];
        t->sleepers[i] = 0;
    }
    return n;
}
