/* Trace event formatting, freestanding. */
#include "trace_format.h"

#include "exception.h"
#include "ms_abi.h"
#include "rt.h"
#include "syscall.h"
#include "trace_labels.h"

static const char *const kind_names[K_EV_COUNT] = {
    [K_EV_TASK_SPAWN] = "task.spawn",     [K_EV_TASK_EXIT] = "task.exit",
    [K_EV_TASK_KILL] = "task.kill",       [K_EV_THREAD_SPAWN] = "thread.spawn",
    [K_EV_THREAD_EXIT] = "thread.exit",   [K_EV_SWITCH] = "switch",
    [K_EV_IPC_SEND] = "ipc.send",         [K_EV_IPC_CALL] = "ipc.call",
    [K_EV_IPC_REPLY] = "ipc.reply",       [K_EV_IPC_WAIT] = "ipc.wait",
    [K_EV_SYSCALL_ERROR] = "syscall.error", [K_EV_PRINT] = "print",
    [K_EV_KERNEL_HALT] = "kernel.halt", [K_EV_IRQ] = "irq",
    [K_EV_PREEMPT] = "preempt",         [K_EV_EXCEPTION] = "exception",
    [K_EV_NOTIFY] = "notify",           [K_EV_IO_UNCLAIMED] = "io.unclaimed",
    [K_EV_PAGEFAULT] = "pagefault",     [K_EV_MAP] = "map",
    [K_EV_UNMAP] = "unmap",             [K_EV_TASK_RESTART] = "task.restart",
    [K_EV_NET_PACKET] = "net.packet",   [K_EV_PROTECT] = "protect",
};

/* ANSI colour per kind: lifecycle green, IPC cyan/blue, waits yellow, errors red. */
static const char *const kind_colors[K_EV_COUNT] = {
    [K_EV_TASK_SPAWN] = "32",   [K_EV_TASK_EXIT] = "32",  [K_EV_TASK_KILL] = "1;31",
    [K_EV_THREAD_SPAWN] = "32", [K_EV_THREAD_EXIT] = "32", [K_EV_SWITCH] = "90",
    [K_EV_IPC_SEND] = "36",     [K_EV_IPC_CALL] = "36",   [K_EV_IPC_REPLY] = "34",
    [K_EV_IPC_WAIT] = "33",     [K_EV_SYSCALL_ERROR] = "31", [K_EV_PRINT] = "1",
    [K_EV_KERNEL_HALT] = "35", [K_EV_IRQ] = "95", [K_EV_PREEMPT] = "33", [K_EV_EXCEPTION] = "1;31", [K_EV_NOTIFY] = "36",
    [K_EV_IO_UNCLAIMED] = "31", [K_EV_PAGEFAULT] = "1;33", [K_EV_MAP] = "32", [K_EV_UNMAP] = "32",
    [K_EV_TASK_RESTART] = "1;35", [K_EV_NET_PACKET] = "94", [K_EV_PROTECT] = "32",
};

static const char *const reason_names[K_REASON_COUNT] = {
    [K_REASON_KILLED] = "killed",
    [K_REASON_DONE] = "done",
    [K_REASON_DEADLOCK] = "deadlock",
    [K_REASON_IDLE] = "idle",
    [K_REASON_EXCEPTION] = "exception",
};

static const char *const wait_op_names[K_WAIT_OP_COUNT] = {
    [K_WAIT_RECV] = "recv",
    [K_WAIT_SEND] = "send",
    [K_WAIT_CALL] = "call",
};

typedef struct label_name {
    uint32_t label;
    const char *name;
} label_name_t;

#define LABEL_NAME(symbol, value, name) {value, name},
static const label_name_t label_names[] = {
    {MS_FAULT_LABEL, "fault"},
    TRACE_PROTOCOL_LABELS(LABEL_NAME)
};
#undef LABEL_NAME

const char *trace_label_name(uint32_t label)
{
    for (unsigned i = 0; i < sizeof label_names / sizeof label_names[0]; i++)
        if (label_names[i].label == label)
            return label_names[i].name;
    return NULL;
}

const char *trace_kind_name(unsigned kind)
{
    return kind < K_EV_COUNT ? kind_names[kind] : "?";
}

/* A page fault's access, from its error code: read, write or exec, and
 * whether the page was there (a protection fault) or not. */
