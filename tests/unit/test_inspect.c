/* Unit tests of the instruction-level inspection layer, against this test program's own code. */
#include <capstone/capstone.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "check_main.h"
#include "inspect.h"

/* A function whose place in this file the tests know: written on one line,
 * so that every instruction of it, prologue included, is on PROBE_LINE at any
 * optimisation level. Extern (with a prototype) so that gcc keeps it whole at
 * its symbol even if it clones it for a caller. */
int inspect_probe(int x);
enum { PROBE_LINE = __LINE__ + 2 };
/* clang-format off */
__attribute__((noinline)) int inspect_probe(int x) { return x * 3 + 1; }
/* clang-format on */

/* A weak alias at the probe's address, named to sort before it: a lookup
 * must still name the probe (a global symbol wins over a weak one). */
int an_alias_of_the_probe(int x) __attribute__((weak, alias("inspect_probe")));

/* Assembler labels without type or size, as hand-written assembly has: in
 * code, one reaches the next symbol; in data, one is no function. */
void inspect_label(void);
extern const uint8_t inspect_data_label[];
__asm__(".pushsection .text\n"
        "inspect_label:\n"
        "    nop\n"
        "    nop\n"
        "    ud2\n"
        ".popsection\n"
        ".pushsection .rodata\n"
        "inspect_data_label:\n"
        "    .byte 0x90, 0x90\n"
        ".popsection\n");

/* Machine code with known decodings, in .rodata (readable, never run). */
static const uint8_t known_code[] = {
    0x48, 0x89, 0xc7, /* movq %rax, %rdi */
    0xc3,             /* retq */
    0x0f, 0x0b,       /* ud2 */
    0xe4, 0x60,       /* inb $0x60, %al */
};

static sim_inspect_t *in;

static void open_session(void)
{
    ck_assert_msg(sim_inspect_open(&in) == 0, "sim_inspect_open: %s", sim_inspect_error());
    ck_assert_ptr_nonnull(in);
}

static void close_session(void)
{
    sim_inspect_close(in);
    in = NULL;
}

/* Two fresh read-write pages; the caller unmaps them (8 KiB at the result). */
static uint8_t *two_pages(size_t *page)
{
    *page = (size_t)sysconf(_SC_PAGESIZE);
    void *map = mmap(NULL, 2 * *page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(map, MAP_FAILED);
    return map;
}

static void assert_insn(uintptr_t addr, unsigned len, const char *mnemonic, const char *operands)
{
    sim_insn_t insn;
    ck_assert_msg(sim_inspect_insn(in, addr, &insn) == 0, "decode: %s", sim_inspect_error());
    ck_assert_uint_eq(insn.addr, addr);
    ck_assert_uint_eq(insn.len, len);
    ck_assert_mem_eq(insn.bytes, (const void *)addr, len);
    ck_assert_str_eq(insn.mnemonic, mnemonic);
    ck_assert_str_eq(insn.operands, operands);
}

START_TEST(open_gives_a_session_and_close_accepts_null)
{
    sim_inspect_t *other = NULL;
    ck_assert_int_eq(sim_inspect_open(&other), 0);
    ck_assert_ptr_nonnull(other);
    ck_assert_ptr_ne(other, in);
    sim_inspect_close(other);
    sim_inspect_close(NULL);
}
END_TEST

START_TEST(known_bytes_decode_in_att_syntax)
{
    uintptr_t code = (uintptr_t)known_code;
    assert_insn(code, 3, "movq", "%rax, %rdi");
    assert_insn(code + 3, 1, "retq", "");
    assert_insn(code + 4, 2, "ud2", "");
    assert_insn(code + 6, 2, "inb", "$0x60, %al");
}
END_TEST

START_TEST(instruction_across_a_page_boundary_decodes_whole)
{
    size_t page;
    uint8_t *map = two_pages(&page);
    memcpy(map + page - 2, known_code, 3); /* 48 89 | c7 */
    assert_insn((uintptr_t)(map + page - 2), 3, "movq", "%rax, %rdi");
    munmap(map, 2 * page);
}
END_TEST

START_TEST(instruction_cut_by_an_unmapped_page_fails_cleanly)
{
    size_t page;
    uint8_t *map = two_pages(&page);
    memcpy(map + page - 2, known_code, 2); /* 48 89, then nothing */
    munmap(map + page, page);
    sim_insn_t insn;
    ck_assert_int_eq(sim_inspect_insn(in, (uintptr_t)(map + page - 2), &insn), -1);
    ck_assert_uint_eq(insn.len, 0);
    ck_assert_ptr_nonnull(strstr(sim_inspect_error(), "no instruction at"));
    munmap(map, page);
}
END_TEST

START_TEST(function_entry_resolves_to_its_name_file_and_line)
{
    sim_line_t where;
    ck_assert_msg(sim_inspect_line(in, (uintptr_t)inspect_probe, &where) == 0, "%s", sim_inspect_error());
    ck_assert_str_eq(where.function, "inspect_probe");
    ck_assert_uint_eq(where.offset, 0);
    ck_assert_str_eq(where.file, "test_inspect.c");
    ck_assert_int_eq(where.path[0], '/');
    const char *tail = "/tests/unit/test_inspect.c";
    ck_assert_str_eq(where.path + strlen(where.path) - strlen(tail), tail);
    ck_assert_int_eq(where.line, PROBE_LINE);
    ck_assert_ptr_nonnull(where.module);
    ck_assert_ptr_nonnull(strstr(where.module, "test_inspect"));
}
END_TEST

/* Walks the probe like a stepper: every instruction up to its return is in
 * the probe, at the offset the decoded lengths add up to, on its line. */
START_TEST(addresses_inside_a_function_have_their_offset)
{
    uintptr_t entry = (uintptr_t)inspect_probe, addr = entry;
    sim_insn_t insn;
    int steps = 0;
    do {
        ck_assert_msg(sim_inspect_insn(in, addr, &insn) == 0, "%s", sim_inspect_error());
        sim_line_t where;
        ck_assert_int_eq(sim_inspect_line(in, addr, &where), 0);
        ck_assert_str_eq(where.function, "inspect_probe");
        ck_assert_uint_eq(where.offset, addr - entry);
        ck_assert_str_eq(where.file, "test_inspect.c");
        ck_assert_int_eq(where.line, PROBE_LINE);
        addr += insn.len;
        ck_assert_int_lt(++steps, 100);
    } while (strncmp(insn.mnemonic, "ret", 3) != 0);
    ck_assert_int_ge(steps, 2);
}
END_TEST

START_TEST(address_in_no_mapped_file_is_unknown)
{
    size_t page;
    uint8_t *anonymous = two_pages(&page);
    int on_stack = 0;
    uintptr_t addrs[] = {0, 0x10, (uintptr_t)anonymous, (uintptr_t)&on_stack, UINTPTR_MAX};
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        sim_line_t where;
        ck_assert_int_eq(sim_inspect_line(in, addrs[i], &where), -1);
        ck_assert_ptr_null(where.module);
        ck_assert_ptr_null(where.function);
        ck_assert_ptr_null(where.path);
        ck_assert_ptr_null(where.file);
        ck_assert_int_eq(where.line, 0);
        ck_assert_ptr_nonnull(strstr(sim_inspect_error(), "is in no mapped file"));
    }
    munmap(anonymous, 2 * page);
}
END_TEST

