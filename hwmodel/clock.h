/* The CPU's clock: simulated time, read by the kernel (arch_time_ns) and driving the PIT. */
#ifndef HW_CLOCK_H
#define HW_CLOCK_H

#include <stdint.h>

/*
 * Real hardware has a free-running counter (the TSC) that the program's
 * speed does not affect. The simulated PC offers three clocks:
 * - virtual: time moves by a fixed cost at every kernel entry, so the same
 *   run always shows the same times; user code between entries takes none.
 * - step: the same, plus a fixed cost per user instruction, counted by
 *   single-stepping: the PIT fires after an exact number of instructions.
 * - host: the host's monotonic time since the machine started.
 */
typedef enum hw_clock_kind {
    HW_CLOCK_VIRTUAL,
    HW_CLOCK_HOST,
    HW_CLOCK_STEP,
} hw_clock_kind_t;

/* The step clock's user instruction: one microsecond, a 1 MIPS CPU, so that
 * a 1 ms PIT period is 1000 single-steps (about 15 ms of host time). */
#define HW_CLOCK_STEP_NS 1000u

typedef struct hw_clock {
    hw_clock_kind_t kind;
    uint64_t now_ns;        /* virtual and step */
    uint64_t host_start_ns; /* host */
    uint32_t entry_cost_ns;
} hw_clock_t;

void hw_clock_init(hw_clock_t *clock, hw_clock_kind_t kind, uint32_t entry_cost_ns);
uint64_t hw_clock_host_ns(void);

/* One kernel entry happened (on every system call: inline). */
static inline void hw_clock_tick_entry(hw_clock_t *clock)
{
    clock->now_ns += clock->entry_cost_ns;
}

/* n user instructions ran (the step clock counts them; the others do not). */
static inline void hw_clock_add_steps(hw_clock_t *clock, uint64_t n)
{
    if (clock->kind == HW_CLOCK_STEP)
        clock->now_ns += n * HW_CLOCK_STEP_NS;
}

static inline uint64_t hw_clock_now(const hw_clock_t *clock)
{
    if (clock->kind == HW_CLOCK_HOST)
        return hw_clock_host_ns() - clock->host_start_ns;
    return clock->now_ns;
}

#endif
