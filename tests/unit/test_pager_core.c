/* The pager's faults and protocol, driven through its core (services/pager/pager_core.c). */
#include <check.h>
#include <limits.h>
#include <string.h>

#include "check_main.h"
#include "pager_core.h"

#define PAGE MS_PAGE_SIZE
#define BASE 0x10000000u
#define MEM (4u * 1024u * 1024u) /* 1024 pages */
#define STACK_LIMIT (64u * 1024u)
#define TOP (BASE + MEM)
#define HEAP_LO (BASE + 2 * PAGE)
#define STACK_LO (TOP - STACK_LIMIT)
#define HEAP_HI (STACK_LO - PAGE) /* the guard page below the stack limit */
#define TASK 2u                   /* the paged task's handle in the pager's table */
#define RW (MS_RIGHT_READ | MS_RIGHT_WRITE)
#define NOT_PRESENT_WRITE (MS_PF_USER | MS_PF_WRITE)
#define PROTECTION_WRITE (MS_PF_USER | MS_PF_WRITE | MS_PF_PRESENT)
#define MADE(i) (40u + (i)) /* the handle the i-th step of a run makes */
#define MAX_STEPS 1200u
#define ENTRY 0x1122334455667788ull
#define SENT 9u /* the handle a fork request carries */

/* The steps of the last run and its reply. */
typedef struct run {
    pager_step_t steps[MAX_STEPS];
    unsigned n;
    uint64_t w0;
} run_t;

static pager_core_t core;
static run_t last;
static unsigned fail_at = UINT_MAX; /* the step of the next run that fails, with fail_err */
static uint64_t fail_err;
static uint8_t entry_bytes[8];

static pager_request_t fault_at(uint64_t badge, uint64_t error, uint64_t addr)
{
    return (pager_request_t){.label = MS_FAULT_LABEL, .w = {PAGER_FAULT_VECTOR, error, addr}, .badge = badge};
}

static pager_request_t alloc_req(uint64_t addr, uint64_t pages)
{
    return (pager_request_t){.label = PAGER_ALLOC, .words = 2, .w = {addr, pages}, .badge = 1};
}

/* A fork from the client with badge, of a child at prio running ENTRY, carrying SENT if has_handle. */
static pager_request_t fork_req(uint64_t badge, uint8_t prio, int has_handle)
{
    for (unsigned i = 0; i < sizeof entry_bytes; i++)
        entry_bytes[i] = (uint8_t)(ENTRY >> (8 * i));
    return (pager_request_t){.label = PAGER_FORK,
                             .words = 1,
                             .payload = sizeof entry_bytes,
                             .w = {prio},
                             .badge = badge,
                             .has_handle = has_handle,
                             .handle = has_handle ? SENT : 0,
                             .data = entry_bytes};
}

/* The next run's step i fails with err (the kernel's answer); the others succeed. */
static void fail_step(unsigned i, uint64_t err)
{
    fail_at = i;
    fail_err = err;
}

/* Carries rq out the way pager.c does, against a kernel where every step succeeds but the one
 * fail_step chose; every step a handle comes out of gets MADE(its index). Returns the reply. */
static uint64_t run(pager_request_t rq)
{
    pager_step_t s;
    memset(&s, 0xa5, sizeof s);
    last.n = 0;
    pager_decide(&core, &rq, &s);
    while (s.op != PAGER_OP_REPLY) {
        ck_assert_uint_lt(last.n, MAX_STEPS);
        unsigned i = last.n;
        last.steps[last.n++] = s;
        uint64_t err = i == fail_at ? fail_err : MS_OK;
        memset(&s, 0xa5, sizeof s);
        pager_step_done(&core, err, err == MS_OK ? MADE(i) : 0, &s);
    }
    fail_at = UINT_MAX;
    last.w0 = s.w0;
    return s.w0;
}

/* The step that decides rq, without carrying it out. */
static pager_step_t first_step(pager_request_t rq)
{
    pager_step_t s;
    memset(&s, 0xa5, sizeof s);
    pager_decide(&core, &rq, &s);
    return s;
}

#define ASSERT_OP(i, o) ck_assert_int_eq(last.steps[i].op, o)

#define ASSERT_MAP(i, t, v, f, r)                                                                                      \
    do {                                                                                                               \
        ASSERT_OP(i, PAGER_OP_MAP);                                                                                    \
        ck_assert_uint_eq(last.steps[i].task, t);                                                                      \
        ck_assert_uint_eq(last.steps[i].va, v);                                                                        \
        ck_assert_uint_eq(last.steps[i].frame, f);                                                                     \
        ck_assert_uint_eq(last.steps[i].rights, r);                                                                    \
    } while (0)

#define ASSERT_PROTECT(i, t, v, r)                                                                                     \
    do {                                                                                                               \
        ASSERT_OP(i, PAGER_OP_PROTECT);                                                                                \
        ck_assert_uint_eq(last.steps[i].task, t);                                                                      \
        ck_assert_uint_eq(last.steps[i].va, v);                                                                        \
        ck_assert_uint_eq(last.steps[i].rights, r);                                                                    \
    } while (0)

#define ASSERT_CLOSE(i, h)                                                                                             \
    do {                                                                                                               \
        ASSERT_OP(i, PAGER_OP_CLOSE);                                                                                  \
        ck_assert_uint_eq(last.steps[i].handle, h);                                                                    \
    } while (0)

