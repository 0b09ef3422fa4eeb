/* Map items in messages, grants, and revocation through the mapping database (kernel/mapdb.c). */
#include <check.h>

#include "fixture.h"
#include "aspace.h"
#include "mapdb.h"
#include "object/frames.h"
#include "paging.h"

#define PAGE MS_PAGE_SIZE
#define WINDOW_VA 0x20000000u
#define WINDOW2_VA 0x30000000u

/* A task with one thread, running, and a receive endpoint that a sender
 * task reaches through handle *send_h. */
typedef struct link {
    thread_t *sender, *receiver;
    ms_handle_t send_h, recv_h;
} link_t;

static link_t make_link(thread_t *sender, thread_t *receiver)
{
    link_t l = {.sender = sender, .receiver = receiver};
    l.recv_h = fx_endpoint(receiver->task, MS_RIGHT_RECV);
    l.send_h = fx_share(sender->task, receiver->task, l.recv_h, MS_RIGHT_SEND, 0);
    return l;
}

static uintptr_t mem_base(const thread_t *t)
{
    return t->task->aspace.own.base;
}

static int mapped(const thread_t *t, uintptr_t va)
{
    return (paging_lookup(t->task->aspace.root, va) & PTE_P) != 0;
}

static uint64_t run(thread_t *t, uint64_t nr, arch_regs_t regs)
{
    fx_run(t);
    return fx_syscall(t, nr, regs);
}

/* The receiver opens a window of pages at va and waits; the sender sends
 * a map item of `pages` pages from src (with flags) and gets its result. */
static uint64_t send_item(const link_t *l, uintptr_t window, uint64_t window_pages, uintptr_t src, uint64_t flags,
                          uint64_t pages)
{
    ck_assert_uint_eq(run(l->receiver, MS_SYS_MAP_WINDOW, (arch_regs_t){.rdi = window, .rsi = window_pages}),
                      MS_OK);
    ck_assert_uint_eq(run(l->receiver, MS_SYS_RECV, (arch_regs_t){.rdi = l->recv_h}), MS_OK);
    const uint64_t w[3] = {42, src | flags, pages};
    arch_regs_t m = fx_msg(l->send_h, 9, 3, w);
    m.rsi |= MS_INFO_MAP;
    return run(l->sender, MS_SYS_SEND, m);
}

START_TEST(a_map_item_shows_the_senders_pages_in_the_receivers_window)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    uintptr_t src = mem_base(l.sender);
    *(volatile uint64_t *)(src + PAGE) = 0x5eed;
    ck_assert_uint_eq(send_item(&l, WINDOW_VA, 4, src, MS_MAP_READ, 2), MS_OK);
    ck_assert_uint_eq(l.receiver->regs.rsi & MS_INFO_MAP, MS_INFO_MAP);
    uint64_t pte = paging_lookup(l.receiver->task->aspace.root, WINDOW_VA + PAGE);
    ck_assert(pte & PTE_P);
    ck_assert(!(pte & PTE_W)); /* read only, as asked */
    ck_assert_uint_eq(pte & PTE_ADDR, paging_lookup(l.sender->task->aspace.root, src + PAGE) & PTE_ADDR);
    ck_assert(!mapped(l.receiver, WINDOW_VA + 2 * PAGE)); /* two pages, not the window's four */
    ck_assert_uint_eq(mapdb_used(), 4); /* two source pages, two copies */
}
END_TEST

START_TEST(a_map_item_is_traced_as_map_from_sender_to_receiver)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    fx_drop_events();
    ck_assert_uint_eq(send_item(&l, WINDOW_VA, 2, mem_base(l.sender), MS_MAP_READ | MS_MAP_WRITE, 2), MS_OK);
    k_trace_event_t ev;
    ck_assert(fx_find_event(K_EV_MAP, &ev));
    ck_assert_uint_eq(ev.actor_tid, thread_tid(l.sender));
    ck_assert_uint_eq(ev.peer_tid, thread_tid(l.receiver));
    ck_assert_uint_eq(ev.a[0], WINDOW_VA);
    ck_assert_uint_eq(ev.a[1], 2);
    ck_assert_uint_eq(ev.a[2], MS_RIGHT_WRITE);
    ck_assert_uint_eq(ev.a[3], 0);                  /* no frames object: */
    ck_assert_uint_eq(ev.a[5], mem_base(l.sender)); /* the pages' address in the sender's space */
}
END_TEST

START_TEST(unmapping_the_source_revokes_the_copy)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    uintptr_t src = mem_base(l.sender);
    ck_assert_uint_eq(send_item(&l, WINDOW_VA, 1, src, MS_MAP_READ, 1), MS_OK);
    ck_assert(mapped(l.receiver, WINDOW_VA));
    ck_assert_int_eq(aspace_unmap(&l.sender->task->aspace, src, 1), MS_OK);
    ck_assert(!mapped(l.receiver, WINDOW_VA));
    ck_assert_uint_eq(mapdb_used(), 0);
}
END_TEST

