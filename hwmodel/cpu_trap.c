/*
 * The simulated CPU's exceptions and interrupts: host signals raised by user
 * code become x86 traps into the kernel, and an asynchronous host signal is
 * its INTR pin. The handler runs on the CPU's signal stack (sigaltstack: the
 * user stack lives behind the simulated MMU and may not be mapped; each
 * handler ends in sigreturn, so no frame stays there to be overwritten),
 * resolves a page fault in the user window through the MMU (a hosted TLB
 * fill), copies the whole user state into the current frame, and rewrites the
 * signal's context so that sigreturn resumes in hw_cpu_trap_entry (or
 * hw_cpu_intr_entry) on the kernel stack: the gate a real CPU would take.
 */
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "cpu.h"

#define RFLAGS_TF 0x100u
#define RFLAGS_DF 0x400u
#define VECTOR_DB 1
#define VECTOR_GP 13
#define VECTOR_PF 14

static const int trap_signals[] = {SIGSEGV, SIGFPE, SIGILL, SIGTRAP, SIGBUS};
#define NTRAPS (sizeof trap_signals / sizeof trap_signals[0])

static struct sigaction saved[NTRAPS];
static struct sigaction saved_intr;
static int intr_installed;

/* The user registers, as the signal found them, into the current frame. */
static void save_user_state(const ucontext_t *uc)
{
    const greg_t *g = uc->uc_mcontext.gregs;
    uint64_t *f = hw_cpu0.user_frame;
    f[HW_REG_RAX] = (uint64_t)g[REG_RAX];
    f[HW_REG_RDI] = (uint64_t)g[REG_RDI];
    f[HW_REG_RSI] = (uint64_t)g[REG_RSI];
    f[HW_REG_RDX] = (uint64_t)g[REG_RDX];
    f[HW_REG_R10] = (uint64_t)g[REG_R10];
    f[HW_REG_R8] = (uint64_t)g[REG_R8];
    f[HW_REG_R9] = (uint64_t)g[REG_R9];
    f[HW_REG_R12] = (uint64_t)g[REG_R12];
    f[HW_REG_R13] = (uint64_t)g[REG_R13];
    f[HW_REG_R14] = (uint64_t)g[REG_R14];
    f[HW_REG_R15] = (uint64_t)g[REG_R15];
    f[HW_REG_RBX] = (uint64_t)g[REG_RBX];
    f[HW_REG_RBP] = (uint64_t)g[REG_RBP];
    f[HW_REG_RCX] = (uint64_t)g[REG_RCX];
    f[HW_REG_R11] = (uint64_t)g[REG_R11];
    f[HW_REG_RIP] = (uint64_t)g[REG_RIP];
    f[HW_REG_RSP] = (uint64_t)g[REG_RSP];
    f[HW_REG_RFLAGS] = (uint64_t)g[REG_EFL];
    f[HW_FRAME_FULL / 8] = 1;
    if (uc->uc_mcontext.fpregs)
        memcpy((char *)f + HW_FRAME_FPU, uc->uc_mcontext.fpregs, 512);
}

/* sigreturn will continue at gate on the kernel stack, in kernel mode. */
static void enter_gate(ucontext_t *uc, void (*gate)(void))
{
    save_user_state(uc);
    hw_cpu0.mode = HW_MODE_KERNEL;
    greg_t *g = uc->uc_mcontext.gregs;
    g[REG_RIP] = (greg_t)(uintptr_t)gate;
    g[REG_RSP] = (greg_t)hw_cpu0.kstack_top;
    g[REG_EFL] &= ~(greg_t)(RFLAGS_TF | RFLAGS_DF);
    if (uc->uc_mcontext.fpregs) { /* the kernel runs with the power-on FPU controls */
        uc->uc_mcontext.fpregs->cwd = HW_FCW_DEFAULT;
        uc->uc_mcontext.fpregs->mxcsr = HW_MXCSR_DEFAULT;
    }
}

static void enter_trap_gate(ucontext_t *uc, unsigned vector, uint64_t error, uint64_t addr)
{
    enter_gate(uc, hw_cpu_trap_entry);
    greg_t *g = uc->uc_mcontext.gregs;
    g[REG_RDI] = vector;
    g[REG_RSI] = (greg_t)error;
    g[REG_RDX] = (greg_t)addr;
}

static int in_entry_text(const ucontext_t *uc)
{
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    return rip >= (uintptr_t)hw_cpu_entry_text_start && rip < (uintptr_t)hw_cpu_entry_text_end;
}

/*
 * A #DB while the simulator single-steps user code: one instruction done.
 * Returns 0 if the trap is the user's own (TF set by user code, not by the
 * simulator). The trap that follows the return to user mode ends the
 * return's last instruction, not a user one: it does not count. A step that
 * lands in the system call entry ends stepping, as real `syscall` clears TF
 * through IA32_FMASK.
 */