/* A fault the pager answers with no step at all. */
#define ASSERT_KILLED(rq)                                                                                              \
    do {                                                                                                               \
        ck_assert_uint_eq(run(rq), MS_FAULT_KILL);                                                                     \
        ck_assert_uint_eq(last.n, 0);                                                                                  \
    } while (0)

/* The parent maps heap pages 0 and 1 (frames 0, 1) and the top stack page (frame 2). */
static void touch_two_heap_pages_and_the_stack(void)
{
    ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO)), MS_FAULT_RESUME);
    ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO + PAGE + 8)), MS_FAULT_RESUME);
    ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, TOP - 8)), MS_FAULT_RESUME);
}

static void setup(void)
{
    memset(&core, 0x5a, sizeof core);
    pager_core_init(&core, TASK, BASE, MEM, STACK_LIMIT);
    fail_at = UINT_MAX;
}

START_TEST(the_layout_is_the_one_ms_pager_h_gives)
{
    const pager_client_t *cl = &core.clients[0];
    ck_assert_uint_eq(core.nclients, 1);
    ck_assert_uint_eq(cl->task, TASK);
    ck_assert_uint_eq(cl->base, 0x10000000u);
    ck_assert_uint_eq(cl->top, 0x10400000u);
    ck_assert_uint_eq(cl->heap_lo, 0x10002000u);
    ck_assert_uint_eq(cl->heap_hi, 0x103ef000u);
    ck_assert_uint_eq(cl->stack_lo, 0x103f0000u);
    ck_assert_uint_eq(core.npages, 0);
    ck_assert_uint_eq(core.next_frame, 0);
}
END_TEST

START_TEST(the_first_touch_of_a_heap_page_maps_the_next_fresh_frame_rw)
{
    ck_assert_int_eq(pager_fault_kind(&core, &(pager_request_t){.label = MS_FAULT_LABEL,
                                                                .w = {14, NOT_PRESENT_WRITE, HEAP_LO + 0x123},
                                                                .badge = 1}),
                     PAGER_FAULT_HEAP);
    ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO + 0x123)), MS_FAULT_RESUME);
    ck_assert_uint_eq(last.n, 1);
    ASSERT_MAP(0, TASK, HEAP_LO, 0, RW);
    ck_assert_uint_eq(core.npages, 1);
    ck_assert_uint_eq(core.sharers[0], 1);
    /* A read of the next page: a fresh page too, the next frame, still rw. */
    ck_assert_uint_eq(run(fault_at(1, MS_PF_USER, HEAP_LO + 5 * PAGE)), MS_FAULT_RESUME);
    ASSERT_MAP(0, TASK, HEAP_LO + 5 * PAGE, 1, RW);
    ck_assert_uint_eq(core.next_frame, 2);
    /* The page is recorded: a later protection fault on it is the pager's to serve. */
    ck_assert_int_eq(pager_fault_kind(&core, &(pager_request_t){.label = MS_FAULT_LABEL,
                                                                .w = {14, PROTECTION_WRITE, HEAP_LO + 0x800},
                                                                .badge = 1}),
                     PAGER_FAULT_COPY_ON_WRITE);
}
END_TEST

START_TEST(the_heap_ends_below_the_ipc_buffer_and_above_the_guard_page)
{
    pager_request_t rq = fault_at(1, NOT_PRESENT_WRITE, HEAP_HI - 1);
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_HEAP);
    ck_assert_uint_eq(run(rq), MS_FAULT_RESUME);
    ASSERT_MAP(0, TASK, HEAP_HI - PAGE, 0, RW);
    rq = fault_at(1, NOT_PRESENT_WRITE, HEAP_LO - 1); /* the IPC buffer's page: the kernel's */
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
    ASSERT_KILLED(rq);
    rq = fault_at(1, NOT_PRESENT_WRITE, HEAP_HI); /* the guard page */
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
    ASSERT_KILLED(rq);
    ck_assert_uint_eq(core.next_frame, 1); /* no frame for either */
}
END_TEST

START_TEST(the_stack_grows_down_to_its_limit)
{
    pager_request_t rq = fault_at(1, NOT_PRESENT_WRITE, TOP - 8);
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_STACK);
    ck_assert_uint_eq(run(rq), MS_FAULT_RESUME);
    ASSERT_MAP(0, TASK, TOP - PAGE, 0, RW);
    rq = fault_at(1, NOT_PRESENT_WRITE, STACK_LO); /* the last page it may grow to */
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_STACK);
    ck_assert_uint_eq(run(rq), MS_FAULT_RESUME);
    ASSERT_MAP(0, TASK, STACK_LO, 1, RW);
    ck_assert_uint_eq(core.npages, 2);
}
END_TEST

START_TEST(a_fault_below_the_stack_limit_kills)
{
    pager_request_t rq = fault_at(1, NOT_PRESENT_WRITE, STACK_LO - 8);
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
    ASSERT_KILLED(rq);
    ck_assert_uint_eq(core.next_frame, 0);
    ck_assert_uint_eq(core.npages, 0);
}
END_TEST

