/* Unit tests of the simulated MMU: the x86-64 page walk over hand-built tables, and the hosted TLB. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "mmu.h"

#define PAGE 4096ull
#define MEM (4ull << 20)
#define TABLE (HW_PTE_P | HW_PTE_W | HW_PTE_U) /* an intermediate entry that allows everything */

/* A space: its four tables (PML4, PDPT, PD, PT), at physical addresses. */
typedef struct tables {
    uint64_t t[4];
} tables_t;

static const tables_t A = {{0x1000, 0x2000, 0x3000, 0x4000}};
static const tables_t B = {{0x5000, 0x6000, 0x7000, 0x8000}};
#define FRAME 0x10000ull
#define FRAME2 0x11000ull

/* An address outside the window whose walk uses PML4[1], PDPT[2], PD[3], PT[4], at offset 0x123. */
#define VA ((1ull << 39) | (2ull << 30) | (3ull << 21) | (4ull << 12) | 0x123)

/* The hosted TLB's window and addresses in it. */
#define WBASE 0x60000000ul
#define WSIZE (16ul << 20)
#define W_VA (WBASE + 0x5000)
#define W_VA2 (WBASE + 0x9000)

/* The access kinds, as error-code bits. */
#define SUP_READ 0u
#define SUP_WRITE HW_PF_W
#define SUP_FETCH HW_PF_I
#define USER_READ HW_PF_U
#define USER_WRITE (HW_PF_U | HW_PF_W)
#define USER_FETCH (HW_PF_U | HW_PF_I)
static const unsigned accesses[] = {SUP_READ, SUP_WRITE, SUP_FETCH, USER_READ, USER_WRITE, USER_FETCH};
#define NACCESSES (sizeof accesses / sizeof accesses[0])

static hw_physmem_t pm;
static hw_mmu_t mmu;

static uint64_t *entry(uint64_t table, unsigned index)
{
    return (uint64_t *)(pm.map + table + index * 8u);
}

/* The entry of s that the walk of va reads at level (0: PML4 .. 3: PT). */
static uint64_t *pte(const tables_t *s, uint64_t va, unsigned level)
{
    return entry(s->t[level], (unsigned)(va >> (39 - 9 * level)) & 511u);
}

/* Points every level of va's walk in s at the next table, and the leaf at frame with leaf bits. */
static void map_page(const tables_t *s, uint64_t va, uint64_t frame, uint64_t leaf)
{
    for (unsigned l = 0; l < 3; l++)
        *pte(s, va, l) = s->t[l + 1] | TABLE;
    *pte(s, va, 3) = frame | leaf;
}

/* As map_page for VA in A (to FRAME), with the given bits at each level. */
static void build(uint64_t l0, uint64_t l1, uint64_t l2, uint64_t l3)
{
    const uint64_t bits[4] = {l0, l1, l2, l3};
    for (unsigned l = 0; l < 3; l++)
        *pte(&A, VA, l) = A.t[l + 1] | bits[l];
    *pte(&A, VA, 3) = FRAME | bits[3];
}

/* VA's walk in A ends at level (1: a 1 GiB page, 2: 2 MiB) in a large page entry. */
static void build_large(unsigned level, uint64_t entry_bits)
{
    build(TABLE, TABLE, TABLE, TABLE);
    *pte(&A, VA, level) = entry_bits | HW_PTE_PS;
}

static hw_walk_result_t walk(uint64_t va, unsigned access, hw_walk_t *w)
{
    return hw_mmu_walk(&pm, A.t[0], va, access, w);
}

/* The walk of VA faults with exactly error. */
static void expect_fault(unsigned access, unsigned error)
{
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, access, &w), HW_WALK_PF);
    ck_assert_uint_eq(w.error, error);
}

/* Which of the first levels of VA's walk in A have the accessed bit (bit l set: level l). */
static unsigned accessed_levels(unsigned levels)
{
    unsigned mask = 0;
    for (unsigned l = 0; l < levels; l++)
        if (*pte(&A, VA, l) & HW_PTE_A)
            mask |= 1u << l;
    return mask;
}

static void setup(void)
{
    ck_assert_int_eq(hw_physmem_init(&pm, MEM), 0);
}

static void teardown(void)
{
    hw_physmem_fini(&pm);
}

/* ---- rights ---- */

/* The rights rule of a CPU with CR0.WP and NXE and neither SMEP nor SMAP. */
static int allowed(unsigned access, int user, int writable, int executable)
{
    if ((access & HW_PF_U) && !user)
        return 0;
    if ((access & HW_PF_W) && !writable)
        return 0;
    return !(access & HW_PF_I) || executable;
}

