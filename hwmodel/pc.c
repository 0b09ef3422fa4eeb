/* The simulated PC: devices on the port bus and their interrupt lines. */
#include "pc.h"

static void pit_out(void *ctx, bool level)
{
    hw_pc_t *pc = ctx;
    hw_pic_set_line(&pc->pic, HW_PIT_IRQ, level);
}

static void uart_tx(void *ctx, uint8_t byte)
{
    hw_pc_t *pc = ctx;
    if (pc->console)
        pc->console(pc->console_ctx, byte);
}

static void uart_irq(void *ctx, bool level)
{
    hw_pc_t *pc = ctx;
    hw_pic_set_line(&pc->pic, HW_UART_COM1_IRQ, level);
}

int hw_pc_init(hw_pc_t *pc, hw_uart_tx_fn *console, hw_port_unclaimed_fn *unclaimed, void *ctx)
{
    hw_portbus_init(&pc->bus, unclaimed, ctx);
    hw_pic_init(&pc->pic);
    hw_pit_init(&pc->pit, pit_out, pc);
    pc->console = console;
    pc->console_ctx = ctx;
    hw_uart_init(&pc->uart, uart_tx, uart_irq, pc);
    if (hw_pic_attach(&pc->pic, &pc->bus) || hw_pit_attach(&pc->pit, &pc->bus) ||
        hw_uart_attach(&pc->uart, &pc->bus, HW_UART_COM1_PORT))
        return -1;
    return 0;
}
