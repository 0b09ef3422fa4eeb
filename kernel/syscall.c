/* System calls: the table from number to handler, and the handlers that are not IPC. */
#include "syscall.h"

#include "alarm.h"
#include "arch/arch.h"
#include "boot.h"
#include "cpu.h"
#include "handle.h"
#include "ipc.h"
#include "ms_abi.h"
#include "object/endpoint.h"
#include "object/frames.h"
#include "object/irq.h"
#include "object/notification.h"
#include "object/reply.h"
#include "object/task.h"
#include "rt.h"
#include "sched.h"
#include "trace.h"
#include "usercopy.h"

typedef int syscall_fn(thread_t *t, arch_regs_t *r);

/* debug_write: one print event per line (or per K_EV_TEXT bytes). */
static int sys_debug_write(thread_t *t, arch_regs_t *r)
{
    static char buf[MS_MSG_PAYLOAD_MAX];
    uint64_t len = r->rsi;
    if (len > sizeof buf)
        return MS_E_RANGE;
    int err = user_read(t->task, buf, r->rdi, len);
    if (err != MS_OK)
        return err;
    for (uint64_t at = 0; at < len;) {
        uint64_t n = 0;
        while (at + n < len && n < K_EV_TEXT && buf[at + n++] != '\n')
            ;
        k_trace_event_t *ev = trace_begin(K_EV_PRINT, t, NULL);
        if (ev) {
            rt_memcpy(ev->text, buf + at, n);
            ev->text_len = (uint8_t)n;
        }
        at += n;
    }
    return MS_OK;
}

static int sys_exit(thread_t *t, arch_regs_t *r)
{
    k_trace_event_t *ev = trace_begin(K_EV_TASK_EXIT, t, NULL);
    if (ev)
        ev->a[0] = r->rdi;
    task_end(t->task, TASK_EXITED, (int64_t)r->rdi);
    return MS_OK;
}

static int sys_yield(thread_t *t, arch_regs_t *r)
{
    (void)r;
    t->slice_used = 0; /* it gave the CPU away: a fresh slice next time */
    t->run_start = arch_time_ns();
    sched_yield_current();
    return MS_OK;
}

static int sys_send(thread_t *t, arch_regs_t *r) { return ipc_send(t, r->rdi, 1); }
static int sys_try_send(thread_t *t, arch_regs_t *r) { return ipc_send(t, r->rdi, 0); }
static int sys_recv(thread_t *t, arch_regs_t *r) { return ipc_recv(t, r->rdi, 1); }
static int sys_try_recv(thread_t *t, arch_regs_t *r) { return ipc_recv(t, r->rdi, 0); }
static int sys_call(thread_t *t, arch_regs_t *r) { return ipc_call(t, r->rdi); }
static int sys_reply(thread_t *t, arch_regs_t *r) { (void)r; return ipc_reply(t); }
static int sys_reply_recv(thread_t *t, arch_regs_t *r) { return ipc_reply_recv(t, r->rdi); }

static int sys_endpoint_create(thread_t *t, arch_regs_t *r)
{
    endpoint_t *ep = endpoint_create();
    if (!ep)
        return MS_E_NOMEM;
    ms_handle_t h;
    int err = handle_install(&t->task->handles, &ep->obj, MS_RIGHT_SEND | MS_RIGHT_RECV | MS_RIGHT_GRANT, 0, &h);
    if (err != MS_OK) {
        endpoint_destroy(ep); /* no handle ever named it */
        return err;
    }
    r->rdi = h;
    return MS_OK;
}

/* handle_copy: the copy may drop rights, never add them; a badge may be set
 * only on an unbadged endpoint handle (minting). */
static int sys_handle_copy(thread_t *t, arch_regs_t *r)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, r->rdi, KOBJ_NONE, 0, &e);
    if (err != MS_OK)
        return err;
    uint64_t rights = r->rsi, badge = r->rdx;
    if (rights & ~(uint64_t)MS_RIGHTS_ALL)
        return MS_E_INVAL;
    if (rights & ~(uint64_t)e->rights)
        return MS_E_RIGHTS;
    if (badge && (e->obj->type != KOBJ_ENDPOINT || e->badge))
        return MS_E_INVAL;
    ms_handle_t h;
    err = handle_install(&t->task->handles, e->obj, (uint32_t)rights, badge ? badge : e->badge, &h);
    if (err == MS_OK)
        r->rdi = h;
    return err;
}

