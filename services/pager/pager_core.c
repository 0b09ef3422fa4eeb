/* The pager's clients, pages, frames and request decisions, apart from system calls. */
#include "pager_core.h"

#define RW (MS_RIGHT_READ | MS_RIGHT_WRITE)

/* What the step given out last is for (pager_job_t.stage). */
enum pager_stage {
    STAGE_REPLIED,           /* none: the request is done */
    STAGE_FAULT_PAGE,        /* MAP: a fresh page for a not-present fault */
    STAGE_ALLOC_PAGE,        /* MAP: a fresh page for PAGER_ALLOC */
    STAGE_COW_PROTECT,       /* PROTECT: write access to a page no one else maps */
    STAGE_COW_COPY,          /* COPY: a copy of a shared page, */
    STAGE_COW_UNMAP,         /* UNMAP: the shared page goes, */
    STAGE_COW_MAP,           /* MAP: the copy takes its place */
    STAGE_FORK_CREATE,       /* TASK_CREATE: the child */
    STAGE_FORK_COPY_EP,      /* HANDLE_COPY: a send handle with the child's badge, */
    STAGE_FORK_SET_HANDLER,  /* FAULT_HANDLER: the child's faults come to the pager, */
    STAGE_FORK_CLOSE_EP,     /* CLOSE: its handle */
    STAGE_FORK_PROTECT,      /* PROTECT: a heap page of the parent becomes read-only, */
    STAGE_FORK_SHARE,        /* MAP: and maps into the child read-only */
    STAGE_FORK_START_PAGE,   /* MAP: the child's fresh start block page */
    STAGE_FORK_IPC_PAGE,     /* MAP: and IPC buffer page */
    STAGE_FORK_GIVE,         /* GIVE: the handle sent goes to the child, */
    STAGE_FORK_CLOSE_SENT,   /* CLOSE: and from the pager */
    STAGE_FORK_THREAD,       /* THREAD_CREATE: the child's thread */
    STAGE_FORK_CLOSE_THREAD, /* CLOSE: its handle */
};

static int in(uintptr_t a, uintptr_t lo, uintptr_t hi)
{
    return a >= lo && a < hi;
}

static uintptr_t page_of(uint64_t addr)
{
    return (uintptr_t)addr & ~(uintptr_t)(MS_PAGE_SIZE - 1);
}

/* Whether badge is a client's (index badge - 1). */
static int is_client(const pager_core_t *p, uint64_t badge)
{
    return badge != 0 && badge <= p->nclients;
}

/* The index of client c's page at va, or p->npages. */
static unsigned find_page(const pager_core_t *p, unsigned c, uintptr_t va)
{
    for (unsigned i = 0; i < p->npages; i++)
        if (p->pages[i].client == c && p->pages[i].va == va)
            return i;
    return p->npages;
}

static void reply(pager_core_t *p, uint64_t w0, pager_step_t *out)
{
    p->job.stage = STAGE_REPLIED;
    *out = (pager_step_t){.op = PAGER_OP_REPLY, .w0 = w0};
}

/* Gives s out as the next step, for stage. */
static void next(pager_core_t *p, enum pager_stage stage, pager_step_t s, pager_step_t *out)
{
    p->job.stage = stage;
    p->job.step = s;
    *out = s;
}

/* A fresh frame: zeroed, as the kernel made it, and never handed out. */
static uint64_t new_frame(pager_core_t *p, uint32_t *frame)
{
    if (p->next_frame == PAGER_MAX_FRAMES)
        return MS_E_NOMEM;
    *frame = p->next_frame++;
    return MS_OK;
}

/* The next step maps frame at va for client owner, if the page table has room for it. */
static uint64_t map_page(pager_core_t *p, enum pager_stage stage, unsigned owner, uintptr_t va, uint32_t frame,
                         uint32_t rights, pager_step_t *out)
{
    if (p->npages == PAGER_MAX_PAGES)
        return MS_E_NOMEM;
    p->job.owner = owner;
    pager_step_t s = {.op = PAGER_OP_MAP, .task = p->clients[owner].task, .va = va, .frame = frame, .rights = rights};
    next(p, stage, s, out);
    return MS_OK;
}

/* The next step maps a fresh frame at va for owner, rw. (A frame taken stays used when the page
 * table is full or the map fails.) */
static uint64_t map_fresh(pager_core_t *p, enum pager_stage stage, unsigned owner, uintptr_t va, pager_step_t *out)
{
    uint32_t frame;
    uint64_t err = new_frame(p, &frame);
    return err == MS_OK ? map_page(p, stage, owner, va, frame, RW, out) : err;
}

/* The MAP step given out last was made: the page is recorded. */
static void mapped(pager_core_t *p)
{
    const pager_step_t *s = &p->job.step;
    p->pages[p->npages++] = (pager_page_t){.va = s->va, .frame = s->frame, .client = (uint8_t)p->job.owner};
    p->sharers[s->frame]++;
}

