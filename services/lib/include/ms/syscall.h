/* System call stubs: the only way user code enters the kernel (see ms_abi.h for the table). */
#ifndef MS_SYSCALL_H
#define MS_SYSCALL_H

#include <stdint.h>

#include "ms_abi.h"
#include "ms_trap.h"

/* The registers a system call reads and writes, besides the number in rax. */
typedef struct ms_sysregs {
    uint64_t rdi;
    uint64_t rsi;
    uint64_t w[8]; /* rdx, r10, r8, r9, r12, r13, r14, r15 */
    uint64_t rbx;
} ms_sysregs_t;

/* Executes system call nr: each register is loaded from the variable its
 * pointer names and stored back into it afterwards (w: the 8 message words).
 * Returns rax (MS_OK or an MS_E_* code). Pointing straight at the caller's
 * own variables lets the compiler skip any copy. */
static inline uint64_t ms_trap(uint64_t nr, uint64_t *rdi_p, uint64_t *rsi_p, uint64_t *w, uint64_t *rbx_p)
{
    register uint64_t rax __asm__("rax") = nr;
    register uint64_t rdi __asm__("rdi") = *rdi_p;
    register uint64_t rsi __asm__("rsi") = *rsi_p;
    register uint64_t rdx __asm__("rdx") = w[0];
    register uint64_t r10 __asm__("r10") = w[1];
    register uint64_t r8 __asm__("r8") = w[2];
    register uint64_t r9 __asm__("r9") = w[3];
    register uint64_t r12 __asm__("r12") = w[4];
    register uint64_t r13 __asm__("r13") = w[5];
    register uint64_t r14 __asm__("r14") = w[6];
    register uint64_t r15 __asm__("r15") = w[7];
    register uint64_t rbx __asm__("rbx") = *rbx_p;
    __asm__ volatile(MS_TRAP_INSN
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r12),
                       "+r"(r13), "+r"(r14), "+r"(r15), "+r"(rbx)
                     :
                     : "rcx", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                       "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    *rdi_p = rdi;
    *rsi_p = rsi;
    w[0] = rdx;
    w[1] = r10;
    w[2] = r8;
    w[3] = r9;
    w[4] = r12;
    w[5] = r13;
    w[6] = r14;
    w[7] = r15;
    *rbx_p = rbx;
    return rax;
}

/* Executes system call nr with the registers in r, storing what the kernel
 * returned back into r. */
static inline uint64_t ms_syscall(uint64_t nr, ms_sysregs_t *r)
{
    return ms_trap(nr, &r->rdi, &r->rsi, r->w, &r->rbx);
}

/* A message as user code holds it. info packs label, word count, payload
 * length and the handle flag (ms_info()); the payload itself travels in the
 * thread's IPC buffer. badge is set on receipt; handle is the handle to send
 * (with MS_INFO_HANDLE in info) or the one received. */
typedef struct ms_msg {
    uint64_t info;
    uint64_t w[8];
    uint64_t badge;
    uint64_t handle;
} ms_msg_t;

/* A message system call on endpoint handle ep: m goes out in the registers
 * and what comes back lands in m. After an error m holds what it held. */
static inline uint64_t ms_msg_syscall(uint64_t nr, uint64_t ep, ms_msg_t *m)
{
    uint64_t rdi = ep;
    uint64_t err = ms_trap(nr, &rdi, &m->info, m->w, &m->handle);
    if (err == MS_OK)
        m->badge = rdi;
    return err;
}

/* A system call that only receives: m is cleared first (no stale input). */
static inline uint64_t ms_recv_syscall(uint64_t nr, uint64_t ep, ms_msg_t *m)
{
    *m = (ms_msg_t){0};
    return ms_msg_syscall(nr, ep, m);
}