static int sys_handle_close(thread_t *t, arch_regs_t *r)
{
    return handle_close(&t->task->handles, r->rdi);
}

static int sys_handle_info(thread_t *t, arch_regs_t *r)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, r->rdi, KOBJ_NONE, 0, &e);
    if (err != MS_OK)
        return err;
    if (e->obj->type == KOBJ_REPLY && !((const reply_t *)e->obj)->caller)
        return MS_E_DEAD; /* a saved reply whose caller stopped waiting: nobody to answer */
    r->rdi = e->obj->type;
    r->rsi = e->rights;
    r->rdx = e->badge;
    return MS_OK;
}

/* thread_create(task, entry, stack base, stack size, IPC buffer, arg, prio):
 * the stack and the IPC buffer must lie in the target task's memory, and the
 * priority may exceed neither the creator's nor the target task's ceiling. */
static int sys_thread_create(thread_t *t, arch_regs_t *r)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, r->rdi, KOBJ_TASK, MS_RIGHT_CONTROL, &e);
    if (err != MS_OK)
        return err;
    task_t *task = (task_t *)e->obj;
    uint64_t entry = r->rsi, stack = r->rdx, size = r->r10, ipcbuf = r->r8, arg = r->r9, prio = r->r12;
    if (task->state != TASK_ALIVE)
        return MS_E_DEAD;
    if (prio > MS_PRIO_MAX || entry == 0 || size < 1024 || (ipcbuf & 7))
        return MS_E_INVAL;
    if (prio > t->prio || prio > task->max_prio)
        return MS_E_RIGHTS;
    if (!aspace_owns(&task->aspace, stack, size) || !aspace_owns(&task->aspace, ipcbuf, MS_IPC_BUFFER_SIZE))
        return MS_E_FAULT;
    if (t->task->handles.used == MS_HANDLES_PER_TASK)
        return MS_E_FULL;
    thread_t *nt = thread_create(task, entry, stack, stack + size, ipcbuf, arg, (uint8_t)prio);
    if (!nt)
        return MS_E_NOMEM;
    ms_handle_t h;
    handle_install(&t->task->handles, &nt->obj, MS_RIGHT_CONTROL, 0, &h); /* room was checked */
    k_trace_event_t *ev = trace_begin(K_EV_THREAD_SPAWN, t, nt);
    if (ev)
        ev->a[0] = prio;
    sched_enqueue(nt);
    r->rdi = h;
    return MS_OK;
}

static void trace_thread_exit(thread_t *t, uint64_t reason)
{
    k_trace_event_t *ev = trace_begin(K_EV_THREAD_EXIT, t, NULL);
    if (ev)
        ev->a[0] = reason;
}

static int sys_thread_exit(thread_t *t, arch_regs_t *r)
{
    (void)r;
    if (t->task->nthreads == 1)
        return sys_exit(t, &(arch_regs_t){.rdi = 0});
    trace_thread_exit(t, 0);
    thread_kill(t);
    return MS_OK;
}

static void kill_task(thread_t *killer, task_t *victim)
{
    if (victim->state != TASK_ALIVE)
        return;
    k_link_t *first = k_list_first(&victim->threads);
    k_trace_event_t *ev = trace_begin(K_EV_TASK_KILL, killer, first ? K_CONTAINER_OF(first, thread_t, task_link) : NULL);
    if (ev) {
        ev->a[0] = victim->obj.id;
        ev->a[1] = K_REASON_KILLED;
    }
    task_end(victim, TASK_KILLED, -1);
}

/* kill(handle): a task or a thread (anything else is the wrong type, whatever
 * the rights); needs the control right. */