/* Bits for a combination c of the three rights (1: U, 2: W, 4: not NX). */
static uint64_t rights_bits(unsigned c)
{
    return HW_PTE_P | ((c & 1) ? HW_PTE_U : 0) | ((c & 2) ? HW_PTE_W : 0) | ((c & 4) ? 0 : HW_PTE_NX);
}

/* Walks VA for every access and checks the outcome against rights combination c. */
static void check_every_access(unsigned c, const char *where)
{
    for (unsigned i = 0; i < NACCESSES; i++) {
        hw_walk_t w;
        unsigned a = accesses[i];
        hw_walk_result_t r = walk(VA, a, &w);
        int ok = allowed(a, c & 1, (c & 2) != 0, (c & 4) != 0);
        ck_assert_msg(r == (ok ? HW_WALK_OK : HW_WALK_PF), "%s rights %u access %#x: result %d", where, c, a, r);
        if (ok) {
            ck_assert_uint_eq(w.pa, FRAME + 0x123);
            ck_assert_msg(w.user == (int)(c & 1) && w.writable == ((c & 2) != 0) && w.executable == ((c & 4) != 0),
                          "%s rights %u: effective rights %d%d%d", where, c, w.user, w.writable, w.executable);
        } else {
            ck_assert_msg(w.error == (a | HW_PF_P), "%s rights %u access %#x: error %#x", where, c, a, w.error);
        }
    }
}

START_TEST(rights_at_any_one_level_restrict_the_page)
{
    for (unsigned level = 0; level < 4; level++)
        for (unsigned c = 0; c < 8; c++) {
            uint64_t bits[4] = {TABLE, TABLE, TABLE, TABLE};
            bits[level] = rights_bits(c);
            build(bits[0], bits[1], bits[2], bits[3]);
            char where[16];
            snprintf(where, sizeof where, "level %u", level);
            check_every_access(c, where);
        }
}
END_TEST

START_TEST(rights_at_two_levels_are_intersected)
{
    static const unsigned upper[] = {0, 1, 2};
    for (unsigned u = 0; u < 3; u++)
        for (unsigned c1 = 0; c1 < 8; c1++)
            for (unsigned c2 = 0; c2 < 8; c2++) {
                uint64_t bits[4] = {TABLE, TABLE, TABLE, rights_bits(c2)};
                bits[upper[u]] = rights_bits(c1);
                build(bits[0], bits[1], bits[2], bits[3]);
                char where[24];
                snprintf(where, sizeof where, "level %u and leaf", upper[u]);
                check_every_access(c1 & c2, where);
            }
}
END_TEST

START_TEST(supervisor_write_to_a_read_only_page_faults)
{
    build(TABLE, TABLE, TABLE, HW_PTE_P | HW_PTE_U);
    expect_fault(SUP_WRITE, HW_PF_P | HW_PF_W);
    build(TABLE, HW_PTE_P | HW_PTE_U, TABLE, TABLE);
    expect_fault(SUP_WRITE, HW_PF_P | HW_PF_W);
}
END_TEST

START_TEST(supervisor_reads_and_fetches_user_pages)
{
    build(TABLE, TABLE, TABLE, HW_PTE_P | HW_PTE_U);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, SUP_READ, &w), HW_WALK_OK);
    ck_assert_int_eq(walk(VA, SUP_FETCH, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, FRAME + 0x123);
}
END_TEST

START_TEST(user_access_to_a_supervisor_page_faults_with_p_and_u)
{
    build(TABLE, TABLE, HW_PTE_P | HW_PTE_W, TABLE);
    expect_fault(USER_READ, HW_PF_P | HW_PF_U);
    expect_fault(USER_WRITE, HW_PF_P | HW_PF_W | HW_PF_U);
    expect_fault(USER_FETCH, HW_PF_P | HW_PF_U | HW_PF_I);
}
END_TEST

START_TEST(nx_above_forbids_fetches_below_but_not_reads)
{
    build(TABLE, TABLE | HW_PTE_NX, TABLE, TABLE);
    expect_fault(USER_FETCH, HW_PF_P | HW_PF_U | HW_PF_I);
    expect_fault(SUP_FETCH, HW_PF_P | HW_PF_I);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, USER_WRITE, &w), HW_WALK_OK);
    ck_assert_int_eq(w.executable, 0);
}
END_TEST

/* ---- not present ---- */

START_TEST(not_present_at_each_level_faults_without_p)
{
    for (unsigned level = 0; level < 4; level++)
        for (unsigned i = 0; i < NACCESSES; i++) {
            build(TABLE, TABLE, TABLE, TABLE);
            *pte(&A, VA, level) &= ~HW_PTE_P;
            hw_walk_t w;
            ck_assert_int_eq(walk(VA, accesses[i], &w), HW_WALK_PF);
            ck_assert_msg(w.error == accesses[i], "level %u access %#x: error %#x", level, accesses[i], w.error);
        }
}
END_TEST

