/* The process manager's process table and every decision, apart from system calls. */
#include "procman_core.h"

#include "rt.h"

void procman_core_init(procman_core_t *c, const procman_program_t *programs, unsigned nprograms, int has_names)
{
    rt_memset(c, 0, sizeof *c);
    c->programs = programs;
    c->nprograms = nprograms;
    c->has_names = has_names;
    c->next_pid = 1;
}

static uintptr_t base_of(unsigned slot)
{
    return PROCMAN_BASE + (uintptr_t)slot * PROCMAN_STRIDE;
}

static uint64_t mem_of(const procman_proc_t *p)
{
    return (uint64_t)p->prog->mem_kib * 1024u;
}

static const procman_program_t *find_program(const procman_core_t *c, const char *name, unsigned len)
{
    for (unsigned i = 0; i < c->nprograms; i++) {
        const char *n = c->programs[i].name;
        unsigned k = 0;
        while (k < len && n[k] == name[k])
            k++;
        if (k == len && n[k] == '\0')
            return &c->programs[i];
    }
    return 0;
}

static procman_proc_t *find_pid(procman_core_t *c, uint64_t pid)
{
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        if (c->procs[i].state != PROCMAN_PROC_FREE && c->procs[i].pid == pid)
            return &c->procs[i];
    return 0;
}

/* A slot for a new process: a free one, or one whose process ended and
 * that nobody waits on. */
static int free_slot(const procman_core_t *c)
{
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        if (c->procs[i].state == PROCMAN_PROC_FREE)
            return (int)i;
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        if (c->procs[i].state == PROCMAN_PROC_ENDED && !c->procs[i].waiter)
            return (int)i;
    return -1;
}

/* The handles p was given, into close[]; p keeps none. Returns how many. */
static unsigned take_gives(procman_proc_t *p, ms_handle_t close[PROCMAN_GIVES_MAX])
{
    unsigned n = p->ngives;
    for (unsigned i = 0; i < n; i++)
        close[i] = p->gives[i].handle;
    p->ngives = 0;
    return n;
}

/* A program procman can lay out: its memory holds the start block, IPC buffer and stack. */
static int fits(const procman_program_t *prog)
{
    return prog->mem_kib <= PROCMAN_MEM_KIB && prog->mem_kib * 1024u >= 2 * MS_PAGE_SIZE + PROCMAN_STACK_BYTES;
}

/* PROCMAN_SPAWN: a slot, a pid and a new record, whose start is the IPC loop's. */
static void decide_spawn(procman_core_t *c, const procman_request_t *rq, procman_action_t *act)
{
    const procman_program_t *prog = rq->payload > PROCMAN_NAME_MAX ? 0 : find_program(c, rq->name, rq->payload);
    int slot = free_slot(c);
    if (rq->payload > PROCMAN_NAME_MAX)
        act->w[0] = MS_E_RANGE;
    else if (!prog)
        act->w[0] = MS_E_NOTFOUND;
    else if (slot < 0 || !fits(prog))
        act->w[0] = slot < 0 ? MS_E_FULL : MS_E_INVAL;
    if (act->w[0] != MS_OK)
        return;
    procman_proc_t *p = &c->procs[slot];
    act->nclose = take_gives(p, act->close);
    *p = (procman_proc_t){.pid = c->next_pid++, .prog = prog, .args = {rq->w[0], rq->w[1], rq->w[2]}};
    if (rq->has_handle)
        p->gives[p->ngives++] = (procman_give_t){.slot = PROCMAN_SLOT_GIVEN, .handle = rq->handle};
    act->step = PROCMAN_STEP_SPAWN;
    act->slot = (unsigned)slot;
    act->held = rq->words == 4 && (rq->w[3] & PROCMAN_HOLD);
    act->w[1] = p->pid;
}