void pager_core_init(pager_core_t *p, ms_handle_t task, uintptr_t base, uint64_t size, uint64_t stack_limit)
{
    *p = (pager_core_t){.nclients = 1};
    uintptr_t top = base + size;
    p->clients[0] = (pager_client_t){
        .task = task,
        .base = base,
        .top = top,
        .heap_lo = base + 2 * MS_PAGE_SIZE,
        .heap_hi = top - stack_limit - MS_PAGE_SIZE,
        .stack_lo = top - stack_limit,
    };
}

enum pager_fault pager_fault_kind(const pager_core_t *p, const pager_request_t *rq)
{
    if (!is_client(p, rq->badge) || rq->w[0] != PAGER_FAULT_VECTOR)
        return PAGER_FAULT_KILL;
    unsigned c = (unsigned)rq->badge - 1;
    const pager_client_t *cl = &p->clients[c];
    uint64_t error = rq->w[1];
    uintptr_t page = page_of(rq->w[2]);
    if (error & MS_PF_PRESENT) {
        if (find_page(p, c, page) == p->npages || !(error & MS_PF_WRITE) || (error & MS_PF_FETCH))
            return PAGER_FAULT_KILL; /* the access itself is not allowed */
        return PAGER_FAULT_COPY_ON_WRITE;
    }
    if (in(page, cl->heap_lo, cl->heap_hi))
        return PAGER_FAULT_HEAP;
    if (in(page, cl->stack_lo, cl->top))
        return PAGER_FAULT_STACK;
    return PAGER_FAULT_KILL; /* outside the task's memory, or its stack overflowed into the guard */
}

/* A write to page i, which client c maps read-only: write access if no one else maps its
 * frame, else a copy of its own. */
static void decide_copy_on_write(pager_core_t *p, unsigned c, unsigned i, pager_step_t *out)
{
    const pager_page_t *pg = &p->pages[i];
    p->job.page = i;
    if (p->sharers[pg->frame] == 1) {
        pager_step_t s = {.op = PAGER_OP_PROTECT, .task = p->clients[c].task, .va = pg->va, .rights = RW};
        next(p, STAGE_COW_PROTECT, s, out);
    } else if (new_frame(p, &p->job.copy) == MS_OK) {
        next(p, STAGE_COW_COPY, (pager_step_t){.op = PAGER_OP_COPY, .from = pg->frame, .frame = p->job.copy}, out);
    } else {
        reply(p, MS_FAULT_KILL, out);
    }
}

static void decide_fault(pager_core_t *p, const pager_request_t *rq, pager_step_t *out)
{
    enum pager_fault kind = pager_fault_kind(p, rq);
    unsigned c = p->job.client;
    uintptr_t page = page_of(rq->w[2]);
    if (kind == PAGER_FAULT_COPY_ON_WRITE)
        decide_copy_on_write(p, c, find_page(p, c, page), out);
    else if (kind == PAGER_FAULT_KILL || map_fresh(p, STAGE_FAULT_PAGE, c, page, out) != MS_OK)
        reply(p, MS_FAULT_KILL, out);
}

static void cow_done(pager_core_t *p, uint64_t err, pager_step_t *out)
{
    pager_page_t *pg = &p->pages[p->job.page];
    ms_handle_t task = p->clients[p->job.client].task;
    if (err != MS_OK || p->job.stage == STAGE_COW_PROTECT) {
        reply(p, err == MS_OK ? MS_FAULT_RESUME : MS_FAULT_KILL, out);
    } else if (p->job.stage == STAGE_COW_COPY) {
        next(p, STAGE_COW_UNMAP, (pager_step_t){.op = PAGER_OP_UNMAP, .task = task, .va = pg->va}, out);
    } else if (p->job.stage == STAGE_COW_UNMAP) {
        pager_step_t s = {.op = PAGER_OP_MAP, .task = task, .va = pg->va, .frame = p->job.copy, .rights = RW};
        next(p, STAGE_COW_MAP, s, out);
    } else {
        p->sharers[pg->frame]--;
        p->sharers[p->job.copy] = 1;
        pg->frame = p->job.copy;
        reply(p, MS_FAULT_RESUME, out);
    }
}

/* PAGER_ALLOC's error for err: the kernel's "no such frame" means the frames object is used up. */
static uint64_t alloc_error(uint64_t err)
{
    return err == MS_E_RANGE ? MS_E_NOMEM : err;
}

/* Maps the next page of a PAGER_ALLOC, or replies why it cannot. */
static void alloc_next(pager_core_t *p, pager_step_t *out)
{
    p->job.left--;
    uint64_t err = map_fresh(p, STAGE_ALLOC_PAGE, p->job.client, p->job.va, out);
    if (err != MS_OK)
        reply(p, alloc_error(err), out);
}

