/*
 * The simulated CPU's exceptions: host signals raised by user code become x86
 * traps into the kernel. The handler runs on the interrupted user stack (no
 * sigaltstack: it does not return to the frames it leaves, see FIELD-NOTES),
 * copies the whole user state into the current frame, and rewrites the
 * signal's context so that sigreturn resumes in hw_cpu_trap_entry on the
 * kernel stack: the trap gate a real CPU would take.
 */
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "cpu.h"

#define RFLAGS_TF 0x100u
#define RFLAGS_DF 0x400u
#define VECTOR_GP 13
#define VECTOR_PF 14

static const int trap_signals[] = {SIGSEGV, SIGFPE, SIGILL, SIGTRAP, SIGBUS};
#define NTRAPS (sizeof trap_signals / sizeof trap_signals[0])

static struct sigaction saved[NTRAPS];

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

/* sigreturn will continue in the trap gate, on the kernel stack. */
static void enter_trap_gate(ucontext_t *uc, unsigned vector, uint64_t error, uint64_t addr)
{
    greg_t *g = uc->uc_mcontext.gregs;
    g[REG_RIP] = (greg_t)(uintptr_t)hw_cpu_trap_entry;
    g[REG_RSP] = (greg_t)hw_cpu0.kstack_top;
    g[REG_RDI] = vector;
    g[REG_RSI] = (greg_t)error;
    g[REG_RDX] = (greg_t)addr;
    g[REG_EFL] &= ~(greg_t)(RFLAGS_TF | RFLAGS_DF);
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
    switch (hw_cpu0.mode) {
    case HW_MODE_USER:
        if (vector == VECTOR_GP && hw_cpu_emulate_io(uc))
            return; /* a permitted in/out: done, as if the CPU had run it */
        save_user_state(uc);
        hw_cpu0.mode = HW_MODE_KERNEL;
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

int hw_cpu_traps_install(hw_cpu_trap_fn *trap_vector, hw_cpu_fault_fn *kernel_fault)
{
    hw_cpu0.trap_vector = trap_vector;
    hw_cpu0.kernel_fault = kernel_fault;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
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