START_TEST(a_fault_outside_every_region_kills)
{
    const uint64_t outside[] = {0, BASE - 1, BASE, BASE + PAGE, TOP, TOP + 5 * PAGE, UINT64_MAX};
    for (unsigned i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        pager_request_t rq = fault_at(1, NOT_PRESENT_WRITE, outside[i]);
        ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
        ASSERT_KILLED(rq);
    }
    ck_assert_uint_eq(core.next_frame, 0);
}
END_TEST

START_TEST(only_page_faults_are_served)
{
    const uint64_t vectors[] = {0, 6, 13, 15, 0x10e};
    for (unsigned i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        pager_request_t rq = fault_at(1, NOT_PRESENT_WRITE, HEAP_LO);
        rq.w[0] = vectors[i];
        ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
        ASSERT_KILLED(rq);
    }
}
END_TEST

START_TEST(a_fault_from_a_badge_that_is_no_clients_kills)
{
    const uint64_t badges[] = {0, 2, PAGER_MAX_CLIENTS + 1, (1ull << 32) + 1};
    for (unsigned i = 0; i < sizeof badges / sizeof badges[0]; i++) {
        pager_request_t rq = fault_at(badges[i], NOT_PRESENT_WRITE, HEAP_LO);
        ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
        ASSERT_KILLED(rq);
    }
    ck_assert_uint_eq(core.next_frame, 0);
}
END_TEST

START_TEST(a_read_or_an_exec_fault_on_a_mapped_page_kills)
{
    touch_two_heap_pages_and_the_stack();
    const uint64_t errors[] = {
        MS_PF_USER | MS_PF_PRESENT,                               /* a read */
        MS_PF_USER | MS_PF_PRESENT | MS_PF_FETCH,                 /* an instruction fetch */
        MS_PF_USER | MS_PF_PRESENT | MS_PF_FETCH | MS_PF_WRITE,   /* both at once */
        MS_PF_USER | MS_PF_PRESENT | MS_PF_RESERVED | MS_PF_FETCH /* a reserved bit too */
    };
    for (unsigned i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        pager_request_t rq = fault_at(1, errors[i], HEAP_LO + 0x10);
        ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
        ASSERT_KILLED(rq);
    }
    ck_assert_uint_eq(core.next_frame, 3);
}
END_TEST

START_TEST(a_write_fault_on_a_present_page_the_pager_never_mapped_kills)
{
    touch_two_heap_pages_and_the_stack();
    pager_request_t rq = fault_at(1, PROTECTION_WRITE, HEAP_LO + 2 * PAGE); /* mapped by someone else */
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_KILL);
    ASSERT_KILLED(rq);
    ASSERT_KILLED(fault_at(1, PROTECTION_WRITE, BASE + PAGE)); /* the IPC buffer, mapped by the kernel */
}
END_TEST

START_TEST(a_write_to_a_page_only_its_task_maps_gets_write_access)
{
    touch_two_heap_pages_and_the_stack();
    pager_request_t rq = fault_at(1, PROTECTION_WRITE, HEAP_LO + PAGE + 0x40);
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_COPY_ON_WRITE);
    ck_assert_uint_eq(run(rq), MS_FAULT_RESUME);
    ck_assert_uint_eq(last.n, 1);
    ASSERT_PROTECT(0, TASK, HEAP_LO + PAGE, RW);
    ck_assert_uint_eq(core.next_frame, 3); /* no copy */
    fail_step(0, MS_E_INVAL);
    ck_assert_uint_eq(run(rq), MS_FAULT_KILL);
}
END_TEST

START_TEST(a_fork_makes_a_child_that_shares_the_heap_and_runs_at_the_entry)
{
    touch_two_heap_pages_and_the_stack();
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_OK);
    ck_assert_int_eq(core.job.sent_closed, 1); /* given to the child, then closed by a step */
    ck_assert_uint_eq(last.n, 14);
    ASSERT_OP(0, PAGER_OP_TASK_CREATE);
    ck_assert_uint_eq(last.steps[0].va, BASE);
    ck_assert_uint_eq(last.steps[0].size, MEM);
    ck_assert_uint_eq(last.steps[0].prio, 5);
    const ms_handle_t child = MADE(0);
    ASSERT_OP(1, PAGER_OP_HANDLE_COPY); /* a send handle to the pager with the child's badge */
    ck_assert_uint_eq(last.steps[1].handle, PAGER_H_SEND);
    ck_assert_uint_eq(last.steps[1].rights, MS_RIGHT_SEND);
    ck_assert_uint_eq(last.steps[1].badge, 2);
    ASSERT_OP(2, PAGER_OP_FAULT_HANDLER);
    ck_assert_uint_eq(last.steps[2].task, child);
    ck_assert_uint_eq(last.steps[2].handle, MADE(1));
    ASSERT_CLOSE(3, MADE(1));
    /* The heap pages, read-only for both; not the parent's stack. */
    ASSERT_PROTECT(4, TASK, HEAP_LO, MS_RIGHT_READ);
    ASSERT_MAP(5, child, HEAP_LO, 0, MS_RIGHT_READ);
    ASSERT_PROTECT(6, TASK, HEAP_LO + PAGE, MS_RIGHT_READ);
    ASSERT_MAP(7, child, HEAP_LO + PAGE, 1, MS_RIGHT_READ);
    /* Its own start block and IPC buffer pages. */
    ASSERT_MAP(8, child, BASE, 3, RW);
    ASSERT_MAP(9, child, BASE + PAGE, 4, RW);
    ASSERT_OP(10, PAGER_OP_GIVE);
    ck_assert_uint_eq(last.steps[10].task, child);
    ck_assert_uint_eq(last.steps[10].handle, SENT);
    ck_assert_uint_eq(last.steps[10].rights, MS_RIGHT_SEND);
    ASSERT_CLOSE(11, SENT);
    ASSERT_OP(12, PAGER_OP_THREAD_CREATE);
    ck_assert_uint_eq(last.steps[12].task, child);
    ck_assert_uint_eq(last.steps[12].entry, ENTRY);
    ck_assert_uint_eq(last.steps[12].va, STACK_LO);
    ck_assert_uint_eq(last.steps[12].size, STACK_LIMIT);
    ck_assert_uint_eq(last.steps[12].ipc, BASE + PAGE);
    ck_assert_uint_eq(last.steps[12].arg, MADE(10)); /* the child's copy of the handle sent */
    ck_assert_uint_eq(last.steps[12].prio, 5);
    ASSERT_CLOSE(13, MADE(12));
    ck_assert_uint_eq(core.nclients, 2);
    ck_assert_uint_eq(core.clients[1].task, child);
    ck_assert_uint_eq(core.npages, 7);
    ck_assert_uint_eq(core.sharers[0], 2);
    ck_assert_uint_eq(core.sharers[1], 2);
    ck_assert_uint_eq(core.sharers[2], 1);
}
END_TEST