static void decide_alloc(pager_core_t *p, uint64_t addr, uint64_t pages, pager_step_t *out)
{
    const pager_client_t *cl = &p->clients[p->job.client];
    if ((addr & (MS_PAGE_SIZE - 1)) || pages == 0 || !in((uintptr_t)addr, cl->heap_lo, cl->heap_hi) ||
        pages > (cl->heap_hi - addr) / MS_PAGE_SIZE) {
        reply(p, MS_E_INVAL, out);
        return;
    }
    p->job.va = (uintptr_t)addr;
    p->job.left = pages;
    alloc_next(p, out);
}

static void alloc_done(pager_core_t *p, uint64_t err, pager_step_t *out)
{
    if (err != MS_OK) {
        reply(p, alloc_error(err), out);
        return;
    }
    mapped(p);
    if (p->job.left == 0) {
        reply(p, MS_OK, out);
        return;
    }
    p->job.va += MS_PAGE_SIZE;
    alloc_next(p, out);
}

/* PAGER_FORK: first the child task, with the caller's memory range. */
static void decide_fork(pager_core_t *p, const pager_request_t *rq, pager_step_t *out)
{
    if (p->nclients == PAGER_MAX_CLIENTS) {
        reply(p, MS_E_NOMEM, out);
        return;
    }
    if (rq->payload != sizeof p->job.entry) {
        reply(p, MS_E_INVAL, out);
        return;
    }
    for (unsigned i = 0; i < sizeof p->job.entry; i++)
        p->job.entry |= (uint64_t)rq->data[i] << (8 * i);
    p->job.prio = (uint8_t)rq->w[0];
    p->job.has_handle = rq->has_handle;
    p->job.sent = rq->handle;
    const pager_client_t *cl = &p->clients[p->job.client];
    pager_step_t s = {.op = PAGER_OP_TASK_CREATE, .va = cl->base, .size = cl->top - cl->base, .prio = p->job.prio};
    next(p, STAGE_FORK_CREATE, s, out);
}

/* The child is a client from now on, whatever fails later: its badge is its index + 1. */
static void fork_created(pager_core_t *p, ms_handle_t task, pager_step_t *out)
{
    unsigned k = p->nclients++;
    p->clients[k] = p->clients[p->job.client];
    p->clients[k].task = task;
    p->job.child = k;
    pager_step_t s = {.op = PAGER_OP_HANDLE_COPY, .handle = PAGER_H_SEND, .rights = MS_RIGHT_SEND, .badge = k + 1};
    next(p, STAGE_FORK_COPY_EP, s, out);
}

/* Every heap page the parent had at the fork, from job.page on, becomes read-only for the parent
 * and maps read-only into the child; then the child's own start block page. (The child's stack
 * starts afresh: its thread starts at an entry point, not in the middle of the parent's frames.) */
static void fork_share_next(pager_core_t *p, pager_step_t *out)
{
    const pager_client_t *cl = &p->clients[p->job.client];
    for (; p->job.page < p->job.npages; p->job.page++) {
        const pager_page_t *pg = &p->pages[p->job.page];
        if (pg->client != p->job.client || !in(pg->va, cl->heap_lo, cl->heap_hi))
            continue;
        next(p, STAGE_FORK_PROTECT,
             (pager_step_t){.op = PAGER_OP_PROTECT, .task = cl->task, .va = pg->va, .rights = MS_RIGHT_READ}, out);
        return;
    }
    uint64_t err = map_fresh(p, STAGE_FORK_START_PAGE, p->job.child, cl->base, out);
    if (err != MS_OK)
        reply(p, err, out);
}

/* The child's thread at entry(given) on a fresh stack in the parent's stack range. */
static void fork_thread(pager_core_t *p, ms_handle_t given, pager_step_t *out)
{
    const pager_client_t *cl = &p->clients[p->job.child];
    next(p, STAGE_FORK_THREAD,
         (pager_step_t){.op = PAGER_OP_THREAD_CREATE,
                        .task = cl->task,
                        .entry = p->job.entry,
                        .va = cl->stack_lo,
                        .size = cl->top - cl->stack_lo,
                        .ipc = cl->base + MS_PAGE_SIZE,
                        .arg = given,
                        .prio = p->job.prio},
         out);
}

/* After the child's IPC buffer page: the handle sent, if any, goes to the child. */
static void fork_give(pager_core_t *p, pager_step_t *out)
{
    if (!p->job.has_handle) {
        fork_thread(p, 0, out);
        return;
    }
    pager_step_t s = {
        .op = PAGER_OP_GIVE, .task = p->clients[p->job.child].task, .handle = p->job.sent, .rights = MS_RIGHT_SEND};
    next(p, STAGE_FORK_GIVE, s, out);
}

