/* The process manager's protocol and restart policy, driven through its core (services/procman/procman_core.c). */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "procman_core.h"

#define CLIENT_BADGE 5u
#define SPAWN_HANDLE 30u     /* the handle a spawn carries */
#define GIVEN(i) (40u + (i)) /* handles given with PROCMAN_GIVE */
#define WAITER 90u           /* a saved wait's reply handle */
#define FIRST_TASK 100u      /* the task handles the IPC loop makes, counting up */

static void entry(const ms_start_t *start)
{
    (void)start;
}

static const procman_program_t programs[] = {
    {.name = "worker", .entry = entry, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "crasher", .entry = entry, .mem_kib = 64, .prio = 11, .policy = PROCMAN_RESTART, .max_restarts = 2},
    {.name = "daemon",
     .entry = entry,
     .mem_kib = 128,
     .prio = 12,
     .policy = PROCMAN_RESTART,
     .max_restarts = 5,
     .flags = PROCMAN_F_DAEMON},
    {.name = "names",
     .entry = entry,
     .mem_kib = 64,
     .prio = 30,
     .policy = PROCMAN_RESTART,
     .max_restarts = 5,
     .flags = PROCMAN_F_NAMES | PROCMAN_F_DAEMON},
    {.name = "fifteen-letters", .entry = entry, .mem_kib = 256, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "too-big", .entry = entry, .mem_kib = PROCMAN_MEM_KIB + 4, .prio = 10},
    {.name = "too-small", .entry = entry, .mem_kib = 36, .prio = 10}, /* 8 KiB + a 32 KiB stack do not fit */
    {.name = "flaky",
     .entry = entry,
     .mem_kib = 64,
     .prio = 10,
     .policy = PROCMAN_RESTART,
     .max_restarts = 2,
     .window_ms = 100}, /* 2 restarts in any 100 ms */
};
#define NPROGRAMS (sizeof programs / sizeof programs[0])

static procman_core_t core;
static char out[MS_MSG_PAYLOAD_MAX + 1]; /* the service's IPC buffer */
static ms_handle_t next_task;

static procman_request_t req(uint32_t label, unsigned words, uint64_t w0, uint64_t w1)
{
    return (procman_request_t){.label = label, .words = words, .w = {w0, w1}, .badge = CLIENT_BADGE};
}

/* A spawn of name with 3 words (4 with flags when hold). */
static procman_request_t spawn_req(const char *name, uint64_t a0, int hold)
{
    procman_request_t rq = req(PROCMAN_SPAWN, hold ? 4 : 3, a0, 0);
    rq.w[2] = a0 + 1;
    rq.w[3] = hold ? PROCMAN_HOLD : 0;
    rq.name = name;
    rq.payload = (unsigned)strlen(name);
    return rq;
}

static procman_request_t with_handle(procman_request_t rq, ms_handle_t h)
{
    rq.has_handle = 1;
    rq.handle = h;
    return rq;
}

static procman_action_t decide(procman_request_t rq)
{
    procman_action_t act;
    memset(&act, 0xa5, sizeof act);
    procman_decide(&core, &rq, out, &act);
    return act;
}

/* The error a request gets when the core answers it at once. */
static uint64_t refused(procman_request_t rq)
{
    procman_action_t act = decide(rq);
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    return act.w[0];
}

/* A start the IPC loop carries out: the task is made, and its thread too unless held. */
static void started(unsigned slot, int held)
{
    procman_task_made(&core, slot, next_task++);
    if (!held)
        procman_thread_started(&core, slot);
}

/* A spawn that succeeds; its slot goes to *slot. Returns the pid. */
static uint32_t spawn(procman_request_t rq, unsigned *slot)
{
    procman_action_t act = decide(rq);
    ck_assert_int_eq(act.step, PROCMAN_STEP_SPAWN);
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_int_eq(act.close_handle, 0);
    started(act.slot, act.held);
    if (slot)
        *slot = act.slot;
    return (uint32_t)act.w[1];
}

static uint32_t spawn_running(const char *name, unsigned *slot)
{
    return spawn(spawn_req(name, 0, 0), slot);
}

static uint32_t spawn_held(const char *name, unsigned *slot)
{
    return spawn(spawn_req(name, 0, 1), slot);
}

/* The watcher reports slot's end; the IPC loop reads its status (state, status) and carries out
 * the core's decision, a restart succeeding. Returns 1 if it was restarted; *end what the core
 * said; *waiter the saved waiter it answered (reply: what it got), or 0. */
static int end_of(unsigned slot, uint64_t state, uint64_t status, procman_end_t *end, ms_handle_t *waiter,
                  uint64_t reply[4])
{
    procman_request_t rq = req(PROCMAN_EXITED, 1, 1ull << slot, 0);
    rq.badge = PROCMAN_WATCHER_BADGE;
    procman_action_t act = decide(rq);
    ck_assert_int_eq(act.step, PROCMAN_STEP_ENDED);
    ck_assert_uint_eq(act.ended, 1ull << slot);
    ms_handle_t task = 0;
    ck_assert(procman_watched(&core, slot, &task));
    ck_assert_uint_eq(task, core.procs[slot].task);
    procman_end_decide(&core, slot, state, 0, end);
    *waiter = 0;
    if (end->restart) {
        started(slot, 0);
        return 1;
    }
    *waiter = procman_settle_end(&core, slot, state, status, reply);
    return 0;
}

/* A process killed (not on request) or faulting; returns 1 if it was restarted. */
static int crash(unsigned slot)
{
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    return end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply);
}

static procman_action_t wait_for(uint32_t pid)
{
    return decide(req(PROCMAN_WAIT, 1, pid, 0));
}

/* LIST's whole text. */
static const char *list_all(void)
{
    procman_action_t act = decide(req(PROCMAN_LIST, 0, 0, 0));
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_uint_le(act.reply_len, MS_MSG_PAYLOAD_MAX);
    out[act.reply_len] = '\0';
    return out;
}

/* LIST's processes: its lines after those of the boot tasks ("- name ..."). */
static const char *list(void)
{
    const char *text = list_all();
    while (text[0] == '-' && strchr(text, '\n'))
        text = strchr(text, '\n') + 1;
    return text;
}

static void setup(void)
{
    memset(&core, 0x5a, sizeof core);
    memset(out, 0, sizeof out);
    next_task = FIRST_TASK;
    procman_core_init(&core, programs, NPROGRAMS, 1);
}

/* --- spawn ------------------------------------------------------------------------------------- */