START_TEST(not_present_entry_ignores_its_reserved_bits)
{
    build(TABLE, TABLE, TABLE, (1ull << 45) | HW_PTE_U | HW_PTE_W);
    expect_fault(USER_WRITE, HW_PF_W | HW_PF_U);
}
END_TEST

/* ---- accessed and dirty bits ---- */

START_TEST(success_sets_the_accessed_bit_at_every_level)
{
    build(TABLE, TABLE, TABLE, TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, USER_READ, &w), HW_WALK_OK);
    ck_assert_uint_eq(accessed_levels(4), 0xf);
}
END_TEST

START_TEST(a_fault_sets_no_accessed_bit)
{
    build(TABLE, TABLE, TABLE, HW_PTE_P | HW_PTE_W); /* supervisor leaf */
    expect_fault(USER_READ, HW_PF_P | HW_PF_U);
    ck_assert_uint_eq(accessed_levels(4), 0);
    build(TABLE, TABLE, TABLE, HW_PTE_U | HW_PTE_W); /* leaf not present */
    expect_fault(USER_READ, HW_PF_U);
    ck_assert_uint_eq(accessed_levels(4), 0);
    build(TABLE, TABLE, TABLE | (1ull << 40), TABLE); /* reserved bit in the PD entry */
    expect_fault(USER_READ, HW_PF_P | HW_PF_U | HW_PF_RSVD);
    ck_assert_uint_eq(accessed_levels(4), 0);
}
END_TEST

START_TEST(a_read_sets_no_dirty_bit)
{
    build(TABLE, TABLE, TABLE, TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, USER_READ, &w), HW_WALK_OK);
    ck_assert_int_eq(w.dirty, 0);
    for (unsigned l = 0; l < 4; l++)
        ck_assert_uint_eq(*pte(&A, VA, l) & HW_PTE_D, 0);
}
END_TEST

START_TEST(a_write_sets_the_dirty_bit_on_the_leaf_only)
{
    build(TABLE, TABLE, TABLE, TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, SUP_WRITE, &w), HW_WALK_OK);
    ck_assert_int_eq(w.dirty, 1);
    ck_assert_uint_ne(*pte(&A, VA, 3) & HW_PTE_D, 0);
    for (unsigned l = 0; l < 3; l++)
        ck_assert_msg(!(*pte(&A, VA, l) & HW_PTE_D), "level %u got the dirty bit", l);
}
END_TEST

START_TEST(a_refused_write_sets_no_dirty_bit)
{
    build(TABLE, TABLE, TABLE, HW_PTE_P | HW_PTE_U);
    expect_fault(USER_WRITE, HW_PF_P | HW_PF_W | HW_PF_U);
    ck_assert_uint_eq(*pte(&A, VA, 3) & (HW_PTE_D | HW_PTE_A), 0);
}
END_TEST

START_TEST(a_later_read_reports_an_earlier_write_as_dirty)
{
    build(TABLE, TABLE, TABLE, TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, USER_WRITE, &w), HW_WALK_OK);
    ck_assert_int_eq(walk(VA, USER_READ, &w), HW_WALK_OK);
    ck_assert_int_eq(w.dirty, 1);
}
END_TEST

/* ---- large pages ---- */

/* VA's 2 MiB page (PD[3]) at offset off. */
#define VA_2M(off) (((1ull << 39) | (2ull << 30) | (3ull << 21)) + (off))
/* VA's 1 GiB page (PDPT[2]) at offset off. */
#define VA_1G(off) (((1ull << 39) | (2ull << 30)) + (off))

START_TEST(two_mib_page_translates_with_its_offset)
{
    build_large(2, 0x200000 | TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA_2M(0x12345), USER_WRITE, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, 0x212345);
    ck_assert_uint_eq(w.page_size, 2u << 20);
    ck_assert_uint_ne(*pte(&A, VA, 2) & HW_PTE_D, 0);
    ck_assert_uint_eq(*pte(&A, VA, 1) & HW_PTE_D, 0);
    ck_assert_uint_eq(accessed_levels(3), 0x7);
}
END_TEST

START_TEST(two_mib_page_frame_ignores_the_pat_bit)
{
    build_large(2, 0x200000 | 0x1000 | TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA_2M(0x1ffff8), USER_READ, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, 0x3ffff8);
}
END_TEST

