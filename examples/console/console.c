/*
 * console: a user-level driver for COM1, the PC's 16550 UART. It owns the
 * UART's ports and IRQ 4 through handles, binds the IRQ to a notification,
 * and echoes every byte it receives; each whole line it also reports.
 * `printf 'hello\n' | microsim console` echoes hello.
 */
#include "ms/io.h"
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define H_PORTS 1 /* COM1's ports, 0x3f8-0x3ff */
#define H_IRQ 2   /* IRQ 4 */
#define H_NTFN 3  /* where IRQ 4 arrives */
#define H_COM2 4  /* COM2's ports, 0x2f8-0x2ff, to see whether it is there */

#define COM1 0x3f8
#define COM2 0x2f8
#define LINE_MAX 80

typedef struct line {
    char text[LINE_MAX + 1];
    unsigned len;
} line_t;

/* One received byte: echoed at once, and kept until its line is whole. */
static void take(const ms_start_t *start, line_t *l, char c)
{
    ms_outb(COM1 + MS_UART_RBR, (uint8_t)c);
    if (c != '\n' && l->len < LINE_MAX) {
        l->text[l->len++] = c;
        return;
    }
    l->text[l->len] = '\0';
    ms_printf("%s: got a line of %u bytes: %s\n", start->name, l->len, l->text);
    l->len = 0;
}

/* A port no device answers reads all ones: there is no UART there (this PC
 * has none at COM2, and the trace says the port was unclaimed). */
static int uart_present(uint16_t base)
{
    return ms_inb(base + MS_UART_LSR) != 0xff;
}

static void console_driver(const ms_start_t *start)
{
    if (!uart_present(COM2))
        ms_printf("%s: no UART at COM2 (0x%x); driving COM1\n", start->name, COM2);
    ms_uart_init(COM1);
    if (ms_irq_bind(H_IRQ, H_NTFN, 1) != MS_OK)
        ms_exit(1);
    line_t l = {.len = 0};
    for (;;) {
        uint64_t bits;
        if (ms_wait(H_NTFN, &bits) != MS_OK)
            ms_exit(1);
        while (ms_inb(COM1 + MS_UART_LSR) & MS_UART_LSR_DATA_READY)
            take(start, &l, (char)ms_inb(COM1 + MS_UART_RBR));
        ms_irq_ack(H_IRQ);
    }
}

const ms_manifest_t scenario_console = {
    .name = "console",
    .description = "a user-level UART driver echoes standard input (IRQ 4 bound to a notification)",
    .notifications = 1,
    .nioports = 2,
    .ioports = {{.first = COM1, .last = COM1 + 7}, {.first = COM2, .last = COM2 + 7}},
    .ntasks = 1,
    .tasks = {
        {.name = "console", .entry = console_driver, .prio = 50, .daemon = 1,
         .handles = {{.slot = H_PORTS, .type = MS_OBJ_IOPORT, .index = 0, .rights = MS_RIGHT_SEND},
                     {.slot = H_IRQ, .type = MS_OBJ_IRQ, .index = 4, .rights = MS_RIGHT_CONTROL},
                     {.slot = H_NTFN, .type = MS_OBJ_NOTIFICATION, .index = 0,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_RECV},
                     {.slot = H_COM2, .type = MS_OBJ_IOPORT, .index = 1, .rights = MS_RIGHT_SEND}}},
    },
};
