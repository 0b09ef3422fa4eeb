/* COM1, the 16550 UART at 0x3f8: where the trace and the port's diagnostics go. */
#include <stdarg.h>

#include "rt.h"
#include "x86.h"
#include "x86_64.h"

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding register (DLAB 0) */
#define UART_DLL 0 /* divisor latch, low byte (DLAB 1) */
#define UART_IER 1
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THR_EMPTY 0x20

/* 115200 baud, 8 data bits, no parity, 1 stop bit, FIFOs on, no interrupts
 * (the interrupt issue gives the UART its IRQ). */
void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, 0x80);
    outb(COM1 + UART_DLL, 0x01);
    outb(COM1 + UART_DLM, 0x00);
    outb(COM1 + UART_LCR, 0x03);
    outb(COM1 + UART_FCR, 0xc7);
    outb(COM1 + UART_MCR, 0x03);
}

static void serial_putc(char c)
{
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        ;
    outb(COM1 + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        serial_putc(s[i]);
}

void serial_puts(const char *s)
{
    serial_write(s, rt_strlen(s));
}

void x86_diag(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof line)
        n = (int)sizeof line - 1;
    serial_putc('!');
    serial_write(line, (size_t)n);
    serial_putc('\n');
}
