/* Unit tests of address spaces: map, unmap, protect, user copies through the page tables, revocation, trace. */
#include <string.h>

#include "aspace.h"
#include "fixture.h"
#include "frame.h"
#include "handle.h"
#include "object/frames.h"
#include "paging.h"
#include "usercopy.h"

#define PAGE MS_PAGE_SIZE
/* Page-aligned addresses no fixture task uses (their memory lies below 0x11000000). */
#define FREE_VA 0x20000000u
#define FAR_VA 0x30000000u
#define R MS_RIGHT_READ
#define RW (MS_RIGHT_READ | MS_RIGHT_WRITE)
#define RX (MS_RIGHT_READ | MS_RIGHT_EXEC)
#define RWX (MS_RIGHT_READ | MS_RIGHT_WRITE | MS_RIGHT_EXEC)

static thread_t *running(const char *name, uint8_t prio)
{
    thread_t *t = fx_spawn(name, prio);
    fx_run(t);
    return t;
}

/* New frames of npages, with a handle in task's table carrying rights. */
static ms_handle_t give_frames(task_t *task, unsigned npages, uint32_t rights, frames_t **out)
{
    frames_t *f = frames_create(npages);
    ck_assert_ptr_nonnull(f);
    ms_handle_t h;
    ck_assert_int_eq(handle_install(&task->handles, &f->obj, rights, 0, &h), MS_OK);
    if (out)
        *out = f;
    return h;
}

static arch_regs_t map_args(uint64_t task_h, uint64_t va, uint64_t frames_h, uint64_t first, uint64_t pages,
                            uint64_t rights)
{
    arch_regs_t r = {0};
    r.rdi = task_h;
    r.rsi = va;
    r.rdx = frames_h;
    r.r10 = first;
    r.r8 = pages;
    r.r9 = rights;
    return r;
}

static arch_regs_t unmap_args(uint64_t task_h, uint64_t va, uint64_t pages)
{
    return (arch_regs_t){.rdi = task_h, .rsi = va, .rdx = pages};
}

static arch_regs_t protect_args(uint64_t task_h, uint64_t va, uint64_t pages, uint64_t rights)
{
    arch_regs_t r = unmap_args(task_h, va, pages);
    r.r10 = rights;
    return r;
}

/* t maps pages of its frames handle fh, from first, at va in its own space. */
static uint64_t map_own(thread_t *t, uint64_t va, ms_handle_t fh, uint64_t first, uint64_t pages, uint64_t rights)
{
    return fx_syscall(t, MS_SYS_MAP, map_args(MS_HANDLE_SELF, va, fh, first, pages, rights));
}

static uint64_t leaf(const task_t *task, uintptr_t va)
{
    return paging_lookup(task->aspace.root, va);
}

static int mapped(const task_t *task, uintptr_t va)
{
    return (leaf(task, va) & PTE_P) != 0;
}

/* Maps and unmaps a page at va once, so that its page tables exist and a
 * later map there allocates no frame for them. */
static void make_tables(thread_t *t, uintptr_t va)
{
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, R, &f);
    ck_assert_uint_eq(map_own(t, va, h, 0, 1, R), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, va, 1)), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = h}), MS_OK);
}

/* ---- map ---- */

START_TEST(map_puts_the_frames_at_the_address_with_the_rights_asked)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 2, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 2, RW), MS_OK);
    uint64_t e0 = leaf(t->task, FREE_VA), e1 = leaf(t->task, FREE_VA + PAGE);
    ck_assert_uint_eq(e0 & PTE_ADDR, f->pa);
    ck_assert_uint_eq(e1 & PTE_ADDR, f->pa + PAGE);
    ck_assert_uint_eq(e0 & (PTE_P | PTE_U | PTE_W | PTE_NX), PTE_P | PTE_U | PTE_W | PTE_NX);
    ck_assert_uint_eq(e0 & (PTE_A | PTE_D), 0);
    ck_assert_uint_eq(f->mapped, 2);
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, FREE_VA + PAGE + 8, 1), f->pa + PAGE + 8);
    ck_assert(!mapped(t->task, FREE_VA + 2 * PAGE));
}
END_TEST

START_TEST(map_read_only_leaves_out_the_write_bit)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, RW, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, R), MS_OK);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & (PTE_P | PTE_W | PTE_NX), PTE_P | PTE_NX);
}
END_TEST

START_TEST(map_executable_clears_nx)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, RX, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RX), MS_OK);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & (PTE_W | PTE_NX), 0);
}
END_TEST