START_TEST(a_spawn_takes_the_first_free_slot_and_the_next_pid)
{
    unsigned s0, s1;
    ck_assert_uint_eq(spawn_running("worker", &s0), 1);
    ck_assert_uint_eq(spawn_running("crasher", &s1), 2);
    ck_assert_uint_eq(s0, 0);
    ck_assert_uint_eq(s1, 1);
    ck_assert_int_eq(core.procs[0].state, PROCMAN_PROC_RUNNING);
    ck_assert_ptr_eq(core.procs[1].prog, &programs[1]);
}
END_TEST

START_TEST(a_spawn_plans_the_process_and_its_start_block)
{
    procman_action_t act = decide(with_handle(spawn_req("daemon", 7, 0), SPAWN_HANDLE));
    ck_assert_int_eq(act.step, PROCMAN_STEP_SPAWN);
    ck_assert_int_eq(act.held, 0);
    ck_assert_uint_eq(act.nclose, 0);
    procman_plan_t plan;
    procman_plan(&core, act.slot, 0, &plan);
    ck_assert_str_eq(plan.name, "daemon");
    ck_assert_ptr_eq(plan.entry, entry);
    ck_assert_uint_eq(plan.prio, 12);
    ck_assert_uint_eq(plan.task_flags, MS_TASK_DAEMON);
    ck_assert_uint_eq(plan.base, PROCMAN_BASE);
    ck_assert_uint_eq(plan.mem, 128 * 1024);
    ck_assert_uint_eq(plan.first_frame, 0);
    ck_assert_uint_eq(plan.stack, PROCMAN_BASE + 128 * 1024 - PROCMAN_STACK_BYTES);
    ck_assert_uint_eq(plan.ipc_buffer, PROCMAN_BASE + MS_PAGE_SIZE);
    ck_assert_uint_eq(plan.fault_badge, PROCMAN_FAULT_BADGE);
    ck_assert_uint_eq(plan.watch_bits, 1);
    ck_assert_uint_eq(plan.names_badge, PROCMAN_NAMES_BADGE(1));
    ck_assert_uint_eq(plan.ngives, 1); /* the spawn's handle, in slot 1 */
    ck_assert_uint_eq(plan.gives[0].slot, PROCMAN_SLOT_GIVEN);
    ck_assert_uint_eq(plan.gives[0].handle, SPAWN_HANDLE);
    ms_start_t st;
    memset(&st, 0, sizeof st);
    procman_start_block(&core, act.slot, 42, &st);
    ck_assert_uint_eq(st.arg[0], 7);
    ck_assert_uint_eq(st.arg[1], 0);
    ck_assert_uint_eq(st.arg[2], 8);
    ck_assert_uint_eq(st.arg[3], 1); /* the pid */
    ck_assert_uint_eq(st.seed, 42);
    ck_assert_uint_eq(st.mem_base, PROCMAN_BASE);
    ck_assert_uint_eq(st.mem_size, 128 * 1024);
    ck_assert_uint_eq(st.ipc_buffer, PROCMAN_BASE + MS_PAGE_SIZE);
    ck_assert_uint_eq(st.heap_base, PROCMAN_BASE + 2 * MS_PAGE_SIZE);
    ck_assert_uint_eq(st.heap_size, 128 * 1024 - 2 * MS_PAGE_SIZE - PROCMAN_STACK_BYTES);
    ck_assert_str_eq(st.name, "daemon");
}
END_TEST

START_TEST(a_later_slot_has_its_own_memory_frames_fault_badge_and_watch_bit)
{
    spawn_running("worker", NULL);
    unsigned slot;
    spawn_running("worker", &slot);
    procman_plan_t plan;
    procman_plan(&core, slot, 0, &plan);
    ck_assert_uint_eq(slot, 1);
    ck_assert_uint_eq(plan.base, PROCMAN_BASE + PROCMAN_STRIDE);
    ck_assert_uint_eq(plan.first_frame, PROCMAN_PAGES_PER_PROC);
    ck_assert_uint_eq(plan.fault_badge, PROCMAN_FAULT_BADGE + 1);
    ck_assert_uint_eq(plan.watch_bits, 2);
    ck_assert_uint_eq(plan.task_flags, 0); /* not a daemon */
    ck_assert_uint_eq(plan.ngives, 0);
}
END_TEST

START_TEST(without_a_name_server_no_names_handle_is_planned_and_nothing_forgotten)
{
    procman_core_init(&core, programs, NPROGRAMS, 0);
    unsigned slot;
    spawn_running("crasher", &slot);
    procman_plan_t plan;
    procman_plan(&core, slot, 0, &plan);
    ck_assert_uint_eq(plan.names_badge, 0);
    procman_end_t end;
    procman_end_decide(&core, slot, MS_TASK_KILLED, 0, &end);
    ck_assert_uint_eq(end.forget, 0);
}
END_TEST

START_TEST(a_held_spawn_makes_the_task_but_not_its_thread)
{
    unsigned slot;
    procman_action_t act = decide(spawn_req("worker", 0, 1));
    ck_assert_int_eq(act.step, PROCMAN_STEP_SPAWN);
    ck_assert_int_eq(act.held, 1);
    slot = act.slot;
    started(slot, 1);
    ck_assert_int_eq(core.procs[slot].state, PROCMAN_PROC_HELD);
    /* four words without the flag: not held */
    procman_request_t rq = spawn_req("worker", 0, 1);
    rq.w[3] = 0;
    ck_assert_int_eq(decide(rq).held, 0);
    /* three words ignore a fourth */
    rq = spawn_req("worker", 0, 0);
    rq.w[3] = PROCMAN_HOLD;
    ck_assert_int_eq(decide(rq).held, 0);
}
END_TEST

START_TEST(a_spawn_with_a_bad_name_is_range_or_notfound_and_its_handle_closed)
{
    procman_action_t act = decide(with_handle(spawn_req("a-name-far-too-long", 0, 0), SPAWN_HANDLE));
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_E_RANGE);
    ck_assert_uint_eq(act.w[1], 0);
    ck_assert_int_eq(act.close_handle, 1);
    /* 16 bytes is too long even when a program's name starts so */
    ck_assert_uint_eq(refused(spawn_req("fifteen-letters!", 0, 0)), MS_E_RANGE);
    ck_assert_uint_eq(spawn_running("fifteen-letters", NULL), 1); /* 15 is the most */
    act = decide(with_handle(spawn_req("nosuch", 0, 0), SPAWN_HANDLE));
    ck_assert_uint_eq(act.w[0], MS_E_NOTFOUND);
    ck_assert_int_eq(act.close_handle, 1);
    ck_assert_uint_eq(refused(spawn_req("work", 0, 0)), MS_E_NOTFOUND);    /* a prefix is not a name */
    ck_assert_uint_eq(refused(spawn_req("workers", 0, 0)), MS_E_NOTFOUND); /* nor a longer one */
    ck_assert_uint_eq(refused(spawn_req("", 0, 0)), MS_E_NOTFOUND);
    ck_assert_uint_eq(spawn_running("worker", NULL), 2); /* refusals take no pid */
}
END_TEST

