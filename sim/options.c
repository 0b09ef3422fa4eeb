/* The microsim command line: parsing and help. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_filter.h"
#include "trace_format.h"

#ifndef MICROSIM_CHECK_INVARIANTS_DEFAULT
#define MICROSIM_CHECK_INVARIANTS_DEFAULT 0
#endif

enum {
    OPT_TRACE = 256,
    OPT_SEED,
    OPT_MAX_EVENTS,
    OPT_LIST,
    OPT_JSON,
    OPT_FASTPATH,
    OPT_ONLY,
    OPT_INVARIANTS,
    OPT_CALLS,
    OPT_TASKS,
    OPT_MACHINE,
    OPT_GDB,
    OPT_CLOCK,
    OPT_STEP,
    OPT_MEM,
    OPT_MMU,
    OPT_TRACE_FILTER,
    OPT_TRACE_GROUP,
};

static const struct option long_options[] = {
    {"trace", required_argument, NULL, OPT_TRACE},
    {"trace-filter", required_argument, NULL, OPT_TRACE_FILTER},
    {"trace-group", required_argument, NULL, OPT_TRACE_GROUP},
    {"output", required_argument, NULL, 'o'},
    {"seed", required_argument, NULL, OPT_SEED},
    {"max-events", required_argument, NULL, OPT_MAX_EVENTS},
    {"list", no_argument, NULL, OPT_LIST},
    {"json", no_argument, NULL, OPT_JSON},
    {"only", required_argument, NULL, OPT_ONLY},
    {"check-invariants", optional_argument, NULL, OPT_INVARIANTS},
    {"calls", required_argument, NULL, OPT_CALLS},
    {"tasks", required_argument, NULL, OPT_TASKS},
    {"fastpath", required_argument, NULL, OPT_FASTPATH},
    {"machine", required_argument, NULL, OPT_MACHINE},
    {"gdb", no_argument, NULL, OPT_GDB},
    {"clock", required_argument, NULL, OPT_CLOCK},
    {"step", no_argument, NULL, OPT_STEP},
    {"mem", required_argument, NULL, OPT_MEM},
    {"mmu", required_argument, NULL, OPT_MMU},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* A memory size: a whole number with a K, M or G suffix (or none: bytes),
 * a multiple of 4 KiB from 1 MiB to 1 GiB. 0, or -1 if it is not one. */
static int parse_size(const char *arg, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)arg[0]))
        return -1;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || v > (1ull << 30))
        return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift)
        end++;
    if (*end)
        return -1;
    uint64_t bytes = (uint64_t)v << shift;
    if (bytes < (1ull << 20) || bytes > (1ull << 30) || (bytes & 4095))
        return -1;
    *out = bytes;
    return 0;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "microsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    return 2;
}