START_TEST(map_from_a_later_first_frame)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 4, R, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 1, 3, R), MS_OK);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & PTE_ADDR, f->pa + PAGE);
    ck_assert_uint_eq(leaf(t->task, FREE_VA + 2 * PAGE) & PTE_ADDR, f->pa + 3 * PAGE);
    ck_assert_uint_eq(f->mapped, 3);
}
END_TEST

START_TEST(map_the_same_frames_twice_counts_both)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, R, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, R), MS_OK);
    ck_assert_uint_eq(map_own(t, FAR_VA, h, 0, 1, R), MS_OK);
    ck_assert_uint_eq(f->mapped, 2);
    ck_assert_uint_eq(leaf(t->task, FAR_VA) & PTE_ADDR, leaf(t->task, FREE_VA) & PTE_ADDR);
}
END_TEST

START_TEST(map_writable_needs_the_write_right_on_the_frames)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, R, &f);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(MS_HANDLE_SELF, FREE_VA, h, 0, 1, RW)), MS_E_RIGHTS);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(MS_HANDLE_SELF, FREE_VA, h, 0, 1, RX)), MS_E_RIGHTS);
    ck_assert(!mapped(t->task, FREE_VA));
    ck_assert_uint_eq(f->mapped, 0);
}
END_TEST

START_TEST(map_needs_the_read_right_on_the_frames)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, MS_RIGHT_WRITE | MS_RIGHT_EXEC, NULL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(MS_HANDLE_SELF, FREE_VA, h, 0, 1, RW)), MS_E_RIGHTS);
    ck_assert(!mapped(t->task, FREE_VA));
}
END_TEST

START_TEST(task_cannot_map_a_frame_it_was_never_given)
{
    fx_reset();
    thread_t *owner = fx_spawn("owner", 10);
    thread_t *thief = running("thief", 10);
    frames_t *f;
    ms_handle_t h = give_frames(owner->task, 1, RWX, &f);
    ck_assert_ptr_null(thief->task->handles.slot[h].obj); /* the same number names nothing in the thief's table */
    ck_assert_uint_eq(fx_syscall_rejected(thief, MS_SYS_MAP, map_args(MS_HANDLE_SELF, FREE_VA, h, 0, 1, R)),
                      MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(thief, MS_SYS_MAP, map_args(MS_HANDLE_SELF, FREE_VA, 999, 0, 1, R)),
                      MS_E_BADHANDLE);
    ck_assert(!mapped(thief->task, FREE_VA));
    ck_assert_uint_eq(f->mapped, 0);
}
END_TEST

START_TEST(map_of_a_handle_that_is_not_frames_is_a_bad_handle)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t ep = fx_endpoint(t->task, MS_RIGHTS_ALL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(MS_HANDLE_SELF, FREE_VA, ep, 0, 1, R)),
                      MS_E_BADHANDLE);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(MS_HANDLE_SELF, FREE_VA, MS_HANDLE_SELF, 0, 1, R)),
                      MS_E_BADHANDLE);
    ck_assert(!mapped(t->task, FREE_VA));
}
END_TEST

START_TEST(map_into_a_task_needs_control_of_it)
{
    fx_reset();
    thread_t *t = running("pager", 10);
    thread_t *c = fx_spawn("client", 10);
    ms_handle_t weak = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHTS_ALL & ~MS_RIGHT_CONTROL, 0);
    ms_handle_t fh = give_frames(t->task, 1, RW, NULL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(weak, FREE_VA, fh, 0, 1, R)), MS_E_RIGHTS);
    ck_assert(!mapped(c->task, FREE_VA));
    ms_handle_t ctl = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_MAP, map_args(ctl, FREE_VA, fh, 0, 1, RW)), MS_OK);
    ck_assert(mapped(c->task, FREE_VA));
    ck_assert(!mapped(t->task, FREE_VA)); /* the target's space, not the caller's */
}
END_TEST

START_TEST(map_with_a_handle_that_is_not_a_task_is_a_bad_handle)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t fh = give_frames(t->task, 1, RW, NULL);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(fh, FREE_VA, fh, 0, 1, R)), MS_E_BADHANDLE);
}
END_TEST

START_TEST(map_into_an_ended_task_is_dead)
{
    fx_reset();
    thread_t *t = running("pager", 10);
    thread_t *c = fx_spawn("client", 10);
    ms_handle_t ctl = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    ms_handle_t fh = give_frames(t->task, 1, RW, NULL);
    task_end(c->task, TASK_KILLED, -1);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(ctl, FREE_VA, fh, 0, 1, R)), MS_E_DEAD);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_UNMAP, unmap_args(ctl, FREE_VA, 1)), MS_E_DEAD);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_PROTECT, protect_args(ctl, FREE_VA, 1, R)), MS_E_DEAD);
}
END_TEST