static int sys_kill(thread_t *t, arch_regs_t *r)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, r->rdi, KOBJ_NONE, 0, &e);
    if (err != MS_OK)
        return err;
    if (e->obj->type != KOBJ_TASK && e->obj->type != KOBJ_THREAD)
        return MS_E_BADHANDLE;
    if (!(e->rights & MS_RIGHT_CONTROL))
        return MS_E_RIGHTS;
    if (e->obj->type == KOBJ_TASK) {
        kill_task(t, (task_t *)e->obj);
        return MS_OK;
    }
    thread_t *victim = K_CONTAINER_OF(e->obj, thread_t, obj);
    if (victim->state == THREAD_DEAD)
        return MS_OK;
    if (victim->task->nthreads == 1) {
        kill_task(t, victim->task);
        return MS_OK;
    }
    trace_thread_exit(victim, 1);
    thread_kill(victim);
    return MS_OK;
}

/* fault_handler(task, endpoint): where the task's faults go from now on;
 * MS_NO_HANDLE for none. */
static int sys_fault_handler(thread_t *t, arch_regs_t *r)
{
    handle_entry_t *task_h, *ep_h = NULL;
    int err = handle_lookup(&t->task->handles, r->rdi, KOBJ_TASK, MS_RIGHT_CONTROL, &task_h);
    if (err == MS_OK && r->rsi != MS_NO_HANDLE)
        err = handle_lookup(&t->task->handles, r->rsi, KOBJ_ENDPOINT, MS_RIGHT_SEND, &ep_h);
    if (err != MS_OK)
        return err;
    task_t *task = (task_t *)task_h->obj;
    if (task->state == TASK_ALIVE)
        task_set_fault_handler(task, ep_h ? (endpoint_t *)ep_h->obj : NULL, ep_h ? ep_h->badge : 0);
    return MS_OK;
}

static int sys_notification_create(thread_t *t, arch_regs_t *r)
{
    if (t->task->handles.used == MS_HANDLES_PER_TASK)
        return MS_E_FULL;
    notification_t *n = notification_create();
    if (!n)
        return MS_E_NOMEM;
    ms_handle_t h;
    handle_install(&t->task->handles, &n->obj, MS_RIGHT_SEND | MS_RIGHT_RECV, 0, &h); /* room was checked */
    r->rdi = h;
    return MS_OK;
}

static notification_t *notification_of(thread_t *t, uint64_t h, uint32_t right, int *err)
{
    handle_entry_t *e;
    *err = handle_lookup(&t->task->handles, h, KOBJ_NOTIFICATION, right, &e);
    return *err == MS_OK ? K_CONTAINER_OF(e->obj, notification_t, obj) : NULL;
}

static int sys_signal(thread_t *t, arch_regs_t *r)
{
    int err;
    notification_t *n = notification_of(t, r->rdi, MS_RIGHT_SEND, &err);
    if (n)
        notification_signal(n, r->rsi, t);
    return err;
}

static int sys_wait(thread_t *t, arch_regs_t *r)
{
    int err;
    notification_t *n = notification_of(t, r->rdi, MS_RIGHT_RECV, &err);
    return n ? notification_wait(t, n, 1) : err;
}

static int sys_poll(thread_t *t, arch_regs_t *r)
{
    int err;
    notification_t *n = notification_of(t, r->rdi, MS_RIGHT_RECV, &err);
    return n ? notification_wait(t, n, 0) : err;
}

static irq_line_t *irq_of(thread_t *t, uint64_t h, int *err)
{
    handle_entry_t *e;
    *err = handle_lookup(&t->task->handles, h, KOBJ_IRQ, MS_RIGHT_CONTROL, &e);
    return *err == MS_OK ? K_CONTAINER_OF(e->obj, irq_line_t, obj) : NULL;
}

static int sys_irq_bind(thread_t *t, arch_regs_t *r)
{
    int err;
    irq_line_t *irq = irq_of(t, r->rdi, &err);
    notification_t *n = NULL;
    if (irq && r->rsi != MS_NO_HANDLE)
        n = notification_of(t, r->rsi, MS_RIGHT_SEND, &err);
    if (err != MS_OK)
        return err;
    if (n && r->rdx == 0)
        return MS_E_INVAL;
    irq_bind(irq, n, r->rdx);
    return MS_OK;
}

static int sys_irq_ack(thread_t *t, arch_regs_t *r)
{
    int err;
    irq_line_t *irq = irq_of(t, r->rdi, &err);
    return irq ? irq_ack(irq) : err;
}

