/* The process manager's process table and every decision, apart from system calls (unit tests drive it). */
#ifndef PROCMAN_CORE_H
#define PROCMAN_CORE_H

#include <stdint.h>

#include "ms/procman.h"

#define PROCMAN_FAULT_BADGE 0x100u   /* + slot: a process's faults */
#define PROCMAN_WATCHER_BADGE 0x200u /* the watcher thread's calls, the only sender of PROCMAN_EXITED */
#define PROCMAN_PAGES_PER_PROC (PROCMAN_MEM_KIB * 1024u / MS_PAGE_SIZE) /* frames per process slot */
#define PROCMAN_STACK_BYTES (32u * 1024u)                               /* at the top of a process's memory */

/* A process slot's state. HELD: its task is made, its thread not started yet. */
enum procman_proc_state { PROCMAN_PROC_FREE, PROCMAN_PROC_HELD, PROCMAN_PROC_RUNNING, PROCMAN_PROC_ENDED };

/* A handle a process is given, in its slot (kept for its restarts). */
typedef struct procman_give {
    uint32_t slot;
    ms_handle_t handle;
} procman_give_t;

typedef struct procman_proc {
    uint8_t state;    /* enum procman_proc_state */
    uint8_t faulted;  /* it raised an exception (a restart's reason) */
    uint8_t unwanted; /* killed on request: never restarted */
    uint8_t forced;   /* killed by PROCMAN_REFRESH: restarted whatever its policy */
    uint32_t pid;
    const procman_program_t *prog;
    ms_handle_t task;
    procman_give_t gives[PROCMAN_GIVES_MAX];
    unsigned ngives;
    uint64_t args[3];
    uint32_t restarts;           /* in all, as LIST shows */
    uint32_t window_restarts;    /* since window_start (ns): what the policy counts */
    uint64_t window_start;
    uint64_t end_state, status; /* how it ended, once ENDED */
    ms_handle_t waiter;         /* a saved reply, or 0 */
} procman_proc_t;

typedef struct procman_core {
    const procman_program_t *programs;
    unsigned nprograms;
    int has_names; /* handles 5 and 6 reach a name server */
    int knows_init;   /* LIST shows init, whose state is init_state */
    uint64_t init_state; /* MS_TASK_ALIVE, _EXITED or _KILLED */
    uint32_t next_pid;
    procman_proc_t procs[PROCMAN_MAX];
} procman_core_t;

/* One message as it arrived; name: its payload (a spawn's program name). */
typedef struct procman_request {
    uint32_t label;
    unsigned words, payload;
    uint64_t w[4];
    uint64_t badge;
    int has_handle;
    ms_handle_t handle;
    const char *name;
} procman_request_t;

/* What the IPC loop does for a message (the first step that fails gives the reply's error):
 *   PROCMAN_STEP_REPLY    nothing: reply w[0..3] with reply_len bytes of payload (LIST's text, in out).
 *   PROCMAN_STEP_FAULT    reply MS_FAULT_KILL (2 words): the process dies, and its end restarts it.
 *   PROCMAN_STEP_ENDED    for each slot whose bit is in ended, its end (procman_watched, then the task's
 *                         status, then procman_end_decide); reply MS_OK (1 word).
 *   PROCMAN_STEP_SPAWN    close close[0..nclose) (the gives of the slot's last process), start slot's
 *                         process (without its thread if held); if that fails, close what
 *                         procman_spawn_failed returns. Reply w[0..3] (w[1] the pid).
 *   PROCMAN_STEP_GIVE     handle_info of the request's handle, then handle_give_at(task, it, its rights,
 *                         give_slot); if both succeed procman_given keeps it, otherwise close it. Reply.
 *   PROCMAN_STEP_RUN      create slot's thread (then procman_thread_started). Reply.
 *   PROCMAN_STEP_KILL     kill task; reply w[0..3] whatever the kill says.
 *   PROCMAN_STEP_REFRESH  kill task; reply its error.
 *   PROCMAN_STEP_WAIT     reply_save, then procman_waiter_saved (or reply reply_save's error).
 * Then, if close_handle, close the handle the request carried. */
enum procman_step {
    PROCMAN_STEP_REPLY,
    PROCMAN_STEP_FAULT,
    PROCMAN_STEP_ENDED,
    PROCMAN_STEP_SPAWN,
    PROCMAN_STEP_GIVE,
    PROCMAN_STEP_RUN,
    PROCMAN_STEP_KILL,
    PROCMAN_STEP_REFRESH,
    PROCMAN_STEP_WAIT,
};