START_TEST(a_fork_without_a_handle_starts_the_thread_with_0)
{
    ck_assert_uint_eq(run(fork_req(1, 7, 0)), MS_OK);
    ck_assert_uint_eq(last.n, 8); /* nothing mapped to share */
    ASSERT_MAP(4, MADE(0), BASE, 0, RW);
    ASSERT_MAP(5, MADE(0), BASE + PAGE, 1, RW);
    ASSERT_OP(6, PAGER_OP_THREAD_CREATE);
    ck_assert_uint_eq(last.steps[6].arg, 0);
    ck_assert_uint_eq(last.steps[6].prio, 7);
    ASSERT_CLOSE(7, MADE(6));
}
END_TEST

START_TEST(a_write_to_a_shared_page_gets_a_copy_and_then_the_other_may_write_its_own)
{
    touch_two_heap_pages_and_the_stack();
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK); /* child pages at frames 3, 4 */
    const ms_handle_t child = MADE(0);
    pager_request_t rq = fault_at(1, PROTECTION_WRITE, HEAP_LO + 0x10);
    ck_assert_int_eq(pager_fault_kind(&core, &rq), PAGER_FAULT_COPY_ON_WRITE);
    ck_assert_uint_eq(run(rq), MS_FAULT_RESUME);
    ck_assert_uint_eq(last.n, 3);
    ASSERT_OP(0, PAGER_OP_COPY);
    ck_assert_uint_eq(last.steps[0].from, 0);
    ck_assert_uint_eq(last.steps[0].frame, 5);
    ASSERT_OP(1, PAGER_OP_UNMAP);
    ck_assert_uint_eq(last.steps[1].task, TASK);
    ck_assert_uint_eq(last.steps[1].va, HEAP_LO);
    ASSERT_MAP(2, TASK, HEAP_LO, 5, RW);
    ck_assert_uint_eq(core.sharers[0], 1);
    ck_assert_uint_eq(core.sharers[5], 1);
    ck_assert_uint_eq(core.pages[0].frame, 5);
    /* The parent's page is its own now: its next write fault, if any, only needs write access. */
    ck_assert_uint_eq(run(rq), MS_FAULT_RESUME);
    ASSERT_PROTECT(0, TASK, HEAP_LO, RW);
    /* The child is the only one left on frame 0: write access, no copy. */
    ck_assert_uint_eq(run(fault_at(2, PROTECTION_WRITE, HEAP_LO)), MS_FAULT_RESUME);
    ck_assert_uint_eq(last.n, 1);
    ASSERT_PROTECT(0, child, HEAP_LO, RW);
    /* Page 1 is still shared: the child's write copies it. */
    ck_assert_uint_eq(run(fault_at(2, PROTECTION_WRITE, HEAP_LO + PAGE)), MS_FAULT_RESUME);
    ck_assert_uint_eq(last.steps[0].from, 1);
    ck_assert_uint_eq(last.steps[0].frame, 6);
    ASSERT_MAP(2, child, HEAP_LO + PAGE, 6, RW);
    ck_assert_uint_eq(core.next_frame, 7);
}
END_TEST

START_TEST(a_copy_on_write_that_fails_kills_and_leaves_the_page_shared)
{
    touch_two_heap_pages_and_the_stack();
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
    pager_request_t rq = fault_at(1, PROTECTION_WRITE, HEAP_LO);
    for (unsigned failing = 0; failing < 3; failing++) { /* the copy, the unmap, the map */
        uint32_t frames = core.next_frame;
        fail_step(failing, MS_E_RANGE);
        ck_assert_uint_eq(run(rq), MS_FAULT_KILL);
        ck_assert_uint_eq(last.n, failing + 1);
        ck_assert_uint_eq(core.next_frame, frames + 1); /* the copy's frame stays used */
        ck_assert_uint_eq(core.sharers[0], 2);
        ck_assert_uint_eq(core.pages[0].frame, 0);
    }
}
END_TEST

