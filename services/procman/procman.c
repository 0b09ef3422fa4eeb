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
 * and answered when the process ends. The process table and every decision
 * are in procman_core.c; this is the system calls and the IPC loop around it.
 */
#include "ms/procman.h"

#include "ms/names.h"
#include "ms/print.h"
#include "ms_manifest.h"
#include "procman_core.h"
#include "rt.h"

#define WATCHER_STACK (8u * 1024u)

typedef struct procman {
    procman_core_t core;
    ms_handle_t ended; /* the notification the kernel signals */
    uintptr_t scratch; /* where procman maps a process's memory to prepare it */
    uint64_t seed;
    char *ipc_buffer;
    int knows_init; /* PROCMAN_H_INIT is init's task */
} procman_t;

static procman_request_t request_of(const ms_msg_t *m, const char *ipc_buffer)
{
    return (procman_request_t){
        .label = ms_info_label(m->info),
        .words = ms_info_words(m->info),
        .payload = ms_info_payload(m->info),
        .w = {m->w[0], m->w[1], m->w[2], m->w[3]},
        .badge = m->badge,
        .has_handle = ms_info_has_handle(m->info),
        .handle = (ms_handle_t)m->handle,
        .name = ipc_buffer,
    };
}

static void close_all(const ms_handle_t *handles, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        ms_handle_close(handles[i]);
}

/* Zeroes the slot's memory and writes the process's start block, through
 * the manager's own mapping of its frames. */
static uint64_t prepare_memory(procman_t *pm, unsigned slot, const procman_plan_t *plan)
{
    uint64_t pages = plan->mem / MS_PAGE_SIZE;
    uint64_t err =
        ms_map(MS_HANDLE_SELF, pm->scratch, PROCMAN_H_FRAMES, plan->first_frame, pages, MS_RIGHT_READ | MS_RIGHT_WRITE);
    if (err != MS_OK)
        return err;
    rt_memset((void *)pm->scratch, 0, pages * MS_PAGE_SIZE);
    procman_start_block(&pm->core, slot, pm->seed, (ms_start_t *)pm->scratch);
    return ms_unmap(MS_HANDLE_SELF, pm->scratch, pages);
}

/* The process's own handle to the name server, badged with its pid. */
static uint64_t give_names(ms_handle_t task, uint64_t badge)
{
    ms_handle_t own, h;
    uint32_t rights = MS_RIGHT_SEND | MS_RIGHT_GRANT;
    uint64_t err = ms_handle_copy(PROCMAN_H_NAMES, rights, badge, &own);
    if (err != MS_OK)
        return err;
    err = ms_handle_give_at(task, own, rights, PROCMAN_SLOT_NAMES, &h);
    ms_handle_close(own);
    return err;
}

/* The name server forgets the names of a process that died (their badge). */
static void forget_names(uint64_t badge)
{
    ms_msg_t m = {.info = ms_info(NAMES_FORGET, 1, 0, 0), .w = {badge}};
    ms_call(PROCMAN_H_NAMES_ADMIN, &m);
}

/* Gives the task its memory, fault handler, watch and handles. */
static uint64_t equip(procman_t *pm, const procman_plan_t *plan, ms_handle_t task)
{
    uint64_t err = ms_map(task, plan->base, PROCMAN_H_FRAMES, plan->first_frame, plan->mem / MS_PAGE_SIZE,
                          MS_RIGHT_READ | MS_RIGHT_WRITE);
    ms_handle_t fault_ep, h;
    if (err == MS_OK && (err = ms_handle_copy(PROCMAN_H_SEND, MS_RIGHT_SEND, plan->fault_badge, &fault_ep)) == MS_OK) {
        err = ms_fault_handler(task, fault_ep);
        ms_handle_close(fault_ep);
    }
    if (err == MS_OK)
        err = ms_task_watch(task, pm->ended, plan->watch_bits);
    uint64_t type, rights, badge;
    for (unsigned i = 0; i < plan->ngives && err == MS_OK; i++)
        if ((err = ms_handle_info(plan->gives[i].handle, &type, &rights, &badge)) == MS_OK)
            err = ms_handle_give_at(task, plan->gives[i].handle, (uint32_t)rights, plan->gives[i].slot, &h);
    if (err == MS_OK && plan->names_badge)
        err = give_names(task, plan->names_badge);
    return err;
}

