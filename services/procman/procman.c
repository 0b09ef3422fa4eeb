/*
 * procman: the process manager. It starts programs of the image as
 * processes in tasks of their own, tells who waits how they ended, kills
 * them on request, and restarts those that crash, as its programs' policies
 * say (MINIX 3's reincarnation server). See ms/procman.h for the protocol.
 *
 * The kernel signals one notification when any process's task ends
 * (task_watch, one bit per process slot); a second thread of procman waits
 * on it and tells the main thread by a call, so that the main thread only
 * ever receives. A wait that cannot be answered yet is saved (reply_save)
 * and answered when the process ends.
 */
#include "ms/procman.h"

#include "ms/names.h"
#include "ms/print.h"
#include "ms_manifest.h"
#include "rt.h"

#define PAGES_PER_PROC (PROCMAN_MEM_KIB * 1024u / MS_PAGE_SIZE)
#define STACK_BYTES (32u * 1024u)
#define FAULT_BADGE 0x100u  /* + slot: a process's faults */
#define WATCHER_BADGE 0x200u /* the watcher thread's calls */
#define WATCHER_STACK (8u * 1024u)

enum proc_state { PROC_FREE, PROC_HELD, PROC_RUNNING, PROC_ENDED };

/* A handle a process is given, in its slot (kept for its restarts). */
typedef struct proc_give {
    uint32_t slot;
    ms_handle_t handle;
} proc_give_t;

typedef struct proc {
    uint8_t state;
    uint8_t faulted;   /* it raised an exception (a restart's reason) */
    uint8_t unwanted;  /* killed on request: never restarted */
    uint8_t forced;    /* killed by PROCMAN_REFRESH: restarted whatever its policy */
    uint32_t pid;
    const procman_program_t *prog;
    ms_handle_t task;
    proc_give_t gives[PROCMAN_GIVES_MAX];
    unsigned ngives;
    uint64_t args[3];
    uint32_t restarts;
    uint64_t end_state, status;
    ms_handle_t waiter; /* a saved reply, or 0 */
} proc_t;

typedef struct procman {
    const procman_program_t *programs;
    unsigned nprograms;
    proc_t procs[PROCMAN_MAX];
    uint32_t next_pid;
    ms_handle_t ended; /* the notification the kernel signals */
    uintptr_t scratch; /* where procman maps a process's memory to prepare it */
    uint64_t seed;
    char *ipc_buffer;
    int has_names; /* handles 5 and 6 reach a name server */
} procman_t;

static uintptr_t base_of(unsigned slot)
{
    return PROCMAN_BASE + (uintptr_t)slot * PROCMAN_STRIDE;
}

static uint64_t mem_of(const proc_t *p)
{
    return (uint64_t)p->prog->mem_kib * 1024u;
}

/* Zeroes the slot's memory and writes the process's start block, through
 * the manager's own mapping of its frames. */
static uint64_t prepare_memory(procman_t *pm, unsigned slot)
{
    const proc_t *p = &pm->procs[slot];
    uint64_t pages = mem_of(p) / MS_PAGE_SIZE;
    uint64_t err = ms_map(MS_HANDLE_SELF, pm->scratch, PROCMAN_H_FRAMES, slot * PAGES_PER_PROC, pages,
                          MS_RIGHT_READ | MS_RIGHT_WRITE);
    if (err != MS_OK)
        return err;
    rt_memset((void *)pm->scratch, 0, pages * MS_PAGE_SIZE);
    ms_start_t *st = (ms_start_t *)pm->scratch;
    uintptr_t base = base_of(slot);
    for (unsigned i = 0; i < 3; i++)
        st->arg[i] = p->args[i];
    st->arg[3] = p->pid;
    st->seed = pm->seed;
    st->mem_base = base;
    st->mem_size = mem_of(p);
    st->ipc_buffer = base + MS_PAGE_SIZE;
    st->heap_base = base + 2 * MS_PAGE_SIZE;
    st->heap_size = mem_of(p) - 2 * MS_PAGE_SIZE - STACK_BYTES;
    rt_strlcpy(st->name, p->prog->name, sizeof st->name);
    return ms_unmap(MS_HANDLE_SELF, pm->scratch, pages);
}

