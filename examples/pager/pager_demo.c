/*
 * pager: a demand-paged task and its user-level pager. The task's heap and
 * stack start unmapped; it writes 64 fresh heap pages and recurses deep
 * enough to grow its stack by several pages. Each first touch is a #PF that
 * the kernel turns into a call to the pager, which maps a zeroed frame and
 * replies; the instruction then runs again. The task checks every byte it
 * wrote and that fresh pages came zeroed.
 */
#include "ms/pager.h"
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define HEAP_PAGES 64
#define STACK_LIMIT (64u * 1024u)
#define APP_MEM_KIB 1024u
#define RECURSION 8
#define FRAME_BYTES 2048 /* the recursion stays inside the probed pages: no fault of its own */
#define STACK_PROBE_PAGES 7

/* A value for byte i of page p that no other byte of the test shares. */
static uint8_t pattern(unsigned p, unsigned i)
{
    return (uint8_t)(p * 31u + i * 7u + 1u);
}

/* Uses FRAME_BYTES of stack per level, so the stack grows a page every
 * other level; returns a checksum that depends on every byte written. */
static unsigned deep(unsigned level)
{
    volatile uint8_t frame[FRAME_BYTES];
    for (unsigned i = 0; i < FRAME_BYTES; i++)
        frame[i] = (uint8_t)(level + i);
    unsigned sum = level ? deep(level - 1) : 0;
    for (unsigned i = 0; i < FRAME_BYTES; i += 256)
        sum += frame[i];
    return sum;
}

static unsigned deep_expected(void)
{
    unsigned sum = 0;
    for (unsigned level = 0; level <= RECURSION; level++)
        for (unsigned i = 0; i < FRAME_BYTES; i += 256)
            sum += (uint8_t)(level + i);
    return sum;
}

/* Grows the stack a page at a time, top down, by touching the middle of
 * each page below the current frame, so that the faults' addresses do not
 * depend on how a compiler lays out frames (the golden trace shows them).
 * Returns 1 if every page kept its byte. */
static int grow_stack(const ms_start_t *start)
{
    uintptr_t top = start->mem_base + start->mem_size;
    for (unsigned k = 1; k <= STACK_PROBE_PAGES; k++)
        *(volatile uint8_t *)(top - (k + 1) * MS_PAGE_SIZE + MS_PAGE_SIZE / 2) = (uint8_t)k;
    int ok = 1;
    for (unsigned k = 1; k <= STACK_PROBE_PAGES; k++)
        ok &= *(volatile uint8_t *)(top - (k + 1) * MS_PAGE_SIZE + MS_PAGE_SIZE / 2) == (uint8_t)k;
    return ok;
}

static void app(const ms_start_t *start)
{
    int grown = grow_stack(start);
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    unsigned zeroed = 0, wrong = 0;
    for (unsigned p = 0; p < HEAP_PAGES; p++) {
        uint8_t *page = heap + (uintptr_t)p * MS_PAGE_SIZE;
        zeroed += page[MS_PAGE_SIZE - 1] == 0; /* a read fault: a fresh page is zero */
        for (unsigned i = 0; i < MS_PAGE_SIZE; i++)
            page[i] = pattern(p, i);
    }
    for (unsigned p = 0; p < HEAP_PAGES; p++)
        for (unsigned i = 0; i < MS_PAGE_SIZE; i++)
            wrong += heap[(uintptr_t)p * MS_PAGE_SIZE + i] != pattern(p, i);
    unsigned sum = deep(RECURSION);
    int ok = grown && zeroed == HEAP_PAGES && wrong == 0 && sum == deep_expected();
    ms_printf("%s: %u heap pages zeroed and checked (%u wrong bytes), stack %s\n", start->name, zeroed, wrong,
              grown && sum == deep_expected() ? "grew and holds" : "CORRUPT");
    ms_exit(ok ? 0 : 1);
}

const ms_manifest_t scenario_pager = {
    .name = "pager",
    .description = "a demand-paged task touches 64 heap pages and grows its stack; a user-level pager maps each",
    .endpoints = 1,
    .nframes = 1,
    .frames_kib = {512},
    .ntasks = 2,
    .tasks = {
        {.name = "app", .entry = app, .prio = 10, .mem_kib = APP_MEM_KIB, .stack_kib = STACK_LIMIT / 1024,
         .demand = 1, .fault_ep = 1, .fault_badge = 1},
        PAGER_TASK(APP_MEM_KIB * 1024u, STACK_LIMIT),
    },
};
