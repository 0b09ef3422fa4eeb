/* The pager's clients, pages, frames and request decisions, apart from system calls (unit tests drive it). */
#ifndef PAGER_CORE_H
#define PAGER_CORE_H

#include <stdint.h>

#include "ms/pager.h"

#define PAGER_MAX_CLIENTS 4u /* the paged task and the children forked from it */
#define PAGER_MAX_PAGES 512u /* the pages the pager records as mapped */
#define PAGER_MAX_FRAMES                                                                                               \
    1024u                      /* frames it hands out, in order (the frames object may hold fewer:                     \
                                * then the kernel refuses the map with MS_E_RANGE) */
#define PAGER_FAULT_VECTOR 14u /* #PF: the only fault the pager serves */

/* A task the pager pages; its badge is its index + 1. */
typedef struct pager_client {
    ms_handle_t task;
    uintptr_t base, top;        /* its memory */
    uintptr_t heap_lo, heap_hi; /* demand-zero heap */
    uintptr_t stack_lo;         /* the stack may grow down to here, from top */
} pager_client_t;

/* A page the pager mapped: which client, where, which of its frames. */
typedef struct pager_page {
    uintptr_t va;
    uint32_t frame;
    uint8_t client;
} pager_page_t;

/* What a fault is (pager_fault_kind). */
enum pager_fault {
    PAGER_FAULT_KILL,          /* not the pager's to serve: the task dies */
    PAGER_FAULT_HEAP,          /* first touch of a heap page: a fresh page */
    PAGER_FAULT_STACK,         /* first touch of a stack page above the limit: a fresh page */
    PAGER_FAULT_COPY_ON_WRITE, /* a write to a page the pager mapped read-only: a copy, or write access */
};

/* One system call for the IPC loop to make (pager_decide, pager_step_done); handles it makes
 * come back to the core as `made`:
 *   REPLY          none: the request is done, reply w0 (and 0).
 *   MAP            map(task, va, PAGER_H_FRAMES, frame, 1 page, rights).
 *   PROTECT        protect(task, va, 1 page, rights).
 *   UNMAP          unmap(task, va, 1 page).
 *   COPY           copy frame `from` into frame `frame` through the pager's own scratch pages
 *                  (map from read-only, map frame rw, copy, unmap both); the error of the maps.
 *   TASK_CREATE    task_create("child", va, size, prio, no flags) -> made.
 *   HANDLE_COPY    handle_copy(handle, rights, badge) -> made.
 *   FAULT_HANDLER  fault_handler(task, handle).
 *   CLOSE          handle_close(handle); its error is ignored.
 *   GIVE           handle_give(task, handle, rights) -> made.
 *   THREAD_CREATE  thread_create(task, entry, stack va, size bytes, ipc, arg, prio) -> made. */
enum pager_op {
    PAGER_OP_REPLY,
    PAGER_OP_MAP,
    PAGER_OP_PROTECT,
    PAGER_OP_UNMAP,
    PAGER_OP_COPY,
    PAGER_OP_TASK_CREATE,
    PAGER_OP_HANDLE_COPY,
    PAGER_OP_FAULT_HANDLER,
    PAGER_OP_CLOSE,
    PAGER_OP_GIVE,
    PAGER_OP_THREAD_CREATE,
};

typedef struct pager_step {
    enum pager_op op;
    uint64_t w0;
    ms_handle_t task, handle;
    uintptr_t va, ipc;
    uint64_t size;
    uint32_t frame, from;
    uint32_t rights;
    uint64_t badge;
    uint64_t entry, arg;
    uint8_t prio;
} pager_step_t;

/* One request as it arrived; data holds its payload (payload bytes, from the IPC buffer). */
typedef struct pager_request {
    uint32_t label;
    unsigned words, payload;
    uint64_t w[3];
    uint64_t badge;
    int has_handle;
    ms_handle_t handle;
    const uint8_t *data;
} pager_request_t;

/* The request in progress: how far it got and what it keeps between steps. */
typedef struct pager_job {
    unsigned stage;        /* pager_core.c's stages */
    pager_step_t step;     /* the step given out last */
    unsigned client;       /* the requester */
    unsigned owner;        /* the client a MAP step maps for (the requester, or the child of a FORK) */
    unsigned child;        /* FORK: the child's index, once it is created */
    uintptr_t va;          /* ALLOC: the page being mapped */
    uint64_t left;         /* ALLOC: pages still to map after it */
    unsigned page, npages; /* COPY_ON_WRITE: the page written; FORK: the next page to share, of npages */
    uint32_t copy;         /* COPY_ON_WRITE: the frame of the copy */
    uint64_t err;          /* FORK: the error of giving the handle sent, kept across its close */
    uint64_t entry;        /* FORK: the child's entry point */
    uint8_t prio;          /* FORK: the child's priority */
    int has_handle;        /* FORK: a handle came with it */
    ms_handle_t sent;      /* FORK: that handle */
    int sent_closed;       /* the core closed it (a CLOSE step), given or not */
    ms_handle_t made;      /* FORK: the child's fault endpoint, then the child's copy of the handle sent */
} pager_job_t;

typedef struct pager_core {
    pager_client_t clients[PAGER_MAX_CLIENTS];
    unsigned nclients;
    pager_page_t pages[PAGER_MAX_PAGES];
    unsigned npages;
    uint8_t sharers[PAGER_MAX_FRAMES]; /* how many pages map each frame */
    uint32_t next_frame;               /* frames are handed out in order, never taken back */
    pager_job_t job;
} pager_core_t;

/* The pager of one task (handle task) whose memory is [base, base + size) with a stack limit of
 * stack_limit bytes: the layout of ms/pager.h, no page mapped, no frame used. */
void pager_core_init(pager_core_t *p, ms_handle_t task, uintptr_t base, uint64_t size, uint64_t stack_limit);

/* What a fault message (rq: MS_FAULT_LABEL, w0 the vector, w1 the error code, w2 the address)
 * is, for the pager's state now. A sender that is not a client's badge: PAGER_FAULT_KILL. */
enum pager_fault pager_fault_kind(const pager_core_t *p, const pager_request_t *rq);

/* The first step for rq; every request ends with a PAGER_OP_REPLY step. */
void pager_decide(pager_core_t *p, const pager_request_t *rq, pager_step_t *step);

/* The step that pager_decide or the last pager_step_done gave was carried out with error err
 * (and, if it makes one, handle made): the next step in *step. */
void pager_step_done(pager_core_t *p, uint64_t err, ms_handle_t made, pager_step_t *step);

#endif
