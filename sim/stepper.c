/* microsim --step: run a scenario under an interactive stepper. */
#include "stepper.h"

#include <ctype.h>
#include <editline/readline.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "hosted.h"
#include "inspect.h"
#include "introspect.h"
#include "run.h"
#include "scenarios.h"
#include "trace_format.h"

#define HISTORY 256       /* trace events kept for `trace N` */
#define BREAKPOINTS 16
#define THREADS_SHOWN 64

typedef enum stop_mode {
    RUN_FREE,   /* continue: only a breakpoint stops */
    RUN_EVENT,  /* next: the next trace event stops */
    RUN_STEPS,  /* stepi: instructions of one thread */
} stop_mode_t;

typedef enum bp_kind { BP_IPC, BP_IRQ, BP_EXCEPTION, BP_TASK, BP_EP } bp_kind_t;

typedef struct breakpoint {
    bp_kind_t kind;
    uint64_t ep;
    char task[K_NAME_LEN];
} breakpoint_t;

typedef struct stepper {
    stop_mode_t mode;
    uint64_t steps_left;
    int started;  /* the first drain (boot) has been shown */
    int quitting;
    breakpoint_t bp[BREAKPOINTS];
    unsigned nbp;
    k_trace_event_t history[HISTORY];
    uint64_t nhistory;
    uint64_t events;
    int halted;
    uint64_t halt_reason;
    sim_inspect_t *inspect;
    int interactive;
    char last[128];  /* an empty line repeats it */
} stepper_t;

static const char help[] =
    "commands: next, stepi [N], continue, break ipc|irq|exception|task=NAME|ep=N, tasks, regs, trace [N], quit";

/* ---- output ---- */

static void print_event(const k_trace_event_t *ev)
{
    char line[TRACE_LINE_MAX];
    trace_format_text(ev, line, sizeof line, 0);
    printf("%s\n", line);
}

/* Whether len bytes at addr of this process can be read (a saved rip may be
 * anything user code jumped to). */
static int readable(uintptr_t addr, size_t len)
{
    char buf[16];
    struct iovec local = {.iov_base = buf, .iov_len = len};
    struct iovec remote = {.iov_base = (void *)addr, .iov_len = len};
    return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)len;
}

static void print_instruction(stepper_t *s, uintptr_t rip)
{
    char line[512];
    if (!s->inspect || !readable(rip, 1)) {
        printf("0x%016llx  (no code here)\n", (unsigned long long)rip);
        return;
    }
    sim_inspect_format(s->inspect, rip, line, sizeof line);
    printf("%s\n", line);
}

static void print_tasks(void)
{
    k_thread_info_t t[THREADS_SHOWN];
    unsigned n = k_introspect_threads(t, THREADS_SHOWN);
    printf("   TID  TASK             STATE           PRIO  WAITS ON  SAVED RIP\n");
    for (unsigned i = 0; i < n && i < THREADS_SHOWN; i++)
        printf("%s %4u  %-15s  %-14s  %4u  %-8s  0x%016llx\n", t[i].current ? "*" : " ", t[i].tid, t[i].task,
               t[i].state, t[i].prio, t[i].waits, (unsigned long long)t[i].regs->rip);
    if (n > THREADS_SHOWN)
        printf("(%u more)\n", n - THREADS_SHOWN);
}

static void print_regs(void)
{
    k_thread_info_t cur;
    if (!k_introspect_current(&cur)) {
        printf("the CPU is idle: no thread's registers to show\n");
        return;
    }
    printf("%s:%u, %s frame:\n", cur.task, cur.tid, cur.regs->full ? "full (interrupted)" : "system call");
    sim_print_regs(stdout, cur.regs);
}

static void print_history(const stepper_t *s, uint64_t n)
{
    uint64_t have = s->nhistory < HISTORY ? s->nhistory : HISTORY;
    if (n > have)
        n = have;
    for (uint64_t i = s->nhistory - n; i < s->nhistory; i++)
        print_event(&s->history[i % HISTORY]);
}

/* ---- breakpoints ---- */

static int is_ipc(unsigned kind)
{
    return kind == K_EV_IPC_SEND || kind == K_EV_IPC_CALL || kind == K_EV_IPC_REPLY || kind == K_EV_IPC_WAIT;
}

static int bp_hits(const breakpoint_t *bp, const k_trace_event_t *ev)
{
    switch (bp->kind) {
    case BP_IPC:
        return is_ipc(ev->kind);
    case BP_IRQ:
        return ev->kind == K_EV_IRQ;
    case BP_EXCEPTION:
        return ev->kind == K_EV_EXCEPTION;
    case BP_TASK:
        return strncmp(ev->actor, bp->task, K_NAME_LEN) == 0;
    case BP_EP:
        return (ev->kind == K_EV_IPC_SEND || ev->kind == K_EV_IPC_CALL || ev->kind == K_EV_IPC_WAIT) &&
               ev->a[K_EV_ARG_EP] == bp->ep;
    }
    return 0;
}