/* A whole decimal number, no sign, no trailing text. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_trace(const char *s, sim_trace_format_t *out)
{
    if (strcmp(s, "text") == 0)
        *out = SIM_TRACE_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = SIM_TRACE_JSON;
    else if (strcmp(s, "none") == 0)
        *out = SIM_TRACE_NONE;
    else
        return -1;
    return 0;
}

static int apply_option(int c, const char *arg, const char *bad, sim_options_t *o)
{
    switch (c) {
    case OPT_TRACE:
        if (parse_trace(arg, &o->trace))
            return usage_error("--trace takes text, json or none, not '%s'", arg);
        o->trace_given = 1;
        return 0;
    case OPT_TRACE_FILTER: {
        sim_trace_filter_t filter;
        char err[256];
        if (sim_trace_filter_parse(arg, &filter, err, sizeof err) != 0)
            return usage_error("%s", err);
        o->trace_filter = arg;
        return 0;
    }
    case OPT_TRACE_GROUP:
        if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
            return usage_error("--trace-group takes on or off, not '%s'", arg);
        o->trace_group = strcmp(arg, "on") == 0;
        return 0;
    case 'o':
        o->output = arg;
        return 0;
    case OPT_SEED:
        if (parse_u64(arg, &o->seed))
            return usage_error("--seed takes a non-negative integer, not '%s' (try --seed 42)", arg);
        return 0;
    case OPT_MAX_EVENTS:
        if (parse_u64(arg, &o->max_events) || o->max_events == 0)
            return usage_error("--max-events takes a positive integer, not '%s'", arg);
        return 0;
    case OPT_FASTPATH:
        if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
            return usage_error("--fastpath takes on or off, not '%s'", arg);
        o->no_fastpath = strcmp(arg, "off") == 0;
        return 0;
    case OPT_INVARIANTS:
        if (arg && strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
            return usage_error("--check-invariants takes on or off, not '%s'", arg);
        o->check_invariants = !arg || strcmp(arg, "on") == 0;
        return 0;
    case OPT_CALLS:
        if (parse_u64(arg, &o->calls) || o->calls == 0)
            return usage_error("--calls takes a positive integer, not '%s'", arg);
        return 0;
    case OPT_TASKS:
        if (parse_u64(arg, &o->tasks) || o->tasks == 0 || o->tasks > 16)
            return usage_error("--tasks takes a number from 1 to 16, not '%s'", arg);
        return 0;
    case OPT_MACHINE:
        if (strcmp(arg, "hosted") == 0)
            o->machine = SIM_MACHINE_HOSTED;
        else if (strcmp(arg, "qemu") == 0)
            o->machine = SIM_MACHINE_QEMU;
        else
            return usage_error("--machine takes hosted or qemu, not '%s'", arg);
        return 0;
    case OPT_GDB:
        o->gdb = 1;
        return 0;
    case OPT_STEP:
        o->step = 1;
        return 0;
    case OPT_CLOCK:
        if (strcmp(arg, "virtual") == 0)
            o->clock = SIM_CLOCK_VIRTUAL;
        else if (strcmp(arg, "host") == 0)
            o->clock = SIM_CLOCK_HOST;
        else if (strcmp(arg, "step") == 0)
            o->clock = SIM_CLOCK_STEP;
        else
            return usage_error("--clock takes virtual, host or step, not '%s'", arg);
        return 0;
    case OPT_MEM:
        if (parse_size(arg, &o->mem_bytes) != 0)
            return usage_error("--mem takes a size from 1M to 1G with a K, M or G suffix, not '%s' (try --mem 64M)",
                               arg);
        return 0;
    case OPT_MMU:
        if (strcmp(arg, "strict") == 0)
            o->mmu_fast = 0;
        else if (strcmp(arg, "fast") == 0)
            o->mmu_fast = 1;
        else
            return usage_error("--mmu takes strict or fast, not '%s'", arg);
        return 0;
    case OPT_LIST:
        o->command = SIM_LIST;
        return 0;
    case OPT_JSON:
        o->json = 1;
        return 0;
    case OPT_ONLY:
        o->only = arg;
        return 0;
    case 'h':
        o->command = SIM_HELP;
        return 0;
    case 'V':
        o->command = SIM_VERSION;
        return 0;
    case ':':
        return usage_error("option '%s' needs a value; see microsim --help", bad);
    default:
        return usage_error("unknown option '%s'; see microsim --help", bad);
    }
}

/* The positional arguments: a scenario name, `bench` or `fuzz`. */
static int apply_positionals(int argc, char **argv, sim_options_t *o)
{
    if (optind >= argc)
        return 0;
    if (argc - optind > 1)
        return usage_error("give one scenario at most (got '%s' as well); microsim --list shows them",
                           argv[optind + 1]);
    if (strcmp(argv[optind], "bench") == 0 || strcmp(argv[optind], "fuzz") == 0) {
        if (o->command == SIM_RUN)
            o->command = argv[optind][0] == 'b' ? SIM_BENCH : SIM_FUZZ;
    } else {
        o->scenario = argv[optind];
    }
    return 0;
}