/* The task whose space t changes through handle h (control right). */
static int space_of(thread_t *t, uint64_t h, task_t **out)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, h, KOBJ_TASK, MS_RIGHT_CONTROL, &e);
    if (err != MS_OK)
        return err;
    *out = (task_t *)e->obj;
    return (*out)->state == TASK_ALIVE ? MS_OK : MS_E_DEAD;
}

/* map, unmap and protect trace the change, with a thread of the task whose
 * space changed as the peer (none if it is the caller's own). */
static void trace_map(k_event_kind_t kind, thread_t *t, task_t *task, uint64_t va, uint64_t n, uint64_t rights,
                      uint64_t frames_id)
{
    thread_t *peer = task == t->task || k_list_empty(&task->threads)
                         ? NULL
                         : K_CONTAINER_OF(k_list_first(&task->threads), thread_t, task_link);
    k_trace_event_t *ev = trace_begin(kind, t, peer);
    if (ev) {
        ev->a[0] = va;
        ev->a[1] = n;
        ev->a[2] = rights;
        ev->a[3] = frames_id;
        ev->a[4] = task->obj.id;
    }
}

/* map(task, address, frames, first, pages, rights): the frames handle must
 * hold every memory right asked for. Pages mapped into another task (by its
 * loader or pager, which are about to have it use them) start accessed and
 * dirty, as the boot loader's do, so that the first switch to the task can
 * cache them all; a task's own mappings start clear, as on hardware. */
static int sys_map(thread_t *t, arch_regs_t *r)
{
    task_t *task;
    int err = space_of(t, r->rdi, &task);
    if (err != MS_OK)
        return err;
    uint64_t rights = r->r9;
    if (rights & ~(uint64_t)(MS_RIGHT_READ | MS_RIGHT_WRITE | MS_RIGHT_EXEC) || !(rights & MS_RIGHT_READ))
        return MS_E_INVAL;
    handle_entry_t *fe;
    if ((err = handle_lookup(&t->task->handles, r->rdx, KOBJ_FRAMES, (uint32_t)rights, &fe)) != MS_OK)
        return err;
    frames_t *f = K_CONTAINER_OF(fe->obj, frames_t, obj);
    unsigned may = fe->rights & (MS_RIGHT_READ | MS_RIGHT_WRITE | MS_RIGHT_EXEC);
    if ((err = aspace_map(&task->aspace, r->rsi, f, r->r10, r->r8, (unsigned)rights, may, task != t->task)) !=
        MS_OK)
        return err;
    trace_map(K_EV_MAP, t, task, r->rsi, r->r8, rights, f->obj.id);
    return MS_OK;
}

static int sys_unmap(thread_t *t, arch_regs_t *r)
{
    task_t *task;
    int err = space_of(t, r->rdi, &task);
    if (err == MS_OK && (err = aspace_unmap(&task->aspace, r->rsi, r->rdx)) == MS_OK)
        trace_map(K_EV_UNMAP, t, task, r->rsi, r->rdx, 0, 0);
    return err;
}

static int sys_protect(thread_t *t, arch_regs_t *r)
{
    task_t *task;
    int err = space_of(t, r->rdi, &task);
    if (err != MS_OK)
        return err;
    if (r->r10 & ~(uint64_t)(MS_RIGHT_READ | MS_RIGHT_WRITE | MS_RIGHT_EXEC))
        return MS_E_INVAL;
    if ((err = aspace_protect(&task->aspace, r->rsi, r->rdx, (unsigned)r->r10)) == MS_OK)
        trace_map(K_EV_PROTECT, t, task, r->rsi, r->rdx, r->r10, 0);
    return err;
}

/* map_window(address, pages): where this thread's next received map items
 * land; pages 0 takes none. */
static int sys_map_window(thread_t *t, arch_regs_t *r)
{
    uint64_t va = r->rdi, n = r->rsi;
    if (n && ((va & (MS_PAGE_SIZE - 1)) || va < MS_USER_BASE || va >= MS_USER_END ||
              n > (MS_USER_END - va) / MS_PAGE_SIZE))
        return MS_E_INVAL;
    t->map_window = n ? va : 0;
    t->map_window_pages = n;
    return MS_OK;
}