START_TEST(a_fork_with_a_wrong_payload_is_invalid)
{
    const unsigned payloads[] = {0, 4, 7, 9, 16};
    for (unsigned i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
        pager_request_t rq = fork_req(1, 5, 1);
        rq.payload = payloads[i];
        ck_assert_uint_eq(run(rq), MS_E_INVAL);
        ck_assert_uint_eq(last.n, 0);
    }
    ck_assert_uint_eq(core.nclients, 1);
}
END_TEST

START_TEST(the_fifth_client_is_nomem)
{
    for (unsigned i = 1; i < PAGER_MAX_CLIENTS; i++) {
        ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
        ck_assert_uint_eq(last.steps[1].badge, i + 1);
    }
    ck_assert_uint_eq(core.nclients, PAGER_MAX_CLIENTS);
    ck_assert_uint_eq(run(fork_req(PAGER_MAX_CLIENTS, 5, 0)), MS_E_NOMEM); /* a child may fork too */
    ck_assert_uint_eq(last.n, 0);
    pager_request_t rq = fork_req(1, 5, 0);
    rq.payload = 0;
    ck_assert_uint_eq(run(rq), MS_E_NOMEM); /* the limit is checked before the payload */
}
END_TEST

START_TEST(a_fork_whose_task_cannot_be_made_adds_no_client)
{
    fail_step(0, MS_E_NOMEM);
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_E_NOMEM);
    ck_assert_uint_eq(last.n, 1);
    ck_assert_uint_eq(core.nclients, 1);
    ck_assert_int_eq(core.job.sent_closed, 0); /* the handle sent is the IPC loop's to close */
    ASSERT_KILLED(fault_at(2, NOT_PRESENT_WRITE, HEAP_LO));
}
END_TEST

START_TEST(a_fork_that_fails_after_the_child_exists_still_counts_it)
{
    fail_step(1, MS_E_FULL); /* the child's fault endpoint */
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_E_FULL);
    ck_assert_uint_eq(last.n, 2);
    ck_assert_uint_eq(core.nclients, 2);
    fail_step(2, MS_E_INVAL); /* setting it as the fault handler: the handle is not closed */
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_E_INVAL);
    ck_assert_uint_eq(last.n, 3);
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
    ck_assert_uint_eq(last.steps[1].badge, 4);
}
END_TEST

START_TEST(a_close_that_fails_does_not_end_the_fork)
{
    fail_step(3, MS_E_BADHANDLE); /* the child's fault endpoint */
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
    ASSERT_CLOSE(3, MADE(1));
    ck_assert_uint_eq(last.n, 8);
    fail_step(7, MS_E_BADHANDLE); /* the child's thread */
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
    ASSERT_CLOSE(7, MADE(6));
    fail_step(7, MS_E_BADHANDLE); /* the handle sent */
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_OK);
    ASSERT_CLOSE(7, SENT);
    ck_assert_uint_eq(last.n, 10);
    ck_assert_uint_eq(last.steps[8].arg, MADE(6));
}
END_TEST

START_TEST(a_later_fork_shares_the_copy_not_the_frame_it_replaced)
{
    touch_two_heap_pages_and_the_stack();
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);                                /* frames 3, 4 */
    ck_assert_uint_eq(run(fault_at(1, PROTECTION_WRITE, HEAP_LO)), MS_FAULT_RESUME); /* frame 5 */
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
    ASSERT_MAP(5, MADE(0), HEAP_LO, 5, MS_RIGHT_READ);
    ASSERT_MAP(7, MADE(0), HEAP_LO + PAGE, 1, MS_RIGHT_READ);
    ck_assert_uint_eq(core.sharers[5], 2);
    ck_assert_uint_eq(core.sharers[1], 3);
    ck_assert_uint_eq(core.sharers[0], 1); /* the first child's alone */
}
END_TEST

START_TEST(a_fork_whose_sharing_fails_replies_the_error)
{
    touch_two_heap_pages_and_the_stack();
    fail_step(6, MS_E_RIGHTS); /* protecting the parent's second page */
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_E_RIGHTS);
    ck_assert_uint_eq(last.n, 7);
    ck_assert_uint_eq(core.sharers[0], 2); /* the first page stays shared */
    ck_assert_uint_eq(core.sharers[1], 1);
    fail_step(5, MS_E_INVAL); /* mapping the first page into the second child */
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_E_INVAL);
    ck_assert_uint_eq(last.n, 6);
    ck_assert_uint_eq(core.sharers[0], 2);
}
END_TEST

START_TEST(a_fork_whose_fresh_pages_fail_replies_the_kernels_error)
{
    fail_step(4, MS_E_RANGE); /* the child's start block page: no frame left in the object */
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_E_RANGE);
    ck_assert_uint_eq(last.n, 5);
    fail_step(5, MS_E_FULL); /* its IPC buffer page */
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_E_FULL);
    ck_assert_uint_eq(last.n, 6);
    ck_assert_uint_eq(core.next_frame, 3);
}
END_TEST

START_TEST(a_handle_that_cannot_be_given_is_still_closed)
{
    fail_step(6, MS_E_FULL);
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_E_FULL);
    ck_assert_uint_eq(last.n, 8);
    ASSERT_OP(6, PAGER_OP_GIVE);
    ASSERT_CLOSE(7, SENT);
}
END_TEST

