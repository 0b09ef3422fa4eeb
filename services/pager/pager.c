/*
 * The pager: a user-level memory manager, L4-style. The kernel turns a
 * paged task's page fault into a call to the pager's endpoint; the pager
 * maps a page from its frames and replies, and the task's instruction runs
 * again. It also forks a task it pages: the child shares the parent's pages
 * read-only, and the first write to a shared page, by either, gets a copy
 * (copy-on-write). See ms/pager.h for the layout it serves and its protocol.
 * Every decision is in pager_core.c; this makes the system calls it asks for.
 */
#include "ms/pager.h"

#include "ms/print.h"
#include "ms/syscall.h"
#include "ms_manifest.h"
#include "pager_core.h"

#define RW (MS_RIGHT_READ | MS_RIGHT_WRITE)

typedef struct pager {
    pager_core_t core;
    uintptr_t scratch;    /* two pages of the pager's own space, for copies */
    uintptr_t ipc_buffer; /* its thread's: request payloads arrive there */
} pager_t;

static pager_request_t request_of(const pager_t *p, const ms_msg_t *m)
{
    return (pager_request_t){
        .label = ms_info_label(m->info),
        .words = ms_info_words(m->info),
        .payload = ms_info_payload(m->info),
        .w = {m->w[0], m->w[1], m->w[2]},
        .badge = m->badge,
        .has_handle = ms_info_has_handle(m->info),
        .handle = (ms_handle_t)m->handle,
        .data = (const uint8_t *)p->ipc_buffer,
    };
}

/* Copies frame from into frame to, through the pager's own scratch pages. */
static uint64_t copy_frame(const pager_t *p, uint32_t from, uint32_t to)
{
    uint64_t err = ms_map(MS_HANDLE_SELF, p->scratch, PAGER_H_FRAMES, from, 1, MS_RIGHT_READ);
    if (err == MS_OK)
        err = ms_map(MS_HANDLE_SELF, p->scratch + MS_PAGE_SIZE, PAGER_H_FRAMES, to, 1, RW);
    if (err == MS_OK) {
        const uint64_t *src = (const uint64_t *)p->scratch;
        uint64_t *dst = (uint64_t *)(p->scratch + MS_PAGE_SIZE);
        for (unsigned i = 0; i < MS_PAGE_SIZE / 8; i++)
            dst[i] = src[i];
    }
    ms_unmap(MS_HANDLE_SELF, p->scratch, 2);
    return err;
}

/* Makes the system call of step s (see pager_core.h); a handle it makes goes to *made. */
static uint64_t carry_out(const pager_t *p, const pager_step_t *s, ms_handle_t *made)
{
    switch (s->op) {
    case PAGER_OP_MAP:
        return ms_map(s->task, s->va, PAGER_H_FRAMES, s->frame, 1, s->rights);
    case PAGER_OP_PROTECT:
        return ms_protect(s->task, s->va, 1, s->rights);
    case PAGER_OP_UNMAP:
        return ms_unmap(s->task, s->va, 1);
    case PAGER_OP_COPY:
        return copy_frame(p, s->from, s->frame);
    case PAGER_OP_TASK_CREATE:
        return ms_task_create("child", s->va, s->size, s->prio, 0, made);
    case PAGER_OP_HANDLE_COPY:
        return ms_handle_copy(s->handle, s->rights, s->badge, made);
    case PAGER_OP_FAULT_HANDLER:
        return ms_fault_handler(s->task, s->handle);
    case PAGER_OP_CLOSE:
        return ms_handle_close(s->handle);
    case PAGER_OP_GIVE:
        return ms_handle_give(s->task, s->handle, s->rights, made);
    case PAGER_OP_THREAD_CREATE:
        return ms_thread_create(s->task, (void (*)(uint64_t))(uintptr_t)s->entry, (void *)s->va, s->size,
                                (void *)s->ipc, s->arg, s->prio, made);
    case PAGER_OP_REPLY:
        break;
    }
    return MS_E_INVAL;
}

/* One message, through the core's steps; *m becomes the reply. */
static void serve(pager_t *p, ms_msg_t *m)
{
    pager_request_t rq = request_of(p, m);
    pager_step_t step;
    pager_decide(&p->core, &rq, &step);
    while (step.op != PAGER_OP_REPLY) {
        ms_handle_t made = 0;
        uint64_t err = carry_out(p, &step, &made);
        pager_step_done(&p->core, err, made, &step);
    }
    if (rq.has_handle && !p->core.job.sent_closed)
        ms_handle_close(rq.handle); /* a handle no fork step gave on and closed */
    *m = (ms_msg_t){.info = ms_info(0, 2, 0, 0), .w = {step.w0, 0}};
}

void pager_main(const ms_start_t *start)
{
    pager_t p = {
        .scratch = start->mem_base + MS_USER_TASK_STRIDE / 2,
        .ipc_buffer = start->ipc_buffer,
    };
    pager_core_init(&p.core, (ms_handle_t)start->arg[0], start->arg[1], start->arg[2], start->arg[3]);
    ms_msg_t m;
    uint64_t err = ms_recv(PAGER_H_ENDPOINT, &m);
    while (err == MS_OK) {
        serve(&p, &m);
        err = ms_reply_recv(PAGER_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%lu) after %u pages\n", start->name, (unsigned long)err, p.core.npages);
    ms_exit(1);
}