START_TEST(misaligned_two_mib_frame_is_reserved)
{
    for (uint64_t bit = 0x2000; bit <= 0x100000; bit <<= 1) {
        build_large(2, (0x200000 | bit) | TABLE);
        hw_walk_t w;
        ck_assert_int_eq(walk(VA_2M(0), USER_READ, &w), HW_WALK_PF);
        ck_assert_msg(w.error == (HW_PF_P | HW_PF_U | HW_PF_RSVD), "frame bit %#llx: error %#x",
                      (unsigned long long)bit, w.error);
        ck_assert_uint_eq(accessed_levels(3), 0);
    }
}
END_TEST

START_TEST(two_mib_page_reaching_past_memory_is_reserved)
{
    build_large(2, MEM | TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA_2M(0), SUP_READ, &w), HW_WALK_PF);
    ck_assert_uint_eq(w.error, HW_PF_P | HW_PF_RSVD);
}
END_TEST

/* 1 GiB pages need a memory of more than 1 GiB (a sparse memory file). */
static void use_big_memory(void)
{
    hw_physmem_fini(&pm);
    ck_assert_int_eq(hw_physmem_init(&pm, 2ull << 30), 0);
}

START_TEST(one_gib_page_translates_with_its_offset)
{
    use_big_memory();
    build_large(1, (1ull << 30) | 0x1000 | TABLE);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA_1G(0x12345678), USER_WRITE, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, 0x52345678);
    ck_assert_uint_eq(w.page_size, 1u << 30);
    ck_assert_uint_ne(*pte(&A, VA, 1) & HW_PTE_D, 0);
    ck_assert_uint_eq(*pte(&A, VA, 0) & HW_PTE_D, 0);
    ck_assert_uint_eq(accessed_levels(2), 0x3);
}
END_TEST

START_TEST(misaligned_one_gib_frame_is_reserved)
{
    use_big_memory();
    for (uint64_t bit = 0x2000; bit < (1ull << 30); bit <<= 1) {
        build_large(1, ((1ull << 30) | bit) | TABLE);
        expect_fault(USER_READ, HW_PF_P | HW_PF_U | HW_PF_RSVD);
        ck_assert_uint_eq(accessed_levels(2), 0);
    }
}
END_TEST

START_TEST(one_gib_page_past_memory_is_reserved)
{
    build_large(1, (1ull << 30) | TABLE); /* MEM is 4 MiB */
    expect_fault(USER_READ, HW_PF_P | HW_PF_U | HW_PF_RSVD);
    build_large(1, 0 | TABLE); /* [0, 1 GiB) is not all memory either */
    expect_fault(USER_READ, HW_PF_P | HW_PF_U | HW_PF_RSVD);
}
END_TEST

START_TEST(ps_in_a_pml4_entry_is_reserved)
{
    build(TABLE | HW_PTE_PS, TABLE, TABLE, TABLE);
    expect_fault(SUP_READ, HW_PF_P | HW_PF_RSVD);
    expect_fault(USER_WRITE, HW_PF_P | HW_PF_W | HW_PF_U | HW_PF_RSVD);
}
END_TEST

START_TEST(bit_7_of_a_pt_entry_is_pat_not_a_large_page)
{
    build(TABLE, TABLE, TABLE, TABLE | HW_PTE_PS);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, USER_READ, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.page_size, PAGE);
    ck_assert_uint_eq(w.pa, FRAME + 0x123);
}
END_TEST

/* ---- reserved bits and physical limits ---- */

START_TEST(address_bits_above_maxphyaddr_are_reserved_at_every_level)
{
    static const unsigned bits[] = {40, 44, 51};
    for (unsigned level = 0; level < 4; level++)
        for (unsigned b = 0; b < 3; b++) {
            build(TABLE, TABLE, TABLE, TABLE);
            *pte(&A, VA, level) |= 1ull << bits[b];
            hw_walk_t w;
            ck_assert_int_eq(walk(VA, USER_FETCH, &w), HW_WALK_PF);
            ck_assert_msg(w.error == (HW_PF_P | HW_PF_U | HW_PF_I | HW_PF_RSVD), "level %u bit %u: error %#x", level,
                          bits[b], w.error);
        }
}
END_TEST

START_TEST(bits_52_to_62_are_ignored)
{
    uint64_t avail = ((1ull << 63) - 1) & ~((1ull << 52) - 1);
    build(TABLE | avail, TABLE | avail, TABLE | avail, TABLE | avail);
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, USER_WRITE, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, FRAME + 0x123);
}
END_TEST

