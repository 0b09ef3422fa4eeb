/* The arch interface over the simulated PC (hwmodel/): the kernel's only contact with the host. */
#include <assert.h>
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "arch/arch.h"
#include "boot.h"
#include "hwmodel/clock.h"
#include "hwmodel/cpu.h"
#include "hwmodel/cpu_layout.h"
#include "hwmodel/mmu.h"
#include "hwmodel/pc.h"
#include "entry.h"
#include "interrupt.h"
#include "hosted.h"

#define DEFAULT_ENTRY_COST_NS 100

static_assert((int)HOSTED_CLOCK_VIRTUAL == (int)HW_CLOCK_VIRTUAL && (int)HOSTED_CLOCK_HOST == (int)HW_CLOCK_HOST &&
                  (int)HOSTED_CLOCK_STEP == (int)HW_CLOCK_STEP,
              "the same clocks");
static_assert(ARCH_REGS_COUNT == HW_NREGS, "arch_regs_t is the CPU's register file");
static_assert(offsetof(arch_regs_t, full) == HW_FRAME_FULL, "register file layout");
static_assert(offsetof(arch_regs_t, fpu) == HW_FRAME_FPU, "register file layout");
static_assert(offsetof(arch_regs_t, rax) == HW_REG_RAX * 8, "register file order");
static_assert(offsetof(arch_regs_t, rdi) == HW_REG_RDI * 8, "register file order");
static_assert(offsetof(arch_regs_t, rsi) == HW_REG_RSI * 8, "register file order");
static_assert(offsetof(arch_regs_t, rdx) == HW_REG_RDX * 8, "register file order");
static_assert(offsetof(arch_regs_t, r10) == HW_REG_R10 * 8, "register file order");
static_assert(offsetof(arch_regs_t, r8) == HW_REG_R8 * 8, "register file order");
static_assert(offsetof(arch_regs_t, r9) == HW_REG_R9 * 8, "register file order");
static_assert(offsetof(arch_regs_t, r12) == HW_REG_R12 * 8, "register file order");
static_assert(offsetof(arch_regs_t, r15) == HW_REG_R15 * 8, "register file order");
static_assert(offsetof(arch_regs_t, rbx) == HW_REG_RBX * 8, "register file order");
static_assert(offsetof(arch_regs_t, rbp) == HW_REG_RBP * 8, "register file order");
static_assert(offsetof(arch_regs_t, rcx) == HW_REG_RCX * 8, "register file order");
static_assert(offsetof(arch_regs_t, rip) == HW_REG_RIP * 8, "register file order");
static_assert(offsetof(arch_regs_t, rsp) == HW_REG_RSP * 8, "register file order");
static_assert(offsetof(arch_regs_t, rflags) == HW_REG_RFLAGS * 8, "register file order");

/* The machine being run (one at a time per process). */
static struct {
    hosted_config_t cfg;
    hw_clock_t clock;
    uint64_t pc_ns; /* the time the PC's devices have reached */
    uint64_t entries;
    uint64_t steps_seen; /* of hw_cpu0.steps, those the clock has counted */
    const arch_regs_t *step_frame; /* hosted_step(): step this frame's thread when it returns */
    arch_regs_t *stepping;         /* the frame now running a requested single step */
    int host_timer; /* the INTR pin is driven by a host interval timer */
    timer_t timer;
    uint64_t timer_period_ns; /* the PIT period it runs at (0: not armed) */
    hw_pc_t pc;
    hw_physmem_t ram;
    hw_mmu_t mmu;
    k_boot_info_t boot;
    volatile int stop_requested;
    int x87_stale; /* the address space changed: the x87 registers may hold another task's data */
    hosted_outcome_t outcome;
    int status;
} m;

/* ---- the arch interface ---- */

static void interrupt_vector(void *vector);
static void sync_devices(void);
static void poll_console(void);
static void clear_x87(void);

