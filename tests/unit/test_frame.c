/* Unit tests of the physical frame allocator: runs, zero fill, exhaustion, reuse and counts. */
#include <string.h>

#include "fixture.h"
#include "frame.h"

#define PAGE K_PAGE_SIZE
#define BASE 0x1000u /* the fake arch's memory starts at physical 0; frame 0 stays out */

/* A fresh allocator over n frames from BASE. */
static void frames_over(unsigned n)
{
    frame_init(BASE, (uint64_t)n * PAGE);
    ck_assert_uint_eq(frame_total(), n);
    ck_assert_uint_eq(frame_free_count(), n);
}

/* Frame i of the allocator's memory. */
static uint64_t pa_of(unsigned i)
{
    return BASE + (uint64_t)i * PAGE;
}

static int all_zero(uint64_t pa, unsigned n)
{
    const unsigned char *p = frame_ptr(pa);
    for (size_t i = 0; i < (size_t)n * PAGE; i++)
        if (p[i])
            return 0;
    return 1;
}

START_TEST(init_takes_whole_frames_from_an_aligned_base)
{
    frame_init(BASE + 100, 16 * PAGE);
    ck_assert_uint_eq(frame_total(), 15); /* the partial first and last frames are not memory */
    ck_assert_uint_eq(frame_free_count(), 15);
    ck_assert_uint_eq(frame_alloc(1), 2 * PAGE);
}
END_TEST

START_TEST(init_with_less_than_a_frame_has_none)
{
    frame_init(BASE + 100, 100);
    ck_assert_uint_eq(frame_total(), 0);
    ck_assert_uint_eq(frame_alloc(1), 0);
}
END_TEST

START_TEST(init_caps_at_the_most_frames_it_can_manage)
{
    frame_init(BASE, (uint64_t)(K_FRAMES_MAX + 10) * PAGE);
    ck_assert_uint_eq(frame_total(), K_FRAMES_MAX);
    ck_assert_uint_eq(frame_free_count(), K_FRAMES_MAX);
}
END_TEST

START_TEST(alloc_gives_successive_runs_that_do_not_overlap)
{
    frames_over(16);
    uint64_t a = frame_alloc(3), b = frame_alloc(5), c = frame_alloc(1);
    ck_assert_uint_eq(a, pa_of(0));
    ck_assert_uint_eq(b, pa_of(3));
    ck_assert_uint_eq(c, pa_of(8));
    ck_assert_uint_eq(frame_free_count(), 7);
}
END_TEST

START_TEST(alloc_needs_a_contiguous_run)
{
    frames_over(8);
    for (unsigned i = 0; i < 8; i++)
        ck_assert_uint_eq(frame_alloc(1), pa_of(i));
    frame_free(pa_of(2), 1);
    frame_free(pa_of(5), 1);
    ck_assert_uint_eq(frame_free_count(), 2);
    ck_assert_uint_eq(frame_alloc(2), 0); /* two free frames, but apart */
    ck_assert_uint_eq(frame_free_count(), 2);
    frame_free(pa_of(3), 1);
    ck_assert_uint_eq(frame_alloc(2), pa_of(2));
    ck_assert_uint_eq(frame_free_count(), 1); /* 5 */
}
END_TEST

START_TEST(alloc_zero_fills_a_reused_frame)
{
    frames_over(1);
    uint64_t a = frame_alloc(1);
    memset(frame_ptr(a), 0xab, PAGE);
    frame_free(a, 1);
    uint64_t b = frame_alloc(1);
    ck_assert_uint_eq(b, a);
    ck_assert(all_zero(b, 1));
}
END_TEST

START_TEST(alloc_zero_fills_every_frame_of_a_run)
{
    frames_over(4);
    uint64_t a = frame_alloc(4);
    memset(frame_ptr(a), 0x5c, 4 * PAGE);
    frame_free(a, 4);
    ck_assert_uint_eq(frame_alloc(4), a);
    ck_assert(all_zero(a, 4));
}
END_TEST

START_TEST(alloc_does_not_touch_frames_outside_the_run)
{
    frames_over(4);
    uint64_t a = frame_alloc(4);
    memset(frame_ptr(a), 0x77, 4 * PAGE);
    frame_free(pa_of(1), 2);
    ck_assert_uint_eq(frame_alloc(2), pa_of(1));
    ck_assert_uint_eq(((unsigned char *)frame_ptr(pa_of(0)))[PAGE - 1], 0x77);
    ck_assert_uint_eq(((unsigned char *)frame_ptr(pa_of(3)))[0], 0x77);
}
END_TEST

START_TEST(exhaustion_returns_zero_and_keeps_the_counts)
{
    frames_over(16);
    ck_assert_uint_eq(frame_alloc(16), pa_of(0));
    ck_assert_uint_eq(frame_free_count(), 0);
    ck_assert_uint_eq(frame_alloc(1), 0);
    ck_assert_uint_eq(frame_free_count(), 0);
    ck_assert_uint_eq(frame_total(), 16);
}
END_TEST