START_TEST(data_in_the_program_is_no_function)
{
    uintptr_t data[] = {(uintptr_t)known_code, (uintptr_t)inspect_data_label + 1};
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
        sim_line_t where;
        ck_assert_int_eq(sim_inspect_line(in, data[i], &where), -1);
        ck_assert_ptr_nonnull(strstr(where.module, "test_inspect"));
        ck_assert_ptr_null(where.function);
        ck_assert_ptr_nonnull(strstr(sim_inspect_error(), "has no symbol and no line information"));
    }
}
END_TEST

START_TEST(assembler_label_without_size_contains_the_code_after_it)
{
    sim_line_t where;
    ck_assert_int_eq(sim_inspect_line(in, (uintptr_t)inspect_label + 2, &where), 0);
    ck_assert_str_eq(where.function, "inspect_label");
    ck_assert_uint_eq(where.offset, 2);
    assert_insn((uintptr_t)inspect_label + 2, 2, "ud2", "");
}
END_TEST

/* Debian ships libraries stripped of DWARF: their code has a dynamic symbol
 * and no line. The address is the library's own (this program is a PIE). */
START_TEST(library_code_without_debug_info_has_a_symbol_and_no_line)
{
    sim_line_t where;
    ck_assert_int_eq(sim_inspect_line(in, (uintptr_t)cs_version, &where), 0);
    ck_assert_str_eq(where.function, "cs_version");
    ck_assert_uint_eq(where.offset, 0);
    ck_assert_ptr_nonnull(strstr(where.module, "libcapstone"));
    ck_assert_ptr_null(where.path);
    ck_assert_ptr_null(where.file);
    ck_assert_int_eq(where.line, 0);
}
END_TEST

START_TEST(format_has_the_documented_columns)
{
    uintptr_t addr = (uintptr_t)inspect_probe;
    char line[512], location[64], expected[512];
    sim_insn_t insn;
    ck_assert_int_eq(sim_inspect_insn(in, addr, &insn), 0);
    snprintf(location, sizeof location, "inspect_probe+0x0 (test_inspect.c:%d)", PROBE_LINE);
    snprintf(expected, sizeof expected, "0x%016lx  %-40s  %-6s %s", (unsigned long)addr, location, insn.mnemonic,
             insn.operands);
    if (!insn.operands[0])
        snprintf(expected, sizeof expected, "0x%016lx  %-40s  %s", (unsigned long)addr, location, insn.mnemonic);
    ck_assert_uint_eq(sim_inspect_format(in, addr, line, sizeof line), strlen(expected));
    ck_assert_str_eq(line, expected);
    ck_assert_int_eq(line[1], 'x');
    ck_assert_mem_eq(line + 18, "  inspect_probe+0x0 (", 21);
    ck_assert_int_ne(line[20 + SIM_INSPECT_LOCATION_WIDTH + 2], ' ');
}
END_TEST