/* A map that must fail with err and map nothing. */
static void expect_map_refused(thread_t *t, ms_handle_t fh, const frames_t *f, uint64_t va, uint64_t first,
                               uint64_t pages, uint64_t rights, uint64_t err)
{
    unsigned before = f->mapped;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_MAP, map_args(MS_HANDLE_SELF, va, fh, first, pages, rights)), err);
    ck_assert_uint_eq(f->mapped, before);
}

START_TEST(map_rejects_a_malformed_address)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 4, RW, &f);
    expect_map_refused(t, h, f, FREE_VA + 8, 0, 1, R, MS_E_INVAL);
    expect_map_refused(t, h, f, FREE_VA + PAGE / 2, 0, 1, R, MS_E_INVAL);
    expect_map_refused(t, h, f, MS_USER_BASE - PAGE, 0, 1, R, MS_E_INVAL);
    expect_map_refused(t, h, f, MS_USER_BASE - PAGE, 0, 2, R, MS_E_INVAL); /* would end inside */
    expect_map_refused(t, h, f, MS_USER_END, 0, 1, R, MS_E_INVAL);
    expect_map_refused(t, h, f, MS_USER_END - PAGE, 0, 2, R, MS_E_INVAL); /* crosses the end */
    expect_map_refused(t, h, f, 0, 0, 1, R, MS_E_INVAL);
    expect_map_refused(t, h, f, UINT64_MAX & ~(uint64_t)(PAGE - 1), 0, 1, R, MS_E_INVAL);
    ck_assert(!mapped(t->task, MS_USER_BASE));
    ck_assert(!mapped(t->task, MS_USER_END - PAGE));
}
END_TEST

START_TEST(map_of_zero_pages_is_invalid)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 4, RW, &f);
    expect_map_refused(t, h, f, FREE_VA, 0, 0, R, MS_E_INVAL);
}
END_TEST

START_TEST(map_without_read_or_with_unknown_rights_is_invalid)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 4, RWX, &f);
    expect_map_refused(t, h, f, FREE_VA, 0, 1, 0, MS_E_INVAL);
    expect_map_refused(t, h, f, FREE_VA, 0, 1, MS_RIGHT_WRITE, MS_E_INVAL);
    expect_map_refused(t, h, f, FREE_VA, 0, 1, MS_RIGHT_EXEC, MS_E_INVAL);
    expect_map_refused(t, h, f, FREE_VA, 0, 1, R | MS_RIGHT_SEND, MS_E_INVAL);
    expect_map_refused(t, h, f, FREE_VA, 0, 1, R | 0x80, MS_E_INVAL);
    expect_map_refused(t, h, f, FREE_VA, 0, 1, R | (1ull << 32), MS_E_INVAL);
}
END_TEST

START_TEST(map_over_a_mapped_page_is_invalid_and_maps_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f, *g;
    ms_handle_t h = give_frames(t->task, 4, RW, &f);
    ms_handle_t k = give_frames(t->task, 1, RW, &g);
    ck_assert_uint_eq(map_own(t, FREE_VA + 2 * PAGE, k, 0, 1, RW), MS_OK);
    unsigned flushes = fake_arch_flushes;
    expect_map_refused(t, h, f, FREE_VA, 0, 4, RW, MS_E_INVAL);
    ck_assert_uint_eq(fake_arch_flushes, flushes); /* no page came and went */
    ck_assert(!mapped(t->task, FREE_VA));
    ck_assert(!mapped(t->task, FREE_VA + PAGE));
    ck_assert_uint_eq(leaf(t->task, FREE_VA + 2 * PAGE) & PTE_ADDR, g->pa); /* untouched */
    ck_assert(!mapped(t->task, FREE_VA + 3 * PAGE));
    ck_assert_uint_eq(g->mapped, 1);
}
END_TEST

START_TEST(map_past_the_end_of_the_frames_is_range)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 4, RW, &f);
    expect_map_refused(t, h, f, FREE_VA, 0, 5, R, MS_E_RANGE);
    expect_map_refused(t, h, f, FREE_VA, 3, 2, R, MS_E_RANGE);
    expect_map_refused(t, h, f, FREE_VA, 4, 1, R, MS_E_RANGE);
    expect_map_refused(t, h, f, FREE_VA, UINT64_MAX, 1, R, MS_E_RANGE);
    expect_map_refused(t, h, f, FREE_VA, 1ull << 32, 1, R, MS_E_RANGE);
    ck_assert(!mapped(t->task, FREE_VA));
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 3, 1, R), MS_OK); /* the last frame is in range */
}
END_TEST