/* PROCMAN_GIVE: a handle for a held process, in a slot of its table. */
static void decide_give(procman_core_t *c, const procman_request_t *rq, procman_action_t *act)
{
    procman_proc_t *p = find_pid(c, rq->w[0]);
    uint64_t slot = rq->w[1];
    if (!p)
        act->w[0] = MS_E_NOTFOUND;
    else if (p->state != PROCMAN_PROC_HELD)
        act->w[0] = MS_E_BUSY;
    else if (!rq->has_handle || slot == 0 || slot > 63 || slot == PROCMAN_SLOT_NAMES)
        act->w[0] = MS_E_INVAL;
    else if (p->ngives == PROCMAN_GIVES_MAX)
        act->w[0] = MS_E_FULL;
    else
        *act = (procman_action_t){
            .step = PROCMAN_STEP_GIVE, .slot = (unsigned)(p - c->procs), .task = p->task, .give_slot = (uint32_t)slot};
}

/* PROCMAN_RUN starts a held process; PROCMAN_REFRESH kills a running one
 * so that its end restarts it. */
static void decide_control(procman_core_t *c, const procman_request_t *rq, procman_action_t *act)
{
    procman_proc_t *p = find_pid(c, rq->w[0]);
    if (!p) {
        act->w[0] = MS_E_NOTFOUND;
    } else if (rq->label == PROCMAN_RUN) {
        if (p->state == PROCMAN_PROC_HELD)
            *act = (procman_action_t){.step = PROCMAN_STEP_RUN, .slot = (unsigned)(p - c->procs), .task = p->task};
        else
            act->w[0] = MS_E_BUSY;
    } else if (p->state != PROCMAN_PROC_RUNNING) {
        act->w[0] = MS_E_BUSY;
    } else {
        p->forced = 1;
        *act = (procman_action_t){.step = PROCMAN_STEP_REFRESH, .task = p->task};
    }
}

/* PROCMAN_WAIT: answered now if the process ended, else its reply is saved. */
static void decide_wait(procman_core_t *c, const procman_request_t *rq, procman_action_t *act)
{
    procman_proc_t *p = find_pid(c, rq->w[0]);
    if (!p) {
        act->w[0] = MS_E_NOTFOUND;
    } else if (p->state == PROCMAN_PROC_ENDED) {
        act->w[1] = p->end_state;
        act->w[2] = p->status;
        act->w[3] = p->restarts;
    } else if (p->waiter) {
        act->w[0] = MS_E_BUSY;
    } else {
        *act = (procman_action_t){.step = PROCMAN_STEP_WAIT, .slot = (unsigned)(p - c->procs)};
    }
}

_Static_assert((int)PROCMAN_STATE_HELD == (int)PROCMAN_PROC_HELD &&
                   (int)PROCMAN_STATE_RUNNING == (int)PROCMAN_PROC_RUNNING &&
                   (int)PROCMAN_STATE_ENDED == (int)PROCMAN_PROC_ENDED,
               "PROCMAN_STATUS answers with the table's own states");

/* PROCMAN_STATUS: pid's state, PROCMAN_STATE_NONE if no slot has it. */
static uint64_t procman_state_of(procman_core_t *c, uint64_t pid)
{
    const procman_proc_t *p = find_pid(c, pid);
    return p ? p->state : PROCMAN_STATE_NONE;
}

/* PROCMAN_KILL: a process that has not ended is killed, and never restarted. */
static void decide_kill(procman_core_t *c, const procman_request_t *rq, procman_action_t *act)
{
    procman_proc_t *p = find_pid(c, rq->w[0]);
    if (!p) {
        act->w[0] = MS_E_NOTFOUND;
    } else if (p->state == PROCMAN_PROC_RUNNING || p->state == PROCMAN_PROC_HELD) {
        p->unwanted = 1;
        *act = (procman_action_t){.step = PROCMAN_STEP_KILL, .task = p->task};
    }
}

/* A client's request: each label with its word count and payload. The handle it carried is
 * closed, unless a spawn or a give goes ahead with it (the SPAWN and GIVE steps keep it). */
