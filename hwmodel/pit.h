/* The PC's Intel 8254 programmable interval timer: channel 0, driving IRQ 0. */
#ifndef HW_PIT_H
#define HW_PIT_H

#include <stdbool.h>
#include <stdint.h>

#include "portbus.h"

#define HW_PIT_HZ 1193182u /* the PC's input clock: 14.31818 MHz / 12 */
#define HW_PIT_PORT 0x40   /* channel 0 data; 0x41, 0x42 channels 1, 2; 0x43 control */
#define HW_PIT_IRQ 0
#define HW_PIT_NEVER UINT64_MAX

/* OUT0 changed level; on a PC it is the IRQ 0 line of the master PIC. */
typedef void hw_pit_out_fn(void *ctx, bool level);

/*
 * Channel 0. Time is the PIT's own: it moves only by hw_pit_advance(), in
 * whole input clock pulses plus an exact remainder (ticks * 10^9 + frac is
 * always the played nanoseconds times HW_PIT_HZ), so no rounding accumulates.
 * Time that reaches no edge is only owed until an edge or a port access.
 */
typedef struct hw_pit {
    uint64_t ticks;        /* input clock pulses since hw_pit_init */
    uint32_t frac;         /* progress towards the next pulse, in 10^-9 pulses */
    uint64_t owed_ns;      /* advanced but not yet played (no edge fell in it) */
    uint64_t due_ns;       /* from the played time to OUT0's next edge; HW_PIT_NEVER */
    uint64_t period_start; /* the pulse at which the current period began */
    uint32_t count;        /* the count in use, 2 to 65536 */
    uint32_t next_count;   /* written while counting, loaded when the period ends; 0 if none */
    uint16_t written;      /* the last count written, as written */
    uint8_t control;       /* bits 5-0 of the last control word: access, mode, BCD */
    bool counting;
    bool out;       /* OUT0 */
    bool write_msb; /* lobyte/hibyte access: the next write is the high byte */
    bool read_msb;  /* lobyte/hibyte access: the next read is the high byte */
    uint8_t write_lsb;
    bool count_latched;
    uint16_t latch;
    bool status_latched;
    uint8_t status;
    hw_pit_out_fn *out_fn;
    void *ctx;
} hw_pit_t;

/* Power-on: time 0, channel 0 stopped with OUT high until the kernel writes a
 * control word and a count (the real chip's state is undefined). out_fn hears
 * every later change of OUT0 (may be NULL). */
void hw_pit_init(hw_pit_t *pit, hw_pit_out_fn *out_fn, void *ctx);

/* Claims ports 0x40-0x43 on bus. 0 or -1 (a port is taken). Port reads see
 * the count at the PIT's current time: advance it to the CPU's time first. */
int hw_pit_attach(hw_pit_t *pit, hw_portbus_t *bus);

/* Plays the time owed now (hw_pit_advance's slow half). */
void hw_pit_catch_up(hw_pit_t *pit);

/* Moves the PIT's time forward by ns nanoseconds, calling out_fn at each edge
 * of OUT0 in order (two per period). Most advances reach no edge and only add
 * to the time owed (this runs at every kernel entry: inline). */
static inline void hw_pit_advance(hw_pit_t *pit, uint64_t ns)
{
    pit->owed_ns += ns;
    if (pit->owed_ns >= pit->due_ns)
        hw_pit_catch_up(pit);
}

/* The nanoseconds to advance for OUT0's next edge (rising or falling) to
 * happen, at least 1; HW_PIT_NEVER if the channel is not counting. Advancing
 * by one nanosecond less does not reach it. */
uint64_t hw_pit_next_event_ns(const hw_pit_t *pit);

/* The length of channel 0's period (one IRQ 0 each), rounded to the
 * nanosecond; 0 if the channel is not counting. */
uint64_t hw_pit_period_ns(const hw_pit_t *pit);

#endif
