/* The simulated PC: its devices on one port bus, wired as a PC wires them. */
#ifndef HW_PC_H
#define HW_PC_H

#include <stdint.h>

#include "pic.h"
#include "pit.h"
#include "portbus.h"
#include "uart.h"

/*
 * The PIT's OUT0 drives IRQ 0 and COM1's interrupt output IRQ 4 of the
 * master PIC. Time moves only through hw_pc_advance(), which advances the
 * PIT; the devices never read a host clock.
 */
typedef struct hw_pc {
    hw_portbus_t bus;
    hw_pic_t pic;
    hw_pit_t pit;
    hw_uart_t uart;
    hw_uart_tx_fn *console; /* where COM1's bytes go */
    void *console_ctx;
} hw_pc_t;

/* Powers the PC on: every device in its reset state, attached to the bus.
 * console receives every byte COM1 transmits and unclaimed hears of each
 * unclaimed port once, both with ctx (either may be NULL). Returns 0, or -1
 * if the devices' ports collide (a bug). */
int hw_pc_init(hw_pc_t *pc, hw_uart_tx_fn *console, hw_port_unclaimed_fn *unclaimed, void *ctx);

/* Time passes: ns nanoseconds of the PIT's clock. */
static inline void hw_pc_advance(hw_pc_t *pc, uint64_t ns)
{
    hw_pit_advance(&pc->pit, ns);
}

#endif