START_TEST(revocation_reaches_copies_of_copies)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 10), *b = fx_spawn("b", 10), *c = fx_spawn("c", 10);
    link_t ab = make_link(a, b), bc = make_link(b, c);
    uintptr_t src = mem_base(a);
    ck_assert_uint_eq(send_item(&ab, WINDOW_VA, 1, src, MS_MAP_READ, 1), MS_OK);
    ck_assert_uint_eq(send_item(&bc, WINDOW2_VA, 1, WINDOW_VA, MS_MAP_READ, 1), MS_OK);
    ck_assert(mapped(c, WINDOW2_VA));
    ck_assert_uint_eq(mapdb_used(), 3);
    ck_assert_int_eq(aspace_unmap(&a->task->aspace, src, 1), MS_OK);
    ck_assert(!mapped(b, WINDOW_VA));
    ck_assert(!mapped(c, WINDOW2_VA));
    ck_assert_uint_eq(mapdb_used(), 0);
}
END_TEST

START_TEST(unmapping_a_copy_leaves_the_source_and_its_other_copies)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 10), *b = fx_spawn("b", 10), *c = fx_spawn("c", 10);
    link_t ab = make_link(a, b), ac = make_link(a, c);
    uintptr_t src = mem_base(a);
    ck_assert_uint_eq(send_item(&ab, WINDOW_VA, 1, src, MS_MAP_READ, 1), MS_OK);
    ck_assert_uint_eq(send_item(&ac, WINDOW2_VA, 1, src, MS_MAP_READ, 1), MS_OK);
    ck_assert_int_eq(aspace_unmap(&b->task->aspace, WINDOW_VA, 1), MS_OK);
    ck_assert(mapped(a, src));
    ck_assert(mapped(c, WINDOW2_VA));
    ck_assert_uint_eq(mapdb_used(), 2);
}
END_TEST

START_TEST(the_end_of_the_sources_task_revokes_its_copies)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    ck_assert_uint_eq(send_item(&l, WINDOW_VA, 1, mem_base(l.sender), MS_MAP_READ, 1), MS_OK);
    fx_run(l.sender);
    fx_syscall(l.sender, MS_SYS_EXIT, (arch_regs_t){0});
    ck_assert(!mapped(l.receiver, WINDOW_VA));
    ck_assert_uint_eq(mapdb_used(), 0);
}
END_TEST

START_TEST(a_grant_moves_the_pages)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    uintptr_t src = mem_base(l.sender);
    uint64_t frame = paging_lookup(l.sender->task->aspace.root, src) & PTE_ADDR;
    frames_t *f = frames_owner(frame);
    unsigned before = f->mapped;
    ck_assert_uint_eq(send_item(&l, WINDOW_VA, 1, src, MS_MAP_READ | MS_MAP_WRITE | MS_MAP_GRANT, 1), MS_OK);
    ck_assert(!mapped(l.sender, src));
    ck_assert_uint_eq(paging_lookup(l.receiver->task->aspace.root, WINDOW_VA) & PTE_ADDR, frame);
    ck_assert_uint_eq(f->mapped, before); /* one mapping left, one came */
    ck_assert_uint_eq(mapdb_used(), 0);   /* nothing derives from anything */
}
END_TEST

START_TEST(a_granted_page_keeps_its_copies_derived)
{
    fx_reset();
    thread_t *a = fx_spawn("a", 10), *b = fx_spawn("b", 10), *c = fx_spawn("c", 10);
    link_t ac = make_link(a, c), ab = make_link(a, b);
    uintptr_t src = mem_base(a);
    ck_assert_uint_eq(send_item(&ac, WINDOW2_VA, 1, src, MS_MAP_READ, 1), MS_OK);
    ck_assert_uint_eq(send_item(&ab, WINDOW_VA, 1, src, MS_MAP_READ | MS_MAP_GRANT, 1), MS_OK);
    ck_assert_int_eq(aspace_unmap(&b->task->aspace, WINDOW_VA, 1), MS_OK);
    ck_assert(!mapped(c, WINDOW2_VA)); /* derived from the page that moved to b */
}
END_TEST

START_TEST(an_item_without_a_window_is_dropped_and_the_send_succeeds)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    ck_assert_uint_eq(send_item(&l, 0, 0, mem_base(l.sender), MS_MAP_READ, 1), MS_OK);
    ck_assert_uint_eq(l.receiver->regs.rsi & MS_INFO_MAP, 0);
    ck_assert_uint_eq(l.receiver->regs.mr[0], 42);
    ck_assert_uint_eq(mapdb_used(), 0);
}
END_TEST