/* User code runs one trapped instruction at a time: on the step clock, the
 * CPU comes back when the PIT's next edge is due; for hosted_step(), after
 * one instruction. */
static void arm_step(arch_regs_t *regs, int one)
{
    uint64_t ns = hw_pit_next_event_ns(&m.pc.pit);
    uint64_t budget = ns == HW_PIT_NEVER ? 0 : (ns + HW_CLOCK_STEP_NS - 1) / HW_CLOCK_STEP_NS;
    if (one)
        budget = 1;
    hw_cpu0.step_budget = budget;
    hw_cpu0.steps = 0;
    m.steps_seen = 0;
    hw_cpu_arm_step((uint64_t *)regs);
}

/* The requested step is over, whichever way the thread came back. */
static void step_over(void)
{
    arch_regs_t *regs = m.stepping;
    m.stepping = NULL;
    hw_cpu_clear_step((uint64_t *)regs);
    if (m.cfg.sink.stepped)
        m.cfg.sink.stepped(m.cfg.sink.ctx, regs);
}

static inline void step_done(void)
{
    if (m.stepping)
        step_over();
}

void hosted_step(const arch_regs_t *regs)
{
    m.step_frame = regs;
}

/* Entering user mode enables interrupts: a pending one is taken first, as a
 * new kernel entry on an empty kernel stack (the frame is saved already). */
void arch_return_to_user(arch_regs_t *regs)
{
    if (m.stop_requested) {
        m.outcome = HOSTED_STOPPED;
        m.status = 0;
        hw_cpu_halt();
    }
    if (m.clock.kind == HW_CLOCK_HOST) {
        sync_devices(); /* host time went on while the kernel ran */
        poll_console();
    }
    if (m.x87_stale) {
        clear_x87();
        m.x87_stale = 0;
    }
    if (hw_pic_pending(&m.pc.pic))
        hw_cpu_restart(interrupt_vector, (void *)(uintptr_t)hw_pic_ack(&m.pc.pic));
    int one = m.step_frame == regs;
    if (m.clock.kind == HW_CLOCK_STEP || one) {
        hw_cpu0.step = 1;
        if (one) {
            m.step_frame = NULL;
            m.stepping = regs;
        }
        arm_step(regs, one);
    } else {
        hw_cpu0.step = 0;
        if (regs->full)
            hw_cpu_clear_step((uint64_t *)regs); /* it was saved while stepping */
    }
    hw_cpu_enter_user((uint64_t *)regs);
}

void arch_regs_init(arch_regs_t *regs, uintptr_t entry, uintptr_t stack_top, uint64_t arg)
{
    memset(regs, 0, sizeof *regs);
    regs->rip = entry;
    regs->rsp = stack_top;
    regs->rdi = arg;
    regs->rflags = 0x202; /* IF set, as user mode always runs */
    uint16_t fcw = HW_FCW_DEFAULT; /* the FPU controls a thread starts with */
    uint32_t mxcsr = HW_MXCSR_DEFAULT;
    memcpy((char *)regs + HW_FRAME_FCW, &fcw, sizeof fcw);
    memcpy((char *)regs + HW_FRAME_MXCSR, &mxcsr, sizeof mxcsr);
}

/* COM1's receiver gets what console_in has, as much as its FIFO takes.
 * Returns 0 once nothing more can arrive: the input has ended, or the FIFO
 * is full (and, the caller saw, no interrupt says so: the UART's interrupt
 * is off, and only the idle driver could empty it). */
static int feed_console(void)
{
    if (m.cfg.console_in < 0)
        return 0;
    uint8_t buf[HW_UART_FIFO_SIZE];
    unsigned room = hw_uart_rx_room(&m.pc.uart);
    if (room == 0)
        return 0;
    ssize_t n = read(m.cfg.console_in, buf, room < sizeof buf ? room : sizeof buf);
    if (n <= 0) {
        m.cfg.console_in = -1;
        return 0;
    }
    for (ssize_t i = 0; i < n; i++)
        hw_uart_receive(&m.pc.uart, buf[i]);
    return 1;
}

