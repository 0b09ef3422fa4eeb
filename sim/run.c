/* Running one scenario. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hosted.h"
#include "scenarios.h"
#include "sink.h"
#include "trace_filter.h"
#include "trace_format.h"

typedef struct run_state {
    sim_sink_t *sink;      /* NULL for --trace=none */
    sim_trace_filter_t filter; /* the events the sink shows */
    int raw_console;       /* print events' text goes raw to stdout */
    uint64_t max_events;
    uint64_t events;
    int halted;
    uint64_t halt_reason;
} run_state_t;

/* Runs on the machine's kernel stack at the end of kernel entries. */
static void on_events(void *ctx, k_trace_ring_t *ring)
{
    run_state_t *r = ctx;
    k_trace_event_t ev;
    while (trace_read(ring, &ev)) {
        if (r->max_events && r->events >= r->max_events) {
            hosted_request_stop();
            ring->tail = ring->head;
            return;
        }
        r->events++;
        if (ev.kind == K_EV_KERNEL_HALT) {
            r->halted = 1;
            r->halt_reason = ev.a[1];
        }
        if (ev.kind == K_EV_PRINT && r->raw_console)
            fwrite(ev.text, 1, ev.text_len, stdout);
        if (r->sink)
            r->sink->event(r->sink, &ev, sim_trace_filter_shows_event(&r->filter, &ev));
    }
    if (r->max_events && r->events >= r->max_events)
        hosted_request_stop();
}

/* What the sink holds back goes out first: the trace and COM1 may share
 * standard output. */
static void flush_sink(run_state_t *r)
{
    if (r->sink && r->sink->flush)
        r->sink->flush(r->sink);
}

/* COM1's output: the terminal, as a PC's serial console would be. */
static void console_out(void *ctx, uint8_t byte)
{
    flush_sink(ctx);
    putchar(byte);
}

void sim_print_regs(FILE *out, const arch_regs_t *regs)
{
    static const char *const names[] = {"rax", "rdi", "rsi", "rdx", "r10", "r8",  "r9",  "r12", "r13",
                                        "r14", "r15", "rbx", "rbp", "rcx", "r11", "rip", "rsp", "rflags"};
    const uint64_t *slot = (const uint64_t *)regs;
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
        fprintf(out, "  %-6s 0x%016llx%s", names[i], (unsigned long long)slot[i], i % 3 == 2 ? "\n" : "");
}

void sim_report_panic(const char *msg, const arch_regs_t *regs, const k_trace_ring_t *ring)
{
    fflush(stdout);
    fprintf(stderr, "microsim: KERNEL PANIC: %s\n", msg);
    if (regs) {
        fprintf(stderr, "registers of the current thread:\n");
        sim_print_regs(stderr, regs);
    }
    k_trace_event_t last[16];
    unsigned n = trace_last(ring, last, 16);
    fprintf(stderr, "last %u trace events:\n", n);
    for (unsigned i = 0; i < n; i++) {
        char line[TRACE_LINE_MAX];
        trace_format_text(&last[i], line, sizeof line, 0);
        fprintf(stderr, "  %s\n", line);
    }
}

void sim_on_panic(void *ctx, const char *msg, const arch_regs_t *regs, const k_trace_ring_t *ring)
{
    (void)ctx;
    sim_report_panic(msg, regs, ring);
}

static void on_panic(void *ctx, const char *msg, const arch_regs_t *regs, const k_trace_ring_t *ring)
{
    flush_sink(ctx);
    sim_report_panic(msg, regs, ring);
}