static void describe_bp(const breakpoint_t *bp, char *buf, size_t size)
{
    static const char *const names[] = {[BP_IPC] = "ipc", [BP_IRQ] = "irq", [BP_EXCEPTION] = "exception"};
    if (bp->kind == BP_TASK)
        snprintf(buf, size, "task=%s", bp->task);
    else if (bp->kind == BP_EP)
        snprintf(buf, size, "ep=%llu", (unsigned long long)bp->ep);
    else
        snprintf(buf, size, "%s", names[bp->kind]);
}

static void add_breakpoint(stepper_t *s, const char *arg)
{
    breakpoint_t bp = {0};
    char *end;
    if (strcmp(arg, "ipc") == 0) {
        bp.kind = BP_IPC;
    } else if (strcmp(arg, "irq") == 0) {
        bp.kind = BP_IRQ;
    } else if (strcmp(arg, "exception") == 0) {
        bp.kind = BP_EXCEPTION;
    } else if (strncmp(arg, "task=", 5) == 0 && arg[5] && strlen(arg + 5) < K_NAME_LEN) {
        bp.kind = BP_TASK;
        strcpy(bp.task, arg + 5);
    } else if (strncmp(arg, "ep=", 3) == 0 && isdigit((unsigned char)arg[3]) &&
               (bp.ep = strtoull(arg + 3, &end, 10), *end == 0)) {
        bp.kind = BP_EP;
    } else {
        printf("break takes ipc, irq, exception, task=NAME or ep=N, not '%s'\n", arg);
        return;
    }
    if (s->nbp == BREAKPOINTS) {
        printf("%u breakpoints already: that is the most\n", BREAKPOINTS);
        return;
    }
    s->bp[s->nbp++] = bp;
    char what[48];
    describe_bp(&bp, what, sizeof what);
    printf("breakpoint %u: %s\n", s->nbp, what);
}

/* ---- commands ---- */

/* One command line; NULL at the end of input. */
static char *read_command(stepper_t *s)
{
    fflush(stdout);
    if (s->interactive)
        return readline("(microsim) ");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = 0;
    printf("(microsim) %s\n", line); /* so that a log of a piped session reads like one */
    return line;
}

/* Parses an optional count: 1 if arg is empty; 0 if it is no positive number. */
static uint64_t count_arg(const char *arg, uint64_t dflt)
{
    if (!*arg)
        return dflt;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    return errno || *end || !isdigit((unsigned char)*arg) ? 0 : v;
}

/* Runs one command; returns 1 if the machine should go on. */
static int run_command(stepper_t *s, char *line)
{
    char *cmd = line + strspn(line, " \t");
    char *arg = cmd + strcspn(cmd, " \t");
    if (*arg)
        *arg++ = 0;
    arg += strspn(arg, " \t");
    arg[strcspn(arg, " \t")] = 0;
    if (strcmp(cmd, "next") == 0 || strcmp(cmd, "n") == 0) {
        s->mode = RUN_EVENT;
        return 1;
    }
    if (strcmp(cmd, "stepi") == 0 || strcmp(cmd, "si") == 0) {
        uint64_t n = count_arg(arg, 1);
        k_thread_info_t cur;
        if (!n) {
            printf("stepi takes a positive number of instructions, not '%s'\n", arg);
            return 0;
        }
        if (!k_introspect_current(&cur)) {
            printf("the CPU is idle: no thread to step (next or continue run on)\n");
            return 0;
        }
        s->mode = RUN_STEPS;
        s->steps_left = n;
        hosted_step(cur.regs);
        return 1;
    }
    if (strcmp(cmd, "continue") == 0 || strcmp(cmd, "c") == 0) {
        s->mode = RUN_FREE;
        return 1;
    }
    if (strcmp(cmd, "break") == 0 || strcmp(cmd, "b") == 0) {
        if (*arg)
            add_breakpoint(s, arg);
        for (unsigned i = 0; !*arg && i < s->nbp; i++) {
            char what[48];
            describe_bp(&s->bp[i], what, sizeof what);
            printf("breakpoint %u: %s\n", i + 1, what);
        }
        if (!*arg && !s->nbp)
            printf("no breakpoints; break ipc|irq|exception|task=NAME|ep=N sets one\n");
        return 0;
    }
    if (strcmp(cmd, "tasks") == 0) {
        print_tasks();
        return 0;
    }
    if (strcmp(cmd, "regs") == 0) {
        print_regs();
        return 0;
    }
    if (strcmp(cmd, "trace") == 0) {
        uint64_t n = count_arg(arg, 10);
        if (!n)
            printf("trace takes a positive number of events, not '%s'\n", arg);
        else
            print_history(s, n);
        return 0;
    }
    if (strcmp(cmd, "quit") == 0 || strcmp(cmd, "q") == 0) {
        s->quitting = 1;
        s->mode = RUN_FREE;
        hosted_request_stop();
        return 1;
    }
    if (strcmp(cmd, "help") == 0 || *cmd == 0) {
        printf("%s\n", help);
        return 0;
    }
    printf("unknown command '%s'; %s\n", cmd, help);
    return 0;
}