/* On the host clock, keys come in real time, as on hardware: once a driver
 * has enabled COM1's receive interrupt, COM1 takes what standard input has
 * ready at every return to user mode, so a busy CPU does not keep the
 * console from its input. (Before that, a real UART would lose the keys;
 * here they wait. The virtual and step clocks read input only when idle,
 * so that a run's trace does not depend on when the input arrives.) */
static void poll_console(void)
{
    struct pollfd p = {.fd = m.cfg.console_in, .events = POLLIN};
    if (m.cfg.console_in >= 0 && hw_uart_rx_irq_enabled(&m.pc.uart) && hw_uart_rx_room(&m.pc.uart) &&
        poll(&p, 1, 0) == 1)
        feed_console();
}

/* An alarm is due at until_ns: time goes on to it, and the PIT's IRQ 0
 * takes the kernel's tick there (which fires the alarm). On the virtual and
 * step clocks nothing else happens in between, so the clock jumps straight
 * to the alarm (the PIT plays the edges it missed as one IRQ 0, as an 8259
 * would with interrupts off), or to the next edge if the alarm is due
 * already; on the host clock the CPU sleeps until the host timer's signal. */
static void wait_for_tick(uint64_t until_ns)
{
    if (m.clock.kind == HW_CLOCK_HOST) {
        struct timespec t = {.tv_sec = 0, .tv_nsec = 100000};
        nanosleep(&t, NULL);
    } else if (m.clock.now_ns < until_ns) {
        m.clock.now_ns = until_ns;
    } else {
        uint64_t ns = hw_pit_next_event_ns(&m.pc.pit);
        if (ns != HW_PIT_NEVER)
            m.clock.now_ns += ns ? ns : 1;
    }
    sync_devices();
}

/* The idle CPU waits for the next interrupt that can wake a thread. On the
 * virtual clock nothing else happens in between: the only source of such
 * interrupts is COM1's input, read now (real hardware would sit in hlt until
 * a key arrives). Returns when none can come any more. */
void arch_idle(uint16_t wake_lines, uint64_t until_ns)
{
    for (;;) {
        if (hw_pic_pending(&m.pc.pic))
            hw_cpu_restart(interrupt_vector, (void *)(uintptr_t)hw_pic_ack(&m.pc.pic));
        if ((wake_lines & (1u << HW_UART_COM1_IRQ)) && feed_console())
            continue;
        if (!until_ns)
            return;
        wait_for_tick(until_ns);
    }
}

void arch_io_permit(const arch_io_range_t *ranges, unsigned n)
{
    hw_io_range_t io[HW_CPU_IO_RANGES];
    unsigned count = n < HW_CPU_IO_RANGES ? n : HW_CPU_IO_RANGES;
    for (unsigned i = 0; i < count; i++)
        io[i] = (hw_io_range_t){.first = ranges[i].first, .last = ranges[i].last};
    hw_cpu_set_io_permissions(&m.pc.bus, io, count);
}

uint8_t arch_inb(uint16_t port)
{
    return (uint8_t)hw_portbus_in(&m.pc.bus, port, 1);
}

void arch_outb(uint16_t port, uint8_t value)
{
    hw_portbus_out(&m.pc.bus, port, 1, value);
}

void arch_halt(int status)
{
    m.outcome = HOSTED_HALTED;
    m.status = status;
    hw_cpu_halt();
}

void arch_panic(const char *msg, const arch_regs_t *regs)
{
    if (m.cfg.sink.panic)
        m.cfg.sink.panic(m.cfg.sink.ctx, msg, regs, trace_ring());
    m.outcome = HOSTED_PANIC;
    m.status = 1;
    hw_cpu_halt();
}

uint64_t arch_time_ns(void)
{
    return hw_clock_now(&m.clock);
}