int sim_parse_options(int argc, char **argv, sim_options_t *o)
{
    *o = (sim_options_t){.command = SIM_RUN,
                         .scenario = "demo",
                         .trace = SIM_TRACE_TEXT,
                         .seed = 1,
                         .trace_group = -1,
                         .calls = 100000,
                         .tasks = 4,
                         .check_invariants = MICROSIM_CHECK_INVARIANTS_DEFAULT};
    opterr = 0;
    optind = 1;
    int c, calls_given = 0, tasks_given = 0;
    while ((c = getopt_long(argc, argv, ":ho:V", long_options, NULL)) != -1) {
        calls_given |= c == OPT_CALLS;
        tasks_given |= c == OPT_TASKS;
        const char *arg = argv[optind - 1];
        char short_option[3] = {'-', (char)optopt, 0};
        int short_error = (c == '?' || c == ':') && optopt > 0 && optopt < 128 && strncmp(arg, "--", 2) != 0;
        const char *bad = short_error ? short_option : arg;
        int err = apply_option(c, optarg, bad, o);
        if (err)
            return err;
    }
    const char *sub = optind < argc ? argv[optind] : "";
    if (o->json && strcmp(sub, "bench") != 0)
        return usage_error("%s is an option of microsim bench; for a JSON trace use --trace=json", "--json");
    if (o->only && strcmp(sub, "bench") != 0)
        return usage_error("%s is an option of microsim bench", "--only");
    if ((calls_given || tasks_given) && strcmp(sub, "fuzz") != 0)
        return usage_error("%s is an option of microsim fuzz", calls_given ? "--calls" : "--tasks");
    if (o->gdb && o->machine != SIM_MACHINE_QEMU)
        return usage_error("%s needs --machine=qemu; for the hosted machine run gdb --args microsim ...", "--gdb");
    int err = apply_positionals(argc, argv, o);
    if (!err && (o->command == SIM_BENCH || o->command == SIM_FUZZ) && o->machine == SIM_MACHINE_QEMU)
        return usage_error("%s boots scenarios; microsim bench and fuzz run on the hosted machine", "--machine=qemu");
    if (!err && (o->command == SIM_BENCH || o->command == SIM_FUZZ) && o->clock != SIM_CLOCK_DEFAULT)
        return usage_error("%s is for scenarios; bench and fuzz run on the virtual clock", "--clock");
    if (!err && o->step && (o->command != SIM_RUN || o->machine == SIM_MACHINE_QEMU))
        return usage_error("%s steps a scenario on the hosted machine; for QEMU use --gdb", "--step");
    int trace_options = o->trace_filter || o->trace_group >= 0;
    if (!err && trace_options && (o->command == SIM_BENCH || o->command == SIM_FUZZ))
        return usage_error("%s are for a scenario's trace; bench and fuzz do not take them",
                           "--trace-filter and --trace-group");
    if (!err && o->trace_group >= 0 && o->trace == SIM_TRACE_JSON)
        return usage_error("%s groups the text trace; the JSON trace has every event it shows", "--trace-group");
    if (!err && o->step && (o->trace_given || o->output || o->max_events || trace_options))
        return usage_error("%s prints the text trace itself; drop --trace, --trace-filter, --trace-group, -o and "
                           "--max-events",
                           "--step");
    if (!err && o->machine == SIM_MACHINE_QEMU && (o->clock == SIM_CLOCK_HOST || o->clock == SIM_CLOCK_STEP))
        return usage_error("%s: QEMU's PIT runs on QEMU's own clock; use the hosted machine for host or step",
                           o->clock == SIM_CLOCK_HOST ? "--clock=host" : "--clock=step");
    return err;
}

/* The event kinds, wrapped to the help's details column. */
static void kind_list(char *buf, size_t size)
{
    size_t len = 0, column = 32;
    buf[0] = '\0';
    for (unsigned k = 0; k < K_EV_COUNT && len < size; k++) {
        const char *name = trace_kind_name(k);
        int wrap = column + strlen(name) + 2 > 80;
        len += (size_t)snprintf(buf + len, size - len, "%s%s%s", k ? (wrap ? ",\n" : ", ") : "",
                                wrap ? "                         " : "", name);
        column = wrap ? 25 + strlen(name) : column + strlen(name) + 2;
    }
}