START_TEST(a_program_whose_memory_does_not_fit_is_invalid)
{
    ck_assert_uint_eq(refused(spawn_req("too-big", 0, 0)), MS_E_INVAL);
    ck_assert_uint_eq(refused(spawn_req("too-small", 0, 0)), MS_E_INVAL);
}
END_TEST

START_TEST(a_spawn_with_the_wrong_word_count_is_invalid)
{
    for (unsigned words = 0; words <= 8; words++) {
        if (words == 3 || words == 4)
            continue;
        procman_request_t rq = spawn_req("worker", 0, 0);
        rq.words = words;
        ck_assert_uint_eq(refused(rq), MS_E_INVAL);
    }
    ck_assert_uint_eq(list()[0], '\0'); /* nothing was spawned */
}
END_TEST

START_TEST(the_17th_process_is_full_until_a_slot_frees)
{
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        ck_assert_uint_eq(spawn_running("worker", NULL), i + 1);
    procman_action_t act = decide(with_handle(spawn_req("worker", 0, 0), SPAWN_HANDLE));
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_E_FULL);
    ck_assert_int_eq(act.close_handle, 1);
    /* a name check comes first */
    ck_assert_uint_eq(refused(spawn_req("nosuch", 0, 0)), MS_E_NOTFOUND);
    procman_start_failed(&core, 5); /* a slot freed */
    unsigned slot;
    ck_assert_uint_eq(spawn_running("worker", &slot), PROCMAN_MAX + 1);
    ck_assert_uint_eq(slot, 5);
}
END_TEST

START_TEST(an_ended_slot_is_reused_and_its_old_handles_closed)
{
    procman_action_t act = decide(with_handle(spawn_req("worker", 0, 1), SPAWN_HANDLE));
    unsigned slot = act.slot;
    uint32_t pid = (uint32_t)act.w[1];
    started(slot, 1);
    act = decide(with_handle(req(PROCMAN_GIVE, 2, pid, 5), GIVEN(0)));
    ck_assert_int_eq(act.step, PROCMAN_STEP_GIVE);
    procman_given(&core, slot, 5, GIVEN(0));
    for (unsigned i = 1; i < PROCMAN_MAX; i++)
        spawn_running("worker", NULL);
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_EXITED, 0, &end, &waiter, reply), 0);
    /* the table is full, but the ended process's slot is taken */
    act = decide(spawn_req("crasher", 0, 0));
    ck_assert_int_eq(act.step, PROCMAN_STEP_SPAWN);
    ck_assert_uint_eq(act.slot, slot);
    ck_assert_uint_eq(act.w[1], PROCMAN_MAX + 1);
    ck_assert_uint_eq(act.nclose, 2);
    ck_assert_uint_eq(act.close[0], SPAWN_HANDLE);
    ck_assert_uint_eq(act.close[1], GIVEN(0));
    started(act.slot, 0);
    procman_plan_t plan;
    procman_plan(&core, slot, 0, &plan);
    ck_assert_uint_eq(plan.ngives, 0); /* the old handles are not the new process's */
    ck_assert_uint_eq(refused(req(PROCMAN_WAIT, 1, pid, 0)), MS_E_NOTFOUND); /* the old pid is gone */
}
END_TEST

START_TEST(a_free_slot_is_taken_before_an_ended_one)
{
    unsigned s0, s1;
    spawn_running("worker", &s0);
    crash(s0); /* a worker is left dead */
    ck_assert_int_eq(core.procs[s0].state, PROCMAN_PROC_ENDED);
    spawn_running("worker", &s1);
    ck_assert_uint_eq(s1, 1);
}
END_TEST

START_TEST(a_failed_spawn_frees_its_slot_and_gives_back_its_handle)
{
    procman_action_t act = decide(with_handle(spawn_req("worker", 0, 0), SPAWN_HANDLE));
    ck_assert_int_eq(act.step, PROCMAN_STEP_SPAWN);
    uint32_t pid = (uint32_t)act.w[1];
    procman_task_made(&core, act.slot, next_task++);
    procman_start_failed(&core, act.slot);
    ms_handle_t close[PROCMAN_GIVES_MAX];
    ck_assert_uint_eq(procman_spawn_failed(&core, act.slot, close), 1);
    ck_assert_uint_eq(close[0], SPAWN_HANDLE);
    ck_assert_uint_eq(refused(req(PROCMAN_WAIT, 1, pid, 0)), MS_E_NOTFOUND);
    act = decide(spawn_req("worker", 0, 0));
    ck_assert_uint_eq(act.slot, 0);       /* the slot is free again */
    ck_assert_uint_eq(act.w[1], pid + 1); /* pids are never reused */
    ck_assert_uint_eq(act.nclose, 0);     /* its handle was given back already */
}
END_TEST

/* --- give and run -------------------------------------------------------------------------------- */

START_TEST(a_give_reaches_a_held_process_and_is_kept_for_its_restarts)
{
    unsigned slot;
    uint32_t pid = spawn_held("crasher", &slot);
    procman_action_t act = decide(with_handle(req(PROCMAN_GIVE, 2, pid, 63), GIVEN(0)));
    ck_assert_int_eq(act.step, PROCMAN_STEP_GIVE);
    ck_assert_uint_eq(act.slot, slot);
    ck_assert_uint_eq(act.task, core.procs[slot].task);
    ck_assert_uint_eq(act.give_slot, 63);
    ck_assert_int_eq(act.close_handle, 0);
    procman_given(&core, slot, 63, GIVEN(0));
    procman_given(&core, slot, 1, GIVEN(1)); /* slot 1 is allowed too */
    ck_assert_int_eq(decide(req(PROCMAN_RUN, 1, pid, 0)).step, PROCMAN_STEP_RUN);
    procman_thread_started(&core, slot);
    ck_assert_int_eq(crash(slot), 1);
    procman_plan_t plan;
    procman_plan(&core, slot, 1, &plan);
    ck_assert_uint_eq(plan.ngives, 2);
    ck_assert_uint_eq(plan.gives[0].slot, 63);
    ck_assert_uint_eq(plan.gives[0].handle, GIVEN(0));
    ck_assert_uint_eq(plan.gives[1].slot, 1);
    ck_assert_uint_eq(plan.gives[1].handle, GIVEN(1));
}
END_TEST