START_TEST(a_thread_that_cannot_be_made_ends_the_fork)
{
    fail_step(8, MS_E_NOMEM);
    ck_assert_uint_eq(run(fork_req(1, 5, 1)), MS_E_NOMEM);
    ck_assert_uint_eq(last.n, 9);
    ASSERT_OP(8, PAGER_OP_THREAD_CREATE);
}
END_TEST

START_TEST(a_child_is_paged_in_its_own_right)
{
    touch_two_heap_pages_and_the_stack();
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
    const ms_handle_t child = MADE(0);
    ck_assert_uint_eq(run(fault_at(2, NOT_PRESENT_WRITE, TOP - 8)), MS_FAULT_RESUME); /* its fresh stack */
    ASSERT_MAP(0, child, TOP - PAGE, 5, RW);
    ck_assert_uint_eq(run(fault_at(2, NOT_PRESENT_WRITE, HEAP_LO + 9 * PAGE)), MS_FAULT_RESUME);
    ASSERT_MAP(0, child, HEAP_LO + 9 * PAGE, 6, RW);
    ASSERT_KILLED(fault_at(2, NOT_PRESENT_WRITE, STACK_LO - 1));
    pager_request_t child_alloc = alloc_req(HEAP_LO + 20 * PAGE, 1);
    child_alloc.badge = 2;
    ck_assert_uint_eq(run(child_alloc), MS_OK);
    ASSERT_MAP(0, child, HEAP_LO + 20 * PAGE, 7, RW);
    /* The parent's page at the same address is not the child's. */
    ASSERT_KILLED(fault_at(1, PROTECTION_WRITE, HEAP_LO + 9 * PAGE));
}
END_TEST

START_TEST(a_fork_that_would_overfill_the_page_table_is_nomem)
{
    ck_assert_uint_eq(run(alloc_req(HEAP_LO, 300)), MS_OK);
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_E_NOMEM);
    /* 212 pages shared (300 + 212 = the table), then the 213th protected but not mapped. */
    ck_assert_uint_eq(last.n, 4 + 2 * 212 + 1);
    ASSERT_PROTECT(last.n - 1, TASK, HEAP_LO + 212 * PAGE, MS_RIGHT_READ);
    ck_assert_uint_eq(core.npages, PAGER_MAX_PAGES);
    ck_assert_uint_eq(core.next_frame, 300);
}
END_TEST

START_TEST(alloc_maps_each_page_in_order)
{
    ck_assert_uint_eq(run(alloc_req(HEAP_LO + PAGE, 3)), MS_OK);
    ck_assert_uint_eq(last.n, 3);
    for (unsigned i = 0; i < 3; i++)
        ASSERT_MAP(i, TASK, HEAP_LO + (i + 1) * PAGE, i, RW);
    ck_assert_uint_eq(core.npages, 3);
    ck_assert_int_eq(pager_fault_kind(&core, &(pager_request_t){.label = MS_FAULT_LABEL,
                                                                .w = {14, PROTECTION_WRITE, HEAP_LO + 3 * PAGE},
                                                                .badge = 1}),
                     PAGER_FAULT_COPY_ON_WRITE);
}
END_TEST

START_TEST(alloc_may_reach_the_end_of_the_heap_but_not_past_it)
{
    ck_assert_uint_eq(run(alloc_req(HEAP_HI - 2 * PAGE, 3)), MS_E_INVAL);
    ck_assert_uint_eq(last.n, 0);
    ck_assert_uint_eq(run(alloc_req(HEAP_HI - 2 * PAGE, 2)), MS_OK);
    ck_assert_uint_eq(last.n, 2);
    ASSERT_MAP(1, TASK, HEAP_HI - PAGE, 1, RW);
    ck_assert_uint_eq(run(alloc_req(HEAP_LO, (HEAP_HI - HEAP_LO) / PAGE + 1)), MS_E_INVAL);
    ck_assert_uint_eq(last.n, 0);
}
END_TEST

START_TEST(malformed_allocs_are_invalid_and_use_no_frame)
{
    const uint64_t bad[][2] = {
        {HEAP_LO + 8, 1},      /* not page-aligned */
        {HEAP_LO, 0},          /* no pages */
        {BASE + PAGE, 1},      /* the IPC buffer, below the heap */
        {HEAP_HI, 1},          /* the guard page */
        {STACK_LO, 1},         /* the stack */
        {TOP, 1},              /* past the task's memory */
        {0, 1},                /* nowhere near */
        {HEAP_LO, UINT64_MAX}, /* far too many */
        {HEAP_LO + PAGE, (UINT64_MAX / PAGE) + 2},
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_uint_eq(run(alloc_req(bad[i][0], bad[i][1])), MS_E_INVAL);
        ck_assert_uint_eq(last.n, 0);
    }
    ck_assert_uint_eq(core.next_frame, 0);
    ck_assert_uint_eq(core.npages, 0);
}
END_TEST

START_TEST(an_alloc_whose_map_fails_stops_there_and_replies_the_error)
{
    fail_step(1, MS_E_INVAL); /* the second page is already mapped */
    ck_assert_uint_eq(run(alloc_req(HEAP_LO, 4)), MS_E_INVAL);
    ck_assert_uint_eq(last.n, 2);
    ck_assert_uint_eq(core.npages, 1); /* the first page stays */
    ck_assert_uint_eq(core.pages[0].va, HEAP_LO);
    ck_assert_uint_eq(core.next_frame, 2); /* the second's frame stays used */
    fail_step(0, MS_E_RIGHTS);
    ck_assert_uint_eq(run(alloc_req(HEAP_LO + 8 * PAGE, 1)), MS_E_RIGHTS);
}
END_TEST

