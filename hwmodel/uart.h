/* The PC's COM1: a National PC16550D UART with 16-byte FIFOs, on IRQ 4. */
#ifndef HW_UART_H
#define HW_UART_H

#include <stdbool.h>
#include <stdint.h>

#include "portbus.h"

#define HW_UART_COM1_PORT 0x3f8
#define HW_UART_COM1_IRQ 4
#define HW_UART_FIFO_SIZE 16

/* A byte left the transmitter: on a PC it goes down the serial line; the
 * simulator writes it to its console. */
typedef void hw_uart_tx_fn(void *ctx, uint8_t byte);
/* The IRQ line changed level (INTR gated by MCR OUT2, as a PC wires it). */
typedef void hw_uart_irq_fn(void *ctx, bool level);

typedef struct hw_uart {
    uint8_t rx[HW_UART_FIFO_SIZE]; /* the receive FIFO, or in 16450 mode its first slot as RBR */
    uint8_t rx_head, rx_count;
    uint8_t rbr; /* the last byte read: RBR keeps it when nothing new came */
    uint8_t ier, lcr, mcr, scr, dll, dlm;
    uint8_t msr;        /* modem inputs (bits 7-4) and their change bits (3-0) */
    uint8_t lsr_errors; /* LSR overrun bit, cleared by reading LSR */
    uint8_t rx_trigger; /* FCR trigger level: 1, 4, 8 or 14 bytes */
    bool fifo;          /* FCR bit 0: FIFO mode, else 16450 mode */
    bool thre_pending;  /* the THR-empty interrupt, until IIR reports it or THR is written */
    bool irq;           /* the IRQ line as last reported */
    hw_uart_tx_fn *tx;
    hw_uart_irq_fn *irq_fn;
    void *ctx;
} hw_uart_t;

/* The state after MASTER RESET: interrupts off, FIFOs off, LSR 0x60, a
 * terminal on the line (CTS, DSR and DCD asserted). tx and irq_fn may be
 * NULL; neither is called here. */
void hw_uart_init(hw_uart_t *uart, hw_uart_tx_fn *tx, hw_uart_irq_fn *irq_fn, void *ctx);

/* Claims base..base+7 (0x3F8 for COM1) on bus. 0 or -1 (a port is taken). */
int hw_uart_attach(hw_uart_t *uart, hw_portbus_t *bus, uint16_t base);

/* A byte arrives on the serial line (from the simulator's standard input).
 * false if it overran: the receive buffer was full, LSR OE is set, and the
 * byte is lost (FIFO mode) or replaced the unread one (16450 mode), as on the
 * chip; also false in loopback mode, where the serial input is disconnected.
 * CPU thread only, like port I/O: a signal handler must not call it. */
bool hw_uart_receive(hw_uart_t *uart, uint8_t byte);

/* How many bytes hw_uart_receive() can take without an overrun now (0 in
 * loopback mode), so the simulator reads its input only as fast as the
 * guest drains it. */
unsigned hw_uart_rx_room(const hw_uart_t *uart);

/* A driver asked for an interrupt when data arrives (IER bit 0). */
bool hw_uart_rx_irq_enabled(const hw_uart_t *uart);

#endif