/* The process's own handle to the name server, badged with its pid. */
static uint64_t give_names(ms_handle_t task, uint32_t pid)
{
    ms_handle_t own, h;
    uint32_t rights = MS_RIGHT_SEND | MS_RIGHT_GRANT;
    uint64_t err = ms_handle_copy(PROCMAN_H_NAMES, rights, PROCMAN_NAMES_BADGE(pid), &own);
    if (err != MS_OK)
        return err;
    err = ms_handle_give_at(task, own, rights, PROCMAN_SLOT_NAMES, &h);
    ms_handle_close(own);
    return err;
}

/* The name server forgets the names of a process that died. */
static void forget_names(const procman_t *pm, const proc_t *p)
{
    if (!pm->has_names || (p->prog->flags & PROCMAN_F_NAMES))
        return;
    ms_msg_t m = {.info = ms_info(NAMES_FORGET, 1, 0, 0), .w = {PROCMAN_NAMES_BADGE(p->pid)}};
    ms_call(PROCMAN_H_NAMES_ADMIN, &m);
}

/* Gives the task its memory, fault handler, watch, handles and thread. */
static uint64_t equip(procman_t *pm, unsigned slot, ms_handle_t task)
{
    proc_t *p = &pm->procs[slot];
    uintptr_t base = base_of(slot);
    uint64_t err = ms_map(task, base, PROCMAN_H_FRAMES, slot * PAGES_PER_PROC, mem_of(p) / MS_PAGE_SIZE,
                          MS_RIGHT_READ | MS_RIGHT_WRITE);
    ms_handle_t fault_ep, h;
    if (err == MS_OK && (err = ms_handle_copy(PROCMAN_H_SEND, MS_RIGHT_SEND, FAULT_BADGE + slot, &fault_ep)) == MS_OK) {
        err = ms_fault_handler(task, fault_ep);
        ms_handle_close(fault_ep);
    }
    if (err == MS_OK)
        err = ms_task_watch(task, pm->ended, 1ull << slot);
    uint64_t type, rights, badge;
    for (unsigned i = 0; i < p->ngives && err == MS_OK; i++)
        if ((err = ms_handle_info(p->gives[i].handle, &type, &rights, &badge)) == MS_OK)
            err = ms_handle_give_at(task, p->gives[i].handle, (uint32_t)rights, p->gives[i].slot, &h);
    if (err == MS_OK && pm->has_names)
        err = give_names(task, p->pid);
    return err;
}

/* The process's first thread: it starts at its program's entry. */
static uint64_t run(procman_t *pm, unsigned slot)
{
    proc_t *p = &pm->procs[slot];
    uintptr_t base = base_of(slot);
    ms_handle_t h;
    uint64_t err = ms_thread_create(p->task, (void (*)(uint64_t))(uintptr_t)p->prog->entry,
                                    (void *)(base + mem_of(p) - STACK_BYTES), STACK_BYTES,
                                    (void *)(base + MS_PAGE_SIZE), base, p->prog->prio, &h);
    if (err == MS_OK) {
        ms_handle_close(h);
        p->state = PROC_RUNNING;
    }
    return err;
}

/* Starts the process of slot (held: without its thread); or restarts it,
 * in place of the ended task old, for reason (MS_RESTART_*; the trace says
 * task.restart). */
static uint64_t start(procman_t *pm, unsigned slot, ms_handle_t old, uint64_t reason, int held)
{
    proc_t *p = &pm->procs[slot];
    uint64_t err = prepare_memory(pm, slot);
    if (err != MS_OK)
        return err;
    ms_handle_t task;
    uint64_t flags = (reason ? MS_TASK_RESTART : 0) | (p->prog->flags & PROCMAN_F_DAEMON ? MS_TASK_DAEMON : 0);
    err = ms_task_recreate(p->prog->name, base_of(slot), mem_of(p), p->prog->prio, flags, old, reason, &task);
    if (err != MS_OK)
        return err;
    p->task = task;
    p->state = PROC_HELD;
    p->faulted = p->unwanted = p->forced = 0;
    if ((err = equip(pm, slot, task)) == MS_OK && !held)
        err = run(pm, slot);
    if (err != MS_OK) {
        ms_kill(task);
        ms_handle_close(task);
        p->state = PROC_FREE;
    }
    return err;
}