/* Sending calls leave m as it was (the kernel does not change its registers). */
static inline uint64_t ms_send(ms_handle_t ep, ms_msg_t *m) { return ms_msg_syscall(MS_SYS_SEND, ep, m); }
static inline uint64_t ms_try_send(ms_handle_t ep, ms_msg_t *m) { return ms_msg_syscall(MS_SYS_TRY_SEND, ep, m); }
static inline uint64_t ms_recv(ms_handle_t ep, ms_msg_t *m) { return ms_recv_syscall(MS_SYS_RECV, ep, m); }
static inline uint64_t ms_try_recv(ms_handle_t ep, ms_msg_t *m) { return ms_recv_syscall(MS_SYS_TRY_RECV, ep, m); }
/* m carries the request in and the reply out. */
static inline uint64_t ms_call(ms_handle_t ep, ms_msg_t *m) { return ms_msg_syscall(MS_SYS_CALL, ep, m); }
static inline uint64_t ms_reply(ms_msg_t *m) { return ms_msg_syscall(MS_SYS_REPLY, 0, m); }
/* m carries the reply in and the next request out. */
static inline uint64_t ms_reply_recv(ms_handle_t ep, ms_msg_t *m) { return ms_msg_syscall(MS_SYS_REPLY_RECV, ep, m); }

static inline uint64_t ms_debug_write(const void *buf, uint64_t len)
{
    ms_sysregs_t r = {.rdi = (uint64_t)(uintptr_t)buf, .rsi = len};
    return ms_syscall(MS_SYS_DEBUG_WRITE, &r);
}

__attribute__((noreturn)) static inline void ms_exit(int64_t status)
{
    ms_sysregs_t r = {.rdi = (uint64_t)status};
    ms_syscall(MS_SYS_EXIT, &r);
    __builtin_unreachable();
}

static inline uint64_t ms_yield(void)
{
    ms_sysregs_t r = {0};
    return ms_syscall(MS_SYS_YIELD, &r);
}

static inline uint64_t ms_endpoint_create(ms_handle_t *out)
{
    ms_sysregs_t r = {0};
    uint64_t err = ms_syscall(MS_SYS_ENDPOINT_CREATE, &r);
    if (err == MS_OK)
        *out = (ms_handle_t)r.rdi;
    return err;
}

/* A new handle to the same object with rights (a subset of h's) and, for an
 * unbadged endpoint handle, a badge (0: keep h's). */
static inline uint64_t ms_handle_copy(ms_handle_t h, uint32_t rights, uint64_t badge, ms_handle_t *out)
{
    ms_sysregs_t r = {.rdi = h, .rsi = rights, .w = {badge}};
    uint64_t err = ms_syscall(MS_SYS_HANDLE_COPY, &r);
    if (err == MS_OK)
        *out = (ms_handle_t)r.rdi;
    return err;
}

static inline uint64_t ms_handle_close(ms_handle_t h)
{
    ms_sysregs_t r = {.rdi = h};
    return ms_syscall(MS_SYS_HANDLE_CLOSE, &r);
}

static inline uint64_t ms_handle_info(ms_handle_t h, uint64_t *type, uint64_t *rights, uint64_t *badge)
{
    ms_sysregs_t r = {.rdi = h};
    uint64_t err = ms_syscall(MS_SYS_HANDLE_INFO, &r);
    if (err == MS_OK) {
        *type = r.rdi;
        *rights = r.rsi;
        *badge = r.w[0];
    }
    return err;
}

/* Starts a thread in task at entry(arg), on the stack [stack, stack + size),
 * with the IPC buffer at ipc_buffer (MS_IPC_BUFFER_SIZE bytes). */
static inline uint64_t ms_thread_create(ms_handle_t task, void (*entry)(uint64_t), void *stack, uint64_t size,
                                        void *ipc_buffer, uint64_t arg, uint8_t prio, ms_handle_t *out)
{
    ms_sysregs_t r = {.rdi = task,
                      .rsi = (uint64_t)(uintptr_t)entry,
                      .w = {(uint64_t)(uintptr_t)stack, size, (uint64_t)(uintptr_t)ipc_buffer, arg, prio}};
    uint64_t err = ms_syscall(MS_SYS_THREAD_CREATE, &r);
    if (err == MS_OK)
        *out = (ms_handle_t)r.rdi;
    return err;
}

__attribute__((noreturn)) static inline void ms_thread_exit(void)
{
    ms_sysregs_t r = {0};
    ms_syscall(MS_SYS_THREAD_EXIT, &r);
    __builtin_unreachable();
}