void sim_print_help(void)
{
    char kinds[1024];
    kind_list(kinds, sizeof kinds);
    printf("usage: microsim [options] [SCENARIO]    boot a scenario (default: demo) and show its trace\n"
           "       microsim bench [--json] [--only NAME]\n"
           "                                         time IPC against pipe and futex baselines\n"
           "       microsim fuzz [--seed S] [--calls N] [--tasks K]\n"
           "                                         a random system call campaign, invariants\n"
           "                                         checked after every kernel entry\n"
           "\n"
           "options:\n"
           "  --list                 list the scenarios, one line each\n"
           "  --trace=text|json|none trace format (default text); json is Chrome Trace Event\n"
           "                         format, which Perfetto UI and chrome://tracing open\n"
           "  --trace-filter=SPEC    show only some events, text and JSON (the run is the\n"
           "                         same): a comma-separated list of KIND or PREFIX to\n"
           "                         show (ipc is every ipc.*), -KIND to hide, @TASK for\n"
           "                         the events of the task named TASK, all for every event\n"
           "                         (the default, unless the scenario sets a filter);\n"
           "                         print and kernel.halt show unless hidden. Example:\n"
           "                         --trace-filter=-switch,-ipc.wait\n"
           "                         kinds: %s\n"
           "  --trace-group=on|off   a block of 1 to 4 events that comes 3 or more times in\n"
           "                         a row (identical but for the time) shows once in the\n"
           "                         text trace, then '... repeated N more times' (default:\n"
           "                         on when a filter hides events, off otherwise)\n"
           "  -o, --output FILE      write the trace to FILE instead of standard output\n"
           "  --seed N               seed of the run (default 1); same seed, same trace bytes\n"
           "  --max-events N         stop cleanly after N trace events\n"
           "  --fastpath=on|off      the kernel's IPC fast path (default on); the trace is\n"
           "                         the same either way, only slower with off\n"
           "  --check-invariants[=on|off]\n"
           "                         verify the whole kernel state after every kernel entry;\n"
           "                         a violation is a kernel panic (default: %s)\n"
           "  --machine=hosted|qemu  where the kernel runs (default hosted): qemu boots the\n"
           "                         x86-64 image in qemu-system-x86_64 (text trace only)\n"
           "  --gdb                  with --machine=qemu: start halted and wait for gdb\n"
           "  --step                 an interactive stepper: stops before the first user\n"
           "                         instruction; next, stepi [N], continue, break\n"
           "                         ipc|irq|exception|task=NAME|ep=N, tasks, regs,\n"
           "                         trace [N], quit (also from a pipe)\n"
           "  --clock=virtual|host|step\n"
           "                         simulated time: virtual (default) moves only at kernel\n"
           "                         entries; host is real time, its timer interrupting user\n"
           "                         code; step single-steps user code, one instruction 1 us,\n"
           "                         so the PIT preempts at the same instruction every run.\n"
           "                         A scenario with a task that never enters the kernel\n"
           "                         (hog) defaults to step\n"
           "  --mem SIZE             simulated physical memory, 1M to 1G (default 64M)\n"
           "  --mmu=strict|fast      strict (default): a task reaches only its own pages;\n"
           "                         fast: the hosted TLB keeps other tasks' pages too (page\n"
           "                         tables, faults and traces are the same; isolation\n"
           "                         between tasks is not enforced on the host)\n"
           "  -h, --help             this help\n"
           "  -V, --version          the version\n"
           "\n"
           "fuzz options:\n"
           "  --calls N              system calls in all (default 100000)\n"
           "  --tasks K              fuzz tasks, 1 to 16 (default 4)\n"
           "  --trace=text           the trace of every round (default none)\n"
           "\n"
           "bench options:\n"
           "  --json                 one JSON object instead of the table\n"
           "  --only NAME            one measurement: ipc, ordinary, traced (one address\n"
           "                         space), cross, crossfast (two; strict, --mmu=fast MMU),\n"
           "                         pagefault, tlbfill, pipe, futex, step (one\n"
           "                         single-step), hostirq (one host-timer interrupt) or\n"
           "                         hostsig (a bare host signal)\n"
           "\n"
           "exit status: 0 the scenario ran to its end, 1 kernel panic or failed scenario\n"
           "check, 2 usage error. Tasks' own output appears as print events in the text\n"
           "trace, and on standard output otherwise.\n",
           kinds, MICROSIM_CHECK_INVARIANTS_DEFAULT ? "on in this Debug build" : "off");
}