START_TEST(format_pads_the_mnemonic_and_omits_missing_operands)
{
    char line[256];
    uintptr_t code = (uintptr_t)known_code;
    size_t len = sim_inspect_format(in, code, line, sizeof line);
    const char *movq = "  movq   %rax, %rdi";
    ck_assert_uint_ge(len, strlen(movq));
    ck_assert_str_eq(line + len - strlen(movq), movq);
    len = sim_inspect_format(in, code + 3, line, sizeof line);
    ck_assert_str_eq(line + len - 6, "  retq");
}
END_TEST

START_TEST(format_of_unknown_bytes_in_anonymous_memory)
{
    size_t page;
    uint8_t *map = two_pages(&page);
    memcpy(map + page - 2, known_code, 2);
    munmap(map + page, page);
    uintptr_t addr = (uintptr_t)(map + page - 2);
    char line[256], expected[256];
    snprintf(expected, sizeof expected, "0x%016lx  %-40s  (bad)", (unsigned long)addr, "??");
    ck_assert_uint_eq(sim_inspect_format(in, addr, line, sizeof line), strlen(expected));
    ck_assert_str_eq(line, expected);
    munmap(map, page);
}
END_TEST

START_TEST(format_truncates_like_snprintf)
{
    enum { CUT = 12 };
    char whole[256], area[128]; /* the line goes into the first CUT bytes; the rest must stay untouched */
    size_t len = sim_inspect_format(in, (uintptr_t)known_code, whole, sizeof whole);
    ck_assert_uint_gt(len, CUT);
    memset(area, 'X', sizeof area);
    ck_assert_uint_eq(sim_inspect_format(in, (uintptr_t)known_code, area, CUT), len);
    ck_assert_mem_eq(area, whole, CUT - 1);
    ck_assert_int_eq(area[CUT - 1], '\0');
    for (size_t i = CUT; i < sizeof area; i++)
        ck_assert_int_eq(area[i], 'X');
    memset(area, 'X', sizeof area);
    ck_assert_uint_eq(sim_inspect_format(in, (uintptr_t)known_code, area, 0), len);
    ck_assert_int_eq(area[0], 'X');
}
END_TEST

/* A stepper formats one line per instruction: that must cost less than the
 * single step itself (about 15 us here), even with sanitizers (about 2 us;
 * 0.6 us without). Reopening libdwfl per line would cost 100 us. */
START_TEST(formatting_is_cheap_once_the_session_is_open)
{
    enum { LINES = 20000 };
    char line[256];
    sim_inspect_format(in, (uintptr_t)inspect_probe, line, sizeof line); /* loads the DWARF */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t shortest = SIZE_MAX; /* no ck_assert in the loop: each one writes to libcheck's log */
    for (int i = 0; i < LINES; i++) {
        uintptr_t addr = i % 2 ? (uintptr_t)inspect_probe : (uintptr_t)open_session;
        size_t len = sim_inspect_format(in, addr, line, sizeof line);
        shortest = len < shortest ? len : shortest;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_uint_gt(shortest, 20 + SIM_INSPECT_LOCATION_WIDTH);
    double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / LINES;
    if (!RUNNING_ON_VALGRIND) /* about 50 us there */
        ck_assert_msg(us < 15, "%.1f us per formatted line", us);
}
END_TEST

static Suite *inspect_suite(void)
{
    Suite *s = suite_create("inspect");
    TCase *tc = tcase_create("inspect");
    tcase_add_checked_fixture(tc, open_session, close_session);
    tcase_add_test(tc, open_gives_a_session_and_close_accepts_null);
    tcase_add_test(tc, known_bytes_decode_in_att_syntax);
    tcase_add_test(tc, instruction_across_a_page_boundary_decodes_whole);
    tcase_add_test(tc, instruction_cut_by_an_unmapped_page_fails_cleanly);
    tcase_add_test(tc, function_entry_resolves_to_its_name_file_and_line);
    tcase_add_test(tc, addresses_inside_a_function_have_their_offset);
    tcase_add_test(tc, address_in_no_mapped_file_is_unknown);
    tcase_add_test(tc, data_in_the_program_is_no_function);
    tcase_add_test(tc, assembler_label_without_size_contains_the_code_after_it);
    tcase_add_test(tc, library_code_without_debug_info_has_a_symbol_and_no_line);
    tcase_add_test(tc, format_has_the_documented_columns);
    tcase_add_test(tc, format_pads_the_mnemonic_and_omits_missing_operands);
    tcase_add_test(tc, format_of_unknown_bytes_in_anonymous_memory);
    tcase_add_test(tc, format_truncates_like_snprintf);
    tcase_add_test(tc, formatting_is_cheap_once_the_session_is_open);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(inspect_suite)