typedef struct procman_action {
    enum procman_step step;
    uint64_t w[4]; /* the reply's words: w[0] MS_OK or the error */
    unsigned reply_len;
    unsigned slot;    /* SPAWN, GIVE, RUN, WAIT: the process's slot */
    ms_handle_t task; /* GIVE, RUN, KILL, REFRESH: its task */
    int held;         /* SPAWN: no thread until PROCMAN_RUN */
    uint32_t give_slot;
    uint64_t ended; /* ENDED: one bit per process slot */
    ms_handle_t close[PROCMAN_GIVES_MAX];
    unsigned nclose;
    int close_handle;
} procman_action_t;

/* How to start slot's process in a new task (procman_plan). */
typedef struct procman_plan {
    const char *name;
    void (*entry)(const ms_start_t *start);
    uint8_t prio;
    uint64_t task_flags;         /* MS_TASK_DAEMON, MS_TASK_RESTART */
    uintptr_t base;              /* its memory: mem bytes from base, */
    uint64_t mem, first_frame;   /* mem / MS_PAGE_SIZE frames of PROCMAN_H_FRAMES from first_frame */
    uintptr_t stack, ipc_buffer; /* its thread's: PROCMAN_STACK_BYTES of stack */
    uint64_t fault_badge, watch_bits;
    const procman_give_t *gives; /* each in its slot of the task, with the rights it has */
    unsigned ngives;
    uint64_t names_badge; /* a name server handle in PROCMAN_SLOT_NAMES with this badge, or 0: none */
} procman_plan_t;

/* What a process's end asks for (procman_end_decide): first NAMES_FORGET of forget (unless 0); then
 * if restart, start the process again in place of the ended task for reason (MS_RESTART_*); then close
 * the ended task; then, unless the restart succeeded, procman_settle_end. */
typedef struct procman_end {
    uint64_t forget;
    int restart;
    uint64_t reason;
} procman_end_t;

/* programs[0..nprograms): the image's; has_names: procman reaches a name server. */
void procman_core_init(procman_core_t *c, const procman_program_t *programs, unsigned nprograms, int has_names);

/* Decides what to do for rq; LIST's text goes to out (MS_MSG_PAYLOAD_MAX bytes). */
void procman_decide(procman_core_t *c, const procman_request_t *rq, char *out, procman_action_t *act);

/* How to start slot's process (restart: in place of an ended task). */
void procman_plan(const procman_core_t *c, unsigned slot, int restart, procman_plan_t *plan);

/* Writes slot's start block into st (zeroed memory): its args, pid, seed and memory layout. */
void procman_start_block(const procman_core_t *c, unsigned slot, uint64_t seed, ms_start_t *st);

/* A start's progress: its task was made (held until its thread runs); its thread runs; or the
 * start failed after the task was made (which the IPC loop killed and closed): the slot is free. */
void procman_task_made(procman_core_t *c, unsigned slot, ms_handle_t task);
void procman_thread_started(procman_core_t *c, unsigned slot);
void procman_start_failed(procman_core_t *c, unsigned slot);

/* A spawn's start failed: the handles it was to keep, into close[]; returns how many. */
unsigned procman_spawn_failed(procman_core_t *c, unsigned slot, ms_handle_t close[PROCMAN_GIVES_MAX]);

/* A GIVE step succeeded: slot's process keeps handle for give_slot (and its restarts). */
void procman_given(procman_core_t *c, unsigned slot, uint32_t give_slot, ms_handle_t handle);

/* A WAIT step saved its reply as reply. */
void procman_waiter_saved(procman_core_t *c, unsigned slot, ms_handle_t reply);

/* 1 if slot's process has a task that may have ended (held or running): it goes to *task. */
int procman_watched(const procman_core_t *c, unsigned slot, ms_handle_t *task);

/* slot's watched task ended as state (MS_TASK_EXITED or MS_TASK_KILLED): restart it (counted) if it
 * was killed, not on request, and its policy allows or a PROCMAN_REFRESH forced it. */
/* now_ns: the clock (ms_clock), for the program's restart window. The end
 * of the name server itself, not restarted, leaves procman without one. */
void procman_end_decide(procman_core_t *c, unsigned slot, uint64_t state, uint64_t now_ns, procman_end_t *end);

/* slot's process stays ended, as state with status: its saved waiter (0: none) gets reply[0..3]. */
ms_handle_t procman_settle_end(procman_core_t *c, unsigned slot, uint64_t state, uint64_t status, uint64_t reply[4]);

/* The LIST text into out: "pid name state restarts\n" per process. Returns its length. */
unsigned procman_list(const procman_core_t *c, char *out);
/* LIST shows init too, in state (MS_TASK_*), which the IPC loop refreshes
 * before each LIST. */
void procman_init_state(procman_core_t *c, uint64_t state);

#endif
