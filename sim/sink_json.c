/* The JSON trace sink: Chrome Trace Event format, for Perfetto UI and chrome://tracing. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sink.h"
#include "trace_format.h"

/* A message whose flow arrow still needs its end inside the receiver's slice. */
typedef struct pending_flow {
    uint64_t id;
    uint16_t kind;
    int while_running; /* it arrived while the receiver was on the CPU */
    uint64_t at;       /* when it arrived */
} pending_flow_t;

/* What the sink knows of one thread's track. */
typedef struct track {
    int running;
    uint64_t since;    /* start of the open slice */
    uint64_t last_end; /* end of the last closed slice */
    char name[K_NAME_LEN + 12];
    pending_flow_t *flows;
    size_t nflows, cap;
} track_t;

typedef struct json_sink {
    sim_sink_t base;
    FILE *out;
    int first;
    uint64_t next_flow;
    uint64_t last_time;
    track_t *tracks; /* by tid */
    size_t ntracks;
} json_sink_t;

static track_t *track(json_sink_t *j, uint32_t tid)
{
    if (tid >= j->ntracks) {
        size_t n = j->ntracks ? j->ntracks : 16;
        while (n <= tid)
            n *= 2;
        track_t *t = realloc(j->tracks, n * sizeof *t);
        if (!t)
            abort();
        memset(t + j->ntracks, 0, (n - j->ntracks) * sizeof *t);
        j->tracks = t;
        j->ntracks = n;
    }
    return &j->tracks[tid];
}

static void begin_record(json_sink_t *j)
{
    fputs(j->first ? "\n" : ",\n", j->out);
    j->first = 0;
}