static const procman_program_t *find_program(const procman_t *pm, const char *name, unsigned len)
{
    for (unsigned i = 0; i < pm->nprograms; i++) {
        const char *n = pm->programs[i].name;
        unsigned k = 0;
        while (k < len && n[k] == name[k])
            k++;
        if (k == len && n[k] == '\0')
            return &pm->programs[i];
    }
    return 0;
}

static proc_t *find_pid(procman_t *pm, uint64_t pid)
{
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        if (pm->procs[i].state != PROC_FREE && pm->procs[i].pid == pid)
            return &pm->procs[i];
    return 0;
}

/* A slot for a new process: a free one, or one whose process ended and
 * that nobody waits on. */
static int free_slot(procman_t *pm)
{
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        if (pm->procs[i].state == PROC_FREE)
            return (int)i;
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        if (pm->procs[i].state == PROC_ENDED && !pm->procs[i].waiter)
            return (int)i;
    return -1;
}

/* Closes the handles the slot's last process was given. */
static void drop_gives(proc_t *p)
{
    for (unsigned i = 0; i < p->ngives; i++)
        ms_handle_close(p->gives[i].handle);
    p->ngives = 0;
}

static void spawn(procman_t *pm, ms_msg_t *m, uint64_t *w)
{
    unsigned len = ms_info_payload(m->info);
    const procman_program_t *prog = len > PROCMAN_NAME_MAX ? 0 : find_program(pm, pm->ipc_buffer, len);
    int slot = free_slot(pm);
    if (len > PROCMAN_NAME_MAX)
        w[0] = MS_E_RANGE;
    else if (!prog)
        w[0] = MS_E_NOTFOUND;
    else if (slot < 0 || prog->mem_kib > PROCMAN_MEM_KIB || prog->mem_kib * 1024u < 2 * MS_PAGE_SIZE + STACK_BYTES)
        w[0] = slot < 0 ? MS_E_FULL : MS_E_INVAL;
    if (w[0] != MS_OK || slot < 0 || !prog) {
        if (ms_info_has_handle(m->info))
            ms_handle_close((ms_handle_t)m->handle);
        return;
    }
    proc_t *p = &pm->procs[slot];
    drop_gives(p);
    *p = (proc_t){.pid = pm->next_pid++, .prog = prog, .args = {m->w[0], m->w[1], m->w[2]}};
    if (ms_info_has_handle(m->info))
        p->gives[p->ngives++] = (proc_give_t){.slot = PROCMAN_SLOT_GIVEN, .handle = (ms_handle_t)m->handle};
    w[0] = start(pm, (unsigned)slot, 0, 0, ms_info_words(m->info) == 4 && (m->w[3] & PROCMAN_HOLD));
    if (w[0] != MS_OK)
        drop_gives(p);
    w[1] = p->pid;
}

/* PROCMAN_GIVE: a handle for a held process, in a slot of its table. */
static uint64_t give(procman_t *pm, const ms_msg_t *m)
{
    proc_t *p = find_pid(pm, m->w[0]);
    uint64_t slot = m->w[1];
    if (!p)
        return MS_E_NOTFOUND;
    if (p->state != PROC_HELD)
        return MS_E_BUSY;
    if (!ms_info_has_handle(m->info) || slot == 0 || slot > 63 || slot == PROCMAN_SLOT_NAMES)
        return MS_E_INVAL;
    if (p->ngives == PROCMAN_GIVES_MAX)
        return MS_E_FULL;
    ms_handle_t h;
    uint64_t type, rights, badge;
    uint64_t err = ms_handle_info((ms_handle_t)m->handle, &type, &rights, &badge);
    if (err == MS_OK)
        err = ms_handle_give_at(p->task, (ms_handle_t)m->handle, (uint32_t)rights, (uint32_t)slot, &h);
    if (err == MS_OK)
        p->gives[p->ngives++] = (proc_give_t){.slot = (uint32_t)slot, .handle = (ms_handle_t)m->handle};
    return err;
}

