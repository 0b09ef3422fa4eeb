/* The virtual clock. */
#include "clock.h"

void hw_clock_init(hw_clock_t *clock, uint32_t entry_cost_ns)
{
    clock->now_ns = 0;
    clock->entry_cost_ns = entry_cost_ns;
}

void hw_clock_tick_entry(hw_clock_t *clock)
{
    clock->now_ns += clock->entry_cost_ns;
}

void hw_clock_advance(hw_clock_t *clock, uint64_t ns)
{
    clock->now_ns += ns;
}

uint64_t hw_clock_now(const hw_clock_t *clock)
{
    return clock->now_ns;
}
