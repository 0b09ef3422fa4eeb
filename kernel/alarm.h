/* Alarms: a notification signalled when the clock reaches a time. */
#ifndef K_ALARM_H
#define K_ALARM_H

#include <stdint.h>

struct notification;

#define K_MAX_ALARMS 64

void alarm_reset(void);

/* At time when_ns (arch_time_ns), the clock tick signals n with bits; the
 * alarm holds a reference to n until then. MS_OK or MS_E_NOMEM (all in use). */
int alarm_set(struct notification *n, uint64_t bits, uint64_t when_ns);

/* Signals every alarm due at now_ns (called at each clock tick). */
void alarm_fire(uint64_t now_ns);

/* The earliest pending alarm's time, or 0 if none is pending. */
uint64_t alarm_next(void);

/* The notification of alarm slot i, or NULL (for the invariant checker). */
struct notification *alarm_notification_at(unsigned i);

#endif