static int use_color(FILE *out)
{
    const char *no_color = getenv("NO_COLOR");
    return out == stdout && isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

static sim_sink_t *make_sink(const sim_options_t *o, FILE *out, const sim_trace_filter_t *filter)
{
    switch (o->trace) {
    case SIM_TRACE_TEXT:
        return sim_sink_text_new(out, use_color(out), sim_trace_grouped(o, filter));
    case SIM_TRACE_JSON:
        return sim_sink_json_new(out, o->scenario);
    default:
        return NULL;
    }
}

static void summarize(const sim_options_t *o, const run_state_t *r, const hosted_result_t *res)
{
    const char *how = res->outcome == HOSTED_PANIC ? "kernel panic"
                      : res->outcome == HOSTED_STOPPED ? "stopped by --max-events"
                                                       : trace_reason_name(r->halt_reason);
    fprintf(stderr, "microsim: %s: %s, exit status %d; %llu events, %llu.%03llu us simulated\n", o->scenario, how,
            res->status, (unsigned long long)r->events, (unsigned long long)(res->time_ns / 1000),
            (unsigned long long)(res->time_ns % 1000));
}

hosted_clock_t sim_choose_clock(const sim_options_t *o, const ms_manifest_t *m)
{
    hosted_clock_t clock = m->compute_bound ? HOSTED_CLOCK_STEP : HOSTED_CLOCK_VIRTUAL;
    if (o->clock != SIM_CLOCK_DEFAULT)
        clock = o->clock == SIM_CLOCK_HOST   ? HOSTED_CLOCK_HOST
                : o->clock == SIM_CLOCK_STEP ? HOSTED_CLOCK_STEP
                                             : HOSTED_CLOCK_VIRTUAL;
    if (m->compute_bound && clock == HOSTED_CLOCK_VIRTUAL)
        fprintf(stderr, "microsim: %s has a task that never enters the kernel: on the virtual clock nothing "
                        "preempts it and the run does not end (Ctrl-C stops it)\n", o->scenario);
    return clock;
}

int sim_choose_trace_filter(const sim_options_t *o, const ms_manifest_t *m, sim_trace_filter_t *f)
{
    char err[256];
    if (sim_trace_filter_choose(o->trace_filter, m->trace_filter, f, err, sizeof err) != 0) {
        /* --trace-filter was checked with the options: this is the scenario's */
        fprintf(stderr, "microsim: the trace_filter of scenario %s is wrong: %s\n", m->name, err);
        return 2;
    }
    return 0;
}

int sim_trace_grouped(const sim_options_t *o, const sim_trace_filter_t *f)
{
    return o->trace_group >= 0 ? o->trace_group : !sim_trace_filter_is_all(f);
}

int sim_run(const sim_options_t *o)
{
    const ms_manifest_t *m = scenario_find(o->scenario);
    if (!m) {
        fprintf(stderr, "microsim: no scenario '%s'; microsim --list shows them\n", o->scenario);
        return 2;
    }
    run_state_t r = {.max_events = o->max_events};
    if (sim_choose_trace_filter(o, m, &r.filter) != 0)
        return 2;
    FILE *out = stdout;
    if (o->output && !(out = fopen(o->output, "w"))) {
        fprintf(stderr, "microsim: cannot write %s: %s; give -o a writable path\n", o->output, strerror(errno));
        return 2;
    }
    hosted_clock_t clock = sim_choose_clock(o, m);
    r.sink = make_sink(o, out, &r.filter);
    r.raw_console = !(o->trace == SIM_TRACE_TEXT && out == stdout);
    hosted_config_t cfg = {
        .manifest = m,
        .seed = o->seed,
        .trace_mask = o->trace == SIM_TRACE_NONE ? K_TRACE_MASK_QUIET : K_TRACE_MASK_ALL,
        .no_fastpath = o->no_fastpath,
        .clock = clock,
        .console_out = console_out,
        .console_ctx = &r,
        .console_in = STDIN_FILENO,
        .check_invariants = o->check_invariants,
        .mem_bytes = o->mem_bytes,
        .mmu_fast = o->mmu_fast,
        .sink = {.events = on_events, .panic = on_panic, .ctx = &r},
    };
    hosted_result_t res;
    int err = hosted_run(&cfg, &res);
    if (r.sink)
        r.sink->finish(r.sink);
    fflush(stdout);
    if (out != stdout && fclose(out) != 0)
        fprintf(stderr, "microsim: writing %s failed: %s\n", o->output, strerror(errno));
    if (err) {
        fprintf(stderr, "microsim: the host could not give the machine its memory: %s\n", strerror(errno));
        return 1;
    }
    summarize(o, &r, &res);
    return res.outcome == HOSTED_STOPPED ? 0 : res.status;
}