START_TEST(a_give_to_a_bad_slot_or_without_a_handle_is_invalid_and_its_handle_closed)
{
    uint32_t pid = spawn_held("worker", NULL);
    const uint64_t bad[] = {0, 64, 1000, PROCMAN_SLOT_NAMES};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        procman_action_t act = decide(with_handle(req(PROCMAN_GIVE, 2, pid, bad[i]), GIVEN(i)));
        ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
        ck_assert_uint_eq(act.w[0], MS_E_INVAL);
        ck_assert_int_eq(act.close_handle, 1);
    }
    procman_action_t act = decide(req(PROCMAN_GIVE, 2, pid, 3));
    ck_assert_uint_eq(act.w[0], MS_E_INVAL);
    ck_assert_int_eq(act.close_handle, 0); /* there is none to close */
}
END_TEST

START_TEST(a_give_to_a_process_not_held_is_busy_and_to_no_process_notfound)
{
    unsigned slot;
    uint32_t running = spawn_running("worker", &slot);
    procman_action_t act = decide(with_handle(req(PROCMAN_GIVE, 2, running, 3), GIVEN(0)));
    ck_assert_uint_eq(act.w[0], MS_E_BUSY);
    ck_assert_int_eq(act.close_handle, 1);
    crash(slot);
    ck_assert_uint_eq(refused(with_handle(req(PROCMAN_GIVE, 2, running, 3), GIVEN(0))), MS_E_BUSY); /* ended */
    act = decide(with_handle(req(PROCMAN_GIVE, 2, 999, 3), GIVEN(0)));
    ck_assert_uint_eq(act.w[0], MS_E_NOTFOUND);
    ck_assert_int_eq(act.close_handle, 1);
    ck_assert_uint_eq(refused(with_handle(req(PROCMAN_GIVE, 2, 0, 3), GIVEN(0))), MS_E_NOTFOUND);
}
END_TEST

START_TEST(the_9th_handle_given_is_full)
{
    unsigned slot;
    uint32_t pid = spawn(with_handle(spawn_req("worker", 0, 1), SPAWN_HANDLE), &slot); /* the spawn's is one */
    for (unsigned i = 1; i < PROCMAN_GIVES_MAX; i++) {
        procman_action_t act = decide(with_handle(req(PROCMAN_GIVE, 2, pid, 1 + i), GIVEN(i)));
        ck_assert_int_eq(act.step, PROCMAN_STEP_GIVE);
        procman_given(&core, slot, (uint32_t)(1 + i), GIVEN(i));
    }
    procman_action_t act = decide(with_handle(req(PROCMAN_GIVE, 2, pid, 20), GIVEN(9)));
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_E_FULL);
    ck_assert_int_eq(act.close_handle, 1);
}
END_TEST

START_TEST(a_give_that_fails_in_the_kernel_is_not_kept)
{
    unsigned slot;
    uint32_t pid = spawn_held("worker", &slot);
    /* the IPC loop's handle_give_at fails: procman_given is not called, so the slot stays free */
    for (unsigned i = 0; i < PROCMAN_GIVES_MAX + 2; i++)
        ck_assert_int_eq(decide(with_handle(req(PROCMAN_GIVE, 2, pid, 3), GIVEN(i))).step, PROCMAN_STEP_GIVE);
    procman_plan_t plan;
    procman_plan(&core, slot, 0, &plan);
    ck_assert_uint_eq(plan.ngives, 0);
}
END_TEST

START_TEST(run_starts_a_held_process_once)
{
    unsigned slot;
    uint32_t pid = spawn_held("worker", &slot);
    procman_action_t act = decide(with_handle(req(PROCMAN_RUN, 1, pid, 0), GIVEN(0)));
    ck_assert_int_eq(act.step, PROCMAN_STEP_RUN);
    ck_assert_uint_eq(act.slot, slot);
    ck_assert_uint_eq(act.task, core.procs[slot].task);
    ck_assert_int_eq(act.close_handle, 1); /* a run keeps no handle */
    ck_assert_str_eq(list(), "1 worker held 0\n");
    procman_thread_started(&core, slot);
    ck_assert_str_eq(list(), "1 worker running 0\n");
    ck_assert_uint_eq(refused(req(PROCMAN_RUN, 1, pid, 0)), MS_E_BUSY);
    crash(slot);
    ck_assert_uint_eq(refused(req(PROCMAN_RUN, 1, pid, 0)), MS_E_BUSY);
    ck_assert_uint_eq(refused(req(PROCMAN_RUN, 1, 999, 0)), MS_E_NOTFOUND);
}
END_TEST

START_TEST(a_run_whose_thread_fails_leaves_the_process_held)
{
    unsigned slot;
    uint32_t pid = spawn_held("worker", &slot);
    ck_assert_int_eq(decide(req(PROCMAN_RUN, 1, pid, 0)).step, PROCMAN_STEP_RUN);
    /* no procman_thread_started: the run may be asked again */
    ck_assert_int_eq(decide(req(PROCMAN_RUN, 1, pid, 0)).step, PROCMAN_STEP_RUN);
}
END_TEST

/* --- the restart policy -------------------------------------------------------------------------- */

START_TEST(a_crasher_is_restarted_up_to_its_limit_then_left_dead)
{
    unsigned slot;
    uint32_t pid = spawn_running("crasher", &slot);
    ms_handle_t first = core.procs[slot].task;
    ck_assert_int_eq(crash(slot), 1);
    ck_assert_uint_ne(core.procs[slot].task, first); /* a new task */
    ck_assert_int_eq(crash(slot), 1);
    ck_assert_str_eq(list(), "1 crasher running 2\n");
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 0);
    ck_assert_str_eq(list(), "1 crasher ended 2\n");
    procman_action_t act = wait_for(pid);
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_uint_eq(act.w[1], MS_TASK_KILLED);
    ck_assert_uint_eq(act.w[2], (uint64_t)-1);
    ck_assert_uint_eq(act.w[3], 2);
    ck_assert_int_eq(procman_watched(&core, slot, &waiter), 0); /* an ended process is not watched */
}
END_TEST

START_TEST(a_restart_keeps_the_pid_args_and_names_badge)
{
    unsigned slot;
    uint32_t pid = spawn(spawn_req("crasher", 9, 0), &slot);
    spawn_running("worker", NULL);
    ck_assert_int_eq(crash(slot), 1);
    procman_plan_t plan;
    procman_plan(&core, slot, 1, &plan);
    ck_assert_uint_eq(plan.task_flags, MS_TASK_RESTART);
    ck_assert_uint_eq(plan.names_badge, PROCMAN_NAMES_BADGE(pid));
    ms_start_t st;
    memset(&st, 0, sizeof st);
    procman_start_block(&core, slot, 1, &st);
    ck_assert_uint_eq(st.arg[0], 9);
    ck_assert_uint_eq(st.arg[3], pid);
    ck_assert_uint_eq(spawn_running("worker", NULL), 3); /* the restart took no pid */
    ck_assert_str_eq(list(), "1 crasher running 1\n2 worker running 0\n3 worker running 0\n");
}
END_TEST

