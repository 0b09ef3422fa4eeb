/* The CPU's tables: GDT (kernel and user segments, TSS), TSS (ring-0 stack, I/O bitmap), IDT, and the syscall MSRs. */
#include "rt.h"
#include "x86.h"
#include "x86_64.h"

/* The TSS of 64-bit mode, followed by its I/O permission bitmap: one bit per
 * port, set = denied to ring 3, plus the terminating 0xff byte the CPU may read. */
typedef struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3]; /* rsp[0]: the stack of an interrupt or exception from ring 3 */
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base; /* offset of the bitmap from the TSS base */
    uint8_t iomap[65536 / 8 + 1];
} tss_t;

typedef struct __attribute__((packed)) idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} idt_gate_t;

typedef struct __attribute__((packed)) table_ptr {
    uint16_t limit;
    uint64_t base;
} table_ptr_t;

static uint64_t gdt[8] __attribute__((aligned(16)));
static tss_t tss __attribute__((aligned(16)));
static idt_gate_t idt[256] __attribute__((aligned(16)));

#define IDT_INTERRUPT_GATE 0x8e /* present, DPL 0, 64-bit interrupt gate (IF cleared) */
#define IDT_USER_GATE 0xee      /* the same with DPL 3: int3 and into may raise it from ring 3 */
#define IST_EMERGENCY 1         /* #DF, NMI and #MC run on their own stack */

/* A 64-bit TSS descriptor takes two GDT slots. */
static void set_tss_descriptor(uint64_t *slot, uintptr_t base, uint32_t limit)
{
    slot[0] = (limit & 0xffffu) | ((base & 0xffffffu) << 16) | (0x89ull << 40) /* present, 64-bit TSS */ |
              ((uint64_t)((limit >> 16) & 0xf) << 48) | ((uint64_t)((base >> 24) & 0xff) << 56);
    slot[1] = base >> 32;
}

static void gdt_init(void)
{
    gdt[0] = 0;
    gdt[X86_SEL_KCODE / 8] = 0x00af9a000000ffffull;       /* 64-bit code, ring 0 */
    gdt[X86_SEL_KDATA / 8] = 0x00cf92000000ffffull;       /* data, ring 0 */
    gdt[X86_SEL_SYSRET_BASE / 8] = 0;                     /* 32-bit user code: none */
    gdt[X86_SEL_UDATA / 8] = 0x00cff2000000ffffull;       /* data, ring 3 */
    gdt[X86_SEL_UCODE / 8] = 0x00affa000000ffffull;       /* 64-bit code, ring 3 */
    set_tss_descriptor(&gdt[X86_SEL_TSS / 8], (uintptr_t)&tss, sizeof tss - 1);
    table_ptr_t p = {.limit = sizeof gdt - 1, .base = (uintptr_t)gdt};
    __asm__ volatile("lgdt %0" : : "m"(p));
    /* Reload CS with a far return, then the data segments and the task register. */
    __asm__ volatile("pushq %0\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w1, %%ds\n\t"
                     "movw %w1, %%es\n\t"
                     "movw %w1, %%ss\n\t"
                     :
                     : "i"(X86_SEL_KCODE), "r"(X86_SEL_KDATA)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(X86_SEL_TSS));
}

static void tss_init(uintptr_t kstack_top, uintptr_t ist_top)
{
    rt_memset(&tss, 0, sizeof tss);
    tss.rsp[0] = kstack_top;
    tss.ist[IST_EMERGENCY - 1] = ist_top;
    tss.iomap_base = (uint16_t)offsetof(tss_t, iomap);
    /* Every port denied to user code until x86_tss_io_permit() clears the
     * bits of a task's port grants. */
    rt_memset(tss.iomap, 0xff, sizeof tss.iomap);
}

/* What the bitmap allows now, to deny it again cheaply at the next change. */
static arch_io_range_t allowed[ARCH_IO_RANGES_MAX];
static unsigned nallowed;

static void set_ports(const arch_io_range_t *r, int allow)
{
    for (uint32_t p = r->first; p <= r->last; p++) {
        if (allow)
            tss.iomap[p / 8] &= (uint8_t)~(1u << (p % 8));
        else
            tss.iomap[p / 8] |= (uint8_t)(1u << (p % 8));
    }
}

void x86_tss_io_permit(const arch_io_range_t *ranges, unsigned n)
{
    for (unsigned i = 0; i < nallowed; i++)
        set_ports(&allowed[i], 0);
    nallowed = n < ARCH_IO_RANGES_MAX ? n : ARCH_IO_RANGES_MAX;
    for (unsigned i = 0; i < nallowed; i++) {
        allowed[i] = ranges[i];
        set_ports(&allowed[i], 1);
    }
}

static void set_gate(unsigned vec, uint64_t handler, uint8_t ist)
{
    idt[vec] = (idt_gate_t){.offset_lo = (uint16_t)handler,
                            .selector = X86_SEL_KCODE,
                            .ist = ist,
                            .type_attr = vec == 3 || vec == 4 ? IDT_USER_GATE : IDT_INTERRUPT_GATE,
                            .offset_mid = (uint16_t)(handler >> 16),
                            .offset_hi = (uint32_t)(handler >> 32)};
}

/* Vectors 0-31 are the CPU's exceptions and 32-47 the 8259's IRQs, as on the
 * simulated PC; system calls come through `syscall`, not a vector. x86_trap
 * sends IRQs and user exceptions to the kernel and panics on the rest. #BP
 * and #OF are user-callable (int3, into), as Linux makes them: the simulated
 * PC reports int3 as #BP too. Other vectors are absent: `int n` is a #GP. */
static void idt_init(void)
{
    rt_memset(idt, 0, sizeof idt);
    for (unsigned v = 0; v < 48; v++)
        set_gate(v, x86_trap_stubs[v], v == 2 || v == 8 || v == 18 ? IST_EMERGENCY : 0);
    table_ptr_t p = {.limit = sizeof idt - 1, .base = (uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(p));
}

/* syscall enters at x86_syscall_entry with CS/SS from STAR[47:32], interrupts,
 * single-step, direction, alignment check and NT cleared (FMASK); sysretq
 * returns to the user selectors from STAR[63:48]. */
static void syscall_init(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    wrmsr(MSR_STAR, ((uint64_t)(X86_SEL_SYSRET_BASE | 3) << 48) | ((uint64_t)X86_SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uintptr_t)x86_syscall_entry);
    wrmsr(MSR_FMASK, RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT | RFLAGS_AC);
}

/* User code may use SSE (the compiler emits it); the kernel never does
 * (-mgeneral-regs-only). An interrupt or exception from ring 3 saves the FPU
 * and vector registers into the thread's full frame (fxsave in trap.c), and
 * the iretq return restores them (fxrstor in entry.S); a system call
 * clobbers them by the ABI and saves nothing. */
static void sse_init(void)
{
    write_cr0((read_cr0() & ~(uint64_t)CR0_EM) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

void desc_init(uintptr_t kstack_top, uintptr_t ist_top)
{
    tss_init(kstack_top, ist_top);
    gdt_init();
    idt_init();
    syscall_init();
    sse_init();
}