/* The machine is stopped: take commands until one lets it go on. */
static void prompt(stepper_t *s)
{
    if (s->quitting)
        return;
    for (;;) {
        char *line = read_command(s);
        if (!line) { /* the end of input quits */
            s->quitting = 1;
            s->mode = RUN_FREE;
            hosted_request_stop();
            return;
        }
        if (*line && s->interactive)
            add_history(line);
        if (!*line && *s->last) {
            free(line);
            line = strdup(s->last);
            if (!line)
                return;
        } else if (*line) {
            snprintf(s->last, sizeof s->last, "%s", line);
        }
        int go = run_command(s, line);
        free(line);
        if (go)
            return;
    }
}

/* ---- the machine's callbacks ---- */

static void on_events(void *ctx, k_trace_ring_t *ring)
{
    stepper_t *s = ctx;
    k_trace_event_t ev;
    while (trace_read(ring, &ev)) {
        s->history[s->nhistory++ % HISTORY] = ev;
        s->events++;
        if (ev.kind == K_EV_KERNEL_HALT) {
            s->halted = 1;
            s->halt_reason = ev.a[1];
        }
        print_event(&ev);
        if (!s->started || s->quitting)
            continue;
        for (unsigned i = 0; i < s->nbp; i++) {
            if (bp_hits(&s->bp[i], &ev)) {
                char what[48];
                describe_bp(&s->bp[i], what, sizeof what);
                printf("breakpoint %u: %s\n", i + 1, what);
                s->mode = RUN_EVENT;
                break;
            }
        }
        if (s->mode == RUN_EVENT)
            prompt(s);
    }
    if (!s->started) { /* boot is shown: stop before the first instruction */
        s->started = 1;
        prompt(s);
    }
}

static void on_stepped(void *ctx, const arch_regs_t *regs)
{
    stepper_t *s = ctx;
    if (s->mode != RUN_STEPS || s->quitting)
        return;
    print_instruction(s, regs->rip);
    if (--s->steps_left > 0) {
        hosted_step(regs);
        return;
    }
    s->mode = RUN_EVENT;
    prompt(s);
}

int sim_stepper_run(const sim_options_t *o)
{
    const ms_manifest_t *m = scenario_find(o->scenario);
    if (!m) {
        fprintf(stderr, "microsim: no scenario '%s'; microsim --list shows them\n", o->scenario);
        return 2;
    }
    stepper_t *s = calloc(1, sizeof *s);
    if (!s) {
        fprintf(stderr, "microsim: out of memory\n");
        return 1;
    }
    s->interactive = isatty(STDIN_FILENO);
    if (sim_inspect_open(&s->inspect) != 0)
        fprintf(stderr, "microsim: no disassembly or source lines: %s\n", sim_inspect_error());
    printf("microsim stepper: %s is booting. %s\n", o->scenario, help);
    char header[TRACE_LINE_MAX];
    trace_format_header(header, sizeof header);
    printf("%s\n", header);
    hosted_config_t cfg = {
        .manifest = m,
        .seed = o->seed,
        .trace_mask = K_TRACE_MASK_ALL,
        .no_fastpath = o->no_fastpath,
        .clock = sim_choose_clock(o, m),
        .console_in = -1, /* standard input is the stepper's */
        .check_invariants = o->check_invariants,
        .mem_bytes = o->mem_bytes,
        .mmu_fast = o->mmu_fast,
        .sink = {.events = on_events, .panic = sim_on_panic, .stepped = on_stepped, .ctx = s},
    };
    hosted_result_t res;
    int err = hosted_run(&cfg, &res);
    fflush(stdout);
    sim_inspect_close(s->inspect);
    int status;
    if (err) {
        fprintf(stderr, "microsim: the host could not give the machine its memory: %s\n", strerror(errno));
        status = 1;
    } else {
        const char *how = res.outcome == HOSTED_PANIC     ? "kernel panic"
                          : res.outcome == HOSTED_STOPPED ? "quit"
                                                          : trace_reason_name(s->halt_reason);
        fprintf(stderr, "microsim: %s: %s, exit status %d; %llu events\n", o->scenario, how,
                res.outcome == HOSTED_STOPPED ? 0 : res.status, (unsigned long long)s->events);
        status = res.outcome == HOSTED_STOPPED ? 0 : res.status;
    }
    free(s);
    return status;
}
