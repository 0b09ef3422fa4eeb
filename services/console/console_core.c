/* The console service's line assembly, line queue, reader and request decisions, apart from IPC and the UART. */
#include "console_core.h"

void console_core_init(console_core_t *c)
{
    c->first = c->count = c->plen = 0;
    c->reader = 0;
}

/* A whole line joins the queue (or is dropped if the queue is full). */
static void line_done(console_core_t *c)
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

void console_take(console_core_t *c, char ch)
{
    int lf_after_cr = c->after_cr && ch == '\n';
    c->after_cr = ch == '\r';
    if (lf_after_cr)
        return; /* CR LF, as a terminal sends it, is one line end */
    if (ch == '\r' || ch == '\n')
        line_done(c);
    else if (ch == 0x08 || ch == 0x7f)
        c->plen -= c->plen > 0;
    else if (c->plen < CONSOLE_LINE_MAX)
        c->partial[c->plen++] = ch;
}

unsigned console_lines_waiting(const console_core_t *c)
{
    return c->count;
}

/* The oldest line into out; its length. There must be one. */
static unsigned pop_line(console_core_t *c, char *out)
{
    unsigned n = c->lens[c->first];
    for (unsigned i = 0; i < n; i++)
        out[i] = c->lines[c->first][i];
    c->first = (c->first + 1) % CONSOLE_LINES;
    c->count--;
    return n;
}

/* A read: the oldest line at once, else the reply waits (one reader at a time). */
static void decide_read(console_core_t *c, char *out, console_action_t *act)
{
    if (c->count)
        act->reply_len = pop_line(c, out);
    else if (c->reader)
        act->err = MS_E_BUSY;
    else
        act->step = CONSOLE_STEP_SAVE_READER;
}

void console_decide(console_core_t *c, const console_request_t *rq, char *out, console_action_t *act)
{
    *act = (console_action_t){.step = CONSOLE_STEP_REPLY, .err = MS_OK};
    if (rq->label == CONSOLE_INPUT && rq->badge == CONSOLE_IRQ_BADGE) {
        act->step = CONSOLE_STEP_INPUT;
    } else if (rq->label == CONSOLE_WRITE && rq->words == 0 && rq->payload > 0 && rq->payload <= MS_MSG_PAYLOAD_MAX) {
        act->step = CONSOLE_STEP_WRITE;
        act->write_len = rq->payload;
    } else if (rq->label == CONSOLE_READ && rq->words == 0 && rq->payload == 0) {
        decide_read(c, out, act);
    } else {
        act->err = rq->label == CONSOLE_WRITE || rq->label == CONSOLE_READ ? MS_E_INVAL : MS_E_NOSYS;
    }
    act->close_handle = rq->has_handle;
}

void console_reader_saved(console_core_t *c, ms_handle_t reader)
{
    c->reader = reader;
}

ms_handle_t console_reader(const console_core_t *c)
{
    return c->reader;
}

void console_reader_gone(console_core_t *c)
{
    c->reader = 0;
}

void console_line_back(console_core_t *c, const char *line, unsigned len)
{
    if (c->count == CONSOLE_LINES || len > CONSOLE_LINE_MAX)
        return; /* cannot happen: the line was just taken from the queue */
    c->first = (c->first + CONSOLE_LINES - 1) % CONSOLE_LINES;
    for (unsigned i = 0; i < len; i++)
        c->lines[c->first][i] = line[i];
    c->lens[c->first] = len;
    c->count++;
}

ms_handle_t console_reader_due(console_core_t *c, char *out, unsigned *len)
{
    ms_handle_t reader = c->reader;
    if (!reader || !c->count)
        return 0;
    *len = pop_line(c, out);
    c->reader = 0;
    return reader;
}