static const char *pagefault_access(uint64_t error)
{
    static const char *const names[2][3] = {{"read", "write", "exec"},
                                            {"read-protect", "write-protect", "exec-protect"}};
    unsigned kind = (error & MS_PF_FETCH) ? 2 : (error & MS_PF_WRITE) ? 1 : 0;
    return names[(error & MS_PF_PRESENT) ? 1 : 0][kind];
}

/* The rights of a mapping: r, rw, rx or rwx. */
static const char *map_rights(uint64_t rights)
{
    static const char *const names[4] = {"r", "rw", "rx", "rwx"};
    return names[((rights & MS_RIGHT_WRITE) ? 1 : 0) | ((rights & MS_RIGHT_EXEC) ? 2 : 0)];
}

const char *trace_reason_name(uint64_t reason)
{
    return reason < K_REASON_COUNT ? reason_names[reason] : "?";
}

static trace_field_t field(const char *key, trace_field_type_t type, uint64_t u)
{
    return (trace_field_t){.key = key, .type = type, .u = u};
}

static trace_field_t field_str(const char *key, const char *s)
{
    return (trace_field_t){.key = key, .type = TF_STR, .s = s};
}

/* Fields of a message event: ep and badge (not for replies), the label, the
 * words, and the payload length and handle when there are any. */
static unsigned message_fields(const k_trace_event_t *ev, trace_field_t *f)
{
    unsigned n = 0;
    uint64_t info = ev->a[K_EV_ARG_INFO];
    if (ev->kind != K_EV_IPC_REPLY) {
        f[n++] = field("ep", TF_UINT, ev->a[K_EV_ARG_EP]);
        if (ev->a[K_EV_ARG_BADGE])
            f[n++] = field("badge", TF_UINT, ev->a[K_EV_ARG_BADGE]);
    }
    const char *label = trace_label_name(ms_info_label(info));
    f[n++] = label ? field_str("label", label) : field("label", TF_UINT, ms_info_label(info));
    f[n] = field("w", TF_HEXLIST, 0);
    f[n].list = &ev->a[K_EV_ARG_WORDS];
    f[n++].n = ms_info_words(info);
    if (ms_info_payload(info))
        f[n++] = field("len", TF_UINT, ms_info_payload(info));
    if (ms_info_has_handle(info))
        f[n++] = field("handle", TF_UINT, ev->a[K_EV_ARG_HANDLE]);
    return n;
}

