/* The 8254 channel 0: control words, counts, latches, and OUT0 edges on simulated time. */
#include "pit.h"

#define NS_PER_S 1000000000u

enum { ACCESS_LATCH = 0, ACCESS_LSB = 1, ACCESS_MSB = 2, ACCESS_LSB_MSB = 3 };

static unsigned pit_access(const hw_pit_t *pit)
{
    return (pit->control >> 4) & 3;
}

/* Modes 6 and 7 are modes 2 and 3: M2 is a don't-care bit there. */
static unsigned pit_mode(const hw_pit_t *pit)
{
    unsigned mode = (pit->control >> 1) & 7;
    return mode >= 6 ? mode - 4 : mode;
}

static void pit_set_out(hw_pit_t *pit, bool level)
{
    if (pit->out == level)
        return;
    pit->out = level;
    if (pit->out_fn)
        pit->out_fn(pit->ctx, level);
}

/* The pulses of a period during which OUT is high: mode 2 drops OUT for the
 * last pulse only; mode 3 is high for the first (N + 1) / 2 pulses. */
static uint32_t pit_high_pulses(const hw_pit_t *pit)
{
    return pit_mode(pit) == 2 ? pit->count - 1 : (pit->count + 1) / 2;
}

/* The pulse at which OUT next changes. Only while counting. */
static uint64_t pit_next_edge(const hw_pit_t *pit)
{
    return pit->period_start + (pit->out ? pit_high_pulses(pit) : pit->count);
}

/* Plays every edge up to the current pulse. A period ends on the rising edge,
 * which is where a count written meanwhile is loaded. */
static void pit_run_edges(hw_pit_t *pit)
{
    while (pit->counting && pit_next_edge(pit) <= pit->ticks) {
        if (pit->out) {
            pit_set_out(pit, false);
            continue;
        }
        pit->period_start += pit->count;
        if (pit->next_count) {
            pit->count = pit->next_count;
            pit->next_count = 0;
        }
        pit_set_out(pit, true);
    }
}

/* The smallest d with frac + d * HW_PIT_HZ >= pulses * 10^9, from the time
 * already played. */
static uint64_t pit_due_ns(const hw_pit_t *pit)
{
    if (!pit->counting)
        return HW_PIT_NEVER;
    uint64_t pulses = pit_next_edge(pit) - pit->ticks;
    uint64_t needed = pulses * NS_PER_S - pit->frac;
    return (needed + HW_PIT_HZ - 1) / HW_PIT_HZ;
}

/* Plays the time owed: the pulses, then every edge they reach. */
static void pit_catch_up(hw_pit_t *pit)
{
    uint64_t ns = pit->owed_ns;
    if (ns) {
        uint64_t scaled = pit->frac + (ns % NS_PER_S) * HW_PIT_HZ;
        pit->ticks += (ns / NS_PER_S) * HW_PIT_HZ + scaled / NS_PER_S;
        pit->frac = (uint32_t)(scaled % NS_PER_S);
        pit->owed_ns = 0;
        pit_run_edges(pit);
    }
    pit->due_ns = pit_due_ns(pit);
}

void hw_pit_catch_up(hw_pit_t *pit)
{
    pit_catch_up(pit);
}

uint64_t hw_pit_next_event_ns(const hw_pit_t *pit)
{
    return pit->due_ns == HW_PIT_NEVER ? HW_PIT_NEVER : pit->due_ns - pit->owed_ns;
}

uint64_t hw_pit_period_ns(const hw_pit_t *pit)
{
    if (!pit->counting)
        return 0;
    return ((uint64_t)pit->count * NS_PER_S + HW_PIT_HZ / 2) / HW_PIT_HZ;
}

/*
 * The counting element now. Mode 2 counts N down to 1. Mode 3 counts down by
 * two in each half period, from N; for an odd N the real chip's values in a
 * half may differ from these by one. A count of 65536 reads as 0. Before a
 * count is loaded the real value is undefined; the model shows the last
 * count written.
 */
static uint16_t pit_current_count(const hw_pit_t *pit)
{
    if (!pit->counting)
        return pit->written;
    uint32_t phase = (uint32_t)(pit->ticks - pit->period_start);
    if (pit_mode(pit) == 2)
        return (uint16_t)(pit->count - phase);
    uint32_t high = pit_high_pulses(pit);
    return (uint16_t)(pit->count - 2 * (phase < high ? phase : phase - high));
}

/* A count has been written in full. The 8254 loads it on the next input
 * pulse, making the first period one pulse longer; the model starts the
 * period at the pulse of the write. A count written while counting waits for
 * the end of the period (in mode 3 the real chip loads it at the end of the
 * current half period). Modes 0, 1, 4 and 5 are not modelled: the channel
 * stays stopped. */
static void pit_write_count(hw_pit_t *pit, uint16_t value)
{
    pit->written = value;
    unsigned mode = pit_mode(pit);
    if (mode != 2 && mode != 3)
        return;
    uint32_t count = value ? value : 65536;
    if (count == 1)
        count = 2; /* illegal in modes 2 and 3 on the 8254 */
    if (pit->counting) {
        pit->next_count = count;
        return;
    }
    pit->count = count;
    pit->period_start = pit->ticks;
    pit->counting = true;
}

