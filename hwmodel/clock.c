/* The CPU's clock. */
#include "clock.h"

#include <time.h>

uint64_t hw_clock_host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void hw_clock_init(hw_clock_t *clock, hw_clock_kind_t kind, uint32_t entry_cost_ns)
{
    *clock = (hw_clock_t){.kind = kind, .entry_cost_ns = entry_cost_ns};
    if (kind == HW_CLOCK_HOST)
        clock->host_start_ns = hw_clock_host_ns();
}
