/* The simulated CPU: user register files, the system call instruction, a kernel stack. */
#ifndef HW_CPU_H
#define HW_CPU_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu_layout.h"
#include "mmu.h"
#include "portbus.h"

/*
 * A user context is a register file of HW_NREGS slots (cpu_layout.h) that the
 * CPU loads when it enters user mode and fills when user code executes the
 * system call instruction. The simulated `syscall` is two real instructions
 * (services/lib/arch/hosted/ms_trap.h): the return address goes to rcx and
 * control jumps to hw_cpu_syscall_entry, so a system call costs no host
 * system call and no signal.
 */
typedef void hw_cpu_vector_fn(void);

/* Where a trap from user code goes: its vector (0-31), error code and
 * faulting address (CR2), on the kernel stack, the user state saved. */
typedef void hw_cpu_trap_fn(unsigned vector, uint64_t error, uint64_t addr);

/* A trap while the kernel ran (a kernel bug): never returns. */
typedef void hw_cpu_fault_fn(unsigned vector, uint64_t rip, uint64_t addr);

/* Where the CPU goes, on the kernel stack with the user state saved (full),
 * when its INTR pin is raised in user mode or a single-step budget runs out. */
typedef void hw_cpu_intr_fn(void);

/* A range of ports user code may reach (the TSS I/O bitmap, as ranges). */
typedef struct hw_io_range {
    uint16_t first, last;
} hw_io_range_t;
#define HW_CPU_IO_RANGES 8

typedef struct hw_cpu {
    uint64_t *user_frame;             /* where the next system call saves user registers */
    uintptr_t kstack_top;             /* 16-byte aligned */
    hw_cpu_vector_fn *syscall_vector; /* the kernel's system call entry (IA32_LSTAR) */
    uintptr_t host_rsp;               /* the simulator's context while the machine runs */
    volatile uint64_t mode;           /* HW_MODE_HOST, _KERNEL or _USER */
    hw_cpu_trap_fn *trap_vector;      /* the kernel's exception entry (the IDT, 0-31) */
    hw_cpu_fault_fn *kernel_fault;
    hw_portbus_t *io_bus;             /* where user in/out goes, if permitted */
    hw_io_range_t io[HW_CPU_IO_RANGES];
    unsigned nio;
    void *kstack_map;                 /* the kernel stack mapping, guard page included */
    size_t kstack_map_size;
    unsigned kstack_id;               /* Valgrind stack id */
    hw_cpu_intr_fn *intr_vector;
    /* Called before an emulated user in/out reaches the bus, in the trap's
     * signal handler (user code was running, so nothing else touches the
     * devices): brings them to the CPU's time. May be NULL. */
    void (*io_sync)(void);
    /* Single-stepping (the trap flag): while step is set, every user
     * instruction traps (#DB) and counts in steps; when steps reaches
     * step_budget (if not 0) the CPU enters intr_vector. */
    volatile uint64_t step;
    volatile uint64_t steps;
    volatile uint64_t step_budget;
    volatile uint64_t step_armed;     /* the next #DB ends the return to user: not an instruction */
    hw_mmu_t *mmu;                    /* user page faults go through it first (NULL: no MMU) */
    void *altstack;                   /* where trap and interrupt signals run (not the user stack) */
} hw_cpu_t;

/* The iretq path's scratch: the flags, rip and rsp it restores last. */
extern uint64_t hw_cpu_iret[3];

/* The one simulated CPU. */
extern hw_cpu_t hw_cpu0;

/* Allocates the kernel stack and sets the system call vector. 0 or -1 (errno). */
int hw_cpu_init(hw_cpu_vector_fn *syscall_vector);
void hw_cpu_fini(void);

/* Runs fn(arg) on the kernel stack, returning when the machine calls
 * hw_cpu_halt(). fn must not return. */
void hw_cpu_run(void (*fn)(void *), void *arg);

/* Leaves the machine: back to whoever called hw_cpu_run. */
__attribute__((noreturn)) void hw_cpu_halt(void);