/* task_create(name, name, base, size, ceiling, flags): see ms_abi.h. */
static int sys_task_create(thread_t *t, arch_regs_t *r)
{
    uint64_t base = r->rdx, size = r->r10, prio = r->r8, flags = r->r9;
    char name[K_NAME_LEN];
    rt_memcpy(name, &r->rdi, 8);
    rt_memcpy(name + 8, &r->rsi, 8);
    name[K_NAME_LEN - 1] = '\0';
    task_t *old = NULL;
    if (flags & MS_TASK_RESTART) {
        handle_entry_t *e;
        if (handle_lookup(&t->task->handles, r->r12, KOBJ_TASK, 0, &e) != MS_OK ||
            ((task_t *)e->obj)->state == TASK_ALIVE || (r->r13 != MS_RESTART_EXCEPTION && r->r13 != MS_RESTART_KILLED))
            return MS_E_INVAL;
        old = (task_t *)e->obj;
    }
    if ((flags & ~(uint64_t)(MS_TASK_DAEMON | MS_TASK_RESTART)) || prio > MS_PRIO_MAX || !name[0] || size == 0 ||
        ((base | size) & (MS_PAGE_SIZE - 1)) || base < MS_USER_BASE || base >= MS_USER_END ||
        size > MS_USER_END - base)
        return MS_E_INVAL;
    if (prio > t->prio)
        return MS_E_RIGHTS;
    if (t->task->handles.used == MS_HANDLES_PER_TASK)
        return MS_E_FULL;
    task_t *task = task_create(name, base, size, (uint8_t)prio, (flags & MS_TASK_DAEMON) != 0);
    if (!task)
        return MS_E_NOMEM;
    if (k_boot_map_image(task) != MS_OK) {
        task_end(task, TASK_KILLED, -1);
        return MS_E_NOMEM;
    }
    handle_install_at(&task->handles, MS_HANDLE_SELF, &task->obj, MS_RIGHTS_ALL, 0);
    ms_handle_t h;
    handle_install(&t->task->handles, &task->obj, MS_RIGHTS_ALL, 0, &h); /* room was checked */
    k_trace_event_t *ev = trace_begin(old ? K_EV_TASK_RESTART : K_EV_TASK_SPAWN, t, NULL);
    if (ev) {
        ev->a[0] = old ? old->obj.id : task->obj.id;
        ev->a[1] = old ? task->obj.id : prio;
        ev->a[2] = old ? r->r13 : 0;
        rt_memset(&ev->a[3], 0, 16);
        rt_strlcpy((char *)&ev->a[3], task->name, 16);
    }
    r->rdi = h;
    return MS_OK;
}

/* handle_give(task, h, rights): a copy of h, with fewer rights or the same,
 * into task's table. */
static int sys_handle_give(thread_t *t, arch_regs_t *r)
{
    task_t *task;
    handle_entry_t *e;
    int err = space_of(t, r->rdi, &task);
    if (err != MS_OK || (err = handle_lookup(&t->task->handles, r->rsi, KOBJ_NONE, 0, &e)) != MS_OK)
        return err;
    uint64_t rights = r->rdx;
    if (rights & ~(uint64_t)MS_RIGHTS_ALL)
        return MS_E_INVAL;
    if (rights & ~(uint64_t)e->rights)
        return MS_E_RIGHTS;
    ms_handle_t h = (ms_handle_t)r->r10;
    if (r->r10 >= MS_HANDLES_PER_TASK)
        return MS_E_INVAL;
    if (r->r10)
        err = handle_install_at(&task->handles, h, e->obj, (uint32_t)rights, e->badge);
    else
        err = handle_install(&task->handles, e->obj, (uint32_t)rights, e->badge, &h);
    if (err == MS_OK)
        r->rdi = h;
    return err;
}

static int sys_reply_save(thread_t *t, arch_regs_t *r)
{
    (void)r;
    return ipc_reply_save(t);
}

static int sys_reply_with(thread_t *t, arch_regs_t *r)
{
    return ipc_reply_with(t, r->rdi);
}

