/* The arch interface over the real x86-64 CPU (booted by QEMU): ring 3, sysret, interrupts, COM1 (MMU: paging.c). */
#include "arch/arch.h"

#include "entry.h"
#include "rt.h"
#include "trace.h"
#include "trace_format.h"
#include "x86.h"
#include "x86_64.h"

#define ENTRY_COST_NS 100 /* as the hosted virtual clock: time = kernel entries x 100 ns */
#define ISA_DEBUG_EXIT 0xf4 /* QEMU's isa-debug-exit: writing v exits with (v << 1) | 1 */

_Static_assert(offsetof(arch_regs_t, full) == ARCH_REGS_COUNT * 8, "entry.S saves 18 registers, then full");
_Static_assert(offsetof(arch_regs_t, rdx) == 24 && offsetof(arch_regs_t, r12) == 56 &&
                   offsetof(arch_regs_t, rbx) == 88 && offsetof(arch_regs_t, rip) == 120 &&
                   offsetof(arch_regs_t, rflags) == 136,
               "entry.S's offsets are arch_regs_t's");
_Static_assert(offsetof(x86_cpu_t, kstack_top) == X86_CPU_KSTACK_TOP && offsetof(x86_cpu_t, scratch) == X86_CPU_SCRATCH &&
                   offsetof(x86_cpu_t, entries) == X86_CPU_ENTRIES,
               "entry.S's offsets are x86_cpu_t's");

x86_cpu_t x86_cpu0;

static x86_run_options_t options;
static uint64_t events;    /* trace events written so far */
static int stop_requested; /* --max-events reached: stop at the next return to user */
static int x87_stale;      /* CR3 changed since the x87 registers were cleared */

void x86_set_run_options(const x86_run_options_t *o)
{
    options = *o;
}

/* The system call vector: one kernel entry costs 100 ns of the clock. */
void x86_syscall(void)
{
    x86_cpu0.entries++;
    k_syscall_entry();
}

void x86_space_changed(void)
{
    x87_stale = 1;
}

/* ---- the arch interface ---- */

/* The core has loaded the thread's address space (arch_page_root_load)
 * before it calls this: what is left is the CPU's return to ring 3. */
void arch_return_to_user(arch_regs_t *regs)
{
    if (stop_requested)
        arch_halt(0);
    /* sysretq to a non-canonical rip faults in ring 0 on the user's stack: refuse. */
    if (regs->rip >= X86_USER_END)
        arch_panic("x86_64: user rip is not a canonical user address", regs);
    regs->rflags = (regs->rflags & (RFLAGS_ARITH | RFLAGS_DF | RFLAGS_AC)) | RFLAGS_IF | RFLAGS_FIXED;
    if (x87_stale) { /* another task's x87 data must not reach this one (a full frame's fxrstor would do too) */
        x86_clear_x87();
        x87_stale = 0;
    }
    if (regs->full)
        x86_enter_user_full(regs);
    x86_enter_user(regs);
}

void arch_regs_init(arch_regs_t *regs, uintptr_t entry, uintptr_t stack_top, uint64_t arg)
{
    rt_memset(regs, 0, sizeof *regs);
    regs->rip = entry;
    regs->rsp = stack_top;
    regs->rdi = arg;
    regs->rflags = RFLAGS_IF | RFLAGS_FIXED;
    regs->fpu[0] = 0x7f; /* FXSAVE layout: the x87 control word 0x037f, MXCSR 0x1f80, */
    regs->fpu[1] = 0x03; /* the FPU controls a thread starts with */
    regs->fpu[24] = 0x80;
    regs->fpu[25] = 0x1f;
}

/* The kernel idles only when an interrupt can wake a thread: wait for it
 * with interrupts on. It arrives through the IDT as a kernel entry
 * (x86_trap), which starts over on an empty kernel stack. */
void arch_idle(uint16_t wake_lines, uint64_t until_ns)
{
    (void)wake_lines;
    (void)until_ns; /* the PIT's ticks come on their own */
    for (;;)
        __asm__ volatile("sti; hlt; cli");
}

void arch_io_permit(const arch_io_range_t *ranges, unsigned n)
{
    x86_tss_io_permit(ranges, n);
}

uint8_t arch_inb(uint16_t port)
{
    return inb(port);
}

void arch_outb(uint16_t port, uint8_t value)
{
    outb(port, value);
}

void arch_halt(int status)
{
    outb(ISA_DEBUG_EXIT, (uint8_t)status);
    /* Still here: QEMU has no isa-debug-exit device (run by hand). */
    x86_diag("microsim: halted with status %d", status);
    halt_forever();
    __builtin_unreachable();
}

static void print_regs(const arch_regs_t *regs)
{
    static const char *const names[] = {"rax", "rdi", "rsi", "rdx", "r10", "r8",  "r9",  "r12", "r13",
                                        "r14", "r15", "rbx", "rbp", "rcx", "r11", "rip", "rsp", "rflags"};
    const uint64_t *slot = (const uint64_t *)regs;
    for (unsigned i = 0; i < ARCH_REGS_COUNT; i += 3)
        x86_diag("  %-6s 0x%016llx  %-6s 0x%016llx  %-6s 0x%016llx", names[i], (unsigned long long)slot[i],
                 names[i + 1], (unsigned long long)slot[i + 1], names[i + 2], (unsigned long long)slot[i + 2]);
}

/* The report has the hosted build's shape (sim/run.c), on diagnostic lines. */
void arch_panic(const char *msg, const arch_regs_t *regs)
{
    x86_diag("microsim: KERNEL PANIC: %s", msg);
    if (regs) {
        x86_diag("registers of the current thread:");
        print_regs(regs);
    }
    static k_trace_event_t last[16];
    unsigned n = trace_last(trace_ring(), last, 16);
    x86_diag("last %u trace events:", n);
    for (unsigned i = 0; i < n; i++) {
        char line[TRACE_LINE_MAX];
        trace_format_text(&last[i], line, sizeof line, 0);
        x86_diag("  %s", line);
    }
    arch_halt(1);
}

uint64_t arch_time_ns(void)
{
    return x86_cpu0.entries * ENTRY_COST_NS;
}

unsigned arch_cpu_id(void)
{
    return 0;
}

/* Nothing to do on real hardware: the hosted port tells Valgrind about
 * stacks; here a stack is just memory of its task. */
unsigned arch_stack_register(uintptr_t lo, uintptr_t hi)
{
    (void)lo;
    (void)hi;
    return 0;
}

void arch_stack_deregister(unsigned id)
{
    (void)id;
}

/* The text trace on COM1, line for line what `microsim SCENARIO` prints
 * (x86_boot_main wrote the column header). */
void arch_trace_drain(k_trace_ring_t *ring)
{
    char line[TRACE_LINE_MAX];
    k_trace_event_t ev;
    while (trace_read(ring, &ev)) {
        if (options.max_events && events >= options.max_events) {
            stop_requested = 1;
            ring->tail = ring->head;
            return;
        }
        events++;
        size_t n = trace_format_text(&ev, line, sizeof line, 0);
        serial_write(line, n < sizeof line ? n : sizeof line - 1);
        serial_write("\n", 1);
    }
    if (options.max_events && events >= options.max_events)
        stop_requested = 1;
}