START_TEST(a_fault_is_a_restarts_reason_and_a_kill_another)
{
    unsigned slot;
    spawn_running("daemon", &slot);
    procman_request_t fault = req(MS_FAULT_LABEL, 4, 14, 6);
    fault.badge = PROCMAN_FAULT_BADGE + slot;
    procman_action_t act = decide(fault);
    ck_assert_int_eq(act.step, PROCMAN_STEP_FAULT);
    ck_assert_int_eq(act.close_handle, 0);
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 1);
    ck_assert_uint_eq(end.reason, MS_RESTART_EXCEPTION);
    ck_assert_uint_eq(end.forget, PROCMAN_NAMES_BADGE(1));
    /* the new instance has not faulted: killed by someone else, the reason says so */
    ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 1);
    ck_assert_uint_eq(end.reason, MS_RESTART_KILLED);
}
END_TEST

START_TEST(a_fault_badge_beyond_the_table_or_another_label_is_a_request)
{
    procman_request_t rq = req(MS_FAULT_LABEL, 4, 14, 6);
    rq.badge = PROCMAN_FAULT_BADGE + PROCMAN_MAX;
    ck_assert_uint_eq(refused(rq), MS_E_NOSYS);
    rq.badge = CLIENT_BADGE;
    ck_assert_uint_eq(refused(rq), MS_E_NOSYS);
    rq = req(PROCMAN_LIST, 0, 0, 0);
    rq.badge = PROCMAN_FAULT_BADGE;
    ck_assert_int_eq(decide(rq).step, PROCMAN_STEP_REPLY); /* a request all the same */
}
END_TEST

START_TEST(an_exit_is_never_restarted)
{
    unsigned slot;
    uint32_t pid = spawn_running("daemon", &slot);
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_EXITED, 3, &end, &waiter, reply), 0);
    ck_assert_uint_eq(end.forget, PROCMAN_NAMES_BADGE(pid)); /* its names go all the same */
    procman_action_t act = wait_for(pid);
    ck_assert_uint_eq(act.w[1], MS_TASK_EXITED);
    ck_assert_uint_eq(act.w[2], 3);
    ck_assert_uint_eq(act.w[3], 0);
}
END_TEST

START_TEST(a_leave_dead_program_is_not_restarted)
{
    unsigned slot;
    spawn_running("worker", &slot);
    ck_assert_int_eq(crash(slot), 0);
    ck_assert_str_eq(list(), "1 worker ended 0\n");
}
END_TEST

START_TEST(kill_ends_a_process_for_good)
{
    unsigned slot;
    uint32_t pid = spawn_running("daemon", &slot);
    procman_action_t act = decide(with_handle(req(PROCMAN_KILL, 1, pid, 0), GIVEN(0)));
    ck_assert_int_eq(act.step, PROCMAN_STEP_KILL);
    ck_assert_uint_eq(act.task, core.procs[slot].task);
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_int_eq(act.close_handle, 1);
    ck_assert_int_eq(crash(slot), 0); /* killed on request: its policy would restart it */
    ck_assert_str_eq(list(), "1 daemon ended 0\n");
    act = decide(req(PROCMAN_KILL, 1, pid, 0)); /* ended already: nothing to kill */
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_uint_eq(refused(req(PROCMAN_KILL, 1, 999, 0)), MS_E_NOTFOUND);
}
END_TEST

START_TEST(kill_of_a_held_process_kills_its_task)
{
    unsigned slot;
    uint32_t pid = spawn_held("crasher", &slot);
    procman_action_t act = decide(req(PROCMAN_KILL, 1, pid, 0));
    ck_assert_int_eq(act.step, PROCMAN_STEP_KILL);
    ck_assert_int_eq(crash(slot), 0);
}
END_TEST

START_TEST(refresh_restarts_even_a_leave_dead_program_and_counts)
{
    unsigned slot;
    uint32_t pid = spawn_running("worker", &slot);
    for (unsigned i = 1; i <= 3; i++) {
        procman_action_t act = decide(req(PROCMAN_REFRESH, 1, pid, 0));
        ck_assert_int_eq(act.step, PROCMAN_STEP_REFRESH);
        ck_assert_uint_eq(act.task, core.procs[slot].task);
        procman_end_t end;
        ms_handle_t waiter;
        uint64_t reply[4];
        ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 1);
        ck_assert_uint_eq(end.reason, MS_RESTART_KILLED);
        ck_assert_uint_eq(core.procs[slot].pid, pid);
        ck_assert_uint_eq(core.procs[slot].restarts, i);
    }
    /* the refresh was once: a crash after it follows the policy again */
    ck_assert_int_eq(crash(slot), 0);
    ck_assert_str_eq(list(), "1 worker ended 3\n");
}
END_TEST

START_TEST(refresh_goes_past_max_restarts)
{
    unsigned slot;
    uint32_t pid = spawn_running("crasher", &slot);
    ck_assert_int_eq(crash(slot), 1);
    ck_assert_int_eq(crash(slot), 1);
    ck_assert_int_eq(decide(req(PROCMAN_REFRESH, 1, pid, 0)).step, PROCMAN_STEP_REFRESH);
    ck_assert_int_eq(crash(slot), 1);
    ck_assert_uint_eq(core.procs[slot].restarts, 3);
}
END_TEST

START_TEST(refresh_then_exit_is_not_restarted)
{
    unsigned slot;
    uint32_t pid = spawn_running("worker", &slot);
    decide(req(PROCMAN_REFRESH, 1, pid, 0));
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_EXITED, 0, &end, &waiter, reply), 0); /* it exited first */
}
END_TEST

START_TEST(kill_after_refresh_wins)
{
    unsigned slot;
    uint32_t pid = spawn_running("daemon", &slot);
    decide(req(PROCMAN_REFRESH, 1, pid, 0));
    decide(req(PROCMAN_KILL, 1, pid, 0));
    ck_assert_int_eq(crash(slot), 0);
}
END_TEST

START_TEST(refresh_of_a_process_not_running_is_busy)
{
    unsigned held_slot, slot;
    uint32_t held = spawn_held("worker", &held_slot);
    ck_assert_uint_eq(refused(req(PROCMAN_REFRESH, 1, held, 0)), MS_E_BUSY);
    uint32_t pid = spawn_running("worker", &slot);
    crash(slot);
    ck_assert_uint_eq(refused(req(PROCMAN_REFRESH, 1, pid, 0)), MS_E_BUSY);
    ck_assert_uint_eq(refused(req(PROCMAN_REFRESH, 1, 999, 0)), MS_E_NOTFOUND);
    ck_assert_int_eq(crash(held_slot), 0); /* the refused refresh forced nothing */
}
END_TEST

