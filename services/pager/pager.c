/*
 * The pager: a user-level memory manager, L4-style. The kernel turns a
 * paged task's page fault into a call to the pager's endpoint; the pager
 * maps a page from its frames and replies, and the task's instruction runs
 * again. It also forks a task it pages: the child shares the parent's pages
 * read-only, and the first write to a shared page, by either, gets a copy
 * (copy-on-write). See ms/pager.h for the layout it serves and its protocol.
 */
#include "ms/pager.h"

#include "ms/print.h"
#include "ms_manifest.h"
#include "ms/syscall.h"

#define MAX_CLIENTS 4
#define MAX_PAGES 512
#define MAX_FRAMES 1024
#define RW (MS_RIGHT_READ | MS_RIGHT_WRITE)

/* A task the pager pages; its badge is its index + 1. */
typedef struct client {
    ms_handle_t task;
    uintptr_t base, top;          /* its memory */
    uintptr_t heap_lo, heap_hi;   /* demand-zero heap */
    uintptr_t stack_lo;           /* the stack may grow down to here, from top */
} client_t;

/* A page the pager mapped: which client, where, which of its frames. */
typedef struct page {
    uintptr_t va;
    uint32_t frame;
    uint8_t client;
} page_t;

typedef struct pager {
    client_t clients[MAX_CLIENTS];
    unsigned nclients;
    page_t pages[MAX_PAGES];
    unsigned npages;
    uint8_t sharers[MAX_FRAMES]; /* how many pages map each frame */
    uint32_t next_frame;         /* frames are handed out in order */
    uintptr_t scratch;           /* two pages of the pager's own space, for copies */
    uintptr_t ipc_buffer;        /* its thread's: request payloads arrive there */
} pager_t;

static int in(uintptr_t a, uintptr_t lo, uintptr_t hi)
{
    return a >= lo && a < hi;
}

static page_t *find_page(pager_t *p, unsigned c, uintptr_t va)
{
    for (unsigned i = 0; i < p->npages; i++)
        if (p->pages[i].client == c && p->pages[i].va == va)
            return &p->pages[i];
    return 0;
}

/* Maps frame at va of client c with rights and records it. */
static uint64_t map_frame(pager_t *p, unsigned c, uintptr_t va, uint32_t frame, uint64_t rights)
{
    if (p->npages == MAX_PAGES)
        return MS_E_NOMEM;
    uint64_t err = ms_map(p->clients[c].task, va, PAGER_H_FRAMES, frame, 1, rights);
    if (err == MS_OK) {
        p->pages[p->npages++] = (page_t){.va = va, .frame = frame, .client = (uint8_t)c};
        p->sharers[frame]++;
    }
    return err;
}

/* A fresh frame: zeroed, as the kernel made it, and never handed out. */
static uint64_t new_frame(pager_t *p, uint32_t *frame)
{
    if (p->next_frame == MAX_FRAMES)
        return MS_E_NOMEM;
    *frame = p->next_frame++;
    return MS_OK;
}

/* Maps one fresh page at va of client c. */
static uint64_t give_page(pager_t *p, unsigned c, uintptr_t va)
{
    uint32_t frame;
    uint64_t err = new_frame(p, &frame);
    return err == MS_OK ? map_frame(p, c, va, frame, RW) : err;
}

/* Copies frame from into frame to, through the pager's own scratch pages. */
static uint64_t copy_frame(pager_t *p, uint32_t from, uint32_t to)
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

/* A write to a page client c shares: a copy of its own if others map the
 * frame too, else it may simply write it now. */
static uint64_t copy_on_write(pager_t *p, unsigned c, page_t *pg)
{
    const client_t *cl = &p->clients[c];
    if (p->sharers[pg->frame] == 1)
        return ms_protect(cl->task, pg->va, 1, RW);
    uint32_t copy;
    uint64_t err = new_frame(p, &copy);
    if (err == MS_OK)
        err = copy_frame(p, pg->frame, copy);
    if (err == MS_OK)
        err = ms_unmap(cl->task, pg->va, 1);
    if (err == MS_OK)
        err = ms_map(cl->task, pg->va, PAGER_H_FRAMES, copy, 1, RW);
    if (err == MS_OK) {
        p->sharers[pg->frame]--;
        p->sharers[copy] = 1;
        pg->frame = copy;
    }
    return err;
}

/* The answer to client c's fault at addr with the CPU's error code. */
static uint64_t serve_fault(pager_t *p, unsigned c, uintptr_t addr, uint64_t error)
{
    const client_t *cl = &p->clients[c];
    uintptr_t page = addr & ~(uintptr_t)(MS_PAGE_SIZE - 1);
    if (error & MS_PF_PRESENT) {
        page_t *pg = find_page(p, c, page);
        if (!pg || !(error & MS_PF_WRITE) || (error & MS_PF_FETCH))
            return MS_FAULT_KILL; /* the access itself is not allowed */
        return copy_on_write(p, c, pg) == MS_OK ? MS_FAULT_RESUME : MS_FAULT_KILL;
    }
    if (!in(page, cl->heap_lo, cl->heap_hi) && !in(page, cl->stack_lo, cl->top))
        return MS_FAULT_KILL; /* outside the task's memory, or its stack overflowed into the guard */
    return give_page(p, c, page) == MS_OK ? MS_FAULT_RESUME : MS_FAULT_KILL;
}

