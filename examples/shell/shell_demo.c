/*
 * shell: the shell on the console, in a system that init boots through the
 * process manager: names, console, timer, fs, then the shell.
 * `printf 'echo hi > /a\ncat /a\nps\nexit\n' | microsim shell` prints hi
 * and the process list, every service in it, and exits 0.
 */
#include "ms/print.h"
#include "ms/shell.h"
#include "os/os.h"
#include "scenarios.h"

static void hello(const ms_start_t *start)
{
    ms_printf("%s: hello from pid %lu\n", start->name, (unsigned long)start->arg[3]);
    ms_exit(0);
}

/* Waits for ever, on a notification nobody signals, until killed. (A task
 * that kept the CPU busy would keep it from idling, and COM1 takes
 * standard input only while the CPU idles.) */
static void idler(const ms_start_t *start)
{
    ms_handle_t n;
    uint64_t bits;
    if (ms_notification_create(&n) == MS_OK)
        ms_wait(n, &bits);
    ms_printf("%s: woke up, which it should not\n", start->name);
    ms_exit(1);
}

static const procman_program_t programs[] = {
    OS_PROGRAMS,
    {.name = "shell", .entry = shell_main, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "hello", .entry = hello, .mem_kib = 64, .prio = 5, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "idler", .entry = idler, .mem_kib = 64, .prio = 1, .policy = PROCMAN_LEAVE_DEAD},
};

static const init_service_t boot[] = {
    OS_BOOT_NAMES,
    OS_BOOT_CONSOLE,
    OS_BOOT_TIMER,
    OS_BOOT_FS,
    {.program = "shell", .needs = {"console", "fs"}, .wait = 1},
};

const ms_manifest_t scenario_shell = {
    .name = "shell",
    .description = "a shell on the console, in a system init boots: names, console, timer, fs",
    OS_MANIFEST_OBJECTS,
    OS_MANIFEST_TASKS(boot, sizeof boot / sizeof boot[0], programs, sizeof programs / sizeof programs[0]),
};
