/*
 * shell: the shell on the console, with the file system daemon and the
 * process manager behind it.
 * `printf 'echo hi > /a\ncat /a\nps\nexit\n' | microsim shell` prints hi
 * and the process list, and exits 0.
 */
#include "ms/console.h"
#include "ms/fs.h"
#include "ms/print.h"
#include "ms/procman.h"
#include "ms/shell.h"
#include "scenarios.h"

#define COM1 0x3f8

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
    {.name = "hello", .entry = hello, .mem_kib = 64, .prio = 5, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "idler", .entry = idler, .mem_kib = 64, .prio = 1, .policy = PROCMAN_LEAVE_DEAD},
};

/* Endpoints: 0 the console, 1 the file system, 2 the process manager. */
const ms_manifest_t scenario_shell = {
    .name = "shell",
    .description = "a shell on the console, with the file system and the process manager behind it",
    .endpoints = 3,
    .notifications = 1,
    .nioports = 1,
    .ioports = {{.first = COM1, .last = COM1 + 7}},
    .nframes = 1,
    .frames_kib = {PROCMAN_MAX * PROCMAN_MEM_KIB},
    .ntasks = 4,
    .tasks = {
        CONSOLE_TASK(50, 0),
        {.name = "fs", .entry = fs_main, .prio = 40, .daemon = 1, .mem_kib = 2048,
         .handles = {{.slot = FS_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 1, .rights = MS_RIGHT_RECV}}},
        {.name = "procman", .entry = procman_main, .prio = 30, .daemon = 1,
         .arg = {(uint64_t)(uintptr_t)programs, sizeof programs / sizeof programs[0], 30},
         .handles = {{.slot = PROCMAN_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 2,
                      .rights = MS_RIGHT_RECV | MS_RIGHT_GRANT},
                     {.slot = PROCMAN_H_FRAMES, .type = MS_OBJ_FRAMES, .index = 0,
                      .rights = MS_RIGHT_READ | MS_RIGHT_WRITE},
                     {.slot = PROCMAN_H_SEND, .type = MS_OBJ_ENDPOINT, .index = 2, .rights = MS_RIGHT_SEND}}},
        {.name = "shell", .entry = shell_main, .prio = 10,
         .handles = {{.slot = SHELL_H_CONSOLE, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND},
                     {.slot = SHELL_H_FS, .type = MS_OBJ_ENDPOINT, .index = 1, .rights = MS_RIGHT_SEND, .badge = 1},
                     {.slot = SHELL_H_PROCMAN, .type = MS_OBJ_ENDPOINT, .index = 2, .rights = MS_RIGHT_SEND}}},
    },
};