START_TEST(requests_from_a_badge_that_is_no_clients_are_invalid)
{
    const uint64_t badges[] = {0, 2, (1ull << 32) + 1};
    for (unsigned i = 0; i < sizeof badges / sizeof badges[0]; i++) {
        pager_request_t rq = alloc_req(HEAP_LO, 1);
        rq.badge = badges[i];
        ck_assert_uint_eq(run(rq), MS_E_INVAL);
        ck_assert_uint_eq(last.n, 0);
        ck_assert_uint_eq(run(fork_req(badges[i], 5, 0)), MS_E_INVAL);
        ck_assert_uint_eq(last.n, 0);
    }
    ck_assert_uint_eq(core.nclients, 1);
}
END_TEST

START_TEST(unknown_labels_are_nosys)
{
    const uint32_t labels[] = {0, 1, PAGER_ALLOC - 1, PAGER_FORK + 1, 0x9a6e0003u, UINT32_MAX};
    for (unsigned i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        pager_request_t rq = alloc_req(HEAP_LO, 1);
        rq.label = labels[i];
        ck_assert_uint_eq(run(rq), MS_E_NOSYS);
        ck_assert_uint_eq(last.n, 0);
    }
    ck_assert_uint_eq(core.next_frame, 0);
}
END_TEST

START_TEST(known_labels_with_the_wrong_words_or_payload_are_invalid)
{
    pager_request_t rq = alloc_req(HEAP_LO, 1);
    rq.words = 1;
    ck_assert_uint_eq(run(rq), MS_E_INVAL);
    rq.words = 3;
    ck_assert_uint_eq(run(rq), MS_E_INVAL);
    rq = alloc_req(HEAP_LO, 1);
    rq.payload = 8;
    ck_assert_uint_eq(run(rq), MS_E_INVAL);
    rq = fork_req(1, 5, 0);
    rq.words = 0;
    ck_assert_uint_eq(run(rq), MS_E_INVAL);
    ck_assert_uint_eq(last.n, 0);
    ck_assert_uint_eq(core.next_frame, 0); /* nothing was mapped */
    ck_assert_uint_eq(core.nclients, 1);   /* nothing was forked */
}
END_TEST

START_TEST(when_the_frames_object_runs_out_faults_kill_and_alloc_is_nomem)
{
    /* The kernel refuses a frame past the object's end with E_RANGE. */
    fail_step(0, MS_E_RANGE);
    ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO)), MS_FAULT_KILL);
    ck_assert_uint_eq(last.n, 1);
    ck_assert_uint_eq(core.npages, 0);
    fail_step(0, MS_E_RANGE);
    ck_assert_uint_eq(run(alloc_req(HEAP_LO, 2)), MS_E_NOMEM);
    ck_assert_uint_eq(last.n, 1);
    /* Each refused frame stays used: the next fault asks for the next one. */
    ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO)), MS_FAULT_RESUME);
    ASSERT_MAP(0, TASK, HEAP_LO, 2, RW);
}
END_TEST

START_TEST(after_its_last_frame_the_pager_asks_for_none)
{
    /* Every frame handed out: 512 pages mapped (a full table), then 512 faults that took a frame
     * each but found no room to record the page. */
    for (unsigned i = 0; i < PAGER_MAX_FRAMES; i++)
        ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO + (i % 1000) * PAGE)),
                          i < PAGER_MAX_PAGES ? MS_FAULT_RESUME : MS_FAULT_KILL);
    ck_assert_uint_eq(core.next_frame, PAGER_MAX_FRAMES);
    ASSERT_KILLED(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO + 900 * PAGE));
    ck_assert_uint_eq(run(alloc_req(HEAP_LO + 900 * PAGE, 1)), MS_E_NOMEM);
    ck_assert_uint_eq(last.n, 0);
    ck_assert_uint_eq(core.next_frame, PAGER_MAX_FRAMES);
}
END_TEST

START_TEST(a_full_page_table_kills_faults_but_uses_their_frames)
{
    ck_assert_uint_eq(run(alloc_req(HEAP_LO, PAGER_MAX_PAGES)), MS_OK);
    ck_assert_uint_eq(core.npages, PAGER_MAX_PAGES);
    ASSERT_KILLED(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO + 600 * PAGE));
    ASSERT_KILLED(fault_at(1, NOT_PRESENT_WRITE, TOP - 1));
    ck_assert_uint_eq(core.next_frame, PAGER_MAX_PAGES + 2);
    ck_assert_uint_eq(run(alloc_req(HEAP_LO + 600 * PAGE, 1)), MS_E_NOMEM);
    ck_assert_uint_eq(last.n, 0);
    /* Write access to a page it already maps needs no entry. */
    ck_assert_uint_eq(run(fault_at(1, PROTECTION_WRITE, HEAP_LO)), MS_FAULT_RESUME);
}
END_TEST