START_TEST(an_item_larger_than_the_window_is_dropped)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    ck_assert_uint_eq(send_item(&l, WINDOW_VA, 1, mem_base(l.sender), MS_MAP_READ, 2), MS_OK);
    ck_assert_uint_eq(l.receiver->regs.rsi & MS_INFO_MAP, 0);
    ck_assert(!mapped(l.receiver, WINDOW_VA));
}
END_TEST

START_TEST(an_item_of_pages_the_sender_lacks_is_refused)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    fx_run(l.sender);
    const uint64_t w[2] = {WINDOW2_VA | MS_MAP_READ, 1}; /* the sender has nothing there */
    arch_regs_t m = fx_msg(l.send_h, 9, 2, w);
    m.rsi |= MS_INFO_MAP;
    ck_assert_uint_eq(fx_syscall_rejected(l.sender, MS_SYS_SEND, m), MS_E_INVAL);
}
END_TEST

START_TEST(an_item_cannot_raise_the_senders_rights)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    fx_run(l.sender);
    uintptr_t src = mem_base(l.sender);
    ck_assert_int_eq(aspace_protect(&l.sender->task->aspace, src, 1, MS_RIGHT_READ), MS_OK);
    const uint64_t w[2] = {src | MS_MAP_READ | MS_MAP_WRITE, 1};
    arch_regs_t m = fx_msg(l.send_h, 9, 2, w);
    m.rsi |= MS_INFO_MAP;
    ck_assert_uint_eq(fx_syscall_rejected(l.sender, MS_SYS_SEND, m), MS_E_RIGHTS);
}
END_TEST

START_TEST(a_malformed_item_is_invalid)
{
    fx_reset();
    link_t l = make_link(fx_spawn("sender", 10), fx_spawn("receiver", 10));
    fx_run(l.sender);
    uintptr_t src = mem_base(l.sender);
    /* no read right, an unknown flag, no pages, outside the window */
    const uint64_t bad[][2] = {
        {src | MS_MAP_WRITE, 1}, {src | MS_MAP_READ | 0x10, 1}, {src | MS_MAP_READ, 0}, {0x1000 | MS_MAP_READ, 1}};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        arch_regs_t m = fx_msg(l.send_h, 9, 2, bad[i]);
        m.rsi |= MS_INFO_MAP;
        ck_assert_uint_eq(fx_syscall_rejected(l.sender, MS_SYS_SEND, m), MS_E_INVAL);
    }
    const uint64_t one[1] = {src | MS_MAP_READ};
    arch_regs_t m = fx_msg(l.send_h, 9, 1, one);
    m.rsi |= MS_INFO_MAP;
    ck_assert_uint_eq(fx_syscall_rejected(l.sender, MS_SYS_SEND, m), MS_E_INVAL); /* needs two words */
}
END_TEST

START_TEST(map_window_rejects_a_malformed_window)
{
    fx_reset();
    thread_t *t = fx_spawn("t", 10);
    fx_run(t);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP_WINDOW, (arch_regs_t){.rdi = WINDOW_VA + 1, .rsi = 1}),
                      MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP_WINDOW, (arch_regs_t){.rdi = MS_USER_END, .rsi = 1}),
                      MS_E_INVAL);
    ck_assert_uint_eq(
        fx_syscall_rejected(t, MS_SYS_MAP_WINDOW, (arch_regs_t){.rdi = MS_USER_END - PAGE, .rsi = 2}), MS_E_INVAL);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_MAP_WINDOW, (arch_regs_t){.rdi = 12345, .rsi = 0}), MS_OK);
    ck_assert_uint_eq(t->map_window_pages, 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mapdb");
    TCase *tc = tcase_create("map items");
    tcase_add_test(tc, a_map_item_shows_the_senders_pages_in_the_receivers_window);
    tcase_add_test(tc, a_map_item_is_traced_as_map_from_sender_to_receiver);
    tcase_add_test(tc, unmapping_the_source_revokes_the_copy);
    tcase_add_test(tc, revocation_reaches_copies_of_copies);
    tcase_add_test(tc, unmapping_a_copy_leaves_the_source_and_its_other_copies);
    tcase_add_test(tc, the_end_of_the_sources_task_revokes_its_copies);
    tcase_add_test(tc, a_grant_moves_the_pages);
    tcase_add_test(tc, a_granted_page_keeps_its_copies_derived);
    tcase_add_test(tc, an_item_without_a_window_is_dropped_and_the_send_succeeds);
    tcase_add_test(tc, an_item_larger_than_the_window_is_dropped);
    tcase_add_test(tc, an_item_of_pages_the_sender_lacks_is_refused);
    tcase_add_test(tc, an_item_cannot_raise_the_senders_rights);
    tcase_add_test(tc, a_malformed_item_is_invalid);
    tcase_add_test(tc, map_window_rejects_a_malformed_window);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