static void put_ts(FILE *out, uint64_t ns)
{
    fprintf(out, "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

/* A JSON string of exactly n bytes; bytes outside printable ASCII are escaped. */
static void put_string(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void thread_name_record(json_sink_t *j, uint32_t tid, const char *name)
{
    track_t *t = track(j, tid);
    if (tid)
        snprintf(t->name, sizeof t->name, "%.*s:%u", K_NAME_LEN, name, tid);
    else
        snprintf(t->name, sizeof t->name, "kernel");
    begin_record(j);
    fprintf(j->out, "{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":%u,\"args\":{\"name\":", tid);
    put_string(j->out, t->name, strlen(t->name));
    fputs("}}", j->out);
}

static void flow_record(json_sink_t *j, const char *ph, uint64_t id, unsigned kind, uint32_t tid, uint64_t ts)
{
    begin_record(j);
    fprintf(j->out, "{\"ph\":\"%s\",\"id\":%" PRIu64 ",\"cat\":\"ipc\",\"name\":\"%s\",\"pid\":1,\"tid\":%u,\"ts\":",
            ph, id, trace_kind_name(kind), tid);
    put_ts(j->out, ts);
    fputs(ph[0] == 'f' ? ",\"bp\":\"e\"}" : "}", j->out);
}

static void add_pending(track_t *t, pending_flow_t f)
{
    if (t->nflows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 4;
        t->flows = realloc(t->flows, t->cap * sizeof *t->flows);
        if (!t->flows)
            abort();
    }
    t->flows[t->nflows++] = f;
}

/* Ends the flows of track tid that can end in the slice [from, to]. A flow
 * that arrived at the very end of a slice waits for the next one. */
static void end_flows(json_sink_t *j, uint32_t tid, uint64_t from, uint64_t to, int closing)
{
    track_t *t = track(j, tid);
    size_t kept = 0;
    for (size_t i = 0; i < t->nflows; i++) {
        pending_flow_t f = t->flows[i];
        if (closing && f.while_running && f.at < to)
            flow_record(j, "f", f.id, f.kind, tid, f.at + (to - f.at) / 2);
        else if (!closing && !(f.while_running && f.at >= from))
            flow_record(j, "f", f.id, f.kind, tid, from + 1);
        else if (closing && f.while_running) {
            f.while_running = 0; /* it will be seen in the next slice */
            t->flows[kept++] = f;
        } else
            t->flows[kept++] = f;
    }
    t->nflows = kept;
}

static void close_slice(json_sink_t *j, uint32_t tid, uint64_t at)
{
    track_t *t = track(j, tid);
    if (!tid || !t->running)
        return;
    begin_record(j);
    fputs("{\"ph\":\"X\",\"cat\":\"run\",\"name\":", j->out);
    put_string(j->out, t->name, strlen(t->name));
    fprintf(j->out, ",\"pid\":1,\"tid\":%u,\"ts\":", tid);
    put_ts(j->out, t->since);
    fputs(",\"dur\":", j->out);
    put_ts(j->out, at - t->since);
    fputs("}", j->out);
    t->running = 0;
    t->last_end = at;
    end_flows(j, tid, t->since, at, 1);
}

static void open_slice(json_sink_t *j, uint32_t tid, uint64_t at)
{
    track_t *t = track(j, tid);
    if (!tid)
        return;
    t->running = 1;
    t->since = at;
    end_flows(j, tid, at, at, 0);
}

/* A message: the arrow starts inside the sender's (last) slice and ends in
 * the receiver's next one. */
static void message(json_sink_t *j, const k_trace_event_t *ev)
{
    track_t *src = track(j, ev->actor_tid);
    uint64_t id = ++j->next_flow;
    uint64_t start = src->running ? ev->time_ns : src->last_end;
    flow_record(j, "s", id, ev->kind, ev->actor_tid, start ? start - 1 : 0);
    track_t *dst = track(j, ev->peer_tid);
    add_pending(dst, (pending_flow_t){.id = id, .kind = ev->kind, .while_running = dst->running, .at = ev->time_ns});
}

static void put_field(FILE *out, const trace_field_t *f)
{
    switch (f->type) {
    case TF_UINT:
        fprintf(out, "%" PRIu64, f->u);
        break;
    case TF_INT:
        fprintf(out, "%" PRId64, (int64_t)f->u);
        break;
    case TF_HEX:
        fprintf(out, "\"0x%" PRIx64 "\"", f->u);
        break;
    case TF_STR:
        put_string(out, f->s, strlen(f->s));
        break;
    case TF_HEXLIST:
        fputc('[', out);
        for (unsigned i = 0; i < f->n; i++)
            fprintf(out, "%s\"0x%" PRIx64 "\"", i ? "," : "", f->list[i]);
        fputc(']', out);
        break;
    case TF_TEXT:
        put_string(out, f->s, f->n);
        break;
    case TF_INET: { /* "a.b.c.d:port", as the text line has it */
        char text[32];
        size_t n = trace_format_value(f, text, sizeof text);
        put_string(out, text, n < sizeof text ? n : sizeof text - 1);
        break;
    }
    }
}

static void instant(json_sink_t *j, const k_trace_event_t *ev)
{
    begin_record(j);
    fprintf(j->out, "{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"kernel\",\"name\":\"%s\",\"pid\":1,\"tid\":%u,\"ts\":",
            trace_kind_name(ev->kind), ev->actor_tid);
    put_ts(j->out, ev->time_ns);
    fprintf(j->out, ",\"args\":{\"src\":%u,\"dst\":%u", ev->actor_tid, ev->peer_tid);
    trace_field_t f[TRACE_FIELDS_MAX];
    unsigned n = trace_event_fields(ev, f);
    for (unsigned i = 0; i < n; i++) {
        fprintf(j->out, ",\"%s\":", f[i].key);
        put_field(j->out, &f[i]);
    }
    fputs("}}", j->out);
}

static void close_all(json_sink_t *j, uint64_t at)
{
    for (uint32_t tid = 1; tid < j->ntracks; tid++)
        close_slice(j, tid, at);
}

/* Every event keeps the tracks up to date (thread names, run slices);
 * only shown ones add their instant and, for a message, its flow arrow. */
static void json_event(sim_sink_t *s, const k_trace_event_t *ev, int shown)
{
    json_sink_t *j = (json_sink_t *)s;
    j->last_time = ev->time_ns;
    switch (ev->kind) {
    case K_EV_TASK_SPAWN:
        thread_name_record(j, ev->actor_tid, ev->actor);
        break;
    case K_EV_THREAD_SPAWN:
        thread_name_record(j, ev->peer_tid, ev->peer);
        break;
    case K_EV_SWITCH:
        close_slice(j, ev->actor_tid, ev->time_ns);
        open_slice(j, ev->peer_tid, ev->time_ns);
        break;
    case K_EV_IPC_SEND:
    case K_EV_IPC_CALL:
    case K_EV_IPC_REPLY:
        if (shown)
            message(j, ev);
        break;
    case K_EV_KERNEL_HALT:
        close_all(j, ev->time_ns);
        break;
    default:
        break;
    }
    if (shown)
        instant(j, ev);
}

/* Flows whose receiver never ran again still get their end, at arrival. */
static void flush_flows(json_sink_t *j)
{
    for (uint32_t tid = 0; tid < j->ntracks; tid++) {
        track_t *t = &j->tracks[tid];
        for (size_t i = 0; i < t->nflows; i++)
            flow_record(j, "f", t->flows[i].id, t->flows[i].kind, tid, t->flows[i].at + 1);
        free(t->flows);
    }
}

static void json_finish(sim_sink_t *s)
{
    json_sink_t *j = (json_sink_t *)s;
    close_all(j, j->last_time);
    flush_flows(j);
    fputs("\n],\"displayTimeUnit\":\"ns\"}\n", j->out);
    fflush(j->out);
    free(j->tracks);
    free(j);
}

sim_sink_t *sim_sink_json_new(FILE *out, const char *scenario)
{
    json_sink_t *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->base = (sim_sink_t){.event = json_event, .finish = json_finish};
    j->out = out;
    j->first = 1;
    fputs("{\"traceEvents\":[", out);
    begin_record(j);
    fputs("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":1,\"tid\":0,\"args\":{\"name\":", out);
    char name[96];
    snprintf(name, sizeof name, "microsim %s", scenario);
    put_string(out, name, strlen(name));
    fputs("}}", out);
    thread_name_record(j, 0, "");
    return &j->base;
}
