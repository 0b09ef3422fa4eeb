/* microsim bench: medians of batched round trips, all pinned to one CPU. */
#include "bench.h"

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hosted.h"
#include "scenarios.h"

#define IPC_BATCHES 200
#define IPC_PER_BATCH 1000
#define BASE_BATCHES 200
#define BASE_PER_BATCH 100

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- IPC inside the simulator ---- */

typedef struct marks {
    uint64_t t[IPC_BATCHES + 1];
    unsigned n;
} marks_t;

/* The client prints one mark per batch boundary: timestamp each on the host. */
static void on_marks(void *ctx, k_trace_ring_t *ring)
{
    marks_t *mk = ctx;
    k_trace_event_t ev;
    while (trace_read(ring, &ev))
        if (ev.kind == K_EV_PRINT && mk->n <= IPC_BATCHES)
            mk->t[mk->n++] = now_ns();
}

/* Median round trip of a bench-ipc scenario (the caller is its last task)
 * with the given trace mask, on the fast path or the ordinary path alone,
 * in the strict or fast MMU mode; < 0 on failure. */
static double bench_ipc(const ms_manifest_t *scenario, uint32_t trace_mask, int no_fastpath, int mmu_fast)
{
    ms_manifest_t m = *scenario;
    m.tasks[m.ntasks - 1].arg[0] = IPC_BATCHES;
    m.tasks[m.ntasks - 1].arg[1] = IPC_PER_BATCH;
    marks_t mk = {.n = 0};
    hosted_config_t cfg = {.manifest = &m, .seed = 1, .trace_mask = trace_mask, .no_fastpath = no_fastpath,
                           .mmu_fast = mmu_fast, .console_in = -1,
                           .sink = {.events = on_marks, .ctx = &mk}};
    hosted_result_t res;
    if (hosted_run(&cfg, &res) != 0 || res.outcome != HOSTED_HALTED || res.status != 0 || mk.n != IPC_BATCHES + 1)
        return -1;
    double rtt[IPC_BATCHES];
    for (unsigned i = 0; i < IPC_BATCHES; i++)
        rtt[i] = (double)(mk.t[i + 1] - mk.t[i]) / IPC_PER_BATCH;
    return median(rtt, IPC_BATCHES);
}

/* ---- pipe ping-pong between two processes ---- */

static double bench_pipe(void)
{
    int to_child[2], to_parent[2];
    if (pipe(to_child) || pipe(to_parent))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char c;
        close(to_child[1]);
        close(to_parent[0]);
        while (read(to_child[0], &c, 1) == 1 && write(to_parent[1], &c, 1) == 1)
            ;
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    double rtt[BASE_BATCHES];
    char c = 'x';
    int ok = 1;
    for (unsigned b = 0; b < BASE_BATCHES && ok; b++) {
        uint64_t t0 = now_ns();
        for (unsigned i = 0; i < BASE_PER_BATCH && ok; i++)
            ok = write(to_child[1], &c, 1) == 1 && read(to_parent[0], &c, 1) == 1;
        rtt[b] = (double)(now_ns() - t0) / BASE_PER_BATCH;
    }
    close(to_child[1]);
    close(to_parent[0]);
    waitpid(pid, NULL, 0);
    return ok ? median(rtt, BASE_BATCHES) : -1;
}

/* ---- futex ping-pong between two threads ---- */

static _Atomic uint32_t futex_word; /* 0: the main thread's turn, 1: the partner's, 2: stop */

static void futex_wait(_Atomic uint32_t *w, uint32_t val)
{
    syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
    syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *arg)
{
    (void)arg;
    for (;;) {
        uint32_t v;
        while ((v = atomic_load(&futex_word)) == 0)
            futex_wait(&futex_word, 0);
        if (v == 2)
            return NULL;
        atomic_store(&futex_word, 0);
        futex_wake(&futex_word);
    }
}

static double bench_futex(void)
{
    pthread_t partner;
    atomic_store(&futex_word, 0);
    if (pthread_create(&partner, NULL, futex_partner, NULL) != 0)
        return -1;
    double rtt[BASE_BATCHES];
    for (unsigned b = 0; b < BASE_BATCHES; b++) {
        uint64_t t0 = now_ns();
        for (unsigned i = 0; i < BASE_PER_BATCH; i++) {
            atomic_store(&futex_word, 1);
            futex_wake(&futex_word);
            while (atomic_load(&futex_word) == 1)
                futex_wait(&futex_word, 1);
        }
        rtt[b] = (double)(now_ns() - t0) / BASE_PER_BATCH;
    }
    atomic_store(&futex_word, 2);
    futex_wake(&futex_word);
    pthread_join(partner, NULL);
    return median(rtt, BASE_BATCHES);
}

/* ---- the report ---- */