static void decide_request(procman_core_t *c, const procman_request_t *rq, char *out, procman_action_t *act)
{
    uint32_t label = rq->label;
    int plain = rq->payload == 0;
    if (label == PROCMAN_SPAWN && (rq->words == 3 || rq->words == 4))
        decide_spawn(c, rq, act);
    else if (label == PROCMAN_GIVE && rq->words == 2 && plain)
        decide_give(c, rq, act);
    else if ((label == PROCMAN_RUN || label == PROCMAN_REFRESH) && rq->words == 1 && plain)
        decide_control(c, rq, act);
    else if (label == PROCMAN_WAIT && rq->words == 1 && plain)
        decide_wait(c, rq, act);
    else if (label == PROCMAN_KILL && rq->words == 1 && plain)
        decide_kill(c, rq, act);
    else if (label == PROCMAN_LIST && rq->words == 0 && plain)
        act->reply_len = procman_list(c, out);
    else if (label == PROCMAN_STATUS && rq->words == 1 && plain)
        act->w[1] = procman_state_of(c, rq->w[0]);
    else
        act->w[0] =
            label >= PROCMAN_SPAWN && label <= PROCMAN_STATUS && label != PROCMAN_EXITED ? MS_E_INVAL : MS_E_NOSYS;
    act->close_handle = rq->has_handle && act->step != PROCMAN_STEP_SPAWN && act->step != PROCMAN_STEP_GIVE;
}

void procman_decide(procman_core_t *c, const procman_request_t *rq, char *out, procman_action_t *act)
{
    *act = (procman_action_t){.step = PROCMAN_STEP_REPLY, .w = {MS_OK}};
    if (rq->badge >= PROCMAN_FAULT_BADGE && rq->badge < PROCMAN_FAULT_BADGE + PROCMAN_MAX &&
        rq->label == MS_FAULT_LABEL) {
        c->procs[rq->badge - PROCMAN_FAULT_BADGE].faulted = 1; /* its end restarts it */
        act->step = PROCMAN_STEP_FAULT;
    } else if (rq->badge == PROCMAN_WATCHER_BADGE && rq->label == PROCMAN_EXITED) {
        act->step = PROCMAN_STEP_ENDED;
        act->ended = rq->w[0] & ((1ull << PROCMAN_MAX) - 1);
    } else {
        decide_request(c, rq, out, act);
    }
}

void procman_plan(const procman_core_t *c, unsigned slot, int restart, procman_plan_t *plan)
{
    const procman_proc_t *p = &c->procs[slot];
    uintptr_t base = base_of(slot);
    *plan = (procman_plan_t){
        .name = p->prog->name,
        .entry = p->prog->entry,
        .prio = p->prog->prio,
        .task_flags = (restart ? MS_TASK_RESTART : 0) | (p->prog->flags & PROCMAN_F_DAEMON ? MS_TASK_DAEMON : 0),
        .base = base,
        .mem = mem_of(p),
        .first_frame = (uint64_t)slot * PROCMAN_PAGES_PER_PROC,
        .stack = base + mem_of(p) - PROCMAN_STACK_BYTES,
        .ipc_buffer = base + MS_PAGE_SIZE,
        .fault_badge = PROCMAN_FAULT_BADGE + slot,
        .watch_bits = 1ull << slot,
        .gives = p->gives,
        .ngives = p->ngives,
        .names_badge = c->has_names ? PROCMAN_NAMES_BADGE(p->pid) : 0,
    };
}

void procman_start_block(const procman_core_t *c, unsigned slot, uint64_t seed, ms_start_t *st)
{
    const procman_proc_t *p = &c->procs[slot];
    uintptr_t base = base_of(slot);
    for (unsigned i = 0; i < 3; i++)
        st->arg[i] = p->args[i];
    st->arg[3] = p->pid;
    st->seed = seed;
    st->mem_base = base;
    st->mem_size = mem_of(p);
    st->ipc_buffer = base + MS_PAGE_SIZE;
    st->heap_base = base + 2 * MS_PAGE_SIZE;
    st->heap_size = mem_of(p) - 2 * MS_PAGE_SIZE - PROCMAN_STACK_BYTES;
    rt_strlcpy(st->name, p->prog->name, sizeof st->name);
}

void procman_task_made(procman_core_t *c, unsigned slot, ms_handle_t task)
{
    procman_proc_t *p = &c->procs[slot];
    p->task = task;
    p->state = PROCMAN_PROC_HELD;
    p->faulted = p->unwanted = p->forced = 0;
}

