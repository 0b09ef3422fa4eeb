/* The process manager's protocol: spawn, wait, kill and list processes; restart the ones that crash. */
#ifndef MS_PROCMAN_H
#define MS_PROCMAN_H

#include <stdint.h>

#include "ms/errors.h"
#include "ms/syscall.h"

/*
 * Programs are the image's: the process manager is given a table of them at
 * boot (procman_program_t: arg[0] the table, arg[1] its length, arg[2] the
 * manager's own priority, which its helper thread takes). A process
 * is one run of a program in a task of its own, with its memory (start
 * block, IPC buffer, heap, stack) mapped from the manager's frames. The
 * manager is the fault handler of every process it starts: a process that
 * raises an exception is killed, and one that dies other than by its own
 * exit is restarted according to its program's policy (as MINIX 3's
 * reincarnation server does): PROCMAN_RESTART up to max_restarts times in
 * any window_ms (or in its whole life), then left dead; PROCMAN_LEAVE_DEAD
 * never. A restart keeps the process id.
 *
 * Requests are calls; every reply has w0 = MS_OK or an error (ms/errors.h).
 *   PROCMAN_SPAWN   payload: the program's name; w0..w2: its arg[0..2];
 *                   optionally w3 flags: PROCMAN_HOLD makes the process
 *                   but not its thread, so that PROCMAN_GIVE can hand it
 *                   handles before PROCMAN_RUN starts it; optionally a
 *                   handle, which the process finds in its slot 1. Reply
 *                   w1 the process id. E_NOTFOUND (no such program),
 *                   E_FULL (no process slot), E_RANGE (name too long),
 *                   E_NOMEM.
 *   PROCMAN_GIVE    w0 pid, w1 a slot (1..63 but PROCMAN_SLOT_NAMES), the
 *                   handle: the held process finds it in that slot, and
 *                   so does every restart of it (procman keeps it).
 *                   E_BUSY (not held), E_INVAL (no handle, bad slot),
 *                   E_FULL (PROCMAN_GIVES_MAX), E_NOTFOUND.
 *   PROCMAN_RUN     w0 pid: starts the held process. E_BUSY, E_NOTFOUND.
 *   PROCMAN_STATUS  w0 pid: w1 the process's state, at once:
 *                   PROCMAN_STATE_NONE (no such process), _HELD, _RUNNING
 *                   or _ENDED. A service asks it to learn which of its
 *                   clients (by badge: PROCMAN_PID_OF_BADGE) are gone.
 *   PROCMAN_REFRESH w0 pid: kills the running process and starts it again
 *                   in a new task, whatever its policy (an operator's
 *                   restart; it counts in its restarts). E_BUSY (not
 *                   running), E_NOTFOUND.
 *   PROCMAN_WAIT    w0 pid: the reply comes when the process has ended:
 *                   w1 its state (MS_TASK_EXITED or MS_TASK_KILLED), w2 its
 *                   exit status, w3 how many times it was restarted. One
 *                   waiter per process (E_BUSY). E_NOTFOUND.
 *   PROCMAN_KILL    w0 pid: ends it (no restart). E_NOTFOUND.
 *   PROCMAN_LIST    the reply's payload: one line per process,
 *                   "pid name state restarts\n", after a line for each
 *                   boot manifest task it knows, with "-" for a pid: itself
 *                   and, given init's task (arg[3] PROCMAN_KNOWS_INIT),
 *                   init.
 *   anything else   E_NOSYS; a wrong word count or payload: E_INVAL.
 */
#define PROCMAN_SPAWN 0x70720001u
#define PROCMAN_WAIT 0x70720002u
#define PROCMAN_KILL 0x70720003u
#define PROCMAN_LIST 0x70720004u
#define PROCMAN_EXITED 0x70720005u /* internal: the manager's own watcher thread */
#define PROCMAN_GIVE 0x70720006u
#define PROCMAN_RUN 0x70720007u
#define PROCMAN_REFRESH 0x70720008u
#define PROCMAN_STATUS 0x70720009u