unsigned arch_cpu_id(void)
{
    return 0;
}

/* Frame 0 stays unused, so that physical address 0 means "none". */
void arch_phys_memory(uint64_t *base, uint64_t *size)
{
    *base = 4096u;
    *size = m.ram.size - 4096u;
}

void *arch_phys_to_kernel(uint64_t pa)
{
    return m.ram.map + pa;
}

/* The hosted kernel lives in the simulator's memory, not in simulated
 * memory: its part of every space is empty. (On x86-64 it is the kernel's
 * supervisor-only mappings.) */
void arch_page_root_init(uint64_t *pml4)
{
    (void)pml4;
}

void arch_page_root_load(uint64_t root)
{
    hw_mmu_load_cr3(&m.mmu, root);
    m.x87_stale = 1;
}

/* The x87 data registers must not carry one task's data to another (the
 * vector registers are zeroed at every return to another thread, in
 * cpu_entry.S). Cleared through their MMX aliases: an MMX write zeroes a
 * register's 64-bit mantissa and sets its exponent to all ones, emms
 * empties the stack again, fnclex drops the exception flags. (fninit would
 * only mark them empty: fxsave would still show them.) Done when the
 * address space has changed, not at every thread switch, as it costs more
 * than the vector registers' zero idioms. */
static void clear_x87(void)
{
    __asm__ volatile("pxor %%mm0, %%mm0\n\tpxor %%mm1, %%mm1\n\tpxor %%mm2, %%mm2\n\tpxor %%mm3, %%mm3\n\t"
                     "pxor %%mm4, %%mm4\n\tpxor %%mm5, %%mm5\n\tpxor %%mm6, %%mm6\n\tpxor %%mm7, %%mm7\n\t"
                     "emms\n\tfnclex" ::
                         : "mm0", "mm1", "mm2", "mm3", "mm4", "mm5", "mm6", "mm7", "st", "st(1)", "st(2)",
                           "st(3)", "st(4)", "st(5)", "st(6)", "st(7)");
}

void arch_tlb_flush_page(uint64_t root, uintptr_t va)
{
    hw_mmu_invlpg(&m.mmu, root, va);
}

unsigned arch_stack_register(uintptr_t lo, uintptr_t hi)
{
    return hw_cpu_stack_register(lo, hi);
}

void arch_stack_deregister(unsigned id)
{
    hw_cpu_stack_deregister(id);
}

void arch_trace_drain(k_trace_ring_t *ring)
{
    if (m.cfg.sink.events)
        m.cfg.sink.events(m.cfg.sink.ctx, ring);
    else
        ring->tail = ring->head;
}

/* ---- the machine ---- */

/* The host timer follows the PIT's period: its signal arrives just after
 * each IRQ 0 is due. (The real PIT needs no help: it is its own clock.) */
static void follow_pit(void)
{
    uint64_t period = hw_pit_period_ns(&m.pc.pit);
    if (period == m.timer_period_ns)
        return;
    struct timespec p = {.tv_sec = (time_t)(period / 1000000000u), .tv_nsec = (long)(period % 1000000000u)};
    struct itimerspec its = {.it_interval = p, .it_value = p};
    timer_settime(m.timer, 0, &its, NULL);
    m.timer_period_ns = period;
}

/* The devices catch up with the CPU's clock. */
static void sync_devices(void)
{
    uint64_t now = hw_clock_now(&m.clock);
    if (now > m.pc_ns) {
        hw_pc_advance(&m.pc, now - m.pc_ns);
        m.pc_ns = now;
    }
    if (m.host_timer)
        follow_pit();
}

/* The user instructions stepped since the last look take their time. */
static void account_steps(void)
{
    uint64_t steps = hw_cpu0.steps;
    hw_clock_add_steps(&m.clock, steps - m.steps_seen);
    m.steps_seen = steps;
}

/* A user in/out is about to reach a device: the devices catch up first. */
static void io_sync(void)
{
    account_steps();
    sync_devices();
}

