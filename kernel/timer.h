/* Kernel time: the clock interrupt, time slices and round-robin preemption. */
#ifndef K_TIMER_H
#define K_TIMER_H

#include <stdint.h>

#include "object/thread.h"

#define K_TICK_HZ 1000                 /* clock interrupts per second */
#define K_SLICE_NS 10000000ull         /* default time slice: 10 ms */

/* Programs the PIT for K_TICK_HZ and unmasks IRQ 0. */
void timer_init(void);

/* IRQ 0 (the PIC has been told EOI): charges the running thread and, at the
 * end of its slice, moves it behind the other ready threads of its priority
 * (a preempt event). Time is arch_time_ns(), so slices run out in simulated
 * time on the deterministic clocks. */
void timer_tick(void);

/* The scheduler switched from prev (NULL: idle) to next, at time now:
 * account prev's slice and start next's stretch on the CPU. */
void timer_switch(thread_t *prev, thread_t *next);

#endif