void procman_thread_started(procman_core_t *c, unsigned slot)
{
    c->procs[slot].state = PROCMAN_PROC_RUNNING;
}

void procman_start_failed(procman_core_t *c, unsigned slot)
{
    c->procs[slot].state = PROCMAN_PROC_FREE;
}

unsigned procman_spawn_failed(procman_core_t *c, unsigned slot, ms_handle_t close[PROCMAN_GIVES_MAX])
{
    return take_gives(&c->procs[slot], close);
}

void procman_given(procman_core_t *c, unsigned slot, uint32_t give_slot, ms_handle_t handle)
{
    procman_proc_t *p = &c->procs[slot];
    p->gives[p->ngives++] = (procman_give_t){.slot = give_slot, .handle = handle};
}

void procman_waiter_saved(procman_core_t *c, unsigned slot, ms_handle_t reply)
{
    c->procs[slot].waiter = reply;
}

int procman_watched(const procman_core_t *c, unsigned slot, ms_handle_t *task)
{
    const procman_proc_t *p = &c->procs[slot];
    if (p->state != PROCMAN_PROC_RUNNING && p->state != PROCMAN_PROC_HELD)
        return 0;
    *task = p->task;
    return 1;
}

void procman_end_decide(procman_core_t *c, unsigned slot, uint64_t state, uint64_t now_ns, procman_end_t *end)
{
    procman_proc_t *p = &c->procs[slot];
    uint64_t window_ns = (uint64_t)p->prog->window_ms * 1000000u;
    if (window_ns && now_ns - p->window_start >= window_ns) { /* a new window */
        p->window_start = now_ns;
        p->window_restarts = 0;
    }
    int crashed = state == MS_TASK_KILLED && !p->unwanted;
    int wanted = p->prog->policy == PROCMAN_RESTART && p->window_restarts < p->prog->max_restarts;
    *end = (procman_end_t){
        .forget = c->has_names && !(p->prog->flags & PROCMAN_F_NAMES) ? PROCMAN_NAMES_BADGE(p->pid) : 0,
        .restart = crashed && (wanted || p->forced),
        .reason = p->faulted ? MS_RESTART_EXCEPTION : MS_RESTART_KILLED,
    };
    if (end->restart) {
        p->restarts++;
        p->window_restarts += !p->forced; /* an operator's refresh is not a crash */
    } else if (p->prog->flags & PROCMAN_F_NAMES) {
        c->has_names = 0; /* nobody serves names any more: no call may wait for it */
    }
}

ms_handle_t procman_settle_end(procman_core_t *c, unsigned slot, uint64_t state, uint64_t status, uint64_t reply[4])
{
    procman_proc_t *p = &c->procs[slot];
    ms_handle_t waiter = p->waiter;
    p->state = PROCMAN_PROC_ENDED;
    p->end_state = state;
    p->status = status;
    p->waiter = 0;
    reply[0] = MS_OK;
    reply[1] = state;
    reply[2] = status;
    reply[3] = p->restarts;
    return waiter;
}

void procman_init_state(procman_core_t *c, uint64_t state)
{
    c->knows_init = 1;
    c->init_state = state;
}

unsigned procman_list(const procman_core_t *c, char *out)
{
    static const char *const states[] = {"free", "held", "running", "ended"};
    unsigned n = (unsigned)rt_snprintf(out, MS_MSG_PAYLOAD_MAX, "- procman running 0\n");
    if (c->knows_init)
        n += (unsigned)rt_snprintf(out + n, MS_MSG_PAYLOAD_MAX - n, "- init %s 0\n",
                                   c->init_state == MS_TASK_ALIVE ? "running" : "ended");
    for (unsigned i = 0; i < PROCMAN_MAX && n < MS_MSG_PAYLOAD_MAX - 64; i++) {
        const procman_proc_t *p = &c->procs[i];
        if (p->state == PROCMAN_PROC_FREE)
            continue;
        n += (unsigned)rt_snprintf(out + n, MS_MSG_PAYLOAD_MAX - n, "%u %s %s %u\n", p->pid, p->prog->name,
                                   states[p->state], p->restarts);
    }
    return n;
}