static int single_step(ucontext_t *uc)
{
    if (!hw_cpu0.step)
        return 0;
    greg_t *g = uc->uc_mcontext.gregs;
    if (hw_cpu0.step_armed) {
        if (!in_entry_text(uc)) /* the return's last instruction, in cpu_entry.S, also traps */
            hw_cpu0.step_armed = 0;
        return 1;
    }
    hw_cpu0.steps++;
    if (in_entry_text(uc))
        g[REG_EFL] &= ~(greg_t)RFLAGS_TF;
    else if (hw_cpu0.step_budget && hw_cpu0.steps >= hw_cpu0.step_budget)
        enter_gate(uc, hw_cpu_intr_entry);
    return 1;
}

static void unblock(int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void on_trap(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    unsigned vector = (unsigned)uc->uc_mcontext.gregs[REG_TRAPNO];
    uint64_t error = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
    uint64_t addr = vector == VECTOR_PF ? (uint64_t)(uintptr_t)si->si_addr : 0;
    if (vector == VECTOR_DB && (hw_cpu0.mode != HW_MODE_USER || hw_cpu0.step) && sig == SIGTRAP) {
        if (hw_cpu0.mode != HW_MODE_USER || !single_step(uc))
            uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)RFLAGS_TF; /* a step that left user mode */
        return;
    }
    switch (hw_cpu0.mode) {
    case HW_MODE_USER:
        if (vector == VECTOR_PF && hw_cpu0.mmu) {
            unsigned pf = hw_mmu_fill(hw_cpu0.mmu, (uintptr_t)addr, (unsigned)error);
            if (!pf)
                return; /* the TLB holds the page now: the instruction runs again */
            error = pf;
        }
        if (vector == VECTOR_GP && hw_cpu_emulate_io(uc)) {
            if (hw_cpu0.step)
                hw_cpu0.steps++; /* emulated, it traps no #DB of its own */
            return; /* a permitted in/out: done, as if the CPU had run it */
        }
        enter_trap_gate(uc, vector, error, addr);
        return;
    case HW_MODE_KERNEL:
        unblock(sig); /* kernel_fault leaves the machine and does not come back here */
        hw_cpu0.kernel_fault(vector, (uint64_t)uc->uc_mcontext.gregs[REG_RIP], addr);
        return;
    default:
        /* The simulator itself: let the host's default action (a core dump,
         * or a sanitizer's report) happen when the instruction runs again. */
        signal(sig, SIG_DFL);
        return;
    }
}

static void on_intr(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ctx;
    if (hw_cpu0.mode == HW_MODE_USER && !in_entry_text(uc) && !hw_cpu0.step_armed)
        enter_gate(uc, hw_cpu_intr_entry);
    /* else the kernel samples the PIC on its way back to user mode */
}

int hw_cpu_intr_install(hw_cpu_intr_fn *intr_vector)
{
    hw_cpu0.intr_vector = intr_vector;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_intr;
    sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK; /* the simulator's own reads and writes go on */
    sigemptyset(&sa.sa_mask);
    if (sigaction(HW_CPU_INTR_SIGNAL, &sa, &saved_intr) != 0)
        return -1;
    intr_installed = 1;
    return 0;
}

void hw_cpu_intr_remove(void)
{
    if (intr_installed)
        sigaction(HW_CPU_INTR_SIGNAL, &saved_intr, NULL);
    intr_installed = 0;
}

void hw_cpu_arm_step(uint64_t *frame)
{
    if (!frame[HW_FRAME_FULL / 8]) {
        char *fpu = (char *)frame + HW_FRAME_FPU;
        uint16_t fcw;
        uint32_t mxcsr;
        memcpy(&fcw, fpu, sizeof fcw);
        memcpy(&mxcsr, fpu + (HW_FRAME_MXCSR - HW_FRAME_FPU), sizeof mxcsr);
        hw_cpu_save_fpu(fpu); /* the registers as the system call left them... */
        memcpy(fpu, &fcw, sizeof fcw); /* ...and the thread's own controls */
        memcpy(fpu + (HW_FRAME_MXCSR - HW_FRAME_FPU), &mxcsr, sizeof mxcsr);
        frame[HW_FRAME_FULL / 8] = 1;
    }
    frame[HW_REG_RFLAGS] |= RFLAGS_TF;
    hw_cpu0.step_armed = 1;
}

void hw_cpu_clear_step(uint64_t *frame)
{
    frame[HW_REG_RFLAGS] &= ~(uint64_t)RFLAGS_TF;
}

int hw_cpu_traps_install(hw_cpu_trap_fn *trap_vector, hw_cpu_fault_fn *kernel_fault)
{
    hw_cpu0.trap_vector = trap_vector;
    hw_cpu0.kernel_fault = kernel_fault;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, HW_CPU_INTR_SIGNAL); /* INTR never nests in a trap */
    for (unsigned i = 0; i < NTRAPS; i++)
        if (sigaction(trap_signals[i], &sa, &saved[i]) != 0)
            return -1;
    return 0;
}

void hw_cpu_traps_remove(void)
{
    for (unsigned i = 0; i < NTRAPS; i++)
        sigaction(trap_signals[i], &saved[i], NULL);
}