START_TEST(a_table_past_physical_memory_is_reserved)
{
    for (unsigned level = 0; level < 3; level++) {
        build(TABLE, TABLE, TABLE, TABLE);
        *pte(&A, VA, level) = MEM | TABLE;
        expect_fault(USER_READ, HW_PF_P | HW_PF_U | HW_PF_RSVD);
        *pte(&A, VA, level) = ((1ull << 40) - PAGE) | TABLE;
        expect_fault(SUP_WRITE, HW_PF_P | HW_PF_W | HW_PF_RSVD);
        ck_assert_uint_eq(accessed_levels(level + 1), 0);
    }
}
END_TEST

START_TEST(a_cr3_past_physical_memory_is_reserved)
{
    hw_walk_t w;
    ck_assert_int_eq(hw_mmu_walk(&pm, MEM, VA, USER_READ, &w), HW_WALK_PF);
    ck_assert_uint_eq(w.error, HW_PF_P | HW_PF_U | HW_PF_RSVD);
    ck_assert_int_eq(hw_mmu_walk(&pm, MEM, 0, USER_READ, &w), HW_WALK_PF); /* entry 0: just past the end */
    ck_assert_uint_eq(w.error, HW_PF_P | HW_PF_U | HW_PF_RSVD);
}
END_TEST

START_TEST(a_frame_past_physical_memory_is_reserved)
{
    build(TABLE, TABLE, TABLE, 0);
    *pte(&A, VA, 3) = MEM | TABLE;
    expect_fault(USER_READ, HW_PF_P | HW_PF_U | HW_PF_RSVD);
    ck_assert_uint_eq(accessed_levels(4), 0);
    *pte(&A, VA, 3) = (MEM - PAGE) | TABLE; /* the last frame is memory */
    hw_walk_t w;
    ck_assert_int_eq(walk(VA, USER_READ, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, MEM - PAGE + 0x123);
}
END_TEST

START_TEST(cr3_flag_bits_are_not_part_of_the_root)
{
    build(TABLE, TABLE, TABLE, TABLE);
    hw_walk_t w;
    ck_assert_int_eq(hw_mmu_walk(&pm, A.t[0] | 0x18, VA, USER_READ, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, FRAME + 0x123);
}
END_TEST

START_TEST(non_canonical_addresses_are_not_walked)
{
    static const uint64_t bad[] = {1ull << 47, 0x0000ffffffffffffull, 0xffff7fffffffffffull, 1ull << 63,
                                   0x0001000000000000ull};
    build(TABLE, TABLE, TABLE, TABLE);
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hw_walk_t w;
        ck_assert_int_eq(walk(bad[i], USER_READ, &w), HW_WALK_NONCANONICAL);
    }
    ck_assert_uint_eq(accessed_levels(4), 0);
}
END_TEST

START_TEST(canonical_high_addresses_are_walked)
{
    hw_walk_t w;
    ck_assert_int_eq(walk(0xffff800000000000ull, USER_WRITE, &w), HW_WALK_PF); /* PML4[256] is empty */
    ck_assert_uint_eq(w.error, HW_PF_W | HW_PF_U);
    *entry(A.t[0], 511) = A.t[1] | TABLE;
    *entry(A.t[1], 511) = A.t[2] | TABLE;
    *entry(A.t[2], 511) = A.t[3] | TABLE;
    *entry(A.t[3], 511) = FRAME | TABLE;
    ck_assert_int_eq(walk(0xfffffffffffff008ull, USER_READ, &w), HW_WALK_OK);
    ck_assert_uint_eq(w.pa, FRAME + 0x008);
}
END_TEST

/* ---- the hosted TLB ---- */

static void tlb_setup(void)
{
    setup();
    ck_assert_msg(hw_mmu_init(&mmu, &pm, WBASE, WSIZE, 0) == 0, "window at %#lx: %s", WBASE, strerror(errno));
}

static void tlb_teardown(void)
{
    hw_mmu_fini(&mmu);
    teardown();
}

/* The permissions ("r--s") of the host mapping holding addr, from /proc/self/maps. */
static const char *perms_at(uintptr_t addr)
{
    static char perms[5];
    FILE *f = fopen("/proc/self/maps", "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    strcpy(perms, "none");
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && addr >= lo && addr < hi) {
            memcpy(perms, p, sizeof perms);
            break;
        }
    }
    fclose(f);
    return perms;
}

/* Writes a pattern, from seed, into the frame at pa. */
static void fill_frame(uint64_t pa, unsigned char seed)
{
    for (unsigned i = 0; i < PAGE; i++)
        pm.map[pa + i] = (unsigned char)(seed + i * 7);
}

static void expect_window_shows(uintptr_t va, uint64_t pa)
{
    ck_assert_msg(memcmp((const void *)va, pm.map + pa, PAGE) == 0, "window page %#lx is not frame %#llx",
                  (unsigned long)va, (unsigned long long)pa);
}

