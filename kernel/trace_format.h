/* Trace event formatting: the public text line and the fields both formats show. */
#ifndef K_TRACE_FORMAT_H
#define K_TRACE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/*
 * Freestanding: the hosted simulator and the x86-64 port print the very same
 * lines with it. A text line is
 *
 *   TIME CPU KIND ACTOR [-> PEER] key=value ...
 *
 * TIME is simulated nanoseconds (right-aligned, 12 columns), ACTOR and PEER
 * are name:tid ("idle" for the idle CPU), and the fields depend on the kind.
 */

typedef enum trace_field_type {
    TF_UINT,    /* u, decimal */
    TF_INT,     /* (int64_t)u, decimal */
    TF_HEX,     /* u, 0x-prefixed hex */
    TF_STR,     /* s, a plain word */
    TF_HEXLIST, /* list[0..n), [0x..,0x..] */
    TF_TEXT,    /* s[0..n), quoted with C escapes */
    TF_INET,    /* u = IPv4 address << 16 | port, as a.b.c.d:port */
} trace_field_type_t;

typedef struct trace_field {
    const char *key;
    trace_field_type_t type;
    uint64_t u;
    const char *s;
    const uint64_t *list;
    unsigned n;
} trace_field_t;

#define TRACE_FIELDS_MAX 8

/* "ipc.call", ...; "?" for an unknown kind. */
const char *trace_kind_name(unsigned kind);
/* A message label's name (kernel/trace_labels.h, and "fault" for
 * MS_FAULT_LABEL), or NULL for a label the trace prints as a number. */
const char *trace_label_name(uint32_t label);
/* "killed", "done", ...; "?" for an unknown reason. */
const char *trace_reason_name(uint64_t reason);

/* Fills out[] with the event's fields in display order; returns how many.
 * Strings point into ev or into constant tables. */
unsigned trace_event_fields(const k_trace_event_t *ev, trace_field_t out[TRACE_FIELDS_MAX]);

/* Writes one field's value as text (no key); returns the length it needs. */
size_t trace_format_value(const trace_field_t *f, char *buf, size_t size);

/* Writes the event as one text line without a newline, with ANSI colours if
 * color is set. Returns the length the whole line needs (as snprintf). */
size_t trace_format_text(const k_trace_event_t *ev, char *buf, size_t size, int color);

/* The column header matching trace_format_text's layout. */
size_t trace_format_header(char *buf, size_t size);

/* Longest line trace_format_text produces, colours included. */
#define TRACE_LINE_MAX 768

#endif
