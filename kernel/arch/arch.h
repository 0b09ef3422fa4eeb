/* The arch interface: everything the portable kernel core needs from a machine. */
#ifndef ARCH_H
#define ARCH_H

/*
 * The kernel core calls the hardware only through these functions. Two ports
 * implement every one of them: kernel/arch/hosted/ (the simulated PC in
 * hwmodel/, inside a Linux process) and kernel/arch/x86_64/ (the real CPU,
 * booted by QEMU). CMake picks the port; the core never tests which one it is.
 *
 * The kernel is event-driven with one kernel stack: the port calls one of the
 * k_*_entry functions (kernel/entry.h) on the kernel stack with the user state
 * already saved, and the core ends every entry with arch_return_to_user() (or
 * arch_halt()). Nothing returns into a kernel frame; the kernel stack is empty
 * whenever user code runs.
 */

#include <stddef.h>
#include <stdint.h>

/*
 * The user register frame: the x86-64 general registers of a suspended user
 * thread, in the order the ports save them. Both machines are x86-64, so the
 * layout is shared; the system call ABI (kernel/abi/ms_abi.h) says which
 * register carries what. The eight message words are contiguous (mr[]), so
 * the IPC path copies them as one block.
 */
typedef struct arch_regs {
    uint64_t rax;
    uint64_t rdi;
    uint64_t rsi;
    union {
        struct {
            uint64_t rdx, r10, r8, r9, r12, r13, r14, r15;
        };
        uint64_t mr[8];
    };
    uint64_t rbx;
    uint64_t rbp;
    uint64_t rcx;
    uint64_t r11;
    uint64_t rip;
    uint64_t rsp;
    uint64_t rflags;
    /* Nonzero when an interrupt or exception saved this frame: every
     * register, rcx, r11 and the FPU/SSE state included, must be restored
     * (iretq). Zero after a system call: rcx and r11 are the ABI's, the
     * vector registers are clobbered (sysret). */
    uint64_t full;
    /* The x87/SSE state in FXSAVE format, valid when full is set. */
    _Alignas(16) uint8_t fpu[512];
} arch_regs_t;

/* The general registers, rax to rflags: the first ARCH_REGS_COUNT slots. */
#define ARCH_REGS_COUNT 18

/* ---- entering and leaving user mode ---- */

/* Resumes the user thread whose saved frame is regs; the frame is where the
 * next kernel entry from that thread saves its registers. Never returns. */
__attribute__((noreturn)) void arch_return_to_user(arch_regs_t *regs);

/* Prepares a fresh frame so that the thread starts at entry with the stack
 * pointer at stack_top and arg in rdi. */
void arch_regs_init(arch_regs_t *regs, uintptr_t entry, uintptr_t stack_top, uint64_t arg);

/* Nothing is ready to run: wait, with interrupts enabled, for an interrupt,
 * which arrives as an ordinary kernel entry (k_interrupt_entry, so this does
 * not return). wake_lines are the IRQ lines that would wake a thread; until_ns,
 * if not 0, a time at which the clock's tick will (an alarm), so the clock
 * must go on until then. Returns only if nothing can ever wake a thread (a
 * simulated device whose input ended, and no alarm); the kernel then stops
 * the machine. */
void arch_idle(uint16_t wake_lines, uint64_t until_ns);

/* Stops the machine with an exit status (0 done, 1 failure). Never returns. */
__attribute__((noreturn)) void arch_halt(int status);

/* A kernel panic: the port reports msg, the given user frame (may be NULL) and
 * the last trace events, then stops the machine with status 1. */
__attribute__((noreturn)) void arch_panic(const char *msg, const arch_regs_t *regs);

/* ---- devices ---- */

/* Port I/O, as `in` and `out` (the PIC, the PIT, COM1 ...). */
uint8_t arch_inb(uint16_t port);
void arch_outb(uint16_t port, uint8_t value);

/* The ports user code may reach with in and out from now on, as the TSS
 * I/O permission bitmap of the task about to run says; any other port is
 * #GP. The kernel calls it when the running task's grants change. */
typedef struct arch_io_range {
    uint16_t first, last;
} arch_io_range_t;
#define ARCH_IO_RANGES_MAX 8
void arch_io_permit(const arch_io_range_t *ranges, unsigned n);

/* ---- time and identity ---- */

/* Simulated or real time since boot, in nanoseconds; never goes back. */
uint64_t arch_time_ns(void);

/* The number of the CPU executing the kernel (0 on a uniprocessor). */
unsigned arch_cpu_id(void);

/* ---- physical memory and the MMU ---- */

/* The physical memory the kernel may hand out as page frames, [*base,
 * *base + *size), page-aligned (the kernel's own image and tables excluded). */
void arch_phys_memory(uint64_t *base, uint64_t *size);

/* A kernel pointer to physical address pa, inside that memory: the kernel's
 * direct map. The kernel reaches user memory only this way, after walking
 * the task's page tables; it never dereferences a user pointer. */
void *arch_phys_to_kernel(uint64_t pa);

/* Fills a fresh top-level table (PML4, 512 entries, zeroed) with the port's
 * part of every address space: the kernel's own mappings above the user
 * window, supervisor-only (nothing, hosted). */
void arch_page_root_init(uint64_t *pml4);

/* Makes root the current address space (loads CR3); 0 is the kernel's own,
 * with no user pages. */
void arch_page_root_load(uint64_t root);

/* The TLB forgets the page at va of the space with root (INVLPG, when that
 * space is current; a space that is not current has nothing cached on a
 * CPU without PCIDs). The kernel calls it after changing a present entry. */
void arch_tlb_flush_page(uint64_t root, uintptr_t va);

/* A user thread's stack [lo, hi) comes into use or goes out of use. Returns an
 * id for deregistering. The hosted port tells Valgrind about each stack it
 * switches to; on real hardware there is nothing to do. */
unsigned arch_stack_register(uintptr_t lo, uintptr_t hi);
void arch_stack_deregister(unsigned id);

/* ---- trace ---- */

struct k_trace_ring;

/* Called at the end of every kernel entry that recorded trace events: the
 * platform consumes them (hosted: the simulator's trace sinks; x86_64: the
 * text format on COM1). */
void arch_trace_drain(struct k_trace_ring *ring);

#endif
