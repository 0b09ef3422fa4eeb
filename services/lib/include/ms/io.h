/* Port I/O for user-level drivers: the real in and out instructions, and the 16550 UART's setup. */
#ifndef MS_IO_H
#define MS_IO_H

#include <stdint.h>

/* A task may execute these only on ports an I/O port handle of its grants
 * (any other port is #GP); hosted, the simulated CPU emulates them. */
static inline void ms_outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline uint8_t ms_inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

/* The 16550's registers, from its base port. */
#define MS_UART_RBR 0 /* receive buffer (read) / transmit holding (write) / divisor low with DLAB */
#define MS_UART_IER 1 /* interrupt enable / divisor high with DLAB */
#define MS_UART_FCR 2
#define MS_UART_LCR 3
#define MS_UART_MCR 4
#define MS_UART_LSR 5
#define MS_UART_LSR_DATA_READY 0x01
#define MS_UART_LSR_THR_EMPTY 0x20

/* 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on, an interrupt
 * when data arrives, and OUT2 on to let it reach the PIC. */
static inline void ms_uart_init(uint16_t base)
{
    ms_outb(base + MS_UART_LCR, 0x80);
    ms_outb(base + MS_UART_RBR, 1);
    ms_outb(base + MS_UART_IER, 0);
    ms_outb(base + MS_UART_LCR, 0x03);
    ms_outb(base + MS_UART_FCR, 0x07);
    ms_outb(base + MS_UART_IER, 0x01);
    ms_outb(base + MS_UART_MCR, 0x08);
}

#endif