/* The process's first thread: it starts at its program's entry. */
static uint64_t run(procman_t *pm, unsigned slot, ms_handle_t task)
{
    procman_plan_t plan;
    procman_plan(&pm->core, slot, 0, &plan);
    ms_handle_t h;
    uint64_t err = ms_thread_create(task, (void (*)(uint64_t))(uintptr_t)plan.entry, (void *)plan.stack,
                                    PROCMAN_STACK_BYTES, (void *)plan.ipc_buffer, plan.base, plan.prio, &h);
    if (err == MS_OK) {
        ms_handle_close(h);
        procman_thread_started(&pm->core, slot);
    }
    return err;
}

/* Starts the process of slot (held: without its thread); or restarts it,
 * in place of the ended task old, for reason (MS_RESTART_*; the trace says
 * task.restart). */
static uint64_t start(procman_t *pm, unsigned slot, ms_handle_t old, uint64_t reason, int held)
{
    procman_plan_t plan;
    procman_plan(&pm->core, slot, reason != 0, &plan);
    uint64_t err = prepare_memory(pm, slot, &plan);
    if (err != MS_OK)
        return err;
    ms_handle_t task;
    err = ms_task_recreate(plan.name, plan.base, plan.mem, plan.prio, plan.task_flags, old, reason, &task);
    if (err != MS_OK)
        return err;
    procman_task_made(&pm->core, slot, task);
    if ((err = equip(pm, &plan, task)) == MS_OK && !held)
        err = run(pm, slot, task);
    if (err != MS_OK) {
        ms_kill(task);
        ms_handle_close(task);
        procman_start_failed(&pm->core, slot);
    }
    return err;
}

/* The process of slot may have ended: restart it, or tell its waiter. */
static void ended(procman_t *pm, unsigned slot)
{
    ms_handle_t task;
    uint64_t state = MS_TASK_ALIVE, status = 0;
    if (!procman_watched(&pm->core, slot, &task) || ms_task_status(task, &state, &status) != MS_OK ||
        state == MS_TASK_ALIVE)
        return;
    procman_end_t end;
    uint64_t now = pm->core.procs[slot].prog->window_ms ? ms_clock() : 0; /* only a window needs the time */
    procman_end_decide(&pm->core, slot, state, now, &end);
    if (end.forget)
        forget_names(end.forget);
    int restarted = end.restart && start(pm, slot, task, end.reason, 0) == MS_OK;
    ms_handle_close(task);
    if (restarted)
        return;
    ms_msg_t r = {.info = ms_info(0, 4, 0, 0)};
    ms_handle_t waiter = procman_settle_end(&pm->core, slot, state, status, r.w);
    if (waiter)
        ms_reply_with(waiter, &r);
}

/* A spawn the core decided: the slot's old handles go, the process starts. */
static uint64_t spawn(procman_t *pm, const procman_action_t *act)
{
    close_all(act->close, act->nclose);
    uint64_t err = start(pm, act->slot, 0, 0, act->held);
    if (err != MS_OK) {
        ms_handle_t kept[PROCMAN_GIVES_MAX];
        close_all(kept, procman_spawn_failed(&pm->core, act->slot, kept));
    }
    return err;
}

/* A give the core allowed: the held task gets the handle, which procman keeps. */
static uint64_t give(procman_t *pm, const procman_action_t *act, ms_handle_t handle)
{
    uint64_t type, rights, badge;
    ms_handle_t h;
    uint64_t err = ms_handle_info(handle, &type, &rights, &badge);
    if (err == MS_OK)
        err = ms_handle_give_at(act->task, handle, (uint32_t)rights, act->give_slot, &h);
    if (err == MS_OK)
        procman_given(&pm->core, act->slot, act->give_slot, handle);
    else
        ms_handle_close(handle);
    return err;
}