enum procman_state { PROCMAN_STATE_NONE, PROCMAN_STATE_HELD, PROCMAN_STATE_RUNNING, PROCMAN_STATE_ENDED };

#define PROCMAN_HOLD 0x1u /* spawn flag */

enum procman_policy { PROCMAN_LEAVE_DEAD, PROCMAN_RESTART };

typedef struct procman_program {
    const char *name;
    void (*entry)(const ms_start_t *start);
    uint32_t mem_kib; /* at most PROCMAN_MEM_KIB */
    uint8_t prio;
    uint8_t policy;
    uint8_t max_restarts; /* PROCMAN_RESTART: at most this many restarts ... */
    uint8_t flags;        /* PROCMAN_F_* */
    uint32_t window_ms;   /* ... within this many ms (0: in its whole life); then it is left dead */
} procman_program_t;

#define PROCMAN_F_DAEMON 0x1u /* a server: the run may end while it waits */
#define PROCMAN_F_NAMES 0x2u  /* the name server itself: not told of its own end */

#define PROCMAN_MAX 16           /* processes at a time */
#define PROCMAN_GIVES_MAX 8      /* handles a process is given */
#define PROCMAN_MEM_KIB 256u      /* the most a process may have */
#define PROCMAN_NAME_MAX 15u
/* The user range the processes live in: one stride per process slot. */
#define PROCMAN_BASE 0x20000000u
#define PROCMAN_STRIDE 0x1000000u

/* Its handles: 1 the endpoint requests arrive on (receive and grant), 3 its
 * frames (read, write: PROCMAN_MAX * PROCMAN_MEM_KIB), 4 a send handle to
 * the endpoint (badged copies are the processes' fault endpoints), and if
 * there is a name server: 5 its endpoint (send, grant, no badge) and 6 the
 * same with badge NAMES_ADMIN.
 *
 * A process finds in its slot 1 the handle its spawn carried, in the slots
 * PROCMAN_GIVE named the handles given to it, and in slot PROCMAN_SLOT_NAMES
 * (when procman has a name server) a handle to the name server badged
 * PROCMAN_NAMES_BADGE(pid): the names it registers are its own, and procman
 * makes the name server forget them when the process dies, before a
 * restart too, so that the new instance can register them again. */
#define PROCMAN_H_ENDPOINT 1u
#define PROCMAN_H_FRAMES 3u
#define PROCMAN_H_SEND 4u
#define PROCMAN_H_NAMES 5u
#define PROCMAN_H_NAMES_ADMIN 6u
/* With arg[3] PROCMAN_KNOWS_INIT: 7 the task of init (no rights needed:
 * LIST shows whether it runs). */
#define PROCMAN_H_INIT 7u
#define PROCMAN_KNOWS_INIT 1u
#define PROCMAN_NAMES_BADGE(pid) (0x1000u + (pid))
/* The pid a badge from a name server lookup stands for, or 0. */
#define PROCMAN_PID_OF_BADGE(badge) ((badge) > 0x1000u && (badge) < 0x1000u + 0x100000000ull ? (badge)-0x1000u : 0)
/* A process's pid: its start block's arg[3]; 0 for a boot manifest's task
 * (which no process manager started). */
#define PROCMAN_PID(start) ((start)->arg[3])
/* The slots of a process's table that procman fills. */
#define PROCMAN_SLOT_GIVEN 1u
#define PROCMAN_SLOT_NAMES 15u
void procman_main(const ms_start_t *start);

/* A service's question about a client: is the process its badge stands for
 * (PROCMAN_PID_OF_BADGE) gone? The caller, a process (start), finds the
 * process manager by name the first time (*procman, 0 until then). 0 when
 * it lives, when the badge is no process's, or when nobody can tell. */
int ms_procman_client_gone(const ms_start_t *start, ms_handle_t *procman, uint64_t badge);

#endif
