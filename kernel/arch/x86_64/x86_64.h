/* The x86-64 port's own declarations: memory layout, per-CPU state, and its parts (serial, descriptors, paging, traps). */
#ifndef X86_64_H
#define X86_64_H

/*
 * Virtual memory (docs/X86_64.md draws it). The kernel core builds every
 * task's page tables (kernel/paging.c) and maps user pages only inside the
 * user window [MS_USER_BASE, MS_USER_END) = [0x10000000, 0x50000000):
 *   0x0000000010000000  task i's memory at MS_USER_TASK_BASE + i * MS_USER_TASK_STRIDE,
 *                       user read-write, only in task i's space
 *   0x0000000048000000  the user image (MS_USER_IMAGE_BASE): code (read,
 *                       execute) then constants (read), user-accessible in
 *                       every space; the core maps it from k_boot_info_t.user_image
 * The port owns only the kernel half, PML4 entry 511, the same in every space:
 *   0xffffffff80000000  the first GiB of physical memory, in 2 MiB pages,
 *                       supervisor only: the kernel (linked here, +1 MiB)
 *                       and the direct map through which the core reaches
 *                       page tables and user memory (arch_phys_to_kernel)
 */
#define X86_KERNEL_BASE 0xffffffff80000000
#define X86_DIRECT_MAP_SIZE 0x40000000  /* the first GiB of physical memory */
#define X86_USER_END 0x0000800000000000 /* first non-canonical address */
#define X86_PAGE_SIZE 4096

/* GDT selectors. syscall loads CS/SS from STAR[47:32]; sysretq loads CS from
 * STAR[63:48] + 16 and SS from STAR[63:48] + 8, hence the order. */
#define X86_SEL_KCODE 0x08
#define X86_SEL_KDATA 0x10
#define X86_SEL_SYSRET_BASE 0x18 /* unused 32-bit user code slot */
#define X86_SEL_UDATA 0x20
#define X86_SEL_UCODE 0x28
#define X86_SEL_TSS 0x30

/* Byte offsets in x86_cpu_t of the fields entry.S touches. */
#define X86_CPU_USER_FRAME 0
#define X86_CPU_KSTACK_TOP 8
#define X86_CPU_SCRATCH 16
#define X86_CPU_ENTRIES 24

#define X86_KSTACK_SIZE 32768

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

#include "arch/arch.h"

struct k_boot_image;

/* The one CPU: what the system call entry needs without a free register. */
typedef struct x86_cpu {
    arch_regs_t *user_frame; /* where the next system call saves the user registers */
    uintptr_t kstack_top;    /* the kernel stack, empty whenever user code runs */
    uint64_t scratch;        /* entry.S parks the user's rflags here for two instructions */
    uint64_t entries;        /* kernel entries so far: the clock (100 ns each) */
} x86_cpu_t;

extern x86_cpu_t x86_cpu0;
/* entry.S: zeroes the x87 data registers (see there). */
void x86_clear_x87(void);
/* paging.c tells arch_x86_64.c that CR3 changed: the x87 registers may
 * hold another task's data until cleared. */
void x86_space_changed(void);
extern uint8_t x86_kstack[X86_KSTACK_SIZE]; /* boot.S starts 64-bit code on it */

/* ---- start.c: what boot.S calls in 64-bit mode, with the Multiboot info ---- */
__attribute__((noreturn)) void x86_boot_main(uintptr_t mbi_phys);

/* ---- entry.S ---- */
void x86_syscall_entry(void);
__attribute__((noreturn)) void x86_enter_user(arch_regs_t *frame);
/* As x86_enter_user for a full frame (an interrupt saved it): every register,
 * the flags and the FPU state, by iretq. */
__attribute__((noreturn)) void x86_enter_user_full(arch_regs_t *frame);
/* Abandons the kernel stack and calls fn(a, b, c) at its top. */
__attribute__((noreturn)) void x86_restart(void (*fn)(unsigned, uint64_t, uint64_t), unsigned a, uint64_t b,
                                           uint64_t c);
extern const uint64_t x86_trap_stubs[48]; /* the IDT's handlers for vectors 0..47 */

/* ---- serial.c: COM1, where the trace and diagnostics go ---- */
void serial_init(void);
void serial_write(const char *s, size_t n);
void serial_puts(const char *s);
/* One diagnostic line: '!' first, so that microsim --machine=qemu sends it to
 * standard error and the trace lines alone to standard output. */
void x86_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- desc.c: GDT, TSS, IDT, system call MSRs ---- */
void desc_init(uintptr_t kstack_top, uintptr_t ist_top);
/* The TSS I/O bitmap allows exactly these ranges (all ports else denied). */
void x86_tss_io_permit(const arch_io_range_t *ranges, unsigned n);

/* ---- paging.c: the kernel half of every space, the direct map, CR3 and the TLB ---- */
/* Builds the kernel half (the first GiB at X86_KERNEL_BASE, supervisor only),
 * switches from boot.S's tables to the kernel's own space and hands the
 * physical memory from the end of the image to phys_end (capped at the
 * direct map) to the core's frame allocator (arch_phys_memory). */
void x86_paging_init(uint64_t phys_end);
/* A kernel pointer to physical memory below X86_DIRECT_MAP_SIZE. */
static inline void *phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)(pa + X86_KERNEL_BASE); }

/* ---- image.c: where the linker put the user image ---- */
/* The image's parts, as the core maps them into every space: code
 * (MS_RIGHT_READ | MS_RIGHT_EXEC), then constants (MS_RIGHT_READ). Returns
 * how many it wrote (at most max; empty parts are left out). */
unsigned image_user_parts(struct k_boot_image *parts, unsigned max);
/* A kernel pointer (through the direct map) to [va, va + len) of the user
 * image, or NULL if the range is not wholly inside one part. */
const void *image_user_kernel_ptr(uintptr_t va, size_t len);
/* The first physical address after the image (kernel and user image). */
uint64_t image_phys_end(void);

/* ---- trap.c ---- */
typedef struct x86_trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
} x86_trap_frame_t;
__attribute__((noreturn)) void x86_trap(x86_trap_frame_t *f);

/* ---- arch_x86_64.c ---- */
/* What x86_syscall_entry calls on the kernel stack: a kernel entry. */
__attribute__((noreturn)) void x86_syscall(void);
/* The run's options from the Multiboot command line. */
typedef struct x86_run_options {
    uint64_t max_events; /* 0: no limit */
} x86_run_options_t;
void x86_set_run_options(const x86_run_options_t *o);

#endif

#endif
