/* The timer service's protocol: sleeps and alarms for clients, on the kernel's alarms. */
#ifndef MS_TIMER_H
#define MS_TIMER_H

#include <stdint.h>

#include "ms/errors.h"
#include "ms/syscall.h"

/*
 * Requests are calls; every reply has w0 = MS_OK or an error.
 *   TIMER_SLEEP  w0 ns (at most TIMER_MAX_NS): the reply comes once that
 *                much time has passed (a saved reply: the service goes on
 *                serving). E_RANGE (too long), E_FULL (TIMER_SLEEPERS
 *                sleep already).
 *   TIMER_ALARM  w0 ns, w1 bits, a notification handle transferred (with
 *                the send right): the service has the kernel signal it
 *                with bits once that much time has passed, and replies at
 *                once. E_INVAL (no notification, no bits), E_RANGE.
 *   anything else E_NOSYS; a wrong word count or payload: E_INVAL.
 * Time is the machine's: virtual time on the virtual clock, where a
 * sleeping system's clock goes on to the next alarm at once. The kernel's
 * alarms fire at the clock's ticks, 1 ms apart.
 */
#define TIMER_SLEEP 0x746d0001u
#define TIMER_ALARM 0x746d0002u
#define TIMER_WOKEN 0x746d0003u /* internal: the service's alarm thread */

#define TIMER_MAX_NS (60ull * 1000000000ull)
#define TIMER_SLEEPERS 32u

/* Its handles: 1 the endpoint (receive), 2 a send handle to it (for its
 * alarm thread). arg[0]: its own priority. */
#define TIMER_H_ENDPOINT 1u
#define TIMER_H_SEND 2u
/* The name it publishes (ms_names_publish) when it runs as a process. */
#define TIMER_PATH "/svc/timer"
void timer_main(const ms_start_t *start);

/* Sleeps ns through the timer service at ep. */
static inline uint64_t ms_sleep(ms_handle_t ep, uint64_t ns)
{
    ms_msg_t m = {.info = ms_info(TIMER_SLEEP, 1, 0, 0), .w = {ns}};
    uint64_t err = ms_call(ep, &m);
    return err == MS_OK ? m.w[0] : err;
}

#endif
