/* The hosted machine as the simulator drives it: configure, run to the end, read the trace. */
#ifndef HOSTED_H
#define HOSTED_H

#include <stdint.h>

#include "arch/arch.h"
#include "ms_manifest.h"
#include "trace.h"

/* Where trace events and panics go. Both run on the machine's kernel stack at
 * the end of a kernel entry, so they must not call back into the kernel. */
typedef struct hosted_sink {
    /* New events are in ring (read them with trace_read). May call
     * hosted_request_stop(). NULL: events are discarded. */
    void (*events)(void *ctx, k_trace_ring_t *ring);
    /* The kernel panicked: the reason, the current thread's registers (or
     * NULL) and the ring with the last events still in it. */
    void (*panic)(void *ctx, const char *msg, const arch_regs_t *regs, const k_trace_ring_t *ring);
    /* A step that hosted_step() asked for is over: the thread ran one
     * instruction (or entered the kernel trying to: a system call or a
     * fault), and regs is its whole saved state. May call hosted_step()
     * again. NULL: nobody steps. */
    void (*stepped)(void *ctx, const arch_regs_t *regs);
    void *ctx;
} hosted_sink_t;

/* The CPU's clock (hwmodel/clock.h says what each one is). */
typedef enum hosted_clock {
    HOSTED_CLOCK_VIRTUAL, /* deterministic: time moves at kernel entries */
    HOSTED_CLOCK_HOST,    /* host time; a host timer interrupts user code */
    HOSTED_CLOCK_STEP,    /* deterministic: user code single-stepped, 1 us an instruction */
} hosted_clock_t;

#define HOSTED_MEM_DEFAULT (64ull << 20)
#define HOSTED_MEM_MIN (1ull << 20)
#define HOSTED_MEM_MAX (1ull << 30)

typedef struct hosted_config {
    const ms_manifest_t *manifest;
    uint64_t seed;
    uint32_t trace_mask;    /* K_TRACE_MASK_ALL, K_TRACE_MASK_QUIET, ... */
    uint32_t entry_cost_ns; /* virtual time per kernel entry; 0: the default, 100 */
    hosted_clock_t clock;
    int no_fastpath;        /* turn the kernel's IPC fast path off */
    int check_invariants;   /* check the kernel's invariants after every entry */
    uint64_t mem_bytes;     /* simulated physical memory; 0: HOSTED_MEM_DEFAULT */
    int mmu_fast;           /* the hosted TLB keeps other spaces' pages (--mmu=fast) */
    struct k_syscall_stats *stats; /* filled with system call counts, if not NULL */
    /* COM1: what the UART transmits goes to console_out (NULL: nowhere);
     * what it receives comes from the file descriptor console_in (-1:
     * nothing), read while the machine is idle and a driver waits for it. */
    void (*console_out)(void *ctx, uint8_t byte);
    void *console_ctx;
    int console_in;
    hosted_sink_t sink;
} hosted_config_t;

typedef enum hosted_outcome {
    HOSTED_HALTED,  /* the kernel stopped the machine (status is its exit status) */
    HOSTED_STOPPED, /* hosted_request_stop() ended the run early */
    HOSTED_PANIC,   /* a kernel panic (status 1) */
} hosted_outcome_t;

typedef struct hosted_result {
    hosted_outcome_t outcome;
    int status;
    uint64_t time_ns;      /* simulated time at the end */
    uint64_t entries;      /* kernel entries (system calls, exceptions, interrupts) */
    uint64_t tlb_fills;    /* pages the hosted TLB mapped */
    uint64_t mmu_host_calls; /* host mmap/mprotect calls the MMU made */
    uint64_t cr3_loads;    /* address-space switches */
} hosted_result_t;

/* Boots the manifest and runs it on the calling host thread until the kernel
 * halts, the sink asks to stop, or the kernel panics. Returns 0, or -1 with
 * errno if the host could not provide memory. */
int hosted_run(const hosted_config_t *cfg, hosted_result_t *result);

/* Asks the running machine to stop at its next return to user mode. */
void hosted_request_stop(void);

/* Single-steps the thread whose saved frame is regs: when it next returns to
 * user mode it runs one instruction with the trap flag set, and then
 * sink.stepped is called. From a sink callback only (the machine is
 * between instructions there). */
void hosted_step(const arch_regs_t *regs);

#endif