START_TEST(a_copy_on_write_with_no_frame_left_kills)
{
    touch_two_heap_pages_and_the_stack();
    ck_assert_uint_eq(run(fork_req(1, 5, 0)), MS_OK);
    while (core.next_frame < PAGER_MAX_FRAMES) { /* the frames object is smaller: each map refused */
        fail_step(0, MS_E_RANGE);
        ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO + 10 * PAGE)), MS_FAULT_KILL);
    }
    ASSERT_KILLED(fault_at(1, PROTECTION_WRITE, HEAP_LO));
    ck_assert_uint_eq(core.sharers[0], 2);
}
END_TEST

START_TEST(a_step_reported_after_the_reply_changes_nothing)
{
    ck_assert_uint_eq(run(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO)), MS_FAULT_RESUME);
    pager_step_t s;
    pager_step_done(&core, MS_OK, 0, &s);
    ck_assert_int_eq(s.op, PAGER_OP_REPLY);
    ck_assert_uint_eq(s.w0, MS_E_INVAL);
    ck_assert_uint_eq(core.npages, 1);
    ck_assert_uint_eq(core.sharers[0], 1);
    ck_assert_int_eq(first_step(fault_at(1, NOT_PRESENT_WRITE, HEAP_LO + PAGE)).op, PAGER_OP_MAP);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("pager_core");
    TCase *faults = tcase_create("faults");
    tcase_add_checked_fixture(faults, setup, NULL);
    tcase_add_test(faults, the_layout_is_the_one_ms_pager_h_gives);
    tcase_add_test(faults, the_first_touch_of_a_heap_page_maps_the_next_fresh_frame_rw);
    tcase_add_test(faults, the_heap_ends_below_the_ipc_buffer_and_above_the_guard_page);
    tcase_add_test(faults, the_stack_grows_down_to_its_limit);
    tcase_add_test(faults, a_fault_below_the_stack_limit_kills);
    tcase_add_test(faults, a_fault_outside_every_region_kills);
    tcase_add_test(faults, only_page_faults_are_served);
    tcase_add_test(faults, a_fault_from_a_badge_that_is_no_clients_kills);
    tcase_add_test(faults, a_read_or_an_exec_fault_on_a_mapped_page_kills);
    tcase_add_test(faults, a_write_fault_on_a_present_page_the_pager_never_mapped_kills);
    tcase_add_test(faults, a_write_to_a_page_only_its_task_maps_gets_write_access);
    tcase_add_test(faults, a_write_to_a_shared_page_gets_a_copy_and_then_the_other_may_write_its_own);
    tcase_add_test(faults, a_copy_on_write_that_fails_kills_and_leaves_the_page_shared);
    tcase_add_test(faults, a_later_fork_shares_the_copy_not_the_frame_it_replaced);
    suite_add_tcase(s, faults);
    TCase *requests = tcase_create("requests");
    tcase_add_checked_fixture(requests, setup, NULL);
    tcase_add_test(requests, alloc_maps_each_page_in_order);
    tcase_add_test(requests, alloc_may_reach_the_end_of_the_heap_but_not_past_it);
    tcase_add_test(requests, malformed_allocs_are_invalid_and_use_no_frame);
    tcase_add_test(requests, an_alloc_whose_map_fails_stops_there_and_replies_the_error);
    tcase_add_test(requests, a_fork_makes_a_child_that_shares_the_heap_and_runs_at_the_entry);
    tcase_add_test(requests, a_fork_without_a_handle_starts_the_thread_with_0);
    tcase_add_test(requests, a_fork_with_a_wrong_payload_is_invalid);
    tcase_add_test(requests, a_fork_whose_task_cannot_be_made_adds_no_client);
    tcase_add_test(requests, a_fork_that_fails_after_the_child_exists_still_counts_it);
    tcase_add_test(requests, a_close_that_fails_does_not_end_the_fork);
    tcase_add_test(requests, a_fork_whose_sharing_fails_replies_the_error);
    tcase_add_test(requests, a_fork_whose_fresh_pages_fail_replies_the_kernels_error);
    tcase_add_test(requests, a_handle_that_cannot_be_given_is_still_closed);
    tcase_add_test(requests, a_thread_that_cannot_be_made_ends_the_fork);
    tcase_add_test(requests, a_child_is_paged_in_its_own_right);
    tcase_add_test(requests, requests_from_a_badge_that_is_no_clients_are_invalid);
    tcase_add_test(requests, unknown_labels_are_nosys);
    tcase_add_test(requests, known_labels_with_the_wrong_words_or_payload_are_invalid);
    tcase_add_test(requests, a_step_reported_after_the_reply_changes_nothing);
    suite_add_tcase(s, requests);
    TCase *limits = tcase_create("limits");
    tcase_add_checked_fixture(limits, setup, NULL);
    tcase_add_test(limits, the_fifth_client_is_nomem);
    tcase_add_test(limits, a_fork_that_would_overfill_the_page_table_is_nomem);
    tcase_add_test(limits, when_the_frames_object_runs_out_faults_kill_and_alloc_is_nomem);
    tcase_add_test(limits, after_its_last_frame_the_pager_asks_for_none);
    tcase_add_test(limits, a_full_page_table_kills_faults_but_uses_their_frames);
    tcase_add_test(limits, a_copy_on_write_with_no_frame_left_kills);
    suite_add_tcase(s, limits);
    return s;
}

CHECK_MAIN(make_suite)