START_TEST(a_restart_that_fails_leaves_the_process_ended)
{
    unsigned slot;
    uint32_t pid = spawn_running("crasher", &slot);
    procman_action_t act = wait_for(pid);
    ck_assert_int_eq(act.step, PROCMAN_STEP_WAIT);
    procman_waiter_saved(&core, slot, WAITER);
    ms_handle_t task;
    ck_assert(procman_watched(&core, slot, &task));
    procman_end_t end;
    procman_end_decide(&core, slot, MS_TASK_KILLED, 0, &end);
    ck_assert_int_eq(end.restart, 1);
    procman_task_made(&core, slot, next_task++); /* the new task is made, then its equipment fails */
    procman_start_failed(&core, slot);
    uint64_t reply[4];
    ck_assert_uint_eq(procman_settle_end(&core, slot, MS_TASK_KILLED, (uint64_t)-1, reply), WAITER);
    ck_assert_uint_eq(reply[0], MS_OK);
    ck_assert_uint_eq(reply[1], MS_TASK_KILLED);
    ck_assert_uint_eq(reply[3], 1); /* the attempt counts */
    ck_assert_str_eq(list(), "1 crasher ended 1\n");
}
END_TEST

/* A crash of slot's process at now_ns; returns 1 if it was restarted. */
static int crash_at(unsigned slot, uint64_t now_ns)
{
    procman_end_t end;
    procman_end_decide(&core, slot, MS_TASK_KILLED, now_ns, &end);
    if (end.restart) {
        started(slot, 0);
        return 1;
    }
    uint64_t reply[4];
    procman_settle_end(&core, slot, MS_TASK_KILLED, (uint64_t)-1, reply);
    return 0;
}

START_TEST(restarts_are_counted_in_the_programs_window)
{
    unsigned slot;
    spawn_running("flaky", &slot);
    const uint64_t ms = 1000000;
    ck_assert_int_eq(crash_at(slot, 10 * ms), 1);
    ck_assert_int_eq(crash_at(slot, 50 * ms), 1);  /* 2 in the window that began at 10 ms */
    ck_assert_int_eq(crash_at(slot, 120 * ms), 1); /* 110 ms later: a new window */
    ck_assert_int_eq(crash_at(slot, 130 * ms), 1);
    ck_assert_int_eq(crash_at(slot, 140 * ms), 0); /* a third in 100 ms: left dead */
    ck_assert_str_eq(list(), "1 flaky ended 4\n");
}
END_TEST

START_TEST(a_refresh_does_not_count_against_the_window)
{
    unsigned slot;
    uint32_t pid = spawn_running("flaky", &slot);
    for (unsigned i = 0; i < 5; i++) {
        ck_assert_int_eq(decide(req(PROCMAN_REFRESH, 1, pid, 0)).step, PROCMAN_STEP_REFRESH);
        ck_assert_int_eq(crash_at(slot, i), 1);
    }
    ck_assert_int_eq(crash_at(slot, 10), 1); /* its own crashes still have their 2 */
    ck_assert_int_eq(crash_at(slot, 20), 1);
    ck_assert_int_eq(crash_at(slot, 30), 0);
}
END_TEST

START_TEST(once_the_name_server_is_dead_for_good_nothing_waits_for_it)
{
    unsigned names, worker;
    spawn_running("names", &names);
    spawn_running("crasher", &worker);
    decide(req(PROCMAN_KILL, 1, core.procs[names].pid, 0)); /* killed on request: not restarted */
    ck_assert_int_eq(crash_at(names, 0), 0);
    procman_end_t end;
    procman_end_decide(&core, worker, MS_TASK_KILLED, 0, &end);
    ck_assert_uint_eq(end.forget, 0); /* no NAMES_FORGET call that nobody would answer */
    unsigned slot;
    spawn_running("worker", &slot);
    procman_plan_t plan;
    procman_plan(&core, slot, 0, &plan);
    ck_assert_uint_eq(plan.names_badge, 0); /* and no handle to a dead name server */
}
END_TEST

START_TEST(a_malformed_spawn_closes_the_handle_it_carried)
{
    procman_request_t rq = with_handle(spawn_req("worker", 0, 0), SPAWN_HANDLE);
    rq.words = 2;
    procman_action_t act = decide(rq);
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_E_INVAL);
    ck_assert_int_eq(act.close_handle, 1);
}
END_TEST

START_TEST(the_name_server_is_not_told_of_its_own_end)
{
    unsigned slot;
    spawn_running("names", &slot);
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 1);
    ck_assert_uint_eq(end.forget, 0);
}
END_TEST

START_TEST(the_watcher_reports_only_table_slots_and_only_the_watcher_is_heard)
{
    procman_request_t rq = req(PROCMAN_EXITED, 1, ~0ull, 0);
    rq.badge = PROCMAN_WATCHER_BADGE;
    procman_action_t act = decide(rq);
    ck_assert_int_eq(act.step, PROCMAN_STEP_ENDED);
    ck_assert_uint_eq(act.ended, (1ull << PROCMAN_MAX) - 1);
    ck_assert_int_eq(act.close_handle, 0);
    rq.badge = CLIENT_BADGE;
    ck_assert_uint_eq(refused(rq), MS_E_NOSYS);
    /* a watched slot whose process is free or ended is not looked at */
    ms_handle_t task = 0;
    ck_assert_int_eq(procman_watched(&core, 3, &task), 0);
    unsigned slot;
    spawn_held("worker", &slot);
    ck_assert_int_eq(procman_watched(&core, slot, &task), 1);
}
END_TEST

/* --- wait -------------------------------------------------------------------------------------- */

START_TEST(a_wait_for_a_running_process_is_saved_and_answered_at_its_end)
{
    unsigned slot;
    uint32_t pid = spawn_running("worker", &slot);
    procman_action_t act = decide(with_handle(req(PROCMAN_WAIT, 1, pid, 0), GIVEN(0)));
    ck_assert_int_eq(act.step, PROCMAN_STEP_WAIT);
    ck_assert_uint_eq(act.slot, slot);
    ck_assert_int_eq(act.close_handle, 1);
    procman_waiter_saved(&core, slot, WAITER);
    ck_assert_uint_eq(refused(req(PROCMAN_WAIT, 1, pid, 0)), MS_E_BUSY); /* a second waiter */
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_EXITED, 7, &end, &waiter, reply), 0);
    ck_assert_uint_eq(waiter, WAITER);
    ck_assert_uint_eq(reply[0], MS_OK);
    ck_assert_uint_eq(reply[1], MS_TASK_EXITED);
    ck_assert_uint_eq(reply[2], 7);
    ck_assert_uint_eq(reply[3], 0);
    /* answered: later waits are answered at once, any number of them */
    for (unsigned i = 0; i < 2; i++) {
        act = wait_for(pid);
        ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
        ck_assert_uint_eq(act.w[1], MS_TASK_EXITED);
        ck_assert_uint_eq(act.w[2], 7);
    }
}
END_TEST