/* A wait for a process still running: its reply is saved for its end. */
static uint64_t save_waiter(procman_t *pm, const procman_action_t *act, int *deferred)
{
    ms_handle_t reply;
    uint64_t err = ms_reply_save(&reply);
    if (err == MS_OK) {
        procman_waiter_saved(&pm->core, act->slot, reply);
        *deferred = 1;
    }
    return err;
}

/* Carries out the core's step; returns the reply's error (w[0]). */
static uint64_t perform(procman_t *pm, const procman_action_t *act, ms_handle_t handle, int *deferred)
{
    switch (act->step) {
    case PROCMAN_STEP_ENDED:
        for (unsigned i = 0; i < PROCMAN_MAX; i++)
            if (act->ended & (1ull << i))
                ended(pm, i);
        return MS_OK;
    case PROCMAN_STEP_SPAWN:
        return spawn(pm, act);
    case PROCMAN_STEP_GIVE:
        return give(pm, act, handle);
    case PROCMAN_STEP_RUN:
        return run(pm, act->slot, act->task);
    case PROCMAN_STEP_KILL:
        ms_kill(act->task);
        return act->w[0];
    case PROCMAN_STEP_REFRESH:
        return ms_kill(act->task);
    case PROCMAN_STEP_WAIT:
        return save_waiter(pm, act, deferred);
    default:
        return act->w[0];
    }
}

/* A message, through the core: fills the reply; *deferred if it is saved. */
static void serve(procman_t *pm, ms_msg_t *m, int *deferred)
{
    procman_request_t rq = request_of(m, pm->ipc_buffer);
    procman_action_t act;
    uint64_t state = MS_TASK_KILLED, status;
    if (rq.label == PROCMAN_LIST && pm->knows_init) { /* how init is, for the list */
        ms_task_status(PROCMAN_H_INIT, &state, &status);
        procman_init_state(&pm->core, state);
    }
    procman_decide(&pm->core, &rq, pm->ipc_buffer, &act);
    uint64_t err = perform(pm, &act, rq.handle, deferred);
    if (act.close_handle)
        ms_handle_close(rq.handle);
    if (act.step == PROCMAN_STEP_FAULT)
        *m = (ms_msg_t){.info = ms_info(0, 2, 0, 0), .w = {MS_FAULT_KILL}}; /* its end restarts it */
    else if (act.step == PROCMAN_STEP_ENDED)
        *m = (ms_msg_t){.info = ms_info(0, 1, 0, 0), .w = {MS_OK}};
    else
        *m = (ms_msg_t){.info = ms_info(0, 4, act.reply_len, 0), .w = {err, act.w[1], act.w[2], act.w[3]}};
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
        err = ms_handle_copy(PROCMAN_H_SEND, MS_RIGHT_SEND, PROCMAN_WATCHER_BADGE, &to_main);
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    if (err == MS_OK)
        err = ms_thread_create(MS_HANDLE_SELF, watcher, heap, WATCHER_STACK, heap + WATCHER_STACK,
                               (uint64_t)to_main << 32 | pm->ended, (uint8_t)start->arg[2], &thread);
    return err;
}

void procman_main(const ms_start_t *start)
{
    procman_t pm = {
        .scratch = start->mem_base + MS_USER_TASK_STRIDE / 2,
        .seed = start->seed,
        .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer,
        .knows_init = (start->arg[3] & PROCMAN_KNOWS_INIT) != 0,
    };
    uint64_t type = 0, rights, badge;
    int has_names = ms_handle_info(PROCMAN_H_NAMES, &type, &rights, &badge) == MS_OK && type == MS_OBJ_ENDPOINT;
    procman_core_init(&pm.core, (const procman_program_t *)(uintptr_t)start->arg[0], (unsigned)start->arg[1],
                      has_names);
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
