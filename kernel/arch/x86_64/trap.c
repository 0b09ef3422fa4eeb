/* The IDT's C side: IRQs and ring-3 exceptions enter the kernel; ring-0 exceptions, NMI, #DF, #MC panic with a dump. */
#include "entry.h"
#include "rt.h"
#include "x86.h"
#include "x86_64.h"

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
    "#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
    "#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "reserved 15", "#MF x87 error", "#AC alignment check", "#MC machine check",
    "#XM SIMD error", "#VE virtualization", "#CP control protection",
};

static const char *vector_name(uint64_t v)
{
    return exception_names[v] ? exception_names[v] : "reserved exception";
}

static void dump_frame(const x86_trap_frame_t *f)
{
    x86_diag("  rip    0x%016llx  cs     0x%04llx  rflags 0x%016llx", (unsigned long long)f->rip,
             (unsigned long long)f->cs, (unsigned long long)f->rflags);
    x86_diag("  rsp    0x%016llx  ss     0x%04llx  cr2    0x%016llx", (unsigned long long)f->rsp,
             (unsigned long long)f->ss, (unsigned long long)read_cr2());
    x86_diag("  rax    0x%016llx  rbx    0x%016llx  rcx    0x%016llx", (unsigned long long)f->rax,
             (unsigned long long)f->rbx, (unsigned long long)f->rcx);
    x86_diag("  rdx    0x%016llx  rsi    0x%016llx  rdi    0x%016llx", (unsigned long long)f->rdx,
             (unsigned long long)f->rsi, (unsigned long long)f->rdi);
    x86_diag("  rbp    0x%016llx  r8     0x%016llx  r9     0x%016llx", (unsigned long long)f->rbp,
             (unsigned long long)f->r8, (unsigned long long)f->r9);
    x86_diag("  r10    0x%016llx  r11    0x%016llx  r12    0x%016llx", (unsigned long long)f->r10,
             (unsigned long long)f->r11, (unsigned long long)f->r12);
    x86_diag("  r13    0x%016llx  r14    0x%016llx  r15    0x%016llx", (unsigned long long)f->r13,
             (unsigned long long)f->r14, (unsigned long long)f->r15);
}

/* A trap from ring 3 belongs to the current thread: its registers go into its
 * frame, so the panic report shows them like any saved user state. */
static arch_regs_t *save_user_frame(const x86_trap_frame_t *f)
{
    arch_regs_t *r = x86_cpu0.user_frame;
    if (!r)
        return NULL;
    *r = (arch_regs_t){.rax = f->rax, .rdi = f->rdi, .rsi = f->rsi, .rdx = f->rdx, .r10 = f->r10, .r8 = f->r8,
                       .r9 = f->r9, .r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15, .rbx = f->rbx,
                       .rbp = f->rbp, .rcx = f->rcx, .r11 = f->r11, .rip = f->rip, .rsp = f->rsp,
                       .rflags = f->rflags};
    return r;
}

/* The interrupted user thread's whole state goes into its frame, FPU
 * included, for an iretq back to it later. */
static void save_full_frame(const x86_trap_frame_t *f)
{
    arch_regs_t *r = save_user_frame(f);
    if (!r)
        return;
    r->full = 1;
    __asm__ volatile("fxsave %0" : "=m"(r->fpu));
}

/* A kernel entry on an empty kernel stack, for an interrupt line or a user
 * exception: from user mode the thread's state is saved first; from the idle
 * loop there is nothing to keep. */
static void enter_kernel(x86_trap_frame_t *f, uint64_t error, uint64_t addr)
{
    if ((f->cs & 3) == 3)
        save_full_frame(f);
    x86_cpu0.entries++;
    x86_restart(k_interrupt_entry, (unsigned)f->vector, error, addr);
}

/* Interrupt lines and exceptions of user code go to the kernel (which
 * delivers the latter to the task's fault handler). An exception in the
 * kernel, a double fault, NMI or machine check is a bug or a dying machine:
 * the dump and a panic with status 1. */
void x86_trap(x86_trap_frame_t *f)
{
    if (f->vector >= 32 && f->vector < 48)
        enter_kernel(f, 0, 0);
    if ((f->cs & 3) == 3 && f->vector != 2 && f->vector != 8 && f->vector != 18)
        enter_kernel(f, f->error, f->vector == 14 ? read_cr2() : 0);
    int user = (f->cs & 3) == 3;
    char msg[160];
    rt_snprintf(msg, sizeof msg, "%s (vector %llu, error 0x%llx) in %s mode at rip 0x%llx", vector_name(f->vector),
                (unsigned long long)f->vector, (unsigned long long)f->error, user ? "user" : "kernel",
                (unsigned long long)f->rip);
    x86_diag("microsim: x86_64: %s", msg);
    dump_frame(f);
    arch_panic(msg, user ? save_user_frame(f) : NULL);
}