START_TEST(an_answered_waiters_slot_can_be_reused)
{
    unsigned slot;
    uint32_t pid = spawn_running("worker", &slot);
    ck_assert_int_eq(wait_for(pid).step, PROCMAN_STEP_WAIT);
    procman_waiter_saved(&core, slot, WAITER);
    for (unsigned i = 1; i < PROCMAN_MAX; i++)
        spawn_running("worker", NULL);
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    end_of(slot, MS_TASK_EXITED, 0, &end, &waiter, reply);
    ck_assert_uint_eq(waiter, WAITER);
    procman_action_t act = decide(spawn_req("worker", 0, 0));
    ck_assert_int_eq(act.step, PROCMAN_STEP_SPAWN);
    ck_assert_uint_eq(act.slot, slot);
}
END_TEST

START_TEST(a_saved_wait_outlives_restarts)
{
    unsigned slot;
    uint32_t pid = spawn_running("crasher", &slot);
    ck_assert_int_eq(wait_for(pid).step, PROCMAN_STEP_WAIT);
    procman_waiter_saved(&core, slot, WAITER);
    procman_end_t end;
    ms_handle_t waiter;
    uint64_t reply[4];
    ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 1);
    ck_assert_uint_eq(waiter, 0); /* not answered by a restart */
    ck_assert_uint_eq(refused(req(PROCMAN_WAIT, 1, pid, 0)), MS_E_BUSY);
    ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 1);
    ck_assert_int_eq(end_of(slot, MS_TASK_KILLED, (uint64_t)-1, &end, &waiter, reply), 0);
    ck_assert_uint_eq(waiter, WAITER);
    ck_assert_uint_eq(reply[3], 2);
}
END_TEST

START_TEST(a_wait_for_a_held_process_is_saved_and_for_no_process_notfound)
{
    unsigned slot;
    uint32_t pid = spawn_held("worker", &slot);
    ck_assert_int_eq(wait_for(pid).step, PROCMAN_STEP_WAIT);
    ck_assert_uint_eq(refused(req(PROCMAN_WAIT, 1, 999, 0)), MS_E_NOTFOUND);
    ck_assert_uint_eq(refused(req(PROCMAN_WAIT, 1, 0, 0)), MS_E_NOTFOUND);
}
END_TEST

START_TEST(a_wait_not_saved_leaves_room_for_another)
{
    uint32_t pid = spawn_running("worker", NULL);
    ck_assert_int_eq(wait_for(pid).step, PROCMAN_STEP_WAIT);
    /* reply_save failed: no procman_waiter_saved, so the next wait is saved too */
    ck_assert_int_eq(wait_for(pid).step, PROCMAN_STEP_WAIT);
}
END_TEST

/* --- list and malformed requests ---------------------------------------------------------------- */

START_TEST(list_has_a_line_per_process_in_slot_order)
{
    ck_assert_str_eq(list(), "");
    unsigned s0, s1, s2;
    spawn_running("worker", &s0);
    spawn_held("daemon", &s1);
    spawn_running("crasher", &s2);
    crash(s2);
    crash(s0);
    ck_assert_str_eq(list(), "1 worker ended 0\n2 daemon held 0\n3 crasher running 1\n");
    spawn_running("fifteen-letters", NULL); /* takes the free slot 3 */
    ck_assert_str_eq(list(), "1 worker ended 0\n2 daemon held 0\n3 crasher running 1\n4 fifteen-letters running 0\n");
}
END_TEST

START_TEST(status_tells_a_pids_state_at_once)
{
    unsigned slot;
    uint32_t held = spawn_held("worker", NULL);
    uint32_t running = spawn_running("worker", &slot);
    procman_action_t act = decide(req(PROCMAN_STATUS, 1, held, 0));
    ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_uint_eq(act.w[1], PROCMAN_STATE_HELD);
    ck_assert_uint_eq(decide(req(PROCMAN_STATUS, 1, running, 0)).w[1], PROCMAN_STATE_RUNNING);
    ck_assert_int_eq(crash(slot), 0); /* a worker is left dead */
    ck_assert_uint_eq(decide(req(PROCMAN_STATUS, 1, running, 0)).w[1], PROCMAN_STATE_ENDED);
    act = decide(req(PROCMAN_STATUS, 1, 999, 0));
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_uint_eq(act.w[1], PROCMAN_STATE_NONE);
    ck_assert_uint_eq(refused(req(PROCMAN_STATUS, 0, 0, 0)), MS_E_INVAL);
    procman_request_t rq = req(PROCMAN_STATUS, 1, running, 0);
    rq.payload = 3;
    ck_assert_uint_eq(refused(rq), MS_E_INVAL);
    ck_assert_uint_eq(PROCMAN_PID_OF_BADGE(PROCMAN_NAMES_BADGE(running)), running);
    ck_assert_uint_eq(PROCMAN_PID_OF_BADGE(5), 0);
}
END_TEST

START_TEST(list_starts_with_the_boot_tasks_it_knows)
{
    spawn_running("worker", NULL);
    ck_assert_str_eq(list_all(), "- procman running 0\n1 worker running 0\n");
    procman_init_state(&core, MS_TASK_ALIVE);
    ck_assert_str_eq(list_all(), "- procman running 0\n- init running 0\n1 worker running 0\n");
    procman_init_state(&core, MS_TASK_EXITED);
    ck_assert_str_eq(list_all(), "- procman running 0\n- init ended 0\n1 worker running 0\n");
}
END_TEST

START_TEST(list_of_a_full_table_has_every_process)
{
    for (unsigned i = 0; i < PROCMAN_MAX; i++)
        spawn_running("fifteen-letters", NULL);
    const char *text = list();
    unsigned lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, PROCMAN_MAX);
    ck_assert_ptr_nonnull(strstr(text, "\n16 fifteen-letters running 0\n"));
}
END_TEST

