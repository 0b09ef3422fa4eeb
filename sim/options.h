/* The microsim command line. */
#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include <stdint.h>

typedef enum sim_command {
    SIM_RUN,     /* boot a scenario */
    SIM_LIST,
    SIM_HELP,
    SIM_VERSION,
    SIM_BENCH,
    SIM_FUZZ,    /* a random system call campaign */
} sim_command_t;

typedef enum sim_trace_format {
    SIM_TRACE_TEXT,
    SIM_TRACE_JSON,
    SIM_TRACE_NONE,
} sim_trace_format_t;

typedef enum sim_machine {
    SIM_MACHINE_HOSTED, /* the simulated PC in this process */
    SIM_MACHINE_QEMU,   /* the x86-64 image in qemu-system-x86_64 */
} sim_machine_t;

typedef enum sim_clock {
    SIM_CLOCK_DEFAULT, /* the scenario's choice: virtual, or step if it needs preemption */
    SIM_CLOCK_VIRTUAL,
    SIM_CLOCK_HOST,
    SIM_CLOCK_STEP,
} sim_clock_t;

typedef struct sim_options {
    sim_command_t command;
    const char *scenario;     /* default "demo" */
    sim_trace_format_t trace;
    int trace_given;          /* --trace was on the command line */
    const char *trace_filter; /* --trace-filter SPEC (checked), or NULL: the scenario's */
    int trace_group;          /* --trace-group: 1 on, 0 off, -1 (default) on when a filter hides events */
    const char *output;       /* -o FILE, or NULL for standard output */
    uint64_t seed;
    uint64_t max_events;      /* 0: no limit */
    int json;                 /* bench --json */
    const char *only;         /* bench --only NAME */
    uint64_t calls;           /* fuzz --calls N */
    uint64_t tasks;           /* fuzz --tasks K */
    int no_fastpath;          /* --fastpath=off */
    int check_invariants;     /* --check-invariants[=on|off]; on by default in Debug builds */
    sim_machine_t machine;    /* --machine=hosted|qemu */
    int gdb;                  /* --gdb: QEMU waits for a debugger */
    sim_clock_t clock;        /* --clock=virtual|host|step */
    int step;                 /* --step: the interactive stepper */
    uint64_t mem_bytes;       /* --mem: simulated RAM (0: the default) */
    int mmu_fast;             /* --mmu=fast */
} sim_options_t;

/* Parses argv. On a usage error prints one line to stderr saying what to do
 * and returns 2; otherwise returns 0. */
int sim_parse_options(int argc, char **argv, sim_options_t *opts);

void sim_print_help(void);

#endif