/* task_watch(task, notification, bits): see ms_abi.h. */
static int sys_task_watch(thread_t *t, arch_regs_t *r)
{
    task_t *task;
    int err = space_of(t, r->rdi, &task);
    if (err != MS_OK)
        return err;
    if (r->rsi == MS_NO_HANDLE) {
        task_set_watch(task, NULL, 0);
        return MS_OK;
    }
    handle_entry_t *e;
    if ((err = handle_lookup(&t->task->handles, r->rsi, KOBJ_NOTIFICATION, MS_RIGHT_SEND, &e)) != MS_OK)
        return err;
    if (r->rdx == 0)
        return MS_E_INVAL;
    task_set_watch(task, K_CONTAINER_OF(e->obj, notification_t, obj), r->rdx);
    return MS_OK;
}

static int sys_task_status(thread_t *t, arch_regs_t *r)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, r->rdi, KOBJ_TASK, 0, &e);
    if (err != MS_OK)
        return err;
    const task_t *task = (const task_t *)e->obj;
    r->rdi = task->state == TASK_ALIVE ? MS_TASK_ALIVE : task->state == TASK_EXITED ? MS_TASK_EXITED : MS_TASK_KILLED;
    r->rsi = (uint64_t)task->status;
    return MS_OK;
}

/* alarm(notification, bits, delay): see ms_abi.h. */
static int sys_alarm(thread_t *t, arch_regs_t *r)
{
    handle_entry_t *e;
    int err = handle_lookup(&t->task->handles, r->rdi, KOBJ_NOTIFICATION, MS_RIGHT_SEND, &e);
    if (err != MS_OK)
        return err;
    if (r->rsi == 0 || r->rdx > MS_ALARM_MAX_NS)
        return MS_E_INVAL;
    return alarm_set(K_CONTAINER_OF(e->obj, notification_t, obj), r->rsi, arch_time_ns() + r->rdx);
}

/* clock(): the time alarms count on, in ns since boot. */
static int sys_clock(thread_t *t, arch_regs_t *r)
{
    (void)t;
    r->rdi = arch_time_ns();
    return MS_OK;
}

/* trace_net(src addr, src port, dst addr, dst port, length): see ms_abi.h. */
static int sys_trace_net(thread_t *t, arch_regs_t *r)
{
    if (r->rdi > UINT32_MAX || r->rsi > UINT16_MAX || r->rdx > UINT32_MAX || r->r10 > UINT16_MAX)
        return MS_E_INVAL;
    if (r->r8 > MS_TRACE_NET_LEN_MAX)
        return MS_E_RANGE;
    k_trace_event_t *ev = trace_begin(K_EV_NET_PACKET, t, NULL);
    if (ev) {
        ev->a[0] = r->rdi;
        ev->a[1] = r->rsi;
        ev->a[2] = r->rdx;
        ev->a[3] = r->r10;
        ev->a[4] = r->r8;
    }
    return MS_OK;
}

static syscall_fn *const table[MS_SYS_COUNT] = {
    [MS_SYS_DEBUG_WRITE] = sys_debug_write,
    [MS_SYS_EXIT] = sys_exit,
    [MS_SYS_YIELD] = sys_yield,
    [MS_SYS_SEND] = sys_send,
    [MS_SYS_TRY_SEND] = sys_try_send,
    [MS_SYS_RECV] = sys_recv,
    [MS_SYS_TRY_RECV] = sys_try_recv,
    [MS_SYS_CALL] = sys_call,
    [MS_SYS_REPLY] = sys_reply,
    [MS_SYS_REPLY_RECV] = sys_reply_recv,
    [MS_SYS_ENDPOINT_CREATE] = sys_endpoint_create,
    [MS_SYS_HANDLE_COPY] = sys_handle_copy,
    [MS_SYS_HANDLE_CLOSE] = sys_handle_close,
    [MS_SYS_HANDLE_INFO] = sys_handle_info,
    [MS_SYS_THREAD_CREATE] = sys_thread_create,
    [MS_SYS_THREAD_EXIT] = sys_thread_exit,
    [MS_SYS_KILL] = sys_kill,
    [MS_SYS_FAULT_HANDLER] = sys_fault_handler,
    [MS_SYS_NOTIFICATION_CREATE] = sys_notification_create,
    [MS_SYS_SIGNAL] = sys_signal,
    [MS_SYS_WAIT] = sys_wait,
    [MS_SYS_POLL] = sys_poll,
    [MS_SYS_IRQ_BIND] = sys_irq_bind,
    [MS_SYS_IRQ_ACK] = sys_irq_ack,
    [MS_SYS_MAP] = sys_map,
    [MS_SYS_UNMAP] = sys_unmap,
    [MS_SYS_PROTECT] = sys_protect,
    [MS_SYS_MAP_WINDOW] = sys_map_window,
    [MS_SYS_TASK_CREATE] = sys_task_create,
    [MS_SYS_HANDLE_GIVE] = sys_handle_give,
    [MS_SYS_REPLY_SAVE] = sys_reply_save,
    [MS_SYS_REPLY_WITH] = sys_reply_with,
    [MS_SYS_TASK_WATCH] = sys_task_watch,
    [MS_SYS_TASK_STATUS] = sys_task_status,
    [MS_SYS_ALARM] = sys_alarm,
    [MS_SYS_TRACE_NET] = sys_trace_net,
    [MS_SYS_CLOCK] = sys_clock,
};