START_TEST(wrong_word_counts_and_payloads_are_invalid_and_handles_closed)
{
    uint32_t pid = spawn_held("worker", NULL);
    const struct {
        uint32_t label;
        unsigned words, payload;
    } bad[] = {
        {PROCMAN_GIVE, 1, 0}, {PROCMAN_GIVE, 3, 0}, {PROCMAN_GIVE, 2, 1},    {PROCMAN_RUN, 0, 0},
        {PROCMAN_RUN, 2, 0},  {PROCMAN_RUN, 1, 4},  {PROCMAN_REFRESH, 0, 0}, {PROCMAN_REFRESH, 1, 1},
        {PROCMAN_WAIT, 0, 0}, {PROCMAN_WAIT, 2, 0}, {PROCMAN_WAIT, 1, 1},    {PROCMAN_KILL, 0, 0},
        {PROCMAN_KILL, 2, 0}, {PROCMAN_KILL, 1, 6}, {PROCMAN_LIST, 1, 0},    {PROCMAN_LIST, 0, 1},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        procman_request_t rq = with_handle(req(bad[i].label, bad[i].words, pid, 3), GIVEN(i));
        rq.payload = bad[i].payload;
        procman_action_t act = decide(rq);
        ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
        ck_assert_uint_eq(act.w[0], MS_E_INVAL);
        ck_assert_uint_eq(act.reply_len, 0);
        ck_assert_int_eq(act.close_handle, 1);
    }
    ck_assert_str_eq(list(), "1 worker held 0\n"); /* nothing changed */
}
END_TEST

START_TEST(unknown_labels_are_nosys_and_a_handle_they_carry_is_closed)
{
    const uint32_t unknown[] = {0, 0x1234, PROCMAN_SPAWN - 1, PROCMAN_EXITED, PROCMAN_STATUS + 1, 0x70730001u};
    for (unsigned i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        procman_action_t act = decide(with_handle(req(unknown[i], 1, 1, 0), GIVEN(i)));
        ck_assert_int_eq(act.step, PROCMAN_STEP_REPLY);
        ck_assert_uint_eq(act.w[0], MS_E_NOSYS);
        ck_assert_int_eq(act.close_handle, 1);
    }
}
END_TEST

START_TEST(a_list_closes_a_handle_it_carries)
{
    procman_action_t act = decide(with_handle(req(PROCMAN_LIST, 0, 0, 0), GIVEN(0)));
    ck_assert_uint_eq(act.w[0], MS_OK);
    ck_assert_int_eq(act.close_handle, 1);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("procman_core");
    TCase *tc = tcase_create("spawn");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_spawn_takes_the_first_free_slot_and_the_next_pid);
    tcase_add_test(tc, a_spawn_plans_the_process_and_its_start_block);
    tcase_add_test(tc, a_later_slot_has_its_own_memory_frames_fault_badge_and_watch_bit);
    tcase_add_test(tc, without_a_name_server_no_names_handle_is_planned_and_nothing_forgotten);
    tcase_add_test(tc, a_held_spawn_makes_the_task_but_not_its_thread);
    tcase_add_test(tc, a_spawn_with_a_bad_name_is_range_or_notfound_and_its_handle_closed);
    tcase_add_test(tc, a_program_whose_memory_does_not_fit_is_invalid);
    tcase_add_test(tc, a_spawn_with_the_wrong_word_count_is_invalid);
    tcase_add_test(tc, the_17th_process_is_full_until_a_slot_frees);
    tcase_add_test(tc, an_ended_slot_is_reused_and_its_old_handles_closed);
    tcase_add_test(tc, a_free_slot_is_taken_before_an_ended_one);
    tcase_add_test(tc, a_failed_spawn_frees_its_slot_and_gives_back_its_handle);
    suite_add_tcase(s, tc);

    tc = tcase_create("give_and_run");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_give_reaches_a_held_process_and_is_kept_for_its_restarts);
    tcase_add_test(tc, a_give_to_a_bad_slot_or_without_a_handle_is_invalid_and_its_handle_closed);
    tcase_add_test(tc, a_give_to_a_process_not_held_is_busy_and_to_no_process_notfound);
    tcase_add_test(tc, the_9th_handle_given_is_full);
    tcase_add_test(tc, a_give_that_fails_in_the_kernel_is_not_kept);
    tcase_add_test(tc, run_starts_a_held_process_once);
    tcase_add_test(tc, a_run_whose_thread_fails_leaves_the_process_held);
    suite_add_tcase(s, tc);

    tc = tcase_create("restart");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_crasher_is_restarted_up_to_its_limit_then_left_dead);
    tcase_add_test(tc, a_restart_keeps_the_pid_args_and_names_badge);
    tcase_add_test(tc, a_fault_is_a_restarts_reason_and_a_kill_another);
    tcase_add_test(tc, a_fault_badge_beyond_the_table_or_another_label_is_a_request);
    tcase_add_test(tc, an_exit_is_never_restarted);
    tcase_add_test(tc, a_leave_dead_program_is_not_restarted);
    tcase_add_test(tc, kill_ends_a_process_for_good);
    tcase_add_test(tc, kill_of_a_held_process_kills_its_task);
    tcase_add_test(tc, refresh_restarts_even_a_leave_dead_program_and_counts);
    tcase_add_test(tc, refresh_goes_past_max_restarts);
    tcase_add_test(tc, refresh_then_exit_is_not_restarted);
    tcase_add_test(tc, kill_after_refresh_wins);
    tcase_add_test(tc, refresh_of_a_process_not_running_is_busy);
    tcase_add_test(tc, a_restart_that_fails_leaves_the_process_ended);
    tcase_add_test(tc, the_name_server_is_not_told_of_its_own_end);
    tcase_add_test(tc, the_watcher_reports_only_table_slots_and_only_the_watcher_is_heard);
    tcase_add_test(tc, restarts_are_counted_in_the_programs_window);
    tcase_add_test(tc, a_refresh_does_not_count_against_the_window);
    tcase_add_test(tc, once_the_name_server_is_dead_for_good_nothing_waits_for_it);
    tcase_add_test(tc, a_malformed_spawn_closes_the_handle_it_carried);
    suite_add_tcase(s, tc);

    tc = tcase_create("wait");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_wait_for_a_running_process_is_saved_and_answered_at_its_end);
    tcase_add_test(tc, an_answered_waiters_slot_can_be_reused);
    tcase_add_test(tc, a_saved_wait_outlives_restarts);
    tcase_add_test(tc, a_wait_for_a_held_process_is_saved_and_for_no_process_notfound);
    tcase_add_test(tc, a_wait_not_saved_leaves_room_for_another);
    suite_add_tcase(s, tc);

    tc = tcase_create("list_and_malformed");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, list_has_a_line_per_process_in_slot_order);
    tcase_add_test(tc, status_tells_a_pids_state_at_once);
    tcase_add_test(tc, list_starts_with_the_boot_tasks_it_knows);
    tcase_add_test(tc, list_of_a_full_table_has_every_process);
    tcase_add_test(tc, wrong_word_counts_and_payloads_are_invalid_and_handles_closed);
    tcase_add_test(tc, unknown_labels_are_nosys_and_a_handle_they_carry_is_closed);
    tcase_add_test(tc, a_list_closes_a_handle_it_carries);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
