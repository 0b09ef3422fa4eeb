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

/* Median round trip of bench-ipc with the given trace mask, on the fast path
 * or the ordinary path alone; < 0 on failure. */
static double bench_ipc(uint32_t trace_mask, int no_fastpath)
{
    ms_manifest_t m = scenario_bench_ipc;
    m.tasks[1].arg[0] = IPC_BATCHES;
    m.tasks[1].arg[1] = IPC_PER_BATCH;
    marks_t mk = {.n = 0};
    hosted_config_t cfg = {.manifest = &m, .seed = 1, .trace_mask = trace_mask, .no_fastpath = no_fastpath,
                           .console_in = -1,
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

static double ipc_fast(void) { return bench_ipc(K_TRACE_MASK_QUIET, 0); }
static double ipc_ordinary(void) { return bench_ipc(K_TRACE_MASK_QUIET, 1); }
static double ipc_traced(void) { return bench_ipc(K_TRACE_MASK_ALL, 0); }

/* Every measurement, in the order it runs; result 0 until it has. */
typedef struct measure {
    const char *name;  /* for --only */
    const char *field; /* in the JSON object */
    const char *label;
    double (*run)(void);
    unsigned round_trips;
    double result;
} measure_t;

static measure_t measures[] = {
    {"ipc", "ipc_rtt_ns", "IPC call/reply, 8 words, trace off", ipc_fast, IPC_BATCHES * IPC_PER_BATCH, 0},
    {"ordinary", "ipc_rtt_ordinary_ns", "IPC call/reply, 8 words, fast path off", ipc_ordinary,
     IPC_BATCHES * IPC_PER_BATCH, 0},
    {"traced", "ipc_rtt_traced_ns", "IPC call/reply, 8 words, every event recorded", ipc_traced,
     IPC_BATCHES * IPC_PER_BATCH, 0},
    {"pipe", "pipe_rtt_ns", "pipe ping-pong, two processes", bench_pipe, BASE_BATCHES * BASE_PER_BATCH, 0},
    {"futex", "futex_rtt_ns", "futex ping-pong, two threads", bench_futex, BASE_BATCHES * BASE_PER_BATCH, 0},
};
#define NMEASURES (sizeof measures / sizeof measures[0])

static void print_json(int cpu)
{
    printf("{");
    for (unsigned i = 0; i < NMEASURES; i++)
        if (measures[i].result > 0)
            printf("\"%s\":%.1f,", measures[i].field, measures[i].result);
    double ipc = measures[0].result, pipe_rtt = measures[3].result, futex_rtt = measures[4].result;
    if (ipc > 0 && pipe_rtt > 0 && futex_rtt > 0)
        printf("\"pipe_over_ipc\":%.1f,\"futex_over_ipc\":%.1f,", pipe_rtt / ipc, futex_rtt / ipc);
    printf("\"iterations\":%u,\"baseline_iterations\":%u,\"cpu\":%d}\n", IPC_BATCHES * IPC_PER_BATCH,
           BASE_BATCHES * BASE_PER_BATCH, cpu);
}

static void print_table(int cpu)
{
    printf("microsim bench: medians of %u batches, pinned to CPU %d\n", IPC_BATCHES, cpu);
    for (unsigned i = 0; i < NMEASURES; i++)
        if (measures[i].result > 0)
            printf("  %-46s %9.1f ns  (%u round trips)\n", measures[i].label, measures[i].result,
                   measures[i].round_trips);
    double ipc = measures[0].result, pipe_rtt = measures[3].result, futex_rtt = measures[4].result;
    if (ipc > 0 && pipe_rtt > 0 && futex_rtt > 0)
        printf("  pipe / IPC = %.0fx (target: at least 50x, %s); futex / IPC = %.0fx\n", pipe_rtt / ipc,
               pipe_rtt / ipc >= 50 ? "met" : "NOT met", futex_rtt / ipc);
}

int sim_bench(int json, const char *only)
{
    int found = !only;
    for (unsigned i = 0; i < NMEASURES; i++)
        found |= only && strcmp(only, measures[i].name) == 0;
    if (!found) {
        fprintf(stderr, "microsim: bench --only takes ipc, ordinary, traced, pipe or futex, not '%s'\n", only);
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
