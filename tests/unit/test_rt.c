/* Unit tests of rt: the formatter against the host's snprintf, and the memory and string helpers. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "rt.h"

#define OUT_MAX 256

/* Formats with rt and with the host into whole buffers and into every shorter
 * one, and asserts the same text and the same return value each time. */
static void same_as_host(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void same_as_host(const char *fmt, ...)
{
    char want[OUT_MAX], got[OUT_MAX + 1];
    va_list ap, host;
    va_start(ap, fmt);
    va_copy(host, ap);
    int want_len = vsnprintf(want, sizeof want, fmt, host);
    va_end(host);
    ck_assert_int_ge(want_len, 0);
    ck_assert_int_lt(want_len, OUT_MAX);
    for (size_t size = (size_t)want_len + 1;; size--) {
        va_list mine;
        va_copy(mine, ap);
        memset(got, 'Z', sizeof got);
        int got_len = rt_vsnprintf(got, size, fmt, mine);
        va_end(mine);
        ck_assert_msg(got_len == want_len, "format \"%s\", size %zu: rt returned %d, host %d", fmt, size, got_len,
                      want_len);
        if (size > 0) {
            ck_assert_msg(strncmp(got, want, size - 1) == 0 && got[size - 1] == '\0',
                          "format \"%s\", size %zu: rt wrote \"%s\", host \"%.*s\"", fmt, size, got, (int)size - 1,
                          want);
        }
        ck_assert_msg(got[size] == 'Z', "format \"%s\", size %zu: rt wrote past the buffer", fmt, size);
        if (size == 0)
            break;
    }
    va_end(ap);
}

START_TEST(signed_decimal_matches_host)
{
    same_as_host("%d", 0);
    same_as_host("%d", 1);
    same_as_host("%d", -1);
    same_as_host("%d|%d", 42, -42);
    same_as_host("%d", INT_MAX);
    same_as_host("%d", INT_MIN);
    same_as_host("%i", 12345);
    same_as_host("%i", -98765);
    same_as_host("%i", INT_MIN);
}
END_TEST

START_TEST(unsigned_and_hex_match_host)
{
    same_as_host("%u", 0u);
    same_as_host("%u", 4000000000u);
    same_as_host("%u", UINT_MAX);
    same_as_host("%x", 0u);
    same_as_host("%x", 0xdeadbeefu);
    same_as_host("%X", 0xdeadbeefu);
    same_as_host("%x", UINT_MAX);
    same_as_host("%X|%x", 0xabcu, 0xabcu);
    /* A negative int read as unsigned. */
    same_as_host("%u %x", (unsigned)-5, (unsigned)-5);
}
END_TEST

START_TEST(char_string_and_percent_match_host)
{
    same_as_host("%c", 'A');
    same_as_host("[%c%c%c]", 'x', ' ', '~');
    same_as_host("%s", "hello");
    same_as_host("%s", "");
    same_as_host("<%s> and <%s>", "one", "two");
    same_as_host("100%%");
    same_as_host("%%d %d %%", 7);
    same_as_host("plain text, no conversions");
    same_as_host("%s=%d (%x) %c", "key", -3, 255u, 'q');
}
END_TEST

START_TEST(pointer_matches_host)
{
    int local = 0;
    same_as_host("%p", (void *)0x1234);
    same_as_host("%p", (void *)&local);
    same_as_host("%p", (void *)UINTPTR_MAX);
    same_as_host("at %p.", (void *)0xffff800000000000ull);
}
END_TEST

START_TEST(flags_and_widths_match_host)
{
    same_as_host("[%5d]", 42);
    same_as_host("[%-5d]", 42);
    same_as_host("[%05d]", 42);
    same_as_host("[%05d]", -42);
    same_as_host("[%5d]", -42);
    same_as_host("[%-5d]", -42);
    same_as_host("[%1d]", 12345);
    same_as_host("[%010u]", 4000000000u);
    same_as_host("[%8x]", 0xbeefu);
    same_as_host("[%08x]", 0xbeefu);
    same_as_host("[%-8X]", 0xbeefu);
    same_as_host("[%3c]", 'c');
    same_as_host("[%-3c]", 'c');
    same_as_host("[%8s]", "abc");
    same_as_host("[%-8s]", "abc");
    same_as_host("[%2s]", "abcdef");
    same_as_host("[%*d]", 6, 42);
    same_as_host("[%-*s]", 6, "ab");
    same_as_host("[%0*x]", 6, 0xffu);
    same_as_host("[%20d]", INT_MIN);
}
END_TEST

START_TEST(string_precision_matches_host)
{
    same_as_host("[%.*s]", 3, "abcdef");
    same_as_host("[%.*s]", 0, "abcdef");
    same_as_host("[%.*s]", 10, "abc");
    same_as_host("[%.2s]", "abc");
    same_as_host("[%.0s]", "abc");
    same_as_host("[%5.2s]", "abc");
    same_as_host("[%-5.2s]", "abc");
    same_as_host("[%.*s]", -1, "negative precision means none");
    /* The precision bounds the read: the bytes need not be terminated. */
    const char unterminated[4] = {'w', 'x', 'y', 'z'};
    same_as_host("[%.*s]", 4, unterminated);
    same_as_host("[%.3s]", unterminated);
}
END_TEST

START_TEST(length_modifiers_match_host)
{
    same_as_host("%ld", LONG_MIN);
    same_as_host("%ld", LONG_MAX);
    same_as_host("%lu", ULONG_MAX);
    same_as_host("%lx", 0x123456789abcdefUL);
    same_as_host("%lld", (long long)INT64_MIN);
    same_as_host("%lld", (long long)INT64_MAX);
    same_as_host("%llu", (unsigned long long)UINT64_MAX);
    same_as_host("%llx", (unsigned long long)UINT64_MAX);
    same_as_host("%llX", 0xfedcba9876543210ull);
    same_as_host("%lli", -1ll);
    same_as_host("%zu", (size_t)SIZE_MAX);
    same_as_host("%zx", (size_t)0x1000);
    same_as_host("[%-22lld]", (long long)INT64_MIN);
    same_as_host("[%022lld]", (long long)INT64_MIN);
    same_as_host("[%20llu]", (unsigned long long)UINT64_MAX);
    /* Narrow arguments after wide ones stay in step. */
    same_as_host("%llu %d %lx %c %s", 1ull << 40, -7, 0xfUL, 'k', "end");
}
END_TEST

START_TEST(null_string_prints_null_in_parentheses)
{
    const char *volatile nothing = NULL;
    char buf[32];
    ck_assert_int_eq(rt_snprintf(buf, sizeof buf, "%s", nothing), 6);
    ck_assert_str_eq(buf, "(null)");
    ck_assert_int_eq(rt_snprintf(buf, sizeof buf, "[%8s]", nothing), 10);
    ck_assert_str_eq(buf, "[  (null)]");
}
END_TEST

START_TEST(truncation_returns_full_length_and_terminates)
{
    char buf[16];
    memset(buf, 'X', sizeof buf);
    ck_assert_int_eq(rt_snprintf(buf, 5, "hello %s", "world"), 11);
    ck_assert_str_eq(buf, "hell");
    ck_assert_int_eq(buf[5], 'X');
    memset(buf, 'X', sizeof buf);
    ck_assert_int_eq(rt_snprintf(buf, 1, "%d", 12345), 5);
    ck_assert_int_eq(buf[0], '\0');
    ck_assert_int_eq(buf[1], 'X');
    memset(buf, 'X', sizeof buf);
    ck_assert_int_eq(rt_snprintf(buf, 0, "%d", 12345), 5);
    ck_assert_int_eq(buf[0], 'X');
    ck_assert_int_eq(rt_snprintf(NULL, 0, "%s%s", "abc", "de"), 5);
    /* An exact fit: 5 characters and the terminator. */
    ck_assert_int_eq(rt_snprintf(buf, 6, "%05d", 42), 5);
    ck_assert_str_eq(buf, "00042");
}
END_TEST

START_TEST(empty_format_gives_empty_string)
{
    char buf[4] = "abc";
    ck_assert_int_eq(rt_snprintf(buf, sizeof buf, "%s", ""), 0);
    ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(memcpy_copies_and_returns_destination)
{
    unsigned char src[8] = {1, 2, 3, 4, 5, 6, 7, 8}, dst[10];
    memset(dst, 0xee, sizeof dst);
    ck_assert_ptr_eq(rt_memcpy(dst + 1, src, sizeof src), dst + 1);
    ck_assert_int_eq(dst[0], 0xee);
    ck_assert_mem_eq(dst + 1, src, sizeof src);
    ck_assert_int_eq(dst[9], 0xee);
    ck_assert_ptr_eq(rt_memcpy(dst, src, 0), dst);
    ck_assert_int_eq(dst[0], 0xee);
}
END_TEST

START_TEST(memset_fills_and_returns_destination)
{
    unsigned char buf[8];
    memset(buf, 0, sizeof buf);
    ck_assert_ptr_eq(rt_memset(buf + 2, 0x1ab, 4), buf + 2);
    const unsigned char want[8] = {0, 0, 0xab, 0xab, 0xab, 0xab, 0, 0};
    ck_assert_mem_eq(buf, want, sizeof want);
    ck_assert_ptr_eq(rt_memset(buf, 0x77, 0), buf);
    ck_assert_int_eq(buf[0], 0);
}
END_TEST

START_TEST(memcmp_gives_the_sign_of_the_first_difference)
{
    ck_assert_int_eq(rt_memcmp("abc", "abc", 3), 0);
    ck_assert_int_lt(rt_memcmp("abc", "abd", 3), 0);
    ck_assert_int_gt(rt_memcmp("abd", "abc", 3), 0);
    ck_assert_int_eq(rt_memcmp("abX", "abY", 2), 0);
    ck_assert_int_eq(rt_memcmp("a", "b", 0), 0);
    /* Bytes compare as unsigned char. */
    const unsigned char high[1] = {0x80}, low[1] = {0x01};
    ck_assert_int_gt(rt_memcmp(high, low, 1), 0);
    ck_assert_int_lt(rt_memcmp(low, high, 1), 0);
    /* Only the first difference counts. */
    ck_assert_int_lt(rt_memcmp("\x01\xff", "\x02\x00", 2), 0);
}
END_TEST

START_TEST(strlen_and_strnlen)
{
    ck_assert_uint_eq(rt_strlen(""), 0);
    ck_assert_uint_eq(rt_strlen("microsim"), 8);
    ck_assert_uint_eq(rt_strnlen("microsim", 100), 8);
    ck_assert_uint_eq(rt_strnlen("microsim", 8), 8);
    ck_assert_uint_eq(rt_strnlen("microsim", 3), 3);
    ck_assert_uint_eq(rt_strnlen("microsim", 0), 0);
    ck_assert_uint_eq(rt_strnlen("", 5), 0);
    /* Never reads past max: the bytes need not be terminated. */
    const char unterminated[3] = {'a', 'b', 'c'};
    ck_assert_uint_eq(rt_strnlen(unterminated, 3), 3);
}
END_TEST

START_TEST(strcmp_gives_the_sign_of_the_first_difference)
{
    ck_assert_int_eq(rt_strcmp("", ""), 0);
    ck_assert_int_eq(rt_strcmp("same", "same"), 0);
    ck_assert_int_lt(rt_strcmp("abc", "abd"), 0);
    ck_assert_int_gt(rt_strcmp("abd", "abc"), 0);
    ck_assert_int_lt(rt_strcmp("ab", "abc"), 0);
    ck_assert_int_gt(rt_strcmp("abc", "ab"), 0);
    ck_assert_int_gt(rt_strcmp("\x80", "\x01"), 0);
}
END_TEST

START_TEST(strlcpy_copies_whole_string_when_it_fits)
{
    char buf[8];
    memset(buf, 'X', sizeof buf);
    ck_assert_uint_eq(rt_strlcpy(buf, "abc", sizeof buf), 3);
    ck_assert_str_eq(buf, "abc");
    ck_assert_int_eq(buf[4], 'X');
    /* Exactly size - 1 characters still fit. */
    ck_assert_uint_eq(rt_strlcpy(buf, "1234567", sizeof buf), 7);
    ck_assert_str_eq(buf, "1234567");
}
END_TEST

START_TEST(strlcpy_truncates_and_returns_source_length)
{
    char buf[8];
    memset(buf, 'X', sizeof buf);
    ck_assert_uint_eq(rt_strlcpy(buf, "a longer string", 5), 15);
    ck_assert_str_eq(buf, "a lo");
    ck_assert_int_eq(buf[5], 'X');
    ck_assert_uint_eq(rt_strlcpy(buf, "anything", 1), 8);
    ck_assert_str_eq(buf, "");
    memset(buf, 'X', sizeof buf);
    ck_assert_uint_eq(rt_strlcpy(buf, "untouched", 0), 9);
    ck_assert_int_eq(buf[0], 'X');
}
END_TEST

/* The 0x of %p belongs to the padded field. */
START_TEST(pointer_width_matches_host)
{
    same_as_host("[%18p]", (void *)0x1234);
    same_as_host("[%-18p]", (void *)0x1234);
}
END_TEST

/* As in C, a negative width from '*' is the '-' flag with the positive width. */
START_TEST(negative_star_width_pads_on_the_right)
{
    same_as_host("[%*d]", -6, 42);
    same_as_host("[%*s]", -5, "ab");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("rt");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, signed_decimal_matches_host);
    tcase_add_test(tc, unsigned_and_hex_match_host);
    tcase_add_test(tc, char_string_and_percent_match_host);
    tcase_add_test(tc, pointer_matches_host);
    tcase_add_test(tc, flags_and_widths_match_host);
    tcase_add_test(tc, string_precision_matches_host);
    tcase_add_test(tc, length_modifiers_match_host);
    tcase_add_test(tc, null_string_prints_null_in_parentheses);
    tcase_add_test(tc, truncation_returns_full_length_and_terminates);
    tcase_add_test(tc, empty_format_gives_empty_string);
    tcase_add_test(tc, memcpy_copies_and_returns_destination);
    tcase_add_test(tc, memset_fills_and_returns_destination);
    tcase_add_test(tc, memcmp_gives_the_sign_of_the_first_difference);
    tcase_add_test(tc, strlen_and_strnlen);
    tcase_add_test(tc, strcmp_gives_the_sign_of_the_first_difference);
    tcase_add_test(tc, strlcpy_copies_whole_string_when_it_fits);
    tcase_add_test(tc, strlcpy_truncates_and_returns_source_length);
    tcase_add_test(tc, pointer_width_matches_host);
    tcase_add_test(tc, negative_star_width_pads_on_the_right);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
