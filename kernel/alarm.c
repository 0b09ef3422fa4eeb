/* Alarms: a notification signalled when the clock reaches a time. */
#include "alarm.h"

#include "kobject.h"
#include "ms_abi.h"
#include "object/notification.h"
#include "rt.h"

typedef struct alarm {
    notification_t *n; /* NULL: the slot is free */
    uint64_t bits;
    uint64_t when_ns;
} alarm_t;

static alarm_t alarms[K_MAX_ALARMS];
static unsigned pending;

void alarm_reset(void)
{
    rt_memset(alarms, 0, sizeof alarms);
    pending = 0;
}

int alarm_set(notification_t *n, uint64_t bits, uint64_t when_ns)
{
    for (unsigned i = 0; i < K_MAX_ALARMS; i++) {
        if (alarms[i].n)
            continue;
        kobject_ref(&n->obj);
        alarms[i] = (alarm_t){.n = n, .bits = bits, .when_ns = when_ns};
        pending++;
        return MS_OK;
    }
    return MS_E_NOMEM;
}

void alarm_fire(uint64_t now_ns)
{
    for (unsigned i = 0; pending && i < K_MAX_ALARMS; i++) {
        alarm_t a = alarms[i];
        if (!a.n || a.when_ns > now_ns)
            continue;
        alarms[i].n = NULL;
        pending--;
        notification_signal(a.n, a.bits, NULL);
        kobject_unref(&a.n->obj);
    }
}

uint64_t alarm_next(void)
{
    uint64_t next = 0;
    for (unsigned i = 0; pending && i < K_MAX_ALARMS; i++)
        if (alarms[i].n && (!next || alarms[i].when_ns < next))
            next = alarms[i].when_ns;
    return next;
}

notification_t *alarm_notification_at(unsigned i)
{
    return i < K_MAX_ALARMS ? alarms[i].n : NULL;
}
