/* The x86-64 port's own declarations: memory layout, per-CPU state, and its parts (serial, descriptors, paging, traps). */
#ifndef X86_64_H
#define X86_64_H

/*
 * Virtual memory (docs/X86_64.md draws it):
 *   0x0000000000400000  the user image: code and constants of services/ and
 *                       examples/, mapped read-only and user-accessible in
 *                       every address space
 *   0x0000000010000000  task i's memory at X86_USER_TASK_BASE + i * X86_USER_TASK_STRIDE,
 *                       user read-write, mapped only in task i's space
 *   0xffffffff80000000  the kernel: the first GiB of physical memory mapped
 *                       1:1 above this base (supervisor only, in every space)
 */
#define X86_KERNEL_BASE 0xffffffff80000000
#define X86_USER_IMAGE_BASE 0x400000
#define X86_USER_TASK_BASE 0x10000000  /* MS_USER_TASK_BASE (ms_manifest.h) */
#define X86_USER_TASK_STRIDE 0x1000000 /* MS_USER_TASK_STRIDE: 16 MiB per task slot */
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

/* The one CPU: what the system call entry needs without a free register. */
typedef struct x86_cpu {
    arch_regs_t *user_frame; /* where the next system call saves the user registers */
    uintptr_t kstack_top;    /* the kernel stack, empty whenever user code runs */
    uint64_t scratch;        /* entry.S parks the user's rflags here for two instructions */
    uint64_t entries;        /* kernel entries so far: the clock (100 ns each) */
} x86_cpu_t;

extern x86_cpu_t x86_cpu0;
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


/* ---- paging.c: physical frames and the page tables of each address space ---- */
/* Frames from [start, end) physical; the kernel's 1 GiB window must cover them. */
void paging_init(uintptr_t phys_start, uintptr_t phys_end);
/* Zeroed, physically contiguous pages; returns the physical address or 0. */
uintptr_t paging_alloc(size_t bytes);
/* A kernel pointer to physical memory. */
static inline void *phys_to_virt(uintptr_t pa) { return (void *)(pa + X86_KERNEL_BASE); }
/* A new address space: the kernel, the user image, and (if size) [va, va+size)
 * mapped read-write to physical pa. Returns its CR3 value (0: out of memory). */
uintptr_t paging_new_space(uintptr_t va, uintptr_t pa, uintptr_t size);

/* ---- image.c: the user image linked into the kernel ---- */
uintptr_t image_user_start(void);
uintptr_t image_user_end(void);
uintptr_t image_user_phys(void);
uintptr_t image_phys_end(void);

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
/* The address space that user addresses [va, va+len) belong to: the kernel
 * pointer to them, or NULL if they are not wholly inside one mapped region. */
void *x86_user_ptr(uintptr_t va, size_t len);
/* Registers task slot i's memory (virtual base, size, physical base, CR3). */
void x86_add_space(unsigned slot, uintptr_t va, uintptr_t size, uintptr_t pa, uintptr_t cr3);
/* The run's options from the Multiboot command line. */
typedef struct x86_run_options {
    uint64_t max_events; /* 0: no limit */
} x86_run_options_t;
void x86_set_run_options(const x86_run_options_t *o);

#endif

#endif
