/* The console service's protocol: serialised output for every task, line input for one reader at a time. */
#ifndef MS_CONSOLE_H
#define MS_CONSOLE_H

#include <stdint.h>

#include "ms/errors.h"
#include "ms/syscall.h"

/*
 * The console service drives COM1 (its ports and IRQ 4, through handles).
 * Requests are calls; every reply has w0 = MS_OK or an error.
 *   CONSOLE_WRITE  payload: the bytes to write (1..4096). A write goes out
 *                  whole before the next one starts: tasks' outputs never
 *                  interleave inside a write.
 *   CONSOLE_READ   the reply's payload is the next input line, without its
 *                  end ('\n' or '\r'), at most CONSOLE_LINE_MAX bytes (a
 *                  longer line is cut). If no line has come yet the reply
 *                  waits for one (the service goes on serving others); a
 *                  second reader meanwhile gets E_BUSY.
 *   anything else  E_NOSYS; a wrong word count or payload: E_INVAL.
 * Input is not echoed (a host terminal in cooked mode echoes what is typed);
 * backspace (0x08 or 0x7f) takes back the last byte of the line. Up to
 * CONSOLE_LINES whole lines wait for a reader; more are dropped.
 */
#define CONSOLE_WRITE 0x636f0001u
#define CONSOLE_READ 0x636f0002u
#define CONSOLE_INPUT 0x636f0003u /* internal: the service's interrupt thread */

#define CONSOLE_LINE_MAX 255u
#define CONSOLE_LINES 8u

/* Its handles: 1 the endpoint (receive), 2 COM1's ports, 3 IRQ 4 (control),
 * 4 a notification (send, receive) for the IRQ, 5 a send handle to the
 * endpoint (for its interrupt thread). arg[0]: its own priority. */
#define CONSOLE_H_ENDPOINT 1u
#define CONSOLE_H_PORTS 2u
#define CONSOLE_H_IRQ 3u
#define CONSOLE_H_NTFN 4u
#define CONSOLE_H_SEND 5u
/* The name it publishes (ms_names_publish) when it runs as a process. */
#define CONSOLE_PATH "/svc/console"
void console_main(const ms_start_t *start);

/* A boot manifest's console service at priority p (ms_manifest.h), with the
 * manifest's I/O port range 0 (COM1), notification 0 and endpoint e. */
#define CONSOLE_TASK(p, e)                                                                                           \
    {.name = "console", .entry = console_main, .prio = (p), .daemon = 1, .arg = {(p)},                      \
     .handles = {{.slot = CONSOLE_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = (e), .rights = MS_RIGHT_RECV},   \
                 {.slot = CONSOLE_H_PORTS, .type = MS_OBJ_IOPORT, .index = 0, .rights = MS_RIGHT_SEND},           \
                 {.slot = CONSOLE_H_IRQ, .type = MS_OBJ_IRQ, .index = 4, .rights = MS_RIGHT_CONTROL},             \
                 {.slot = CONSOLE_H_NTFN, .type = MS_OBJ_NOTIFICATION, .index = 0,                                \
                  .rights = MS_RIGHT_SEND | MS_RIGHT_RECV},                                                       \
                 {.slot = CONSOLE_H_SEND, .type = MS_OBJ_ENDPOINT, .index = (e), .rights = MS_RIGHT_SEND}}}

/* A client's way to the console: its endpoint handle and the calling
 * thread's IPC buffer. */
typedef struct ms_console {
    ms_handle_t ep;
    char *ipc_buffer;
} ms_console_t;

/* Writes len bytes of text (at most MS_MSG_PAYLOAD_MAX). */
uint64_t ms_console_write(const ms_console_t *c, const char *text, unsigned len);
/* Reads one line into line (NUL-terminated, size bytes at most). */
uint64_t ms_console_read(const ms_console_t *c, char *line, unsigned size);

#endif