unsigned trace_event_fields(const k_trace_event_t *ev, trace_field_t out[TRACE_FIELDS_MAX])
{
    unsigned n = 0;
    switch (ev->kind) {
    case K_EV_TASK_SPAWN:
        if (ev->a[3]) { /* made by another task: which program it is */
            out[n] = field("name", TF_TEXT, 0);
            out[n].s = (const char *)&ev->a[3];
            out[n++].n = (unsigned)rt_strnlen((const char *)&ev->a[3], 16);
        }
        out[n++] = field("task", TF_UINT, ev->a[0]);
        out[n++] = field("prio", TF_UINT, ev->a[1]);
        break;
    case K_EV_TASK_EXIT:
        out[n++] = field("status", TF_INT, ev->a[0]);
        break;
    case K_EV_TASK_KILL:
        out[n++] = field("task", TF_UINT, ev->a[0]);
        out[n++] = field_str("reason", trace_reason_name(ev->a[1]));
        break;
    case K_EV_THREAD_SPAWN:
        out[n++] = field("prio", TF_UINT, ev->a[0]);
        break;
    case K_EV_THREAD_EXIT:
        out[n++] = field_str("reason", ev->a[0] ? "killed" : "exit");
        break;
    case K_EV_IPC_SEND:
    case K_EV_IPC_CALL:
    case K_EV_IPC_REPLY:
        n = message_fields(ev, out);
        break;
    case K_EV_IPC_WAIT:
        out[n++] = field("ep", TF_UINT, ev->a[0]);
        out[n++] = field_str("op", ev->a[1] < K_WAIT_OP_COUNT ? wait_op_names[ev->a[1]] : "?");
        break;
    case K_EV_SYSCALL_ERROR:
        out[n++] = field_str("call", syscall_name(ev->a[0]));
        out[n++] = field_str("err", syscall_error_name(ev->a[1]));
        break;
    case K_EV_PRINT:
        out[n] = field("text", TF_TEXT, 0);
        out[n].s = ev->text;
        out[n++].n = ev->text_len;
        break;
    case K_EV_KERNEL_HALT:
        out[n++] = field("status", TF_INT, ev->a[0]);
        out[n++] = field_str("reason", trace_reason_name(ev->a[1]));
        break;
    case K_EV_IRQ:
        out[n++] = field("line", TF_UINT, ev->a[0]);
        out[n++] = field("vector", TF_UINT, ev->a[1]);
        break;
    case K_EV_EXCEPTION:
        out[n++] = field("vector", TF_UINT, ev->a[0]);
        out[n++] = field_str("name", exception_name((unsigned)ev->a[0]));
        out[n++] = field("error", TF_HEX, ev->a[1]);
        out[n++] = field("addr", TF_HEX, ev->a[2]);
        break;
    case K_EV_NOTIFY:
        out[n++] = field("ntfn", TF_UINT, ev->a[0]);
        out[n++] = field("bits", TF_HEX, ev->a[1]);
        break;
    case K_EV_IO_UNCLAIMED:
        out[n++] = field("port", TF_HEX, ev->a[0]);
        out[n++] = field("size", TF_UINT, ev->a[1]);
        out[n++] = field_str("op", ev->a[2] ? "out" : "in");
        break;
    case K_EV_PAGEFAULT:
        out[n++] = field("addr", TF_HEX, ev->a[0]);
        out[n++] = field_str("access", pagefault_access(ev->a[1]));
        out[n++] = field("error", TF_HEX, ev->a[1]);
        break;
    case K_EV_MAP:
    case K_EV_PROTECT:
        out[n++] = field("task", TF_UINT, ev->a[4]);
        out[n++] = field("addr", TF_HEX, ev->a[0]);
        out[n++] = field("pages", TF_UINT, ev->a[1]);
        out[n++] = field_str("rights", map_rights(ev->a[2]));
        if (ev->kind == K_EV_MAP && ev->a[3])
            out[n++] = field("frames", TF_UINT, ev->a[3]);
        else if (ev->kind == K_EV_MAP) /* a map item: where the pages are in the sender's space */
            out[n++] = field("from", TF_HEX, ev->a[5]);
        break;
    case K_EV_TASK_RESTART:
        out[n] = field("name", TF_TEXT, 0);
        out[n].s = (const char *)&ev->a[3];
        out[n++].n = (unsigned)rt_strnlen((const char *)&ev->a[3], 16);
        out[n++] = field("old", TF_UINT, ev->a[0]);
        out[n++] = field("new", TF_UINT, ev->a[1]);
        out[n++] = field_str("reason", ev->a[2] == MS_RESTART_EXCEPTION ? "exception"
                                       : ev->a[2] == MS_RESTART_KILLED  ? "killed"
                                                                        : "?");
        break;
    case K_EV_NET_PACKET:
        out[n++] = field("from", TF_INET, (ev->a[0] & 0xffffffffu) << 16 | (ev->a[1] & 0xffffu));
        out[n++] = field("to", TF_INET, (ev->a[2] & 0xffffffffu) << 16 | (ev->a[3] & 0xffffu));
        out[n++] = field("len", TF_UINT, ev->a[4]);
        break;
    case K_EV_UNMAP:
        out[n++] = field("task", TF_UINT, ev->a[4]);
        out[n++] = field("addr", TF_HEX, ev->a[0]);
        out[n++] = field("pages", TF_UINT, ev->a[1]);
        break;
    case K_EV_PREEMPT:
        out[n++] = field_str("reason", ev->a[0] == K_PREEMPT_SLICE ? "slice" : "?");
        out[n++] = field("irq", TF_UINT, ev->a[1]);
        break;
    default:
        break;
    }
    return n;
}

/* An appending writer over a bounded buffer that still counts what it drops
 * (snprintf semantics). Column padding is held back in pad and written only
 * when more text follows, so a line never ends in blanks, whatever the size
 * of the buffer. */
typedef struct line {
    char *buf;
    size_t size;
    size_t len;
    int pad;
} line_t;

