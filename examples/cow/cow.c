/*
 * cow: copy-on-write. A demand-paged parent writes 16 heap pages, then asks
 * its pager to fork it. Parent and child share those frames read-only; the
 * parent then overwrites the first 8 pages and the child the last 8, each
 * write to a shared page a protection fault that the pager answers with a
 * private copy. Each checks that it sees its own writes and never the
 * other's: the child the parent's pages as they were at the fork, the parent
 * its last 8 pages untouched by the child.
 */
#include "ms/pager.h"
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define H_PAGER 1 /* the pager's endpoint, badge 1, with the grant right */
#define H_DONE 2  /* a notification the child signals when it is done */
#define PAGES 16
#define HALF (PAGES / 2)
#define MEM_KIB 512u
#define STACK_LIMIT (32u * 1024u)
#define CHILD_PRIO 5
#define STACK_PROBE_PAGES 3

enum { BEFORE_FORK = 1, PARENT_AFTER = 2, CHILD_AFTER = 3 };

/* The byte at offset i of page p in generation g. */
static uint8_t pattern(unsigned g, unsigned p, unsigned i)
{
    return (uint8_t)(g * 61u + p * 31u + i * 7u);
}

static uint8_t *heap_page(unsigned p)
{
    return (uint8_t *)(uintptr_t)(MS_USER_TASK_BASE + 2 * MS_PAGE_SIZE + (uintptr_t)p * MS_PAGE_SIZE);
}

/* Touches the stack's pages below the top one at fixed addresses first, so
 * that the page faults' addresses do not depend on how a compiler lays out
 * frames (the golden trace shows them). */
static void grow_stack(void)
{
    uintptr_t top = MS_USER_TASK_BASE + MEM_KIB * 1024u;
    for (unsigned k = 1; k <= STACK_PROBE_PAGES; k++)
        *(volatile uint8_t *)(top - (k + 1) * MS_PAGE_SIZE + MS_PAGE_SIZE / 2) = 0;
}

static void fill(unsigned g, unsigned first, unsigned last)
{
    for (unsigned p = first; p < last; p++)
        for (unsigned i = 0; i < MS_PAGE_SIZE; i++)
            heap_page(p)[i] = pattern(g, p, i);
}

/* Bytes of pages [first, last) that differ from generation g. */
static unsigned differ(unsigned g, unsigned first, unsigned last)
{
    unsigned wrong = 0;
    for (unsigned p = first; p < last; p++)
        for (unsigned i = 0; i < MS_PAGE_SIZE; i++)
            wrong += heap_page(p)[i] != pattern(g, p, i);
    return wrong;
}

static void child(uint64_t done)
{
    grow_stack();
    unsigned wrong = differ(BEFORE_FORK, 0, PAGES); /* the parent has already rewritten the first half */
    fill(CHILD_AFTER, HALF, PAGES);
    wrong += differ(CHILD_AFTER, HALF, PAGES);
    ms_printf("child: the pages as they were at the fork, %u wrong bytes; wrote the last %u\n", wrong, HALF);
    ms_signal((ms_handle_t)done, 1);
    ms_exit(wrong ? 1 : 0);
}

static void parent(const ms_start_t *start)
{
    grow_stack();
    fill(BEFORE_FORK, 0, PAGES);
    void (*entry)(uint64_t) = child;
    uint8_t *payload = (uint8_t *)(uintptr_t)start->ipc_buffer;
    for (unsigned i = 0; i < sizeof entry; i++)
        payload[i] = (uint8_t)((uintptr_t)entry >> (8 * i));
    ms_msg_t m = {.info = ms_info(PAGER_FORK, 1, sizeof entry, 1), .w = {CHILD_PRIO}, .handle = H_DONE};
    if (ms_call(H_PAGER, &m) != MS_OK || m.w[0] != MS_OK) {
        ms_printf("%s: fork failed (%lu)\n", start->name, (unsigned long)m.w[0]);
        ms_exit(1);
    }
    fill(PARENT_AFTER, 0, HALF);
    uint64_t bits;
    ms_wait(H_DONE, &bits); /* the child runs now, at its lower priority */
    unsigned wrong = differ(PARENT_AFTER, 0, HALF) + differ(BEFORE_FORK, HALF, PAGES);
    ms_printf("%s: my writes kept, the child's never seen, %u wrong bytes\n", start->name, wrong);
    ms_exit(wrong ? 1 : 0);
}

const ms_manifest_t scenario_cow = {
    .name = "cow",
    .description = "a paged task forks through its pager; 16 shared pages, each first write a copy-on-write fault",
    .endpoints = 1,
    .notifications = 1,
    .nframes = 1,
    .frames_kib = {256},
    .ntasks = 2,
    .tasks = {
        {.name = "parent", .entry = parent, .prio = 10, .mem_kib = MEM_KIB, .stack_kib = STACK_LIMIT / 1024,
         .demand = 1, .fault_ep = 1, .fault_badge = 1,
         .handles = {{.slot = H_PAGER, .type = MS_OBJ_ENDPOINT, .index = 0,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT, .badge = 1},
                     {.slot = H_DONE, .type = MS_OBJ_NOTIFICATION, .index = 0,
                      .rights = MS_RIGHT_SEND | MS_RIGHT_RECV}}},
        PAGER_TASK(MEM_KIB * 1024u, STACK_LIMIT),
    },
};
