/* The virtual clock: deterministic simulated time, advanced by events, never by the host. */
#ifndef HW_CLOCK_H
#define HW_CLOCK_H

#include <stdint.h>

/* Real hardware has a free-running counter (the TSC); the simulated PC's time
 * instead moves by a fixed cost at every kernel entry, so the same run always
 * shows the same times. */
typedef struct hw_clock {
    uint64_t now_ns;
    uint32_t entry_cost_ns;
} hw_clock_t;

void hw_clock_init(hw_clock_t *clock, uint32_t entry_cost_ns);
/* One kernel entry happened. */
void hw_clock_tick_entry(hw_clock_t *clock);
/* Time jumps ahead by ns (the CPU was idle). */
void hw_clock_advance(hw_clock_t *clock, uint64_t ns);
uint64_t hw_clock_now(const hw_clock_t *clock);

#endif
