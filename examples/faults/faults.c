/*
 * faults: one task for each CPU exception a program can raise (#DE, #BP,
 * #UD, #GP, #PF). The breakpoint's fault handler resumes it; the handler
 * lets the invalid opcode die; the others have no handler and are killed. A
 * watchdog shares the CPU with them throughout and says so at the end.
 */
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define H_FIXER 1   /* fixer: its endpoint, where faults arrive */
#define WILD_ADDRESS 0xdead0000u /* in no task's memory, on either machine */
#define WATCHDOG_ROUNDS 12

/* arg[0]: which exception to raise. */
enum { RAISE_DE, RAISE_BP, RAISE_UD, RAISE_GP, RAISE_PF };

static void faulter(const ms_start_t *start)
{
    ms_yield(); /* let the watchdog see every fault happen */
    switch (start->arg[0]) {
    case RAISE_DE: /* in assembly: a compiler may turn a C division into no division at all */
        __asm__ volatile("xorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\txorl %%edx, %%edx\n\tdivl %%ecx" ::: "eax", "ecx",
                         "edx");
        break;
    case RAISE_BP:
        __asm__ volatile("int3");
        ms_printf("%s: resumed after #BP by its fault handler\n", start->name);
        ms_exit(0);
    case RAISE_UD:
        __builtin_trap();
    case RAISE_GP:
        __asm__ volatile("hlt"); /* privileged: #GP in user mode */
        break;
    case RAISE_PF:
        *(volatile int *)(uintptr_t)WILD_ADDRESS = 1;
        break;
    }
    ms_printf("%s: survived its exception, which should not happen\n", start->name);
    ms_exit(1);
}

/* A fault handler: resumes breakpoints, lets everything else die. */
static void fixer(const ms_start_t *start)
{
    (void)start;
    ms_msg_t m;
    uint64_t err = ms_recv(H_FIXER, &m);
    while (err == MS_OK) {
        int resume = ms_info_label(m.info) == MS_FAULT_LABEL && m.w[0] == 3;
        m.info = ms_info(0, 2, 0, 0);
        m.w[0] = resume ? MS_FAULT_RESUME : MS_FAULT_KILL;
        m.w[1] = 0;
        err = ms_reply_recv(H_FIXER, &m);
    }
    ms_exit(1);
}

static void watchdog(const ms_start_t *start)
{
    for (unsigned i = 0; i < WATCHDOG_ROUNDS; i++)
        ms_yield();
    ms_printf("%s: ran %u rounds while the others faulted\n", start->name, WATCHDOG_ROUNDS);
    ms_exit(0);
}

#define FAULTER(task_name, which, handler)                                                                            \
    {.name = task_name, .entry = faulter, .prio = 10, .arg = {which}, .fault_ep = handler, .fault_badge = which}

const ms_manifest_t scenario_faults = {
    .name = "faults",
    .description = "each task raises one of #DE #BP #UD #GP #PF; a handler resumes #BP; a watchdog runs throughout",
    .endpoints = 1,
    .ntasks = 7,
    .tasks = {
        {.name = "fixer", .entry = fixer, .prio = 20, .daemon = 1,
         .handles = {{.slot = H_FIXER, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
        {.name = "watchdog", .entry = watchdog, .prio = 10},
        FAULTER("divzero", RAISE_DE, 0),
        FAULTER("breakpoint", RAISE_BP, 1),
        FAULTER("badop", RAISE_UD, 1),
        FAULTER("privileged", RAISE_GP, 0),
        FAULTER("wild", RAISE_PF, 0),
    },
};
