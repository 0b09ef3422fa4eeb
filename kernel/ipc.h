/* Synchronous IPC over endpoints: send, receive, call, reply, in the manner of L4 and seL4. */
#ifndef K_IPC_H
#define K_IPC_H

#include <stdint.h>

#include "object/thread.h"
#include "trace.h"

struct endpoint;

/*
 * Each operation acts for thread t, reading its message from t->regs (info in
 * rsi, words in mr[], a handle to transfer in rbx) and returns the error code
 * for t's rax. MS_OK also when t blocked: whoever wakes it sets its rax again.
 *
 * A message moves when a sender and a receiver meet, whichever came first;
 * the receiver gets the words, the payload (copied between IPC buffers), the
 * badge of the sender's handle in rdi and, if the sender's endpoint handle had
 * the grant right, a copy of the handle it named in rbx.
 */
int ipc_send(thread_t *t, uint64_t h, int blocking);
int ipc_call(thread_t *t, uint64_t h);
int ipc_recv(thread_t *t, uint64_t h, int blocking);
int ipc_reply(thread_t *t);
int ipc_reply_recv(thread_t *t, uint64_t h);

struct reply;

/* reply_save: the reply t owes goes into a new reply object, handle in t's
 * rdi. MS_E_NOREPLY (none owed), MS_E_FULL, MS_E_NOMEM. */
int ipc_reply_save(thread_t *t);

/* reply_with: answers through reply handle h with t's message, and closes
 * h. MS_E_DEAD if the caller is gone (nothing changes: the server closes h). */
int ipc_reply_with(thread_t *t, uint64_t h);

/* The last handle of r went with its caller still waiting: MS_E_DEAD. */
void ipc_reply_dropped(struct reply *r);

/* t is dying: takes it out of any endpoint queue and forgets the server it
 * waits on. Call while t's state still says where it is blocked. */
void ipc_cancel(thread_t *t);

/* t is dead: fails the caller waiting for its reply (MS_E_DEAD). That may
 * kill more threads (a faulting caller dies of it), t's task included. */
void ipc_release_caller(thread_t *t);

/* Faulting thread t (the current one) calls its fault handler endpoint ep:
 * the message is t's fault report (ms_abi.h), badged with badge. */
void ipc_fault_call(thread_t *t, struct endpoint *ep, uint64_t badge);

/* Wakes blocked thread t with error err in its rax. */
void ipc_fail(thread_t *t, int err);

/* ---- building blocks shared with the fast path (kernel/fastpath.c) ---- */

#define IPC_NO_HANDLE UINT64_MAX

/* Copies the first n message words of src's registers into dst's (n <= 8).
 * Words past n stay as they were: a sender's other registers never leak. */
static inline void ipc_copy_words(thread_t *dst, const thread_t *src, unsigned n)
{
    uint64_t *d = dst->regs.mr;
    const uint64_t *s = src->regs.mr;
    switch (n) {
    case 8: d[7] = s[7]; /* fallthrough */
    case 7: d[6] = s[6]; /* fallthrough */
    case 6: d[5] = s[5]; /* fallthrough */
    case 5: d[4] = s[4]; /* fallthrough */
    case 4: d[3] = s[3]; /* fallthrough */
    case 3: d[2] = s[2]; /* fallthrough */
    case 2: d[1] = s[1]; /* fallthrough */
    case 1: d[0] = s[0]; /* fallthrough */
    default: break;
    }
}

void ipc_record_message(k_event_kind_t kind, const thread_t *src, const thread_t *dst, uint32_t ep_id,
                        uint64_t badge, uint64_t handle);

/* Records ipc.send, ipc.call or ipc.reply for a message now in dst's
 * registers; handle is the number dst received, or IPC_NO_HANDLE. On every
 * IPC: inline, free while the kind is masked out. */
static inline void ipc_trace_message(k_event_kind_t kind, const thread_t *src, const thread_t *dst,
                                     uint32_t ep_id, uint64_t badge, uint64_t handle)
{
    if (trace_wants(kind))
        ipc_record_message(kind, src, dst, ep_id, badge, handle);
}

/* Records ipc.wait: t blocks on ep until a partner comes. */
void ipc_trace_wait(const thread_t *t, const struct endpoint *ep, k_wait_op_t op);

/* caller now waits for server's reply (a handle may travel in it if grant). */
void ipc_link_reply(thread_t *caller, thread_t *server, int grant);

#endif