START_TEST(map_without_a_frame_for_a_page_table_is_nomem_and_maps_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    uintptr_t va = FREE_VA + (2u << 20) - PAGE; /* the last page of a page table's reach */
    make_tables(t, va);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 2, RW, &f);
    while (frame_alloc(1))
        ;
    expect_map_refused(t, h, f, va, 0, 2, RW, MS_E_NOMEM); /* the second page needs a new table */
    ck_assert(!mapped(t->task, va));
    ck_assert_uint_eq(f->mapped, 0);
}
END_TEST

/* ---- unmap ---- */

START_TEST(unmap_removes_the_pages_and_flushes_them)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 3, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 3, RW), MS_OK);
    unsigned flushes = fake_arch_flushes;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FREE_VA, 2)), MS_OK);
    ck_assert(!mapped(t->task, FREE_VA));
    ck_assert(!mapped(t->task, FREE_VA + PAGE));
    ck_assert(mapped(t->task, FREE_VA + 2 * PAGE));
    ck_assert_uint_eq(fake_arch_flushes, flushes + 2);
    ck_assert_uint_eq(f->mapped, 1);
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, FREE_VA, 0), 0);
}
END_TEST

START_TEST(unmap_skips_holes)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA + PAGE, h, 0, 1, RW), MS_OK);
    unsigned flushes = fake_arch_flushes;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FREE_VA, 3)), MS_OK);
    ck_assert(!mapped(t->task, FREE_VA + PAGE));
    ck_assert_uint_eq(f->mapped, 0);
    ck_assert_uint_eq(fake_arch_flushes, flushes + 1); /* only the page that was there */
}
END_TEST

START_TEST(unmap_where_no_table_exists_is_fine)
{
    fx_reset();
    thread_t *t = running("app", 10);
    unsigned free_frames = frame_free_count();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FAR_VA, 1024)), MS_OK);
    ck_assert_uint_eq(frame_free_count(), free_frames); /* no table was made to find nothing */
}
END_TEST

START_TEST(unmap_rejects_malformed_ranges)
{
    fx_reset();
    thread_t *t = running("app", 10);
    const arch_regs_t bad[] = {
        unmap_args(MS_HANDLE_SELF, FREE_VA + 1, 1),         unmap_args(MS_HANDLE_SELF, FREE_VA, 0),
        unmap_args(MS_HANDLE_SELF, MS_USER_BASE - PAGE, 1), unmap_args(MS_HANDLE_SELF, MS_USER_END, 1),
        unmap_args(MS_HANDLE_SELF, MS_USER_END - PAGE, 2),  unmap_args(MS_HANDLE_SELF, FREE_VA, UINT64_MAX),
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_UNMAP, bad[i]), MS_E_INVAL);
}
END_TEST

START_TEST(unmap_in_a_task_needs_control_of_it)
{
    fx_reset();
    thread_t *t = running("app", 10);
    thread_t *c = fx_spawn("client", 10);
    ms_handle_t weak = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHT_SEND, 0);
    uintptr_t va = c->task->aspace.own.base;
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_UNMAP, unmap_args(weak, va, 1)), MS_E_RIGHTS);
    ck_assert(mapped(c->task, va));
    ms_handle_t ctl = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(ctl, va, 1)), MS_OK);
    ck_assert(!mapped(c->task, va));
}
END_TEST

/* ---- protect ---- */

START_TEST(protect_lowers_and_raises_back_within_the_frames_rights)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 2, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 2, RW), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 2, R)), MS_OK);
    ck_assert_uint_eq(leaf(t->task, FREE_VA + PAGE) & PTE_W, 0);
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, FREE_VA, 1), 0);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 2, RW)), MS_OK);
    ck_assert_uint_ne(leaf(t->task, FREE_VA + PAGE) & PTE_W, 0);
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, FREE_VA, 1), f->pa);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & PTE_ADDR, f->pa);
}
END_TEST

START_TEST(protect_raises_to_what_the_handle_allowed_at_map_time)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, RWX, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, R), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 1, RWX)), MS_OK);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & (PTE_W | PTE_NX), PTE_W);
}
END_TEST