/* The process of slot ended: restart it, or tell its waiter. */
static void ended(procman_t *pm, unsigned slot)
{
    proc_t *p = &pm->procs[slot];
    if (p->state != PROC_RUNNING && p->state != PROC_HELD)
        return;
    uint64_t state = MS_TASK_ALIVE, status = 0;
    if (ms_task_status(p->task, &state, &status) != MS_OK || state == MS_TASK_ALIVE)
        return;
    ms_handle_t old = p->task;
    forget_names(pm, p);
    int crashed = state == MS_TASK_KILLED && !p->unwanted;
    int wanted = p->prog->policy == PROCMAN_RESTART && p->restarts < p->prog->max_restarts;
    if (crashed && (wanted || p->forced)) {
        p->restarts++;
        uint64_t err = start(pm, slot, old, p->faulted ? MS_RESTART_EXCEPTION : MS_RESTART_KILLED, 0);
        ms_handle_close(old);
        if (err == MS_OK)
            return;
    } else {
        ms_handle_close(old);
    }
    p->state = PROC_ENDED;
    p->end_state = state;
    p->status = status;
    if (p->waiter) {
        ms_msg_t r = {.info = ms_info(0, 4, 0, 0), .w = {MS_OK, state, status, p->restarts}};
        ms_reply_with(p->waiter, &r);
        p->waiter = 0;
    }
}

static void wait_for(procman_t *pm, const ms_msg_t *m, uint64_t *w, int *deferred)
{
    proc_t *p = find_pid(pm, m->w[0]);
    if (!p) {
        w[0] = MS_E_NOTFOUND;
    } else if (p->state == PROC_ENDED) {
        w[1] = p->end_state;
        w[2] = p->status;
        w[3] = p->restarts;
    } else if (p->waiter) {
        w[0] = MS_E_BUSY;
    } else if ((w[0] = ms_reply_save(&p->waiter)) == MS_OK) {
        *deferred = 1;
    }
}

static unsigned list(procman_t *pm)
{
    static const char *const states[] = {"free", "held", "running", "ended"};
    unsigned n = 0;
    for (unsigned i = 0; i < PROCMAN_MAX && n < MS_MSG_PAYLOAD_MAX - 64; i++) {
        const proc_t *p = &pm->procs[i];
        if (p->state == PROC_FREE)
            continue;
        n += (unsigned)rt_snprintf(pm->ipc_buffer + n, MS_MSG_PAYLOAD_MAX - n, "%u %s %s %u\n", p->pid,
                                   p->prog->name, states[p->state], p->restarts);
    }
    return n;
}

/* PROCMAN_RUN starts a held process; PROCMAN_REFRESH kills a running one
 * so that its end restarts it. */
static uint64_t control(procman_t *pm, uint32_t label, uint64_t pid)
{
    proc_t *p = find_pid(pm, pid);
    if (!p)
        return MS_E_NOTFOUND;
    unsigned slot = (unsigned)(p - pm->procs);
    if (label == PROCMAN_RUN)
        return p->state == PROC_HELD ? run(pm, slot) : MS_E_BUSY;
    if (p->state != PROC_RUNNING)
        return MS_E_BUSY;
    p->forced = 1;
    return ms_kill(p->task);
}

/* A request from a client: fills the reply; *deferred if it is saved. */
static void request(procman_t *pm, ms_msg_t *m, int *deferred)
{
    uint64_t w[4] = {MS_OK, 0, 0, 0};
    uint32_t label = ms_info_label(m->info);
    unsigned words = ms_info_words(m->info), payload = 0;
    if (label == PROCMAN_SPAWN && (words == 3 || words == 4))
        spawn(pm, m, w);
    else if (label == PROCMAN_GIVE && words == 2 && !ms_info_payload(m->info))
        w[0] = give(pm, m);
    else if ((label == PROCMAN_RUN || label == PROCMAN_REFRESH) && words == 1 && !ms_info_payload(m->info))
        w[0] = control(pm, label, m->w[0]);
    else if (label == PROCMAN_WAIT && words == 1 && !ms_info_payload(m->info))
        wait_for(pm, m, w, deferred);
    else if (label == PROCMAN_KILL && words == 1 && !ms_info_payload(m->info)) {
        proc_t *p = find_pid(pm, m->w[0]);
        if (!p)
            w[0] = MS_E_NOTFOUND;
        else if (p->state == PROC_RUNNING || p->state == PROC_HELD) {
            p->unwanted = 1;
            ms_kill(p->task);
        }
    } else if (label == PROCMAN_LIST && words == 0 && !ms_info_payload(m->info))
        payload = list(pm);
    else
        w[0] = label >= PROCMAN_SPAWN && label <= PROCMAN_REFRESH && label != PROCMAN_EXITED ? MS_E_INVAL
                                                                                             : MS_E_NOSYS;
    int kept = (label == PROCMAN_SPAWN && w[0] == MS_OK) || (label == PROCMAN_GIVE && w[0] == MS_OK);
    if (!kept && label != PROCMAN_SPAWN && ms_info_has_handle(m->info))
        ms_handle_close((ms_handle_t)m->handle); /* a handle only a spawn or a give keeps */
    *m = (ms_msg_t){.info = ms_info(0, 4, payload, 0), .w = {w[0], w[1], w[2], w[3]}};
}