static inline uint64_t ms_notification_create(ms_handle_t *out)
{
    ms_sysregs_t r = {0};
    uint64_t err = ms_syscall(MS_SYS_NOTIFICATION_CREATE, &r);
    if (err == MS_OK)
        *out = (ms_handle_t)r.rdi;
    return err;
}

static inline uint64_t ms_signal(ms_handle_t ntfn, uint64_t bits)
{
    ms_sysregs_t r = {.rdi = ntfn, .rsi = bits};
    return ms_syscall(MS_SYS_SIGNAL, &r);
}

/* Blocks until some bits are signalled; takes them all. */
static inline uint64_t ms_wait(ms_handle_t ntfn, uint64_t *bits)
{
    ms_sysregs_t r = {.rdi = ntfn};
    uint64_t err = ms_syscall(MS_SYS_WAIT, &r);
    *bits = err == MS_OK ? r.rdi : 0;
    return err;
}

static inline uint64_t ms_poll(ms_handle_t ntfn, uint64_t *bits)
{
    ms_sysregs_t r = {.rdi = ntfn};
    uint64_t err = ms_syscall(MS_SYS_POLL, &r);
    *bits = err == MS_OK ? r.rdi : 0;
    return err;
}

static inline uint64_t ms_irq_bind(ms_handle_t irq, ms_handle_t ntfn, uint64_t bits)
{
    ms_sysregs_t r = {.rdi = irq, .rsi = ntfn, .w = {bits}};
    return ms_syscall(MS_SYS_IRQ_BIND, &r);
}

static inline uint64_t ms_irq_ack(ms_handle_t irq)
{
    ms_sysregs_t r = {.rdi = irq};
    return ms_syscall(MS_SYS_IRQ_ACK, &r);
}

static inline uint64_t ms_fault_handler(ms_handle_t task, uint64_t endpoint)
{
    ms_sysregs_t r = {.rdi = task, .rsi = endpoint};
    return ms_syscall(MS_SYS_FAULT_HANDLER, &r);
}

static inline uint64_t ms_kill(ms_handle_t h)
{
    ms_sysregs_t r = {.rdi = h};
    return ms_syscall(MS_SYS_KILL, &r);
}

/* Maps pages frames of the frames object, from frame first, at addr of the
 * address space of task, with rights (MS_RIGHT_READ, WRITE, EXEC). */
static inline uint64_t ms_map(ms_handle_t task, uintptr_t addr, ms_handle_t frames, uint64_t first, uint64_t pages,
                              uint64_t rights)
{
    ms_sysregs_t r = {.rdi = task, .rsi = addr, .w = {frames, first, pages, rights}};
    return ms_syscall(MS_SYS_MAP, &r);
}

static inline uint64_t ms_unmap(ms_handle_t task, uintptr_t addr, uint64_t pages)
{
    ms_sysregs_t r = {.rdi = task, .rsi = addr, .w = {pages}};
    return ms_syscall(MS_SYS_UNMAP, &r);
}

/* As ms_task_create; with MS_TASK_RESTART in flags the new task replaces the
 * ended task old, for reason (MS_RESTART_*), and the trace says so. */
static inline uint64_t ms_task_recreate(const char *name, uintptr_t base, uint64_t size, uint8_t prio, uint64_t flags,
                                        ms_handle_t old, uint64_t reason, ms_handle_t *out)
{
    uint64_t words[2] = {0, 0};
    char *w = (char *)words;
    for (unsigned i = 0; i < 15 && name[i]; i++)
        w[i] = name[i];
    ms_sysregs_t r = {.rdi = words[0], .rsi = words[1], .w = {base, size, prio, flags, old, reason}};
    uint64_t err = ms_syscall(MS_SYS_TASK_CREATE, &r);
    if (err == MS_OK)
        *out = (ms_handle_t)r.rdi;
    return err;
}

/* A new task called name (up to 15 characters) owning [base, base + size)
 * of the user window, nothing mapped, no thread yet; flags MS_TASK_DAEMON. */
static inline uint64_t ms_task_create(const char *name, uintptr_t base, uint64_t size, uint8_t prio, uint64_t flags,
                                      ms_handle_t *out)
{
    return ms_task_recreate(name, base, size, prio, flags, 0, 0, out);
}