/* Every kernel entry costs the same virtual time, on the CPU's clock and the
 * PIT's alike. */
static void tick_entry(void)
{
    step_done();
    account_steps();
    m.entries++;
    hw_clock_tick_entry(&m.clock);
    sync_devices();
}

/* The system call vector. */
static void syscall_vector(void)
{
    hw_cpu_entered_kernel();
    tick_entry();
    k_syscall_entry();
}

/* A CPU exception from user code (hwmodel's trap gate). */
static void exception_vector(unsigned vector, uint64_t error, uint64_t addr)
{
    hw_cpu_trap_landed();
    hw_cpu_entered_kernel();
    tick_entry();
    k_interrupt_entry(vector, error, addr);
}

/* A trap while the kernel ran: a kernel bug, reported as a panic. */
static void kernel_fault(unsigned vector, uint64_t rip, uint64_t addr)
{
    char msg[256];
    Dl_info where = {0};
    /* file+offset is what addr2line -e file takes, whatever the load address. */
    if (dladdr((void *)(uintptr_t)rip, &where) && where.dli_fname) {
        const char *file = strrchr(where.dli_fname, '/');
        snprintf(msg, sizeof msg, "CPU exception %u in the kernel at rip %#llx (%s+%#llx, address %#llx)", vector,
                 (unsigned long long)rip, file ? file + 1 : where.dli_fname,
                 (unsigned long long)(rip - (uintptr_t)where.dli_fbase), (unsigned long long)addr);
    } else {
        snprintf(msg, sizeof msg, "CPU exception %u in the kernel at rip %#llx (address %#llx)", vector,
                 (unsigned long long)rip, (unsigned long long)addr);
    }
    arch_panic(msg, NULL);
}

/* The INTR pin rose in user mode (host clock), or the step budget ran out
 * (step clock): the PIT has caught up and may have raised IRQ 0. If no
 * interrupt is pending after all, the thread goes on where it was, and the
 * kernel never knew. */
static void intr_vector(void)
{
    hw_cpu_trap_landed();
    hw_cpu_entered_kernel();
    account_steps();
    sync_devices();
    step_done();
    arch_return_to_user((arch_regs_t *)hw_cpu0.user_frame); /* takes the interrupt, if any */
}

/* An interrupt vector, taken where the CPU enabled interrupts. */
static void interrupt_vector(void *vector)
{
    hw_cpu_entered_kernel();
    tick_entry();
    k_interrupt_entry((unsigned)(uintptr_t)vector, 0, 0);
}

static void boot_vector(void *arg)
{
    hw_cpu_entered_kernel();
    k_boot(arg);
}

/* Simulated RAM, and the MMU's window at the user addresses the x86-64
 * port uses too, so that user addresses (and traces that show them) are the
 * same on both machines. */
static int start_memory(void)
{
    uint64_t bytes = m.cfg.mem_bytes ? m.cfg.mem_bytes : HOSTED_MEM_DEFAULT;
    if (hw_physmem_init(&m.ram, bytes) != 0)
        return -1;
    if (hw_mmu_init(&m.mmu, &m.ram, MS_USER_BASE, MS_USER_END - MS_USER_BASE, m.cfg.mmu_fast) != 0) {
        int saved = errno;
        hw_physmem_fini(&m.ram);
        errno = saved;
        return -1;
    }
    return 0;
}

static void stop_memory(void)
{
    hw_mmu_fini(&m.mmu);
    hw_physmem_fini(&m.ram);
}

/* dl_iterate_phdr reports the executable first: its read-only loadable
 * segments hold the user programs' code and constants. */
static int collect_image(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    k_boot_info_t *boot = data;
    for (unsigned i = 0; i < info->dlpi_phnum && boot->nimage < ASPACE_IMAGE_REGIONS; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && !(ph->p_flags & PF_W))
            boot->image[boot->nimage++] =
                (k_region_t){.base = info->dlpi_addr + ph->p_vaddr, .size = ph->p_memsz};
    }
    return 1;
}

