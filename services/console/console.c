/*
 * console: the COM1 driver as a service. Writes from any task go out whole,
 * one after another; input is gathered into lines for one reader at a time.
 * A second thread waits for IRQ 4 and calls the main thread, so that the
 * main thread only ever receives; a read with no line yet is saved
 * (reply_save) and answered when one comes. See ms/console.h. The line
 * queue, the reader and every decision are in console_core.c; this is the
 * UART access and the IPC loop around it.
 */
#include "ms/console.h"

#include "console_core.h"
#include "ms/io.h"
#include "ms/names.h"
#include "ms/print.h"

#define COM1 0x3f8
#define IRQ_STACK (8u * 1024u)

typedef struct console {
    console_core_t core;
    char *ipc_buffer;
} console_t;

static void put(char c)
{
    while (!(ms_inb(COM1 + MS_UART_LSR) & MS_UART_LSR_THR_EMPTY))
        ;
    ms_outb(COM1 + MS_UART_RBR, (uint8_t)c);
}

static console_request_t request_of(const ms_msg_t *m)
{
    return (console_request_t){
        .label = ms_info_label(m->info),
        .words = ms_info_words(m->info),
        .payload = ms_info_payload(m->info),
        .badge = m->badge,
        .has_handle = ms_info_has_handle(m->info),
    };
}

/* IRQ 4: the bytes the UART holds go to the core; a waiting reader gets its line.
 * Input is not echoed: a host terminal in cooked mode echoes what is typed
 * already (a real serial terminal would need it). */
static void input(console_t *c)
{
    while (ms_inb(COM1 + MS_UART_LSR) & MS_UART_LSR_DATA_READY)
        console_take(&c->core, (char)ms_inb(COM1 + MS_UART_RBR));
    ms_irq_ack(CONSOLE_H_IRQ);
    unsigned n = 0;
    ms_handle_t reader = console_reader_due(&c->core, c->ipc_buffer, &n);
    ms_msg_t r = {.info = ms_info(0, 1, n, 0), .w = {MS_OK}};
    if (reader && ms_reply_with(reader, &r) != MS_OK) { /* the reader is gone: the line waits for the next */
        ms_handle_close(reader);
        console_line_back(&c->core, c->ipc_buffer, n);
    }
}

/* A read comes while one is saved: if the saved one's caller is gone (it
 * died waiting), it stops standing in the way. */
static void drop_gone_reader(console_t *c)
{
    uint64_t type, rights, badge;
    ms_handle_t reader = console_reader(&c->core);
    if (reader && ms_handle_info(reader, &type, &rights, &badge) == MS_E_DEAD) {
        ms_handle_close(reader);
        console_reader_gone(&c->core);
    }
}

/* A request, through the core; *deferred if its reply was saved. */
static void serve(console_t *c, ms_msg_t *m, int *deferred)
{
    console_request_t rq = request_of(m);
    console_action_t act;
    if (rq.label == CONSOLE_READ)
        drop_gone_reader(c);
    console_decide(&c->core, &rq, c->ipc_buffer, &act);
    uint64_t err = act.err;
    ms_handle_t reader;
    if (act.step == CONSOLE_STEP_INPUT) {
        input(c);
    } else if (act.step == CONSOLE_STEP_WRITE) {
        for (unsigned i = 0; i < act.write_len; i++)
            put(c->ipc_buffer[i]);
    } else if (act.step == CONSOLE_STEP_SAVE_READER && (err = ms_reply_save(&reader)) == MS_OK) {
        console_reader_saved(&c->core, reader);
        *deferred = 1;
    }
    if (act.close_handle)
        ms_handle_close((ms_handle_t)m->handle);
    *m = (ms_msg_t){.info = ms_info(0, 1, act.reply_len, 0), .w = {err}};
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
    console_core_init(&c.core);
    ms_uart_init(COM1);
    ms_handle_t to_main, thread;
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    uint64_t err = ms_handle_copy(CONSOLE_H_SEND, MS_RIGHT_SEND, CONSOLE_IRQ_BADGE, &to_main);
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