START_TEST(window_starts_unreachable)
{
    ck_assert_str_eq(perms_at(W_VA), "---p");
    ck_assert_str_eq(perms_at(WBASE + WSIZE - 1), "---p");
}
END_TEST

START_TEST(fill_maps_the_frame_at_its_virtual_address)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    fill_frame(FRAME, 3);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(mmu.fills, 0); /* nothing was accessed yet */
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA + 0x10, 0), 0);
    ck_assert_str_eq(perms_at(W_VA), "r--s");
    expect_window_shows(W_VA, FRAME);
    pm.map[FRAME + 5] = 0xee; /* the same memory, not a copy */
    ck_assert_uint_eq(((volatile unsigned char *)W_VA)[5], 0xee);
    ck_assert_uint_ne(*pte(&A, W_VA, 3) & HW_PTE_A, 0);
    ck_assert_uint_eq(mmu.fills, 1);
}
END_TEST

START_TEST(fill_for_a_write_to_a_read_only_page_faults)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, HW_PF_W), HW_PF_P | HW_PF_W | HW_PF_U);
    ck_assert_uint_eq(mmu.fills, 0);
    ck_assert_str_eq(perms_at(W_VA), "---p");
    ck_assert_uint_eq(*pte(&A, W_VA, 3) & (HW_PTE_A | HW_PTE_D), 0);
}
END_TEST

START_TEST(fill_of_a_page_not_mapped_faults_without_p)
{
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), HW_PF_U);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, HW_PF_W), HW_PF_W | HW_PF_U);
    ck_assert_str_eq(perms_at(W_VA), "---p");
}
END_TEST

START_TEST(fill_of_a_fetch_from_an_nx_page_faults)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_W | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, HW_PF_I), HW_PF_P | HW_PF_U | HW_PF_I);
}
END_TEST

START_TEST(fill_of_a_supervisor_page_faults)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_W);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), HW_PF_P | HW_PF_U);
    ck_assert_str_eq(perms_at(W_VA), "---p");
}
END_TEST

START_TEST(fill_with_no_space_loaded_faults)
{
    map_page(&A, W_VA, FRAME, TABLE);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), HW_PF_U);
    ck_assert_str_eq(perms_at(W_VA), "---p");
}
END_TEST

START_TEST(fill_outside_the_window_cannot_be_held)
{
    map_page(&A, VA, FRAME, TABLE);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, VA, 0), HW_PF_P | HW_PF_U);
    ck_assert_uint_eq(mmu.fills, 0);
}
END_TEST

START_TEST(writable_page_is_read_only_until_dirty)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_W | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    ck_assert_str_eq(perms_at(W_VA), "r--s");
    ck_assert_uint_eq(*pte(&A, W_VA, 3) & HW_PTE_D, 0);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, HW_PF_W), 0);
    ck_assert_str_eq(perms_at(W_VA), "rw-s");
    ck_assert_uint_ne(*pte(&A, W_VA, 3) & HW_PTE_D, 0);
    ck_assert_uint_eq(mmu.fills, 1); /* the second fill only changed the protection */
    *(volatile unsigned char *)(W_VA + 9) = 0x5a;
    ck_assert_uint_eq(pm.map[FRAME + 9], 0x5a);
}
END_TEST

START_TEST(a_read_fault_on_a_held_page_is_taken_as_a_write)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_W | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0); /* the host saw a fault on a readable page */
    ck_assert_str_eq(perms_at(W_VA), "rw-s");
    ck_assert_uint_ne(*pte(&A, W_VA, 3) & HW_PTE_D, 0);
}
END_TEST

START_TEST(executable_page_is_mapped_executable)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U);
    map_page(&A, W_VA2, FRAME2, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, HW_PF_I), 0);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA2, 0), 0);
    ck_assert_str_eq(perms_at(W_VA), "r-xs");
    ck_assert_str_eq(perms_at(W_VA2), "r--s");
}
END_TEST

START_TEST(fill_of_a_two_mib_page_maps_the_right_4k_frame)
{
    map_page(&A, W_VA, FRAME, TABLE);
    *pte(&A, W_VA, 2) = 0x200000 | HW_PTE_P | HW_PTE_U | HW_PTE_PS | HW_PTE_NX;
    fill_frame(0x200000 + (W_VA - WBASE), 11);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    expect_window_shows(W_VA, 0x200000 + (W_VA - WBASE));
}
END_TEST

START_TEST(invlpg_makes_the_page_unreachable)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    fill_frame(FRAME, 5);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    hw_mmu_invlpg(&mmu, A.t[0], W_VA + 0x800);
    ck_assert_str_eq(perms_at(W_VA), "---p");
    ck_assert_uint_eq(mmu.slot[(W_VA - WBASE) / PAGE], 0);
    ck_assert_uint_eq(mmu.flushes, 1);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    ck_assert_uint_eq(mmu.fills, 2);
    expect_window_shows(W_VA, FRAME);
}
END_TEST

