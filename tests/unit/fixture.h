/* Helpers for kernel unit tests: a fresh kernel, tasks with memory, system calls by hand. */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <check.h>

#include "check_main.h"
#include <stdint.h>

#include "arch/arch.h"
#include "ms_abi.h"
#include "object/task.h"
#include "object/thread.h"
#include "trace.h"

#include "fake_arch.h"

#define FX_MEM_SIZE (64u * 1024u)
#define FX_STACK_SIZE (8u * 1024u)

/* Resets every kernel object, the scheduler and the trace (all kinds on),
 * as boot does, and frees the memory of earlier fixture tasks. */
void fx_reset(void);

/* A live task with FX_MEM_SIZE bytes of memory mapped read-write at user
 * addresses that are also their host addresses (fake_arch.h),
 * its own task handle in slot 0, and no threads. */
task_t *fx_task(const char *name, uint8_t prio);

/* A thread of task at prio, with a stack and an IPC buffer of its own in the
 * task's memory; READY in the run queue. */
thread_t *fx_thread(task_t *task, uint8_t prio);

/* A task with one thread (its first), as boot makes them. */
thread_t *fx_spawn(const char *name, uint8_t prio);

/* A new endpoint, with a handle in task's table carrying rights (and badge).
 * Returns the handle number. */
ms_handle_t fx_endpoint(task_t *task, uint32_t rights);

/* Gives to a handle to the object that from's handle h names. */
ms_handle_t fx_share(task_t *to, task_t *from, ms_handle_t h, uint32_t rights, uint64_t badge);

/* Makes t the running thread (taking it off its run queue if needed). */
void fx_run(thread_t *t);

/* Runs system call nr for the running thread t with the given registers
 * (rax is set to nr); returns the error code it left in t's rax. Does not
 * schedule: call fx_schedule() to see who runs next. */
uint64_t fx_syscall(thread_t *t, uint64_t nr, arch_regs_t regs);

/* What the kernel's exit path would do: pick the next thread (NULL if none). */
thread_t *fx_schedule(void);

/* A message's info word and words, for fx_syscall. */
arch_regs_t fx_msg(uint64_t handle, uint32_t label, unsigned nwords, const uint64_t *words);

/* The user address of t's IPC buffer, as a host pointer. */
char *fx_ipc_buffer(thread_t *t);

/* Runs fn and returns the message of the kernel panic it caused, or NULL if
 * it returned normally. */
const char *fx_panic_of(void (*fn)(void));

/* Reads the next unread trace event; 0 if there is none. */
int fx_event(k_trace_event_t *ev);
/* Skips events until one of kind; 0 if none is left. */
int fx_find_event(unsigned kind, k_trace_event_t *ev);
/* Forgets every event recorded so far. */
void fx_drop_events(void);

/* Remembers the whole kernel state: every thread (state, priority, registers,
 * IPC links), task (state, status, handle table), endpoint (references,
 * queues), the run queues, the current thread and the trace position. */
void fx_save_state(void);
/* Asserts that the kernel state is the one fx_save_state remembered. */
void fx_assert_state_unchanged(void);

/* As fx_syscall, for a call that must be rejected: asserts that it returned an
 * error, recorded exactly one syscall.error event naming the call and the
 * error, and changed nothing else but t's rax. Returns the error code. */
uint64_t fx_syscall_rejected(thread_t *t, uint64_t nr, arch_regs_t regs);

#endif
