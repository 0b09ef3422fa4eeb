/*
 * The pager: a user-level memory manager, L4-style. The kernel turns a
 * paged task's page fault into a call to the pager's endpoint; the pager
 * maps a fresh page from its frames and replies, and the task's instruction
 * runs again. See ms/pager.h for the layout it serves and its protocol.
 */
#include "ms/pager.h"

#include "ms/print.h"
#include "ms/syscall.h"

typedef struct pager {
    ms_handle_t task;            /* the paged task's address space */
    uintptr_t heap_lo, heap_hi;  /* demand-zero heap */
    uintptr_t stack_lo, stack_hi; /* the stack may grow down to stack_lo */
    uint64_t next_frame;         /* frames are handed out in order, each once */
    uint64_t served;
} pager_t;

static int in(uintptr_t a, uintptr_t lo, uintptr_t hi)
{
    return a >= lo && a < hi;
}

/* Maps one fresh (zeroed, never used) frame at page. */
static uint64_t give_page(pager_t *p, uintptr_t page)
{
    uint64_t err = ms_map(p->task, page, PAGER_H_FRAMES, p->next_frame, 1, MS_RIGHT_READ | MS_RIGHT_WRITE);
    if (err == MS_OK) {
        p->next_frame++;
        p->served++;
    }
    return err;
}

/* The answer to a fault at addr with the CPU's error code. */
static uint64_t serve_fault(pager_t *p, uintptr_t addr, uint64_t error)
{
    uintptr_t page = addr & ~(uintptr_t)(MS_PAGE_SIZE - 1);
    if (error & MS_PF_PRESENT)
        return MS_FAULT_KILL; /* the page is there: the access itself is not allowed */
    if (!in(page, p->heap_lo, p->heap_hi) && !in(page, p->stack_lo, p->stack_hi))
        return MS_FAULT_KILL; /* outside the task's memory, or its stack overflowed into the guard */
    return give_page(p, page) == MS_OK ? MS_FAULT_RESUME : MS_FAULT_KILL;
}

static uint64_t serve_alloc(pager_t *p, uintptr_t addr, uint64_t pages)
{
    if ((addr & (MS_PAGE_SIZE - 1)) || pages == 0 || !in(addr, p->heap_lo, p->heap_hi) ||
        pages > (p->heap_hi - addr) / MS_PAGE_SIZE)
        return MS_E_INVAL;
    for (uint64_t i = 0; i < pages; i++) {
        uint64_t err = give_page(p, addr + i * MS_PAGE_SIZE);
        if (err != MS_OK)
            return err == MS_E_RANGE ? MS_E_NOMEM : err;
    }
    return MS_OK;
}

void pager_main(const ms_start_t *start)
{
    uintptr_t base = start->arg[1], top = start->arg[1] + start->arg[2], limit = start->arg[3];
    pager_t p = {
        .task = (ms_handle_t)start->arg[0],
        .heap_lo = base + 2 * MS_PAGE_SIZE,
        .heap_hi = top - limit - MS_PAGE_SIZE,
        .stack_lo = top - limit,
        .stack_hi = top,
    };
    ms_msg_t m;
    uint64_t err = ms_recv(PAGER_H_ENDPOINT, &m);
    while (err == MS_OK) {
        uint32_t label = ms_info_label(m.info);
        if (label == MS_FAULT_LABEL && m.w[0] == 14) {
            m.w[0] = serve_fault(&p, m.w[2], m.w[1]);
            m.w[1] = 0; /* resume where it faulted */
        } else if (label == MS_FAULT_LABEL) {
            m.w[0] = MS_FAULT_KILL; /* not a page fault: not the pager's business */
        } else if (label == PAGER_ALLOC) {
            m.w[0] = serve_alloc(&p, m.w[0], m.w[1]);
        } else {
            m.w[0] = MS_E_INVAL;
        }
        m.info = ms_info(0, 2, 0, 0);
        err = ms_reply_recv(PAGER_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%lu) after %lu pages\n", start->name, (unsigned long)err,
              (unsigned long)p.served);
    ms_exit(1);
}