START_TEST(protect_cannot_raise_above_the_frames_rights)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, RX, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, R), MS_OK);
    uint64_t before = leaf(t->task, FREE_VA);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 1, RW)),
                      MS_E_RIGHTS);
    ck_assert_uint_eq(leaf(t->task, FREE_VA), before);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 1, RX)), MS_OK);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & (PTE_W | PTE_NX), 0);
}
END_TEST

START_TEST(protect_refused_for_one_page_changes_none)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t rw = give_frames(t->task, 1, RW, NULL);
    ms_handle_t r = give_frames(t->task, 1, R, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, rw, 0, 1, R), MS_OK);
    ck_assert_uint_eq(map_own(t, FREE_VA + PAGE, r, 0, 1, R), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 2, RW)),
                      MS_E_RIGHTS);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & PTE_W, 0); /* the first page could have been raised */
}
END_TEST

START_TEST(protect_of_a_page_not_mapped_is_invalid_and_changes_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, RW, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 2, R)), MS_E_INVAL);
    ck_assert_uint_ne(leaf(t->task, FREE_VA) & PTE_W, 0);
    ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FAR_VA, 1, R)), MS_E_INVAL);
}
END_TEST

START_TEST(protect_rejects_malformed_arguments)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, RWX, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    const arch_regs_t bad[] = {
        protect_args(MS_HANDLE_SELF, FREE_VA, 1, 0),
        protect_args(MS_HANDLE_SELF, FREE_VA, 1, MS_RIGHT_WRITE),
        protect_args(MS_HANDLE_SELF, FREE_VA, 1, R | MS_RIGHT_CONTROL),
        protect_args(MS_HANDLE_SELF, FREE_VA, 1, R | 0x100),
        protect_args(MS_HANDLE_SELF, FREE_VA, 0, R),
        protect_args(MS_HANDLE_SELF, FREE_VA + 12, 1, R),
        protect_args(MS_HANDLE_SELF, MS_USER_END, 1, R),
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_uint_eq(fx_syscall_rejected(t, MS_SYS_PROTECT, bad[i]), MS_E_INVAL);
    ck_assert_uint_ne(leaf(t->task, FREE_VA) & PTE_W, 0);
}
END_TEST

START_TEST(protect_keeps_the_frame_and_the_accessed_and_dirty_bits)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    ck_assert_uint_eq(user_write(t->task, FREE_VA, "x", 1), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 1, R)), MS_OK);
    uint64_t e = leaf(t->task, FREE_VA);
    ck_assert_uint_eq(e & PTE_ADDR, f->pa);
    ck_assert_uint_eq(e & (PTE_A | PTE_D | PTE_W), PTE_A | PTE_D);
}
END_TEST

START_TEST(protect_flushes_the_pages_it_changes)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 3, RW, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 3, RW), MS_OK);
    unsigned flushes = fake_arch_flushes;
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 3, R)), MS_OK);
    ck_assert_uint_eq(fake_arch_flushes, flushes + 3);
}
END_TEST

/* ---- user copies ---- */

START_TEST(user_access_to_an_unmapped_page_faults)
{
    fx_reset();
    thread_t *t = running("app", 10);
    char buf[8] = "abcdefg";
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, FREE_VA, 0), 0);
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, FREE_VA, 1), 0);
    ck_assert_int_eq(user_read(t->task, buf, FREE_VA, 4), MS_E_FAULT);
    ck_assert_int_eq(user_write(t->task, FREE_VA, buf, 4), MS_E_FAULT);
    ck_assert_str_eq(buf, "abcdefg");
}
END_TEST

START_TEST(user_write_to_a_read_only_page_faults_and_writes_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, R), MS_OK);
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, FREE_VA, 1), 0);
    ck_assert_int_eq(user_write(t->task, FREE_VA, "data", 4), MS_E_FAULT);
    ck_assert_int_eq(memcmp(frame_ptr(f->pa), "\0\0\0\0", 4), 0);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & PTE_D, 0);
    char buf[4];
    ck_assert_int_eq(user_read(t->task, buf, FREE_VA, 4), MS_OK);
}
END_TEST

START_TEST(user_read_sets_the_accessed_bit_only)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    memcpy((char *)frame_ptr(f->pa) + 100, "page", 4);
    char buf[4];
    ck_assert_int_eq(user_read(t->task, buf, FREE_VA + 100, 4), MS_OK);
    ck_assert_int_eq(memcmp(buf, "page", 4), 0);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & (PTE_A | PTE_D), PTE_A);
}
END_TEST