/* Pins this process (and so the pipe child and the futex partner) to the CPU
 * it is on: a wake-up across CPUs on a virtual machine costs tens of
 * microseconds and would measure the hypervisor, not the mechanism. */
static int pin_to_current_cpu(void)
{
    int cpu = sched_getcpu();
    if (cpu < 0)
        return -1;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? cpu : -1;
}

/* ---- the clocks that interrupt user code ---- */

typedef struct step_marks {
    uint64_t host[2], sim[2];
    unsigned n;
} step_marks_t;

static void on_step_marks(void *ctx, k_trace_ring_t *ring)
{
    step_marks_t *mk = ctx;
    k_trace_event_t ev;
    while (trace_read(ring, &ev))
        if (ev.kind == K_EV_PRINT && mk->n < 2) {
            mk->host[mk->n] = now_ns();
            mk->sim[mk->n++] = ev.time_ns;
        }
}

#define STEP_ENTRY_NS 100    /* the virtual cost of a kernel entry (hosted default) */
#define STEP_INSTR_NS 1000   /* the step clock's instruction (hwmodel/clock.h) */
#define STEP_LOOPS 20000

/* Host time per single-stepped user instruction: a loop between two marks.
 * The simulated time between the marks counts the instructions exactly. */
static double bench_step(void)
{
    ms_manifest_t m = scenario_bench_step;
    m.tasks[0].arg[0] = STEP_LOOPS;
    step_marks_t mk = {.n = 0};
    hosted_config_t cfg = {.manifest = &m, .seed = 1, .trace_mask = K_TRACE_MASK_ALL, .clock = HOSTED_CLOCK_STEP,
                           .console_in = -1, .sink = {.events = on_step_marks, .ctx = &mk}};
    hosted_result_t res;
    if (hosted_run(&cfg, &res) != 0 || res.outcome != HOSTED_HALTED || res.status != 0 || mk.n != 2)
        return -1;
    uint64_t instructions = (mk.sim[1] - mk.sim[0] - STEP_ENTRY_NS) / STEP_INSTR_NS;
    return instructions ? (double)(mk.host[1] - mk.host[0]) / (double)instructions : -1;
}

static void on_lost_print(void *ctx, k_trace_ring_t *ring)
{
    uint64_t *lost = ctx;
    k_trace_event_t ev;
    while (trace_read(ring, &ev))
        if (ev.kind == K_EV_PRINT && ev.text_len > 5 && memcmp(ev.text, "lost ", 5) == 0)
            *lost = strtoull(ev.text + 5, NULL, 10);
}

#define IRQ_WINDOW_NS 300000000u /* how long the task spins */
#define IRQ_TASK_ENTRIES 2       /* its own system calls: the print and exit */