/* Puts a copy of handle h with rights into task's table at slot (1..63, free;
 * 0: the lowest free); *out is its number there. */
static inline uint64_t ms_handle_give_at(ms_handle_t task, ms_handle_t h, uint32_t rights, ms_handle_t slot,
                                         ms_handle_t *out)
{
    ms_sysregs_t r = {.rdi = task, .rsi = h, .w = {rights, slot}};
    uint64_t err = ms_syscall(MS_SYS_HANDLE_GIVE, &r);
    if (err == MS_OK)
        *out = (ms_handle_t)r.rdi;
    return err;
}

/* As ms_handle_give_at, in the lowest free slot. */
static inline uint64_t ms_handle_give(ms_handle_t task, ms_handle_t h, uint32_t rights, ms_handle_t *out)
{
    return ms_handle_give_at(task, h, rights, 0, out);
}

/* Signal ntfn with bits when task ends. */
static inline uint64_t ms_task_watch(ms_handle_t task, ms_handle_t ntfn, uint64_t bits)
{
    ms_sysregs_t r = {.rdi = task, .rsi = ntfn, .w = {bits}};
    return ms_syscall(MS_SYS_TASK_WATCH, &r);
}

/* Whether task lives (*state MS_TASK_*) and its exit status. */
static inline uint64_t ms_task_status(ms_handle_t task, uint64_t *state, uint64_t *status)
{
    ms_sysregs_t r = {.rdi = task};
    uint64_t err = ms_syscall(MS_SYS_TASK_STATUS, &r);
    if (err == MS_OK) {
        *state = r.rdi;
        *status = r.rsi;
    }
    return err;
}

/* Signal ntfn with bits once delay_ns have passed (at the next clock tick). */
static inline uint64_t ms_alarm(ms_handle_t ntfn, uint64_t bits, uint64_t delay_ns)
{
    ms_sysregs_t r = {.rdi = ntfn, .rsi = bits, .w = {delay_ns}};
    return ms_syscall(MS_SYS_ALARM, &r);
}

/* Saves the reply this thread owes; *out is the reply handle. */
static inline uint64_t ms_reply_save(ms_handle_t *out)
{
    ms_sysregs_t r = {0};
    uint64_t err = ms_syscall(MS_SYS_REPLY_SAVE, &r);
    if (err == MS_OK)
        *out = (ms_handle_t)r.rdi;
    return err;
}

/* Answers a saved reply with m (and uses the handle up). */
static inline uint64_t ms_reply_with(ms_handle_t reply, ms_msg_t *m)
{
    return ms_msg_syscall(MS_SYS_REPLY_WITH, reply, m);
}

/* Where this thread's next received map items land: pages pages from addr
 * (0 pages: it takes none). */
static inline uint64_t ms_map_window(uintptr_t addr, uint64_t pages)
{
    ms_sysregs_t r = {.rdi = addr, .rsi = pages};
    return ms_syscall(MS_SYS_MAP_WINDOW, &r);
}

static inline uint64_t ms_protect(ms_handle_t task, uintptr_t addr, uint64_t pages, uint64_t rights)
{
    ms_sysregs_t r = {.rdi = task, .rsi = addr, .w = {pages, rights}};
    return ms_syscall(MS_SYS_PROTECT, &r);
}

/* Records a net.packet trace event: a datagram from src_addr:src_port to
 * dst_addr:dst_port with len bytes of UDP payload (a network daemon's report). */
/* The time in ns since boot, as alarms count it (simulated time hosted). */
static inline uint64_t ms_clock(void)
{
    ms_sysregs_t r = {0};
    ms_syscall(MS_SYS_CLOCK, &r);
    return r.rdi;
}

static inline uint64_t ms_trace_net(uint32_t src_addr, uint16_t src_port, uint32_t dst_addr, uint16_t dst_port,
                                    uint64_t len)
{
    ms_sysregs_t r = {.rdi = src_addr, .rsi = src_port, .w = {dst_addr, dst_port, len}};
    return ms_syscall(MS_SYS_TRACE_NET, &r);
}

#endif