START_TEST(user_write_sets_the_accessed_and_dirty_bits)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    ck_assert_int_eq(user_write(t->task, FREE_VA + 200, "page", 4), MS_OK);
    ck_assert_int_eq(memcmp((char *)frame_ptr(f->pa) + 200, "page", 4), 0);
    ck_assert_uint_eq(leaf(t->task, FREE_VA) & (PTE_A | PTE_D), PTE_A | PTE_D);
}
END_TEST

START_TEST(user_copy_goes_page_by_page_through_the_tables)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f, *g;
    ms_handle_t h = give_frames(t->task, 1, RW, &f);
    ms_handle_t k = give_frames(t->task, 1, RW, &g);
    /* The second page's frame is not the one after the first's. */
    ck_assert_uint_eq(map_own(t, FREE_VA, k, 0, 1, RW), MS_OK);
    ck_assert_uint_eq(map_own(t, FREE_VA + PAGE, h, 0, 1, RW), MS_OK);
    ck_assert_uint_ne(f->pa, g->pa + PAGE);
    ck_assert_int_eq(user_write(t->task, FREE_VA + PAGE - 3, "abcdef", 6), MS_OK);
    ck_assert_int_eq(memcmp((char *)frame_ptr(g->pa) + PAGE - 3, "abc", 3), 0);
    ck_assert_int_eq(memcmp(frame_ptr(f->pa), "def", 3), 0);
    char buf[6];
    ck_assert_int_eq(user_read(t->task, buf, FREE_VA + PAGE - 3, 6), MS_OK);
    ck_assert_int_eq(memcmp(buf, "abcdef", 6), 0);
}
END_TEST

START_TEST(user_write_running_into_an_unmapped_page_writes_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 1, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    ck_assert_int_eq(user_write(t->task, FREE_VA + PAGE - 4, "12345678", 8), MS_E_FAULT);
    ck_assert_int_eq(memcmp((char *)frame_ptr(f->pa) + PAGE - 4, "\0\0\0\0", 4), 0);
}
END_TEST

START_TEST(user_write_running_into_a_read_only_page_writes_nothing)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 2, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    ck_assert_uint_eq(map_own(t, FREE_VA + PAGE, h, 1, 1, R), MS_OK);
    ck_assert_int_eq(user_write(t->task, FREE_VA + PAGE - 4, "12345678", 8), MS_E_FAULT);
    ck_assert_int_eq(memcmp((char *)frame_ptr(f->pa) + PAGE - 4, "\0\0\0\0\0\0\0\0", 8), 0);
}
END_TEST

START_TEST(user_access_outside_the_window_faults)
{
    fx_reset();
    thread_t *t = running("app", 10);
    char buf[8];
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, MS_USER_END, 0), 0);
    ck_assert_uint_eq(aspace_user_pa(&t->task->aspace, MS_USER_BASE - 1, 0), 0);
    ck_assert_int_eq(user_read(t->task, buf, UINT64_MAX - 3, 8), MS_E_FAULT);
}
END_TEST

START_TEST(unmap_takes_the_page_from_user_copies)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 1, RW, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 1, RW), MS_OK);
    ck_assert_int_eq(user_write(t->task, FREE_VA, "x", 1), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FREE_VA, 1)), MS_OK);
    ck_assert_int_eq(user_write(t->task, FREE_VA, "x", 1), MS_E_FAULT);
}
END_TEST

/* ---- revocation ---- */

START_TEST(frames_are_freed_when_the_last_handle_and_mapping_go)
{
    fx_reset();
    thread_t *t = running("app", 10);
    make_tables(t, FREE_VA);
    unsigned before = frame_free_count();
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 4, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 4, RW), MS_OK);
    ck_assert_uint_eq(frame_free_count(), before - 4);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(frame_free_count(), before - 4); /* the mappings still hold them */
    ck_assert_int_eq(f->obj.type, KOBJ_FRAMES);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FREE_VA, 2)), MS_OK);
    ck_assert_uint_eq(f->mapped, 2);
    ck_assert_uint_eq(frame_free_count(), before - 4);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FREE_VA + 2 * PAGE, 2)), MS_OK);
    ck_assert_uint_eq(frame_free_count(), before);
    ck_assert_int_eq(f->obj.type, KOBJ_NONE);
}
END_TEST

