/* The kernel's driver for the PC's 8254 interval timer, channel 0 (IRQ 0). */
#ifndef K_PIT_H
#define K_PIT_H

#include <stdint.h>

#define PIT_IRQ 0

/* Programs channel 0 as a rate generator at about hz interrupts per second
 * (18.2 <= hz <= 1193182). Returns the exact period in nanoseconds. */
uint64_t pit_init(unsigned hz);

#endif