static const char *const names[MS_SYS_COUNT] = {
    [MS_SYS_DEBUG_WRITE] = "debug_write",
    [MS_SYS_EXIT] = "exit",
    [MS_SYS_YIELD] = "yield",
    [MS_SYS_SEND] = "send",
    [MS_SYS_TRY_SEND] = "try_send",
    [MS_SYS_RECV] = "recv",
    [MS_SYS_TRY_RECV] = "try_recv",
    [MS_SYS_CALL] = "call",
    [MS_SYS_REPLY] = "reply",
    [MS_SYS_REPLY_RECV] = "reply_recv",
    [MS_SYS_ENDPOINT_CREATE] = "endpoint_create",
    [MS_SYS_HANDLE_COPY] = "handle_copy",
    [MS_SYS_HANDLE_CLOSE] = "handle_close",
    [MS_SYS_HANDLE_INFO] = "handle_info",
    [MS_SYS_THREAD_CREATE] = "thread_create",
    [MS_SYS_THREAD_EXIT] = "thread_exit",
    [MS_SYS_KILL] = "kill",
    [MS_SYS_FAULT_HANDLER] = "fault_handler",
    [MS_SYS_NOTIFICATION_CREATE] = "notification_create",
    [MS_SYS_SIGNAL] = "signal",
    [MS_SYS_WAIT] = "wait",
    [MS_SYS_POLL] = "poll",
    [MS_SYS_IRQ_BIND] = "irq_bind",
    [MS_SYS_IRQ_ACK] = "irq_ack",
    [MS_SYS_MAP] = "map",
    [MS_SYS_UNMAP] = "unmap",
    [MS_SYS_PROTECT] = "protect",
    [MS_SYS_MAP_WINDOW] = "map_window",
    [MS_SYS_TASK_CREATE] = "task_create",
    [MS_SYS_HANDLE_GIVE] = "handle_give",
    [MS_SYS_REPLY_SAVE] = "reply_save",
    [MS_SYS_REPLY_WITH] = "reply_with",
    [MS_SYS_TASK_WATCH] = "task_watch",
    [MS_SYS_TASK_STATUS] = "task_status",
    [MS_SYS_ALARM] = "alarm",
    [MS_SYS_TRACE_NET] = "trace_net",
    [MS_SYS_CLOCK] = "clock",
};

const char *syscall_name(uint64_t nr)
{
    return nr < MS_SYS_COUNT ? names[nr] : "?";
}

const char *syscall_error_name(uint64_t err)
{
    return ms_error_code_name(err);
}

void syscall_dispatch(thread_t *t)
{
    arch_regs_t *r = &t->regs;
    uint64_t nr = r->rax;
    int err = nr < MS_SYS_COUNT ? table[nr](t, r) : MS_E_NOSYS;
    r->rax = (uint64_t)err;
    if (err == MS_OK)
        return;
    k_trace_event_t *ev = trace_begin(K_EV_SYSCALL_ERROR, t, NULL);
    if (ev) {
        ev->a[0] = nr;
        ev->a[1] = (uint64_t)err;
    }
}