/* Every kernel vector calls this first, on the kernel stack: it tells the
 * address sanitizer (when built with it) which stack is now in use, since
 * user code, which switched here, cannot. A no-op otherwise. */
void hw_cpu_entered_kernel(void);

/* Loads the register file at frame and continues in user mode (sysret). */
__attribute__((noreturn)) void hw_cpu_enter_user(uint64_t *frame);

/* Resets the kernel stack and calls fn(arg) at its top; fn must not return. */
__attribute__((noreturn)) void hw_cpu_restart(void (*fn)(void *), void *arg);

/*
 * CPU exceptions. While the machine runs, the host's SIGSEGV, SIGFPE, SIGILL,
 * SIGTRAP and SIGBUS are the CPU's traps: one from user code saves the whole
 * user state (FPU included) into the current frame, marks it full, and enters
 * trap_vector on the kernel stack with the x86 vector (Linux reports it:
 * #DE 0, #DB 1, #BP 3, #UD 6, #GP 13, #PF 14) and error code, and CR2 for a
 * page fault. One from the kernel goes to kernel_fault. Outside the machine
 * the host's default action applies.
 */
int hw_cpu_traps_install(hw_cpu_trap_fn *trap_vector, hw_cpu_fault_fn *kernel_fault);
void hw_cpu_traps_remove(void);

/*
 * The INTR pin, driven by an asynchronous host signal, HW_CPU_INTR_SIGNAL
 * (the host clock's interval timer sends it). If user code was running, its whole state is saved (full
 * frame) and the CPU continues in intr_vector on the kernel stack. Anywhere
 * else (the kernel runs with interrupts off, the host, or the few
 * instructions that switch modes) the signal does nothing: the kernel
 * samples the PIC on its way back to user mode, as the CPU would the moment
 * it sets IF. Trap handlers and this one never nest.
 */
#define HW_CPU_INTR_SIGNAL SIGALRM
int hw_cpu_intr_install(hw_cpu_intr_fn *intr_vector);
void hw_cpu_intr_remove(void);

/* Prepares a return to user code with the trap flag set, so that each user
 * instruction traps: the frame becomes full (its FPU state saved from the
 * CPU now, as a syscall return leaves it) and its flags get TF. */
void hw_cpu_arm_step(uint64_t *frame);

/* The frame returns without the trap flag (a frame saved while stepping has it). */
void hw_cpu_clear_step(uint64_t *frame);

/* A trap vector calls this first thing on the kernel stack: Valgrind, which
 * saw the stack pointer move by sigreturn rather than by an instruction,
 * learns that the kernel stack below is usable again. A no-op otherwise. */
void hw_cpu_trap_landed(void);

/* The targets of a redirected trap or interrupt (assembly): they call
 * trap_vector and intr_vector. */
void hw_cpu_trap_entry(void);
void hw_cpu_intr_entry(void);
void hw_cpu_save_fpu(void *area);

/* The bounds of cpu_entry.S's code: the mode switches, never user code. */
extern const char hw_cpu_entry_text_start[], hw_cpu_entry_text_end[];

/* The I/O permission bitmap, as ranges: user in/out on these ports of bus
 * are emulated; any other port is #GP. */
void hw_cpu_set_io_permissions(hw_portbus_t *bus, const hw_io_range_t *ranges, unsigned n);

/* For the trap handler: if the user instruction at the signal context's
 * rip is a permitted in/out, performs it, steps past it and returns 1. */
int hw_cpu_emulate_io(void *ucontext);

/* The target of the simulated system call instruction (assembly). */
void hw_cpu_syscall_entry(void);

/* Host memory for user contexts' stacks and data: tells Valgrind that a range
 * is a stack the CPU will switch to. Returns an id for deregistering. */
unsigned hw_cpu_stack_register(uintptr_t lo, uintptr_t hi);
void hw_cpu_stack_deregister(unsigned id);

#endif