static void add(line_t *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_raw(line_t *l, const char *fmt, va_list ap)
{
    size_t room = l->len < l->size ? l->size - l->len : 0;
    l->len += (size_t)rt_vsnprintf(room ? l->buf + l->len : NULL, room, fmt, ap);
}

static void add(line_t *l, const char *fmt, ...)
{
    va_list ap;
    if (l->pad > 0) {
        int pad = l->pad;
        l->pad = 0;
        add(l, "%*s", pad, "");
    }
    va_start(ap, fmt);
    add_raw(l, fmt, ap);
    va_end(ap);
}

/* Ends a column: the next text starts width columns after start. */
static void end_column(line_t *l, size_t start, int width)
{
    l->pad = width - (int)(l->len - start);
}

static void add_text(line_t *l, const char *s, unsigned n)
{
    add(l, "\"");
    for (unsigned i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            add(l, "\\%c", c);
        else if (c == '\n')
            add(l, "\\n");
        else if (c == '\t')
            add(l, "\\t");
        else if (c < 0x20 || c >= 0x7f)
            add(l, "\\x%02x", c);
        else
            add(l, "%c", c);
    }
    add(l, "\"");
}

static void add_value(line_t *l, const trace_field_t *f)
{
    switch (f->type) {
    case TF_UINT:
        add(l, "%llu", (unsigned long long)f->u);
        break;
    case TF_INT:
        add(l, "%lld", (long long)f->u);
        break;
    case TF_HEX:
        add(l, "0x%llx", (unsigned long long)f->u);
        break;
    case TF_STR:
        add(l, "%s", f->s);
        break;
    case TF_HEXLIST:
        add(l, "[");
        for (unsigned i = 0; i < f->n; i++)
            add(l, "%s0x%llx", i ? "," : "", (unsigned long long)f->list[i]);
        add(l, "]");
        break;
    case TF_TEXT:
        add_text(l, f->s, f->n);
        break;
    case TF_INET:
        add(l, "%u.%u.%u.%u:%u", (unsigned)(f->u >> 40) & 0xffu, (unsigned)(f->u >> 32) & 0xffu,
            (unsigned)(f->u >> 24) & 0xffu, (unsigned)(f->u >> 16) & 0xffu, (unsigned)f->u & 0xffffu);
        break;
    }
}

static void terminate(line_t *l)
{
    if (l->size)
        l->buf[l->len < l->size ? l->len : l->size - 1] = '\0';
}

size_t trace_format_value(const trace_field_t *f, char *buf, size_t size)
{
    line_t l = {.buf = buf, .size = size};
    add_value(&l, f);
    terminate(&l);
    return l.len;
}

/* A party column: "name:tid", or "idle" for tid 0, after an optional arrow. */
static void add_party(line_t *l, const char *arrow, const char *name, uint32_t tid, int width)
{
    add(l, " ");
    size_t start = l->len;
    if (tid)
        add(l, "%s%.*s:%u", arrow, K_NAME_LEN, name, tid);
    else
        add(l, "%sidle", arrow);
    end_column(l, start, width);
}

size_t trace_format_text(const k_trace_event_t *ev, char *buf, size_t size, int color)
{
    line_t l = {.buf = buf, .size = size};
    const char *kind = trace_kind_name(ev->kind);
    add(&l, "%12llu %3u ", (unsigned long long)ev->time_ns, ev->cpu);
    if (color && ev->kind < K_EV_COUNT) {
        add(&l, "\033[%sm%-13s\033[0m", kind_colors[ev->kind], kind); /* an actor always follows */
    } else {
        add(&l, "%s", kind);
        l.pad = 13 - (int)rt_strlen(kind);
    }
    if (ev->kind == K_EV_KERNEL_HALT || (ev->kind == K_EV_NOTIFY && !ev->actor_tid)) {
        add(&l, " ");
        size_t start = l.len;
        add(&l, "kernel");
        end_column(&l, start, 18);
    } else {
        add_party(&l, "", ev->actor, ev->actor_tid, 18);
    }
    if (ev->peer_tid != 0 || ev->kind == K_EV_SWITCH)
        add_party(&l, "-> ", ev->peer, ev->peer_tid, 21);
    else
        l.pad += 22;
    trace_field_t f[TRACE_FIELDS_MAX];
    unsigned n = trace_event_fields(ev, f);
    for (unsigned i = 0; i < n; i++) {
        add(&l, " %s=", f[i].key);
        add_value(&l, &f[i]);
    }
    terminate(&l);
    return l.len;
}

size_t trace_format_header(char *buf, size_t size)
{
    return (size_t)rt_snprintf(buf, size, "%12s %3s %-13s %-18s %-21s %s", "time(ns)", "cpu", "event", "actor",
                               "peer", "details");
}
