/*
 * console: the COM1 driver as a service. Writes from any task go out whole,
 * one after another; input is gathered into lines for one reader at a time.
 * A second thread waits for IRQ 4 and calls the main thread, so that the
 * main thread only ever receives; a read with no line yet is saved
 * (reply_save) and answered when one comes. See ms/console.h.
 */
#include "ms/console.h"

#include "ms/io.h"
#include "ms/names.h"
#include "ms/print.h"

#define COM1 0x3f8
#define IRQ_BADGE 0x1u
#define IRQ_STACK (8u * 1024u)

typedef struct console {
    char lines[CONSOLE_LINES][CONSOLE_LINE_MAX];
    unsigned lens[CONSOLE_LINES];
    unsigned first, count; /* the queue of whole lines */
    char partial[CONSOLE_LINE_MAX];
    unsigned plen;
    ms_handle_t reader; /* a saved read, or 0 */
    char *ipc_buffer;
} console_t;

static void put(char c)
{
    while (!(ms_inb(COM1 + MS_UART_LSR) & MS_UART_LSR_THR_EMPTY))
        ;
    ms_outb(COM1 + MS_UART_RBR, (uint8_t)c);
}

/* A whole line joins the queue (or is dropped if the queue is full). */
static void line_done(console_t *c)
{
    if (c->count < CONSOLE_LINES) {
        unsigned slot = (c->first + c->count) % CONSOLE_LINES;
        for (unsigned i = 0; i < c->plen; i++)
            c->lines[slot][i] = c->partial[i];
        c->lens[slot] = c->plen;
        c->count++;
    }
    c->plen = 0;
}

/* One received byte. It is not echoed: a host terminal in cooked mode
 * echoes what is typed already (a real serial terminal would need it). */
static void take(console_t *c, char ch)
{
    if (ch == '\r' || ch == '\n')
        line_done(c);
    else if (ch == 0x08 || ch == 0x7f)
        c->plen -= c->plen > 0;
    else if (c->plen < CONSOLE_LINE_MAX)
        c->partial[c->plen++] = ch;
}

/* The oldest line into the IPC buffer; its length. */
static unsigned pop_line(console_t *c)
{
    unsigned n = c->lens[c->first];
    for (unsigned i = 0; i < n; i++)
        c->ipc_buffer[i] = c->lines[c->first][i];
    c->first = (c->first + 1) % CONSOLE_LINES;
    c->count--;
    return n;
}

/* The waiting reader gets the oldest line, if there is one. */
static void answer_reader(console_t *c)
{
    if (!c->reader || !c->count)
        return;
    unsigned n = pop_line(c);
    ms_msg_t r = {.info = ms_info(0, 1, n, 0), .w = {MS_OK}};
    ms_reply_with(c->reader, &r);
    c->reader = 0;
}

static void input(console_t *c)
{
    while (ms_inb(COM1 + MS_UART_LSR) & MS_UART_LSR_DATA_READY)
        take(c, (char)ms_inb(COM1 + MS_UART_RBR));
    ms_irq_ack(CONSOLE_H_IRQ);
    answer_reader(c);
}

/* A request; *deferred if its reply was saved. */
static void serve(console_t *c, ms_msg_t *m, int *deferred)
{
    uint32_t label = ms_info_label(m->info);
    unsigned words = ms_info_words(m->info), len = ms_info_payload(m->info), payload = 0;
    uint64_t err = MS_OK;
    if (label == CONSOLE_INPUT && m->badge == IRQ_BADGE) {
        input(c);
    } else if (label == CONSOLE_WRITE && words == 0 && len > 0) {
        for (unsigned i = 0; i < len; i++)
            put(c->ipc_buffer[i]);
    } else if (label == CONSOLE_READ && words == 0 && len == 0) {
        if (c->count)
            payload = pop_line(c);
        else if (c->reader)
            err = MS_E_BUSY;
        else if ((err = ms_reply_save(&c->reader)) == MS_OK)
            *deferred = 1;
    } else {
        err = label == CONSOLE_WRITE || label == CONSOLE_READ ? MS_E_INVAL : MS_E_NOSYS;
    }
    if (ms_info_has_handle(m->info))
        ms_handle_close((ms_handle_t)m->handle);
    *m = (ms_msg_t){.info = ms_info(0, 1, payload, 0), .w = {err}};
}

/* The interrupt thread: each IRQ 4 becomes a call to the main thread. */
static void irq_thread(uint64_t to_main)
{
    uint64_t bits;
    while (ms_wait(CONSOLE_H_NTFN, &bits) == MS_OK) {
        ms_msg_t m = {.info = ms_info(CONSOLE_INPUT, 0, 0, 0)};
        ms_call((ms_handle_t)to_main, &m);
    }
    ms_thread_exit();
}

void console_main(const ms_start_t *start)
{
    console_t c = {.ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
    ms_uart_init(COM1);
    ms_handle_t to_main, thread;
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    uint64_t err = ms_handle_copy(CONSOLE_H_SEND, MS_RIGHT_SEND, IRQ_BADGE, &to_main);
    if (err == MS_OK)
        err = ms_thread_create(MS_HANDLE_SELF, irq_thread, heap, IRQ_STACK, heap + IRQ_STACK, to_main,
                               (uint8_t)start->arg[0], &thread);
    if (err == MS_OK)
        err = ms_irq_bind(CONSOLE_H_IRQ, CONSOLE_H_NTFN, 1);
    if (err == MS_OK)
        err = ms_names_publish(start, CONSOLE_PATH, CONSOLE_H_SEND);
    if (err != MS_OK) {
        ms_printf("%s: cannot start (%s)\n", start->name, ms_error_name(err));
        ms_exit(1);
    }
    ms_msg_t m;
    err = ms_recv(CONSOLE_H_ENDPOINT, &m);
    while (err == MS_OK) {
        int deferred = 0;
        serve(&c, &m, &deferred);
        err = deferred ? ms_recv(CONSOLE_H_ENDPOINT, &m) : ms_reply_recv(CONSOLE_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%s)\n", start->name, ms_error_name(err));
    ms_exit(1);
}