START_TEST(invlpg_sees_the_new_tables_on_refill)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    fill_frame(FRAME, 5);
    fill_frame(FRAME2, 77);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    *pte(&A, W_VA, 3) = FRAME2 | HW_PTE_P | HW_PTE_U | HW_PTE_NX;
    hw_mmu_invlpg(&mmu, A.t[0], W_VA);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    expect_window_shows(W_VA, FRAME2);
}
END_TEST

START_TEST(invlpg_in_another_space_leaves_the_page)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    hw_mmu_invlpg(&mmu, B.t[0], W_VA);
    ck_assert_str_eq(perms_at(W_VA), "r--s");
    ck_assert_uint_eq(mmu.flushes, 0);
}
END_TEST

START_TEST(strict_switch_hides_the_outgoing_space)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    map_page(&B, W_VA2, FRAME2, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    hw_mmu_load_cr3(&mmu, B.t[0]);
    ck_assert_str_eq(perms_at(W_VA), "---s");
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA2, 0), 0);
    ck_assert_str_eq(perms_at(W_VA2), "r--s");
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_str_eq(perms_at(W_VA), "r--s"); /* back without a fill */
    ck_assert_str_eq(perms_at(W_VA2), "---s");
    ck_assert_uint_eq(mmu.fills, 2);
    ck_assert_uint_eq(mmu.switches, 3);
}
END_TEST

START_TEST(strict_switch_to_no_space_hides_everything)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    hw_mmu_load_cr3(&mmu, 0);
    ck_assert_str_eq(perms_at(W_VA), "---s");
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), HW_PF_U);
}
END_TEST

START_TEST(a_space_taking_a_page_evicts_the_other_spaces_copy)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    map_page(&A, W_VA2, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX); /* A keeps a page: no new prefill */
    map_page(&B, W_VA, FRAME2, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    fill_frame(FRAME, 1);
    fill_frame(FRAME2, 2);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA2, 0), 0);
    hw_mmu_load_cr3(&mmu, B.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    expect_window_shows(W_VA, FRAME2);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_str_eq(perms_at(W_VA), "---s"); /* A's page is no longer there to reveal */
    ck_assert_str_eq(perms_at(W_VA2), "r--s");
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    expect_window_shows(W_VA, FRAME);
}
END_TEST

START_TEST(fast_switch_keeps_every_space_reachable)
{
    hw_mmu_fini(&mmu);
    ck_assert_int_eq(hw_mmu_init(&mmu, &pm, WBASE, WSIZE, 1), 0);
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    map_page(&B, W_VA2, FRAME2, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA, 0), 0);
    uint64_t calls = mmu.host_calls;
    hw_mmu_load_cr3(&mmu, B.t[0]);
    ck_assert_str_eq(perms_at(W_VA), "r--s");
    ck_assert_uint_eq(hw_mmu_fill(&mmu, W_VA2, 0), 0);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_str_eq(perms_at(W_VA2), "r--s");
    ck_assert_uint_eq(mmu.host_calls, calls + 1); /* only B's fill */
}
END_TEST

START_TEST(first_switch_prefills_accessed_pages_only)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_NX | HW_PTE_A);
    map_page(&A, W_VA2, FRAME2, HW_PTE_P | HW_PTE_U | HW_PTE_NX);
    fill_frame(FRAME, 9);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_uint_eq(mmu.fills, 1);
    ck_assert_str_eq(perms_at(W_VA), "r--s");
    expect_window_shows(W_VA, FRAME);
    ck_assert_str_eq(perms_at(W_VA2), "---p");
}
END_TEST