/* The steps whose error ends the fork; err is MS_OK here. */
static void fork_step_done(pager_core_t *p, ms_handle_t made, pager_step_t *out)
{
    const pager_page_t *pg = &p->pages[p->job.page];
    uint64_t err = MS_OK;
    switch (p->job.stage) {
    case STAGE_FORK_CREATE:
        fork_created(p, made, out);
        break;
    case STAGE_FORK_COPY_EP:
        p->job.made = made;
        next(p, STAGE_FORK_SET_HANDLER,
             (pager_step_t){.op = PAGER_OP_FAULT_HANDLER, .task = p->clients[p->job.child].task, .handle = made}, out);
        break;
    case STAGE_FORK_SET_HANDLER:
        next(p, STAGE_FORK_CLOSE_EP, (pager_step_t){.op = PAGER_OP_CLOSE, .handle = p->job.made}, out);
        break;
    case STAGE_FORK_PROTECT:
        err = map_page(p, STAGE_FORK_SHARE, p->job.child, pg->va, pg->frame, MS_RIGHT_READ, out);
        break;
    case STAGE_FORK_SHARE:
        mapped(p);
        p->job.page++;
        fork_share_next(p, out);
        break;
    case STAGE_FORK_START_PAGE:
        mapped(p);
        err = map_fresh(p, STAGE_FORK_IPC_PAGE, p->job.child, p->clients[p->job.child].base + MS_PAGE_SIZE, out);
        break;
    case STAGE_FORK_IPC_PAGE:
        mapped(p);
        fork_give(p, out);
        break;
    default: /* STAGE_FORK_THREAD */
        next(p, STAGE_FORK_CLOSE_THREAD, (pager_step_t){.op = PAGER_OP_CLOSE, .handle = made}, out);
        break;
    }
    if (err != MS_OK)
        reply(p, err, out);
}

static void fork_done(pager_core_t *p, uint64_t err, ms_handle_t made, pager_step_t *out)
{
    if (p->job.stage == STAGE_FORK_CLOSE_EP) { /* a close's error is ignored */
        p->job.page = 0;
        p->job.npages = p->npages;
        fork_share_next(p, out);
    } else if (p->job.stage == STAGE_FORK_GIVE) { /* the handle sent is closed even if giving it failed */
        p->job.err = err;
        p->job.made = err == MS_OK ? made : 0;
        p->job.sent_closed = 1;
        next(p, STAGE_FORK_CLOSE_SENT, (pager_step_t){.op = PAGER_OP_CLOSE, .handle = p->job.sent}, out);
    } else if (p->job.stage == STAGE_FORK_CLOSE_SENT) {
        if (p->job.err != MS_OK)
            reply(p, p->job.err, out);
        else
            fork_thread(p, p->job.made, out);
    } else if (p->job.stage == STAGE_FORK_CLOSE_THREAD) {
        reply(p, MS_OK, out);
    } else if (err != MS_OK) {
        reply(p, err, out);
    } else {
        fork_step_done(p, made, out);
    }
}

void pager_decide(pager_core_t *p, const pager_request_t *rq, pager_step_t *step)
{
    p->job = (pager_job_t){.client = (unsigned)rq->badge - 1};
    if (rq->label == MS_FAULT_LABEL)
        decide_fault(p, rq, step);
    else if (!is_client(p, rq->badge))
        reply(p, MS_E_INVAL, step);
    else if (rq->label == PAGER_ALLOC && rq->words == 2 && rq->payload == 0)
        decide_alloc(p, rq->w[0], rq->w[1], step);
    else if (rq->label == PAGER_FORK && rq->words == 1)
        decide_fork(p, rq, step);
    else /* a known label with the wrong words or payload, or an unknown one */
        reply(p, rq->label == PAGER_ALLOC || rq->label == PAGER_FORK ? MS_E_INVAL : MS_E_NOSYS, step);
}

/* A not-present fault's fresh page: the task runs on if it was mapped. */
static void fault_page_done(pager_core_t *p, uint64_t err, pager_step_t *out)
{
    if (err == MS_OK)
        mapped(p);
    reply(p, err == MS_OK ? MS_FAULT_RESUME : MS_FAULT_KILL, out);
}

void pager_step_done(pager_core_t *p, uint64_t err, ms_handle_t made, pager_step_t *step)
{
    enum pager_stage stage = p->job.stage;
    if (stage == STAGE_REPLIED)
        reply(p, MS_E_INVAL, step); /* no step was given out */
    else if (stage == STAGE_FAULT_PAGE)
        fault_page_done(p, err, step);
    else if (stage == STAGE_ALLOC_PAGE)
        alloc_done(p, err, step);
    else if (stage <= STAGE_COW_MAP)
        cow_done(p, err, step);
    else
        fork_done(p, err, made, step);
}