START_TEST(a_handle_keeps_unmapped_frames)
{
    fx_reset();
    thread_t *t = running("app", 10);
    make_tables(t, FREE_VA);
    unsigned before = frame_free_count();
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 2, RW, &f);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 2, RW), MS_OK);
    ck_assert_int_eq(user_write(t->task, FREE_VA, "kept", 4), MS_OK);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FREE_VA, 2)), MS_OK);
    ck_assert_uint_eq(f->mapped, 0);
    ck_assert_uint_eq(frame_free_count(), before - 2);
    ck_assert_uint_eq(map_own(t, FAR_VA, h, 0, 1, R), MS_OK); /* the contents are still there */
    char buf[4];
    ck_assert_int_eq(user_read(t->task, buf, FAR_VA, 4), MS_OK);
    ck_assert_int_eq(memcmp(buf, "kept", 4), 0);
}
END_TEST

START_TEST(ending_a_task_releases_its_mappings_and_tables)
{
    fx_reset();
    thread_t *t = running("pager", 10);
    unsigned before = frame_free_count();
    thread_t *c = fx_spawn("client", 10);
    ms_handle_t ctl = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 2, RW, &f);
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_MAP, map_args(ctl, FREE_VA, h, 0, 2, RW)), MS_OK);
    ck_assert_uint_eq(f->mapped, 2);
    task_end(c->task, TASK_KILLED, -1);
    ck_assert_uint_eq(f->mapped, 0);
    ck_assert_int_eq(f->obj.type, KOBJ_FRAMES); /* the pager's handle keeps them */
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_HANDLE_CLOSE, (arch_regs_t){.rdi = h}), MS_OK);
    ck_assert_uint_eq(frame_free_count(), before); /* the client's memory, tables and the frames */
}
END_TEST

/* ---- trace ---- */

START_TEST(map_records_address_pages_rights_and_frames)
{
    fx_reset();
    thread_t *t = running("app", 10);
    frames_t *f;
    ms_handle_t h = give_frames(t->task, 4, RWX, &f);
    fx_drop_events();
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 1, 3, RX), MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_MAP, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.peer_tid, 0); /* its own space */
    ck_assert_uint_eq(ev.a[0], FREE_VA);
    ck_assert_uint_eq(ev.a[1], 3);
    ck_assert_uint_eq(ev.a[2], RX);
    ck_assert_uint_eq(ev.a[3], f->obj.id);
    ck_assert_int_eq(fx_event(&ev), 0);
}
END_TEST

START_TEST(map_into_another_task_names_its_thread)
{
    fx_reset();
    thread_t *t = running("pager", 10);
    thread_t *c = fx_spawn("client", 10);
    ms_handle_t ctl = fx_share(t->task, c->task, MS_HANDLE_SELF, MS_RIGHT_CONTROL, 0);
    ms_handle_t h = give_frames(t->task, 1, RW, NULL);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_MAP, map_args(ctl, FREE_VA, h, 0, 1, RW)), MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_MAP, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.peer_tid, thread_tid(c));
    ck_assert_str_eq(ev.peer, "client");
    ck_assert_uint_eq(ev.a[2], RW);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(ctl, FREE_VA, 1)), MS_OK);
    ck_assert_int_eq(fx_find_event(K_EV_UNMAP, &ev), 1);
    ck_assert_uint_eq(ev.peer_tid, thread_tid(c));
}
END_TEST

START_TEST(unmap_records_address_and_pages)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 2, RW, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 2, RW), MS_OK);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_UNMAP, unmap_args(MS_HANDLE_SELF, FREE_VA, 5)), MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_UNMAP, &ev), 1);
    ck_assert_uint_eq(ev.actor_tid, thread_tid(t));
    ck_assert_uint_eq(ev.peer_tid, 0);
    ck_assert_uint_eq(ev.a[0], FREE_VA);
    ck_assert_uint_eq(ev.a[1], 5);
    ck_assert_uint_eq(ev.a[2], 0);
    ck_assert_uint_eq(ev.a[3], 0);
    ck_assert_int_eq(fx_event(&ev), 0);
}
END_TEST