static uint64_t serve_alloc(pager_t *p, unsigned c, uintptr_t addr, uint64_t pages)
{
    const client_t *cl = &p->clients[c];
    if ((addr & (MS_PAGE_SIZE - 1)) || pages == 0 || !in(addr, cl->heap_lo, cl->heap_hi) ||
        pages > (cl->heap_hi - addr) / MS_PAGE_SIZE)
        return MS_E_INVAL;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t err = give_page(p, c, addr + i * MS_PAGE_SIZE);
        if (err != MS_OK)
            return err == MS_E_RANGE ? MS_E_NOMEM : err;
    }
    return MS_OK;
}

/* Every heap page of parent now also maps read-only into child, and
 * parent's become read-only: the first write to one makes a copy. (The
 * child's stack starts afresh: its thread starts at an entry point, not in
 * the middle of the parent's frames.) */
static uint64_t share_pages(pager_t *p, unsigned parent, unsigned child)
{
    const client_t *cl = &p->clients[parent];
    unsigned n = p->npages;
    for (unsigned i = 0; i < n; i++) {
        page_t pg = p->pages[i];
        if (pg.client != parent || !in(pg.va, cl->heap_lo, cl->heap_hi))
            continue;
        uint64_t err = ms_protect(p->clients[parent].task, pg.va, 1, MS_RIGHT_READ);
        if (err == MS_OK)
            err = map_frame(p, child, pg.va, pg.frame, MS_RIGHT_READ);
        if (err != MS_OK)
            return err;
    }
    return MS_OK;
}

/* PAGER_FORK from client c: a child task with c's memory, copy-on-write,
 * running entry(slot of the handle c sent, if any) at prio. */
static uint64_t serve_fork(pager_t *p, unsigned c, const ms_msg_t *m)
{
    if (p->nclients == MAX_CLIENTS)
        return MS_E_NOMEM;
    client_t *cl = &p->clients[c];
    unsigned k = p->nclients;
    client_t *child = &p->clients[k];
    *child = *cl;
    uint64_t entry = 0;
    if (ms_info_payload(m->info) != sizeof entry)
        return MS_E_INVAL;
    for (unsigned i = 0; i < sizeof entry; i++) /* the payload, from the IPC buffer */
        entry |= (uint64_t)((const uint8_t *)p->ipc_buffer)[i] << (8 * i);
    uint64_t err = ms_task_create("child", cl->base, cl->top - cl->base, (uint8_t)m->w[0], 0, &child->task);
    if (err != MS_OK)
        return err;
    p->nclients++;
    ms_handle_t fault_ep, given = 0, thread;
    if ((err = ms_handle_copy(PAGER_H_SEND, MS_RIGHT_SEND, k + 1, &fault_ep)) != MS_OK ||
        (err = ms_fault_handler(child->task, fault_ep)) != MS_OK)
        return err;
    ms_handle_close(fault_ep);
    if ((err = share_pages(p, c, k)) != MS_OK || (err = give_page(p, k, cl->base)) != MS_OK ||
        (err = give_page(p, k, cl->base + MS_PAGE_SIZE)) != MS_OK)
        return err;
    if (ms_info_has_handle(m->info)) {
        err = ms_handle_give(child->task, (ms_handle_t)m->handle, MS_RIGHT_SEND, &given);
        ms_handle_close((ms_handle_t)m->handle);
        if (err != MS_OK)
            return err;
    }
    err = ms_thread_create(child->task, (void (*)(uint64_t))(uintptr_t)entry, (void *)cl->stack_lo,
                           cl->top - cl->stack_lo, (void *)(cl->base + MS_PAGE_SIZE), given, (uint8_t)m->w[0],
                           &thread);
    if (err == MS_OK)
        ms_handle_close(thread);
    return err;
}

/* The reply to one message with label, from client c (0: not a client). */
static void serve(pager_t *p, ms_msg_t *m)
{
    uint32_t label = ms_info_label(m->info);
    unsigned c = (unsigned)m->badge - 1;
    uint64_t w0 = MS_E_INVAL, w1 = 0;
    if (m->badge == 0 || c >= p->nclients)
        w0 = label == MS_FAULT_LABEL ? MS_FAULT_KILL : MS_E_INVAL;
    else if (label == MS_FAULT_LABEL)
        w0 = m->w[0] == 14 ? serve_fault(p, c, m->w[2], m->w[1]) : MS_FAULT_KILL; /* w1 0: where it faulted */
    else if (label == PAGER_ALLOC)
        w0 = serve_alloc(p, c, m->w[0], m->w[1]);
    else if (label == PAGER_FORK)
        w0 = serve_fork(p, c, m);
    *m = (ms_msg_t){.info = ms_info(0, 2, 0, 0), .w = {w0, w1}};
}

void pager_main(const ms_start_t *start)
{
    uintptr_t base = start->arg[1], top = start->arg[1] + start->arg[2], limit = start->arg[3];
    pager_t p = {
        .clients = {{
            .task = (ms_handle_t)start->arg[0],
            .base = base,
            .top = top,
            .heap_lo = base + 2 * MS_PAGE_SIZE,
            .heap_hi = top - limit - MS_PAGE_SIZE,
            .stack_lo = top - limit,
        }},
        .nclients = 1,
        .scratch = start->mem_base + MS_USER_TASK_STRIDE / 2,
        .ipc_buffer = start->ipc_buffer,
    };
    ms_msg_t m;
    uint64_t err = ms_recv(PAGER_H_ENDPOINT, &m);
    while (err == MS_OK) {
        serve(&p, &m);
        err = ms_reply_recv(PAGER_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%lu) after %u pages\n", start->name, (unsigned long)err, p.npages);
    ms_exit(1);
}