START_TEST(prefill_maps_a_clean_writable_page_read_only)
{
    map_page(&A, W_VA, FRAME, HW_PTE_P | HW_PTE_U | HW_PTE_W | HW_PTE_NX | HW_PTE_A);
    map_page(&A, W_VA2, FRAME2, HW_PTE_P | HW_PTE_U | HW_PTE_W | HW_PTE_NX | HW_PTE_A | HW_PTE_D);
    hw_mmu_load_cr3(&mmu, A.t[0]);
    ck_assert_str_eq(perms_at(W_VA), "r--s");
    ck_assert_str_eq(perms_at(W_VA2), "rw-s");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("mmu");
    TCase *walk_case = tcase_create("walk");
    tcase_add_checked_fixture(walk_case, setup, teardown);
    tcase_add_test(walk_case, rights_at_any_one_level_restrict_the_page);
    tcase_add_test(walk_case, rights_at_two_levels_are_intersected);
    tcase_add_test(walk_case, supervisor_write_to_a_read_only_page_faults);
    tcase_add_test(walk_case, supervisor_reads_and_fetches_user_pages);
    tcase_add_test(walk_case, user_access_to_a_supervisor_page_faults_with_p_and_u);
    tcase_add_test(walk_case, nx_above_forbids_fetches_below_but_not_reads);
    tcase_add_test(walk_case, not_present_at_each_level_faults_without_p);
    tcase_add_test(walk_case, not_present_entry_ignores_its_reserved_bits);
    tcase_add_test(walk_case, success_sets_the_accessed_bit_at_every_level);
    tcase_add_test(walk_case, a_fault_sets_no_accessed_bit);
    tcase_add_test(walk_case, a_read_sets_no_dirty_bit);
    tcase_add_test(walk_case, a_write_sets_the_dirty_bit_on_the_leaf_only);
    tcase_add_test(walk_case, a_refused_write_sets_no_dirty_bit);
    tcase_add_test(walk_case, a_later_read_reports_an_earlier_write_as_dirty);
    tcase_add_test(walk_case, two_mib_page_translates_with_its_offset);
    tcase_add_test(walk_case, two_mib_page_frame_ignores_the_pat_bit);
    tcase_add_test(walk_case, misaligned_two_mib_frame_is_reserved);
    tcase_add_test(walk_case, two_mib_page_reaching_past_memory_is_reserved);
    tcase_add_test(walk_case, one_gib_page_translates_with_its_offset);
    tcase_add_test(walk_case, misaligned_one_gib_frame_is_reserved);
    tcase_add_test(walk_case, one_gib_page_past_memory_is_reserved);
    tcase_add_test(walk_case, ps_in_a_pml4_entry_is_reserved);
    tcase_add_test(walk_case, bit_7_of_a_pt_entry_is_pat_not_a_large_page);
    tcase_add_test(walk_case, address_bits_above_maxphyaddr_are_reserved_at_every_level);
    tcase_add_test(walk_case, bits_52_to_62_are_ignored);
    tcase_add_test(walk_case, a_table_past_physical_memory_is_reserved);
    tcase_add_test(walk_case, a_cr3_past_physical_memory_is_reserved);
    tcase_add_test(walk_case, a_frame_past_physical_memory_is_reserved);
    tcase_add_test(walk_case, cr3_flag_bits_are_not_part_of_the_root);
    tcase_add_test(walk_case, non_canonical_addresses_are_not_walked);
    tcase_add_test(walk_case, canonical_high_addresses_are_walked);
    suite_add_tcase(s, walk_case);

    TCase *tlb = tcase_create("tlb");
    tcase_add_checked_fixture(tlb, tlb_setup, tlb_teardown);
    tcase_add_test(tlb, window_starts_unreachable);
    tcase_add_test(tlb, fill_maps_the_frame_at_its_virtual_address);
    tcase_add_test(tlb, fill_for_a_write_to_a_read_only_page_faults);
    tcase_add_test(tlb, fill_of_a_page_not_mapped_faults_without_p);
    tcase_add_test(tlb, fill_of_a_fetch_from_an_nx_page_faults);
    tcase_add_test(tlb, fill_of_a_supervisor_page_faults);
    tcase_add_test(tlb, fill_with_no_space_loaded_faults);
    tcase_add_test(tlb, fill_outside_the_window_cannot_be_held);
    tcase_add_test(tlb, writable_page_is_read_only_until_dirty);
    tcase_add_test(tlb, a_read_fault_on_a_held_page_is_taken_as_a_write);
    tcase_add_test(tlb, executable_page_is_mapped_executable);
    tcase_add_test(tlb, fill_of_a_two_mib_page_maps_the_right_4k_frame);
    tcase_add_test(tlb, invlpg_makes_the_page_unreachable);
    tcase_add_test(tlb, invlpg_sees_the_new_tables_on_refill);
    tcase_add_test(tlb, invlpg_in_another_space_leaves_the_page);
    tcase_add_test(tlb, strict_switch_hides_the_outgoing_space);
    tcase_add_test(tlb, strict_switch_to_no_space_hides_everything);
    tcase_add_test(tlb, a_space_taking_a_page_evicts_the_other_spaces_copy);
    tcase_add_test(tlb, fast_switch_keeps_every_space_reachable);
    tcase_add_test(tlb, first_switch_prefills_accessed_pages_only);
    tcase_add_test(tlb, prefill_maps_a_clean_writable_page_read_only);
    suite_add_tcase(s, tlb);
    return s;
}

CHECK_MAIN(make_suite)