static void serve(procman_t *pm, ms_msg_t *m, int *deferred)
{
    uint32_t label = ms_info_label(m->info);
    if (m->badge >= FAULT_BADGE && m->badge < FAULT_BADGE + PROCMAN_MAX && label == MS_FAULT_LABEL) {
        pm->procs[m->badge - FAULT_BADGE].faulted = 1;
        *m = (ms_msg_t){.info = ms_info(0, 2, 0, 0), .w = {MS_FAULT_KILL}}; /* its end restarts it */
    } else if (m->badge == WATCHER_BADGE && label == PROCMAN_EXITED) {
        for (unsigned i = 0; i < PROCMAN_MAX; i++)
            if (m->w[0] & (1ull << i))
                ended(pm, i);
        *m = (ms_msg_t){.info = ms_info(0, 1, 0, 0), .w = {MS_OK}};
    } else {
        request(pm, m, deferred);
    }
}

/* The watcher: waits for the kernel's notification of ended tasks and
 * tells the main thread, which only ever receives. */
static void watcher(uint64_t arg)
{
    ms_handle_t ended = (ms_handle_t)(arg & 0xffffffffu), to_main = (ms_handle_t)(arg >> 32);
    uint64_t bits;
    while (ms_wait(ended, &bits) == MS_OK) {
        ms_msg_t m = {.info = ms_info(PROCMAN_EXITED, 1, 0, 0), .w = {bits}};
        ms_call(to_main, &m);
    }
    ms_thread_exit();
}

static uint64_t start_watcher(procman_t *pm, const ms_start_t *start)
{
    ms_handle_t to_main, thread;
    uint64_t err = ms_notification_create(&pm->ended);
    if (err == MS_OK)
        err = ms_handle_copy(PROCMAN_H_SEND, MS_RIGHT_SEND, WATCHER_BADGE, &to_main);
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    if (err == MS_OK)
        err = ms_thread_create(MS_HANDLE_SELF, watcher, heap, WATCHER_STACK, heap + WATCHER_STACK,
                               (uint64_t)to_main << 32 | pm->ended, (uint8_t)start->arg[2], &thread);
    return err;
}

void procman_main(const ms_start_t *start)
{
    procman_t pm = {
        .programs = (const procman_program_t *)(uintptr_t)start->arg[0],
        .nprograms = (unsigned)start->arg[1],
        .next_pid = 1,
        .scratch = start->mem_base + MS_USER_TASK_STRIDE / 2,
        .seed = start->seed,
        .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer,
    };
    uint64_t type = 0, rights, badge;
    pm.has_names = ms_handle_info(PROCMAN_H_NAMES, &type, &rights, &badge) == MS_OK && type == MS_OBJ_ENDPOINT;
    uint64_t err = start_watcher(&pm, start);
    if (err != MS_OK) {
        ms_printf("%s: cannot start its watcher (%s)\n", start->name, ms_error_name(err));
        ms_exit(1);
    }
    ms_msg_t m;
    err = ms_recv(PROCMAN_H_ENDPOINT, &m);
    while (err == MS_OK) {
        int deferred = 0;
        serve(&pm, &m, &deferred);
        err = deferred ? ms_recv(PROCMAN_H_ENDPOINT, &m) : ms_reply_recv(PROCMAN_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%s)\n", start->name, ms_error_name(err));
    ms_exit(1);
}
