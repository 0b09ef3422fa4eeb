/*
 * microsim fuzz. A campaign is a series of rounds: each boots the fuzz tasks
 * with a share of the calls still to make, and ends when they have all ended
 * or all wait (a deadlock, normal here). The next round boots afresh with the
 * rest, until exactly the requested number of calls has been made. Every
 * round's seed derives from the campaign's, so a seed replays it exactly.
 */
#include "fuzz_campaign.h"

#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "hosted.h"
#include "run.h"
#include "sink.h"
#include "stats.h"
#include "syscall.h"

typedef struct campaign {
    const sim_options_t *opts;
    sim_sink_t *sink;
    k_syscall_stats_t round; /* the kernel fills it during a round */
    k_syscall_stats_t total;
    uint64_t calls, rounds, deadlocks;
} campaign_t;

static uint64_t round_seed(uint64_t seed, uint64_t round)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull * (round + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void on_events(void *ctx, k_trace_ring_t *ring)
{
    campaign_t *c = ctx;
    k_trace_event_t ev;
    while (trace_read(ring, &ev))
        if (c->sink)
            c->sink->event(c->sink, &ev, 1);
}

static void on_panic(void *ctx, const char *msg, const arch_regs_t *regs, const k_trace_ring_t *ring)
{
    campaign_t *c = ctx;
    fprintf(stderr, "microsim fuzz: in round %llu (seed %llu):\n", (unsigned long long)c->rounds,
            (unsigned long long)round_seed(c->opts->seed, c->rounds));
    sim_report_panic(msg, regs, ring);
}

static uint64_t round_calls(const k_syscall_stats_t *s)
{
    uint64_t n = 0;
    for (unsigned nr = 0; nr <= MS_SYS_COUNT; nr++)
        for (unsigned o = 0; o < K_OUTCOMES; o++)
            n += s->calls[nr][o];
    return n;
}

static void add_stats(k_syscall_stats_t *to, const k_syscall_stats_t *from)
{
    for (unsigned nr = 0; nr <= MS_SYS_COUNT; nr++)
        for (unsigned o = 0; o < K_OUTCOMES; o++)
            to->calls[nr][o] += from->calls[nr][o];
    for (unsigned e = 0; e < MS_ERROR_COUNT; e++)
        to->wakes[e] += from->wakes[e];
    to->invariant_checks += from->invariant_checks;
}

/* One round with `left` calls to share among the tasks. Returns the
 * machine's outcome. */
static hosted_outcome_t run_round(campaign_t *c, uint64_t left)
{
    unsigned ntasks = (unsigned)c->opts->tasks;
    if (left < ntasks)
        ntasks = (unsigned)left;
    uint64_t budget[FUZZ_TASKS_MAX];
    for (unsigned i = 0; i < ntasks; i++)
        budget[i] = left / ntasks + (i < left % ntasks);
    ms_manifest_t m;
    fuzz_manifest(&m, ntasks, budget);
    hosted_config_t cfg = {
        .manifest = &m,
        .seed = round_seed(c->opts->seed, c->rounds),
        .trace_mask = K_TRACE_MASK_ALL, /* a panic report shows the last events */
        .no_fastpath = c->opts->no_fastpath,
        .check_invariants = 1,
        .console_in = -1,
        .stats = &c->round,
        .sink = {.events = on_events, .panic = on_panic, .ctx = c},
    };
    hosted_result_t res;
    if (hosted_run(&cfg, &res) != 0) {
        perror("microsim fuzz: the host could not give the machine its memory");
        return HOSTED_PANIC;
    }
    add_stats(&c->total, &c->round);
    c->calls += round_calls(&c->round);
    c->rounds++;
    c->deadlocks += res.outcome == HOSTED_HALTED && res.status != 0;
    return res.outcome;
}

static const char *outcome_name(unsigned o)
{
    if (o == K_OUTCOME_BLOCKED)
        return "blocked";
    if (o == K_OUTCOME_ENDED)
        return "ended";
    return syscall_error_name(o);
}

static void print_summary(const campaign_t *c)
{
    const k_syscall_stats_t *t = &c->total;
    printf("microsim fuzz: seed %llu, %llu system calls by %llu tasks in %llu rounds (%llu ended in deadlock)\n",
           (unsigned long long)c->opts->seed, (unsigned long long)c->calls, (unsigned long long)c->opts->tasks,
           (unsigned long long)c->rounds, (unsigned long long)c->deadlocks);
    printf("invariant checks: %llu, one after every kernel entry\n\n", (unsigned long long)t->invariant_checks);
    printf("%-16s %10s %10s %10s %10s %10s\n", "system call", "calls", "ok", "errors", "blocked", "ended");
    for (unsigned nr = 0; nr <= MS_SYS_COUNT; nr++) {
        const uint64_t *row = t->calls[nr];
        uint64_t calls = 0, errors = 0;
        for (unsigned o = 0; o < K_OUTCOMES; o++)
            calls += row[o];
        for (unsigned o = 1; o < MS_ERROR_COUNT; o++)
            errors += row[o];
        printf("%-16s %10llu %10llu %10llu %10llu %10llu\n", nr < MS_SYS_COUNT ? syscall_name(nr) : "(unknown)",
               (unsigned long long)calls, (unsigned long long)row[MS_OK], (unsigned long long)errors,
               (unsigned long long)row[K_OUTCOME_BLOCKED], (unsigned long long)row[K_OUTCOME_ENDED]);
    }
    printf("\n%-16s %10s %12s\n", "result", "at once", "after block");
    for (unsigned o = 0; o < K_OUTCOMES; o++) {
        uint64_t n = 0;
        for (unsigned nr = 0; nr <= MS_SYS_COUNT; nr++)
            n += t->calls[nr][o];
        if (o < MS_ERROR_COUNT)
            printf("%-16s %10llu %12llu\n", outcome_name(o), (unsigned long long)n, (unsigned long long)t->wakes[o]);
        else
            printf("%-16s %10llu\n", outcome_name(o), (unsigned long long)n);
    }
}

static void print_replay(const campaign_t *c)
{
    const sim_options_t *o = c->opts;
    fprintf(stderr, "microsim fuzz: FAILED at seed %llu; replay with:\n  microsim fuzz --seed %llu --calls %llu --tasks %llu%s\n",
            (unsigned long long)o->seed, (unsigned long long)o->seed, (unsigned long long)o->calls,
            (unsigned long long)o->tasks, o->no_fastpath ? " --fastpath=off" : "");
    fprintf(stderr, "(add --trace=text to see every event of every round)\n");
}

int sim_fuzz(const sim_options_t *o)
{
    if (o->trace == SIM_TRACE_JSON || o->output || o->max_events) {
        fprintf(stderr, "microsim: fuzz writes its trace as text to standard output only (no JSON, -o or "
                        "--max-events)\n");
        return 2;
    }
    campaign_t c = {.opts = o};
    if (o->trace_given && o->trace == SIM_TRACE_TEXT)
        c.sink = sim_sink_text_new(stdout, 0, 0);
    int failed = 0;
    while (c.calls < o->calls && !failed) {
        uint64_t before = c.calls;
        failed = run_round(&c, o->calls - c.calls) == HOSTED_PANIC || c.calls == before;
    }
    if (c.sink)
        c.sink->finish(c.sink);
    print_summary(&c);
    fflush(stdout);
    if (failed) {
        print_replay(&c);
        return 1;
    }
    return 0;
}