/* The bus reports each port nobody answers, once: into the trace. */
static void port_unclaimed(void *ctx, uint16_t port, unsigned size, bool write)
{
    (void)ctx;
    trace_io_unclaimed(port, size, write);
}

/* The host clock's interval timer raises the CPU's INTR pin; it is armed
 * once the kernel has programmed the PIT. */
static int start_host_timer(void)
{
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = HW_CPU_INTR_SIGNAL};
    if (timer_create(CLOCK_MONOTONIC, &ev, &m.timer) != 0)
        return -1;
    m.host_timer = 1;
    return 0;
}

/* Valgrind runs user code on its own CPU, which ignores the trap flag: under
 * it the step clock cannot count instructions, and the host timer stands in. */
static hw_clock_kind_t effective_clock(hw_clock_kind_t want)
{
    if (want == HW_CLOCK_STEP && RUNNING_ON_VALGRIND) {
        fprintf(stderr, "microsim: Valgrind ignores the trap flag: --clock=step runs on the host clock instead\n");
        return HW_CLOCK_HOST;
    }
    return want;
}

static int start_clock(void)
{
    hw_cpu0.step = m.clock.kind == HW_CLOCK_STEP;
    hw_cpu0.io_sync = io_sync;
    if (hw_cpu_intr_install(intr_vector) != 0)
        return -1;
    return m.clock.kind == HW_CLOCK_HOST ? start_host_timer() : 0;
}

static void stop_clock(void)
{
    if (m.host_timer)
        timer_delete(m.timer); /* a signal still queued from it goes too */
    m.host_timer = 0;
    hw_cpu_intr_remove();
}

int hosted_run(const hosted_config_t *cfg, hosted_result_t *result)
{
    memset(&m, 0, sizeof m);
    m.cfg = *cfg;
    hw_clock_init(&m.clock, effective_clock((hw_clock_kind_t)cfg->clock),
                  cfg->entry_cost_ns ? cfg->entry_cost_ns : DEFAULT_ENTRY_COST_NS);
    m.boot.manifest = cfg->manifest;
    m.boot.seed = cfg->seed;
    m.boot.trace_mask = cfg->trace_mask;
    m.boot.no_fastpath = cfg->no_fastpath;
    m.boot.check_invariants = cfg->check_invariants;
    m.boot.stats = cfg->stats;
    /* On a real machine the loader maps the image's code and constants
     * read-only into every address space; here they are the simulator
     * executable's own read-only segments, which tasks may read. */
    dl_iterate_phdr(collect_image, &m.boot);
    if (hw_pc_init(&m.pc, cfg->console_out, port_unclaimed, cfg->console_ctx) != 0) {
        errno = EINVAL;
        return -1;
    }
    if (start_memory() != 0)
        return -1;
    if (hw_cpu_init(syscall_vector) != 0) {
        int saved = errno;
        stop_memory();
        errno = saved;
        return -1;
    }
    hw_cpu0.mmu = &m.mmu;
    hw_cpu_traps_install(exception_vector, kernel_fault);
    if (start_clock() != 0) {
        int saved = errno;
        stop_clock();
        hw_cpu_traps_remove();
        hw_cpu_fini();
        stop_memory();
        errno = saved;
        return -1;
    }
    hw_cpu_run(boot_vector, &m.boot);
    stop_clock();
    hw_cpu_traps_remove();
    hw_cpu_fini();
    *result = (hosted_result_t){.outcome = m.outcome, .status = m.status, .time_ns = hw_clock_now(&m.clock),
                                .entries = m.entries, .tlb_fills = m.mmu.fills,
                                .mmu_host_calls = m.mmu.host_calls, .cr3_loads = m.mmu.switches};
    stop_memory();
    return 0;
}

void hosted_request_stop(void)
{
    m.stop_requested = 1;
}