START_TEST(alloc_of_more_than_there_is_returns_zero)
{
    frames_over(16);
    ck_assert_uint_eq(frame_alloc(17), 0);
    ck_assert_uint_eq(frame_alloc(UINT32_MAX), 0);
    ck_assert_uint_eq(frame_free_count(), 16);
    ck_assert_uint_eq(frame_alloc(16), pa_of(0)); /* nothing was taken */
}
END_TEST

START_TEST(alloc_of_zero_frames_returns_zero)
{
    frames_over(16);
    ck_assert_uint_eq(frame_alloc(0), 0);
    ck_assert_uint_eq(frame_free_count(), 16);
    ck_assert_uint_eq(frame_alloc(1), pa_of(0));
}
END_TEST

START_TEST(freed_frames_are_reused_lowest_first_once_the_rest_is_taken)
{
    frames_over(16);
    for (unsigned i = 0; i < 16; i++)
        frame_alloc(1);
    frame_free(pa_of(8), 1);
    frame_free(pa_of(3), 1);
    ck_assert_uint_eq(frame_alloc(1), pa_of(3));
    ck_assert_uint_eq(frame_alloc(1), pa_of(8));
    ck_assert_uint_eq(frame_alloc(1), 0);
}
END_TEST

START_TEST(a_freed_run_is_found_when_the_end_is_too_short)
{
    frames_over(16);
    ck_assert_uint_eq(frame_alloc(4), pa_of(0));
    ck_assert_uint_eq(frame_alloc(10), pa_of(4));
    frame_free(pa_of(0), 4);
    ck_assert_uint_eq(frame_alloc(3), pa_of(0)); /* only 2 are left at the end */
}
END_TEST

START_TEST(full_bitmap_words_are_skipped_without_missing_a_run)
{
    frames_over(200);
    ck_assert_uint_eq(frame_alloc(130), pa_of(0));
    ck_assert_uint_eq(frame_alloc(70), pa_of(130));
    frame_free(pa_of(64), 1); /* the first frame after a full word */
    ck_assert_uint_eq(frame_alloc(1), pa_of(64));
    frame_free(pa_of(128), 2); /* right after two full words */
    ck_assert_uint_eq(frame_alloc(2), pa_of(128));
    frame_free(pa_of(100), 10);
    frame_free(pa_of(150), 1);
    ck_assert_uint_eq(frame_alloc(11), 0); /* 11 free, not in one run */
    ck_assert_uint_eq(frame_alloc(10), pa_of(100));
    frame_free(pa_of(63), 2); /* a run across a word boundary */
    ck_assert_uint_eq(frame_alloc(2), pa_of(63));
    ck_assert_uint_eq(frame_free_count(), 1); /* 150 */
}
END_TEST

START_TEST(counts_follow_allocs_and_frees)
{
    frames_over(32);
    uint64_t a = frame_alloc(5);
    uint64_t b = frame_alloc(7);
    ck_assert_uint_eq(frame_free_count(), 20);
    frame_free(a, 5);
    ck_assert_uint_eq(frame_free_count(), 25);
    frame_free(b, 7);
    ck_assert_uint_eq(frame_free_count(), 32);
    ck_assert_uint_eq(frame_total(), 32);
    ck_assert_uint_eq(frame_alloc(32), pa_of(0)); /* everything is back, in one run */
}
END_TEST

START_TEST(init_forgets_earlier_allocations)
{
    frames_over(8);
    frame_alloc(8);
    frames_over(8);
    ck_assert_uint_eq(frame_alloc(8), pa_of(0));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("frame");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, init_takes_whole_frames_from_an_aligned_base);
    tcase_add_test(tc, init_with_less_than_a_frame_has_none);
    tcase_add_test(tc, init_caps_at_the_most_frames_it_can_manage);
    tcase_add_test(tc, alloc_gives_successive_runs_that_do_not_overlap);
    tcase_add_test(tc, alloc_needs_a_contiguous_run);
    tcase_add_test(tc, alloc_zero_fills_a_reused_frame);
    tcase_add_test(tc, alloc_zero_fills_every_frame_of_a_run);
    tcase_add_test(tc, alloc_does_not_touch_frames_outside_the_run);
    tcase_add_test(tc, exhaustion_returns_zero_and_keeps_the_counts);
    tcase_add_test(tc, alloc_of_more_than_there_is_returns_zero);
    tcase_add_test(tc, alloc_of_zero_frames_returns_zero);
    tcase_add_test(tc, freed_frames_are_reused_lowest_first_once_the_rest_is_taken);
    tcase_add_test(tc, a_freed_run_is_found_when_the_end_is_too_short);
    tcase_add_test(tc, full_bitmap_words_are_skipped_without_missing_a_run);
    tcase_add_test(tc, counts_follow_allocs_and_frees);
    tcase_add_test(tc, init_forgets_earlier_allocations);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
