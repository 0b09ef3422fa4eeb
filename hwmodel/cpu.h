/* The simulated CPU: user register files, the system call instruction, a kernel stack. */
#ifndef HW_CPU_H
#define HW_CPU_H

#include <stddef.h>
#include <stdint.h>

#include "cpu_layout.h"

/*
 * A user context is a register file of HW_NREGS slots (cpu_layout.h) that the
 * CPU loads when it enters user mode and fills when user code executes the
 * system call instruction. The simulated `syscall` is two real instructions
 * (services/lib/arch/hosted/ms_trap.h): the return address goes to rcx and
 * control jumps to hw_cpu_syscall_entry, so a system call costs no host
 * system call and no signal.
 */
typedef void hw_cpu_vector_fn(void);

typedef struct hw_cpu {
    uint64_t *user_frame;             /* where the next system call saves user registers */
    uintptr_t kstack_top;             /* 16-byte aligned */
    hw_cpu_vector_fn *syscall_vector; /* the kernel's system call entry (IA32_LSTAR) */
    uintptr_t host_rsp;               /* the simulator's context while the machine runs */
    void *kstack_map;                 /* the kernel stack mapping, guard page included */
    size_t kstack_map_size;
    unsigned kstack_id;               /* Valgrind stack id */
} hw_cpu_t;

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

/* The target of the simulated system call instruction (assembly). */
void hw_cpu_syscall_entry(void);

/* Host memory for user contexts' stacks and data: tells Valgrind that a range
 * is a stack the CPU will switch to. Returns an id for deregistering. */
unsigned hw_cpu_stack_register(uintptr_t lo, uintptr_t hi);
void hw_cpu_stack_deregister(unsigned id);

#endif
