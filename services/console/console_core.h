/* The console service's line assembly, line queue, reader and request decisions, apart from IPC and the UART. */
#ifndef CONSOLE_CORE_H
#define CONSOLE_CORE_H

#include <stdint.h>

#include "ms/console.h"

/* The badge of the service's own interrupt thread, the only sender of CONSOLE_INPUT. */
#define CONSOLE_IRQ_BADGE 0x1u

typedef struct console_core {
    char lines[CONSOLE_LINES][CONSOLE_LINE_MAX];
    unsigned lens[CONSOLE_LINES];
    unsigned first, count; /* the queue of whole lines */
    char partial[CONSOLE_LINE_MAX];
    unsigned plen;
    int after_cr;       /* the last byte ended a line with CR: an LF now is part of that end */
    ms_handle_t reader; /* a saved read, or 0 */
} console_core_t;

/* One request as it arrived. */
typedef struct console_request {
    uint32_t label;
    unsigned words, payload;
    uint64_t badge;
    int has_handle;
} console_request_t;

/* What the IPC loop does for a request:
 *   CONSOLE_STEP_REPLY        nothing: reply err, with reply_len bytes of payload (a line, in out).
 *   CONSOLE_STEP_WRITE        send the request's payload, write_len bytes, to the UART; reply err.
 *   CONSOLE_STEP_SAVE_READER  reply_save, then console_reader_saved (or reply reply_save's error).
 *   CONSOLE_STEP_INPUT        console_take each byte the UART has, acknowledge the IRQ, answer
 *                             console_reader_due's reader; reply err.
 * Then, if close_handle, close the handle the request carried. */
enum console_step { CONSOLE_STEP_REPLY, CONSOLE_STEP_WRITE, CONSOLE_STEP_SAVE_READER, CONSOLE_STEP_INPUT };

typedef struct console_action {
    enum console_step step;
    uint64_t err;
    unsigned write_len, reply_len;
    int close_handle;
} console_action_t;

void console_core_init(console_core_t *c);

/* Decides what to do for rq; a line that a read gets goes to out (CONSOLE_LINE_MAX bytes). */
void console_decide(console_core_t *c, const console_request_t *rq, char *out, console_action_t *act);

/* One received byte: '\r' or '\n' ends the line, which joins the queue (or is dropped when
 * CONSOLE_LINES wait already); 0x08 or 0x7f takes back the line's last byte; any other byte
 * joins the line while it is under CONSOLE_LINE_MAX bytes. */
void console_take(console_core_t *c, char ch);

/* The whole lines waiting for a reader. */
unsigned console_lines_waiting(const console_core_t *c);

/* A read's reply was saved as reader. */
void console_reader_saved(console_core_t *c, ms_handle_t reader);
/* The saved reader (0: none). */
ms_handle_t console_reader(const console_core_t *c);
/* The saved reader's caller is gone (the IPC loop closed its handle): a new
 * reader may come. */
void console_reader_gone(console_core_t *c);
/* A line console_reader_due gave out could not be delivered (its reader
 * was gone): it goes back to the head of the queue, for the next reader. */
void console_line_back(console_core_t *c, const char *line, unsigned len);

/* The saved reader, if there is one and a line for it: the line goes to out, its length to
 * *len, and the reader is no longer saved. Otherwise 0. */
ms_handle_t console_reader_due(console_core_t *c, char *out, unsigned *len);

#endif