START_TEST(protect_records_a_protect_event)
{
    fx_reset();
    thread_t *t = running("app", 10);
    ms_handle_t h = give_frames(t->task, 2, RW, NULL);
    ck_assert_uint_eq(map_own(t, FREE_VA, h, 0, 2, RW), MS_OK);
    fx_drop_events();
    ck_assert_uint_eq(fx_syscall(t, MS_SYS_PROTECT, protect_args(MS_HANDLE_SELF, FREE_VA, 2, R)), MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_find_event(K_EV_PROTECT, &ev), 1); /* its own kind, not a map */
    ck_assert_uint_eq(ev.a[0], FREE_VA);
    ck_assert_uint_eq(ev.a[1], 2);
    ck_assert_uint_eq(ev.a[2], R);
    ck_assert_uint_eq(ev.a[4], t->task->obj.id);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("aspace");
    TCase *map = tcase_create("map");
    tcase_add_test(map, map_puts_the_frames_at_the_address_with_the_rights_asked);
    tcase_add_test(map, map_read_only_leaves_out_the_write_bit);
    tcase_add_test(map, map_executable_clears_nx);
    tcase_add_test(map, map_from_a_later_first_frame);
    tcase_add_test(map, map_the_same_frames_twice_counts_both);
    tcase_add_test(map, map_writable_needs_the_write_right_on_the_frames);
    tcase_add_test(map, map_needs_the_read_right_on_the_frames);
    tcase_add_test(map, task_cannot_map_a_frame_it_was_never_given);
    tcase_add_test(map, map_of_a_handle_that_is_not_frames_is_a_bad_handle);
    tcase_add_test(map, map_into_a_task_needs_control_of_it);
    tcase_add_test(map, map_with_a_handle_that_is_not_a_task_is_a_bad_handle);
    tcase_add_test(map, map_into_an_ended_task_is_dead);
    tcase_add_test(map, map_rejects_a_malformed_address);
    tcase_add_test(map, map_of_zero_pages_is_invalid);
    tcase_add_test(map, map_without_read_or_with_unknown_rights_is_invalid);
    tcase_add_test(map, map_over_a_mapped_page_is_invalid_and_maps_nothing);
    tcase_add_test(map, map_past_the_end_of_the_frames_is_range);
    tcase_add_test(map, map_without_a_frame_for_a_page_table_is_nomem_and_maps_nothing);
    suite_add_tcase(s, map);

    TCase *unmap = tcase_create("unmap and protect");
    tcase_add_test(unmap, unmap_removes_the_pages_and_flushes_them);
    tcase_add_test(unmap, unmap_skips_holes);
    tcase_add_test(unmap, unmap_where_no_table_exists_is_fine);
    tcase_add_test(unmap, unmap_rejects_malformed_ranges);
    tcase_add_test(unmap, unmap_in_a_task_needs_control_of_it);
    tcase_add_test(unmap, protect_lowers_and_raises_back_within_the_frames_rights);
    tcase_add_test(unmap, protect_raises_to_what_the_handle_allowed_at_map_time);
    tcase_add_test(unmap, protect_cannot_raise_above_the_frames_rights);
    tcase_add_test(unmap, protect_refused_for_one_page_changes_none);
    tcase_add_test(unmap, protect_of_a_page_not_mapped_is_invalid_and_changes_nothing);
    tcase_add_test(unmap, protect_rejects_malformed_arguments);
    tcase_add_test(unmap, protect_keeps_the_frame_and_the_accessed_and_dirty_bits);
    tcase_add_test(unmap, protect_flushes_the_pages_it_changes);
    suite_add_tcase(s, unmap);

    TCase *copy = tcase_create("usercopy");
    tcase_add_test(copy, user_access_to_an_unmapped_page_faults);
    tcase_add_test(copy, user_write_to_a_read_only_page_faults_and_writes_nothing);
    tcase_add_test(copy, user_read_sets_the_accessed_bit_only);
    tcase_add_test(copy, user_write_sets_the_accessed_and_dirty_bits);
    tcase_add_test(copy, user_copy_goes_page_by_page_through_the_tables);
    tcase_add_test(copy, user_write_running_into_an_unmapped_page_writes_nothing);
    tcase_add_test(copy, user_write_running_into_a_read_only_page_writes_nothing);
    tcase_add_test(copy, user_access_outside_the_window_faults);
    tcase_add_test(copy, unmap_takes_the_page_from_user_copies);
    suite_add_tcase(s, copy);

    TCase *revoke = tcase_create("revocation and trace");
    tcase_add_test(revoke, frames_are_freed_when_the_last_handle_and_mapping_go);
    tcase_add_test(revoke, a_handle_keeps_unmapped_frames);
    tcase_add_test(revoke, ending_a_task_releases_its_mappings_and_tables);
    tcase_add_test(revoke, map_records_address_pages_rights_and_frames);
    tcase_add_test(revoke, map_into_another_task_names_its_thread);
    tcase_add_test(revoke, unmap_records_address_and_pages);
    tcase_add_test(revoke, protect_records_a_protect_event);
    suite_add_tcase(s, revoke);
    return s;
}

CHECK_MAIN(make_suite)