static void pit_write_data(hw_pit_t *pit, uint8_t value)
{
    switch (pit_access(pit)) {
    case ACCESS_LSB:
        pit_write_count(pit, value);
        break;
    case ACCESS_MSB:
        pit_write_count(pit, (uint16_t)(value << 8));
        break;
    default:
        if (!pit->write_msb) {
            pit->write_lsb = value;
        } else {
            pit_write_count(pit, (uint16_t)(pit->write_lsb | value << 8));
        }
        pit->write_msb = !pit->write_msb;
    }
}

/* Reads return the latched status first, then the latched count (released
 * once all its bytes are read), else the live count. */
static uint8_t pit_read_data(hw_pit_t *pit)
{
    if (pit->status_latched) {
        pit->status_latched = false;
        return pit->status;
    }
    uint16_t value = pit->count_latched ? pit->latch : pit_current_count(pit);
    unsigned access = pit_access(pit);
    bool msb = access == ACCESS_MSB || (access == ACCESS_LSB_MSB && pit->read_msb);
    if (access == ACCESS_LSB_MSB)
        pit->read_msb = !pit->read_msb;
    if (access != ACCESS_LSB_MSB || !pit->read_msb)
        pit->count_latched = false;
    return (uint8_t)(msb ? value >> 8 : value);
}

/* A second latch before the first is read is ignored, as on the 8254. */
static void pit_latch_count(hw_pit_t *pit)
{
    if (pit->count_latched)
        return;
    pit->latch = pit_current_count(pit);
    pit->count_latched = true;
}

/* Status byte: OUT, NULL COUNT (a count written but not yet loaded), then
 * the control word's access, mode and BCD bits. */
static void pit_latch_status(hw_pit_t *pit)
{
    if (pit->status_latched)
        return;
    bool null_count = !pit->counting || pit->next_count;
    pit->status = (uint8_t)(pit->out << 7 | null_count << 6 | pit->control);
    pit->status_latched = true;
}

/* Read-back (11 COUNT' STATUS' CNT2 CNT1 CNT0 0): only channel 0 answers. */
static void pit_read_back(hw_pit_t *pit, uint8_t value)
{
    if (!(value & 0x02))
        return;
    if (!(value & 0x20))
        pit_latch_count(pit);
    if (!(value & 0x10))
        pit_latch_status(pit);
}

/* A control word for channel 0 (00 RW1 RW0 M2 M1 M0 BCD) stops it until a
 * new count is written; OUT goes low for mode 0 and high for the others.
 * BCD counting is not modelled: the count is binary whatever the bit says
 * (a real 8254 would count in decimal, 0 meaning 10,000). */
static void pit_write_control(hw_pit_t *pit, uint8_t value)
{
    unsigned channel = value >> 6;
    if (channel == 3) {
        pit_read_back(pit, value);
        return;
    }
    if (channel != 0)
        return; /* channels 1 and 2 are not modelled */
    if (((value >> 4) & 3) == ACCESS_LATCH) {
        pit_latch_count(pit);
        return;
    }
    pit->control = value & 0x3f;
    pit->counting = false;
    pit->next_count = 0;
    pit->write_msb = pit->read_msb = false;
    pit->count_latched = pit->status_latched = false;
    pit_set_out(pit, pit_mode(pit) != 0);
}

void hw_pit_init(hw_pit_t *pit, hw_pit_out_fn *out_fn, void *ctx)
{
    *pit = (hw_pit_t){0};
    pit->due_ns = HW_PIT_NEVER;
    pit->control = ACCESS_LSB_MSB << 4 | 3 << 1;
    pit->out = true;
    pit->out_fn = out_fn;
    pit->ctx = ctx;
}

/* 0x40 is channel 0. Channels 1 and 2 (0x41, 0x42) take writes and ignore
 * them, and read as an undriven bus; the control port 0x43 is write-only. */
static uint32_t pit_port_read(void *ctx, uint16_t port, unsigned size)
{
    (void)size;
    pit_catch_up(ctx);
    return port == HW_PIT_PORT ? pit_read_data(ctx) : 0xff;
}

static void pit_port_write(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
    (void)size;
    pit_catch_up(ctx);
    if (port == HW_PIT_PORT)
        pit_write_data(ctx, (uint8_t)value);
    else if (port == HW_PIT_PORT + 3)
        pit_write_control(ctx, (uint8_t)value);
    pit_catch_up(ctx); /* the next edge may have moved */
}

int hw_pit_attach(hw_pit_t *pit, hw_portbus_t *bus)
{
    hw_port_range_t r = {.first = HW_PIT_PORT,
                         .last = HW_PIT_PORT + 3,
                         .width = 1,
                         .read = pit_port_read,
                         .write = pit_port_write,
                         .ctx = pit};
    return hw_portbus_register(bus, &r);
}