/* The cycles bench-irq lost on the given clock, and the kernel entries. */
static int spin_lost(hosted_clock_t clock, uint64_t cycles, uint64_t *lost, uint64_t *entries)
{
    ms_manifest_t m = scenario_bench_irq;
    m.tasks[0].arg[0] = cycles;
    *lost = UINT64_MAX;
    hosted_config_t cfg = {.manifest = &m, .seed = 1, .trace_mask = K_TRACE_MASK_ALL, .clock = clock,
                           .console_in = -1, .sink = {.events = on_lost_print, .ctx = lost}};
    hosted_result_t res;
    if (hosted_run(&cfg, &res) != 0 || res.outcome != HOSTED_HALTED || res.status != 0 || *lost == UINT64_MAX)
        return -1;
    *entries = res.entries;
    return 0;
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* TSC cycles per nanosecond, over 20 ms of host time. */
static double tsc_per_ns(void)
{
    uint64_t t0 = now_ns(), c0 = rdtsc();
    while (now_ns() - t0 < 20000000)
        ;
    return (double)(rdtsc() - c0) / (double)(now_ns() - t0);
}

/* One host-timer interrupt, from the signal through the kernel's IRQ 0
 * handler and back into the interrupted task, as the task itself sees it:
 * the time it lost while spinning on the host clock, less what it lost on
 * the virtual clock (no interrupts: the host's own noise), per interrupt. */
static double bench_hostirq(void)
{
    double rate = tsc_per_ns();
    uint64_t cycles = (uint64_t)(rate * IRQ_WINDOW_NS), base, lost, entries, none;
    if (rate <= 0 || spin_lost(HOSTED_CLOCK_VIRTUAL, cycles, &base, &none) != 0 ||
        spin_lost(HOSTED_CLOCK_HOST, cycles, &lost, &entries) != 0 || entries <= IRQ_TASK_ENTRIES)
        return -1;
    double extra = lost > base ? (double)(lost - base) : 0;
    return extra / rate / (double)(entries - IRQ_TASK_ENTRIES);
}

/* The baseline: the same spin in this process, a host timer signal every
 * 1 ms to a handler that only counts it. */
static volatile sig_atomic_t bare_signals;
static void count_signal(int sig)
{
    (void)sig;
    bare_signals++;
}

static uint64_t spin_cycles(uint64_t cycles)
{
    uint64_t lost = 0, begin = rdtsc(), last = begin;
    while (last - begin < cycles) {
        uint64_t now = rdtsc();
        if (now - last > 1000)
            lost += now - last;
        last = now;
    }
    return lost;
}

static double bench_hostsig(void)
{
    double rate = tsc_per_ns();
    uint64_t cycles = (uint64_t)(rate * IRQ_WINDOW_NS);
    uint64_t base = spin_cycles(cycles);
    struct sigaction sa = {.sa_handler = count_signal}, old;
    sigemptyset(&sa.sa_mask);
    timer_t timer;
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
    if (rate <= 0 || sigaction(SIGALRM, &sa, &old) != 0 || timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0)
        return -1;
    struct itimerspec its = {.it_interval = {.tv_nsec = 1000000}, .it_value = {.tv_nsec = 1000000}};
    bare_signals = 0;
    timer_settime(timer, 0, &its, NULL);
    uint64_t lost = spin_cycles(cycles);
    timer_delete(timer);
    sigaction(SIGALRM, &old, NULL);
    if (bare_signals == 0)
        return -1;
    double extra = lost > base ? (double)(lost - base) : 0;
    return extra / rate / (double)bare_signals;
}

static double ipc_fast(void) { return bench_ipc(&scenario_bench_ipc_same, K_TRACE_MASK_QUIET, 0, 0); }
static double ipc_ordinary(void) { return bench_ipc(&scenario_bench_ipc_same, K_TRACE_MASK_QUIET, 1, 0); }
static double ipc_traced(void) { return bench_ipc(&scenario_bench_ipc_same, K_TRACE_MASK_ALL, 0, 0); }
static double ipc_cross(void) { return bench_ipc(&scenario_bench_ipc, K_TRACE_MASK_QUIET, 0, 0); }
static double ipc_cross_fast(void) { return bench_ipc(&scenario_bench_ipc, K_TRACE_MASK_QUIET, 0, 1); }

/* ---- page faults and TLB fills ---- */

#define PAGES_RUNS 9

/* Median time per page of interval `which` of bench-pages: 0 the TLB fills
 * of mapped pages, 1 the page faults the pager serves. */
static double bench_pages(unsigned which)
{
    double per_page[PAGES_RUNS];
    for (unsigned r = 0; r < PAGES_RUNS; r++) {
        marks_t mk = {.n = 0};
        hosted_config_t cfg = {.manifest = &scenario_bench_pages, .seed = 1, .trace_mask = K_TRACE_MASK_QUIET,
                               .console_in = -1, .sink = {.events = on_marks, .ctx = &mk}};
        hosted_result_t res;
        if (hosted_run(&cfg, &res) != 0 || res.outcome != HOSTED_HALTED || res.status != 0 || mk.n != 3)
            return -1;
        per_page[r] = (double)(mk.t[which + 1] - mk.t[which]) / (double)scenario_bench_pages.tasks[0].arg[0];
    }
    return median(per_page, PAGES_RUNS);
}

static double tlb_fill(void) { return bench_pages(0); }
static double pagefault(void) { return bench_pages(1); }

/* Every measurement, in the order it runs; result 0 until it has. */
typedef struct measure {
    const char *name;  /* for --only */
    const char *field; /* in the JSON object */
    const char *label;
    double (*run)(void);
    unsigned count;
    const char *unit; /* what count counts */
    double result;
} measure_t;

static measure_t measures[] = {
    {"ipc", "ipc_rtt_ns", "IPC call/reply, 8 words, one address space", ipc_fast, IPC_BATCHES * IPC_PER_BATCH,
     "round trips", 0},
    {"ordinary", "ipc_rtt_ordinary_ns", "  the same, fast path off", ipc_ordinary,
     IPC_BATCHES * IPC_PER_BATCH, "round trips", 0},
    {"traced", "ipc_rtt_traced_ns", "  the same, every event recorded", ipc_traced,
     IPC_BATCHES * IPC_PER_BATCH, "round trips", 0},
    {"cross", "ipc_rtt_cross_as_ns", "IPC call/reply between two address spaces", ipc_cross,
     IPC_BATCHES * IPC_PER_BATCH, "round trips", 0},
    {"crossfast", "ipc_rtt_cross_as_fast_ns", "  the same, --mmu=fast", ipc_cross_fast,
     IPC_BATCHES * IPC_PER_BATCH, "round trips", 0},
    {"pagefault", "pagefault_rtt_ns", "page fault served by the user-level pager", pagefault,
     PAGES_RUNS * 64, "faults, median of runs", 0},
    {"tlbfill", "tlb_fill_ns", "hosted TLB miss filled by the page walk", tlb_fill, PAGES_RUNS * 64,
     "fills, median of runs", 0},
    {"pipe", "pipe_rtt_ns", "pipe ping-pong, two processes", bench_pipe, BASE_BATCHES * BASE_PER_BATCH,
     "round trips", 0},
    {"futex", "futex_rtt_ns", "futex ping-pong, two threads", bench_futex, BASE_BATCHES * BASE_PER_BATCH,
     "round trips", 0},
    {"step", "step_ns", "one user instruction, single-stepped (step clock)", bench_step, STEP_LOOPS,
     "loop turns, mean", 0},
    {"hostirq", "host_irq_ns", "one host-timer interrupt, into the kernel and back", bench_hostirq,
     IRQ_WINDOW_NS / 1000000, "interrupts, mean", 0},
    {"hostsig", "host_signal_ns", "one host-timer signal, empty handler (baseline)", bench_hostsig,
     IRQ_WINDOW_NS / 1000000, "signals, mean", 0},
};
#define NMEASURES (sizeof measures / sizeof measures[0])

static double result_of(const char *name)
{
    for (unsigned i = 0; i < NMEASURES; i++)
        if (strcmp(measures[i].name, name) == 0)
            return measures[i].result;
    return 0;
}

static void print_json(int cpu)
{
    printf("{");
    for (unsigned i = 0; i < NMEASURES; i++)
        if (measures[i].result > 0)
            printf("\"%s\":%.1f,", measures[i].field, measures[i].result);
    double ipc = result_of("ipc"), pipe_rtt = result_of("pipe"), futex_rtt = result_of("futex");
    double cross = result_of("cross"), cross_fast = result_of("crossfast");
    if (ipc > 0 && pipe_rtt > 0 && futex_rtt > 0)
        printf("\"pipe_over_ipc\":%.1f,\"futex_over_ipc\":%.1f,", pipe_rtt / ipc, futex_rtt / ipc);
    if (cross > 0 && cross_fast > 0 && pipe_rtt > 0)
        printf("\"cross_as_over_pipe\":%.2f,\"pipe_over_cross_as_fast\":%.1f,", cross / pipe_rtt,
               pipe_rtt / cross_fast);
    printf("\"iterations\":%u,\"baseline_iterations\":%u,\"cpu\":%d}\n", IPC_BATCHES * IPC_PER_BATCH,
           BASE_BATCHES * BASE_PER_BATCH, cpu);
}

static void print_table(int cpu)
{
    printf("microsim bench: medians of %u batches, pinned to CPU %d\n", IPC_BATCHES, cpu);
    for (unsigned i = 0; i < NMEASURES; i++)
        if (measures[i].result > 0)
            printf("  %-50s %9.1f ns  (%u %s)\n", measures[i].label, measures[i].result, measures[i].count,
                   measures[i].unit);
    double ipc = result_of("ipc"), pipe_rtt = result_of("pipe"), futex_rtt = result_of("futex");
    double cross = result_of("cross"), cross_fast = result_of("crossfast");
    if (ipc > 0 && pipe_rtt > 0 && futex_rtt > 0)
        printf("  pipe / IPC = %.0fx (target: at least 50x, %s); futex / IPC = %.0fx\n", pipe_rtt / ipc,
               pipe_rtt / ipc >= 50 ? "met" : "NOT met", futex_rtt / ipc);
    if (cross > 0 && pipe_rtt > 0)
        printf("  cross-space IPC / pipe = %.2fx (target: at most 2x, %s)\n", cross / pipe_rtt,
               cross <= 2 * pipe_rtt ? "met" : "NOT met");
    if (cross_fast > 0 && pipe_rtt > 0)
        printf("  pipe / cross-space IPC with --mmu=fast = %.0fx (target: at least 20x, %s)\n",
               pipe_rtt / cross_fast, pipe_rtt >= 20 * cross_fast ? "met" : "NOT met");
}

int sim_bench(int json, const char *only)
{
    int found = !only;
    for (unsigned i = 0; i < NMEASURES; i++)
        found |= only && strcmp(only, measures[i].name) == 0;
    if (!found) {
        fprintf(stderr, "microsim: bench --only takes ipc, ordinary, traced, cross, crossfast, pagefault, tlbfill, "
                "pipe, futex, step, hostirq or hostsig, not '%s'\n",
                only);
        return 2;
    }
    int cpu = pin_to_current_cpu();
    for (unsigned i = 0; i < NMEASURES; i++) {
        if (only && strcmp(only, measures[i].name) != 0)
            continue;
        measures[i].result = measures[i].run();
        if (measures[i].result <= 0) {
            fprintf(stderr, "microsim bench: the %s measurement failed\n", measures[i].name);
            return 1;
        }
    }
    json ? print_json(cpu) : print_table(cpu);
    return 0;
}
