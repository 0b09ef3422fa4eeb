/*
 * The pieces of a whole system booted by init: the programs of the process
 * manager's table, the entries of init's boot table and the manifest's two
 * tasks (init and procman), shared by the scenarios that boot one (shell,
 * demo, restart). A scenario lists OS_PROGRAMS and OS_BOOT_* with its own
 * programs after them, and OS_MANIFEST_TASKS(...) as its tasks.
 */
#ifndef EXAMPLES_OS_H
#define EXAMPLES_OS_H

#include "ms/console.h"
#include "ms/fs.h"
#include "ms/init.h"
#include "ms/names.h"
#include "ms/net.h"
#include "ms/procman.h"
#include "ms/timer.h"

#define OS_COM1 0x3f8

/* The manifest's objects: endpoints 0 the name server's, 1 the process
 * manager's; notification 0 the console's IRQ; I/O ports 0 COM1; frames 0
 * the processes' memory, 1 the file system's store. */
#define OS_EP_NAMES 0
#define OS_EP_PROCMAN 1
#define OS_FRAMES_FS 1

/* init's own handles beyond INIT_H_PROCMAN and INIT_H_NAMES. */
#define OS_INIT_PORTS 3
#define OS_INIT_IRQ 4
#define OS_INIT_NTFN 5
#define OS_INIT_FS_STATE 6

/* The endpoints init makes, one per service. */
#define OS_IEP_CONSOLE 0
#define OS_IEP_TIMER 1
#define OS_IEP_FS 2
#define OS_IEP_NET0 3
#define OS_IEP_NET1 4

/* The two hosts' addresses. */
#define OS_HOST0 NET_ADDR(10, 0, 0, 1)
#define OS_HOST1 NET_ADDR(10, 0, 0, 2)

#define OS_DAEMON (PROCMAN_F_DAEMON)
/* names, console, timer and fs; a service that crashes 3 times in a
 * second is left dead. */
#define OS_PROGRAMS OS_PROGRAMS_BASE, OS_PROGRAM_FS(3)
#define OS_PROGRAMS_BASE                                                                                            \
    {.name = "names", .entry = names_main, .mem_kib = 64, .prio = 50, .policy = PROCMAN_LEAVE_DEAD,                \
     .flags = OS_DAEMON | PROCMAN_F_NAMES},                                                                         \
        {.name = "console", .entry = console_main, .mem_kib = 64, .prio = 50, .policy = PROCMAN_RESTART,           \
         .max_restarts = 3, .window_ms = 1000, .flags = OS_DAEMON},                                                 \
        {.name = "timer", .entry = timer_main, .mem_kib = 64, .prio = 45, .policy = PROCMAN_RESTART,               \
         .max_restarts = 3, .window_ms = 1000, .flags = OS_DAEMON}

/* The network daemons of the two hosts, net0 (OS_HOST0) and net1 (OS_HOST1). */
#define OS_PROGRAMS_NET                                                                                             \
    {.name = "net0", .entry = net_main, .mem_kib = NET_MEM_KIB, .prio = 40, .policy = PROCMAN_RESTART,             \
     .max_restarts = 3, .window_ms = 1000, .flags = OS_DAEMON},                                                     \
        {.name = "net1", .entry = net_main, .mem_kib = NET_MEM_KIB, .prio = 40, .policy = PROCMAN_RESTART,         \
         .max_restarts = 3, .window_ms = 1000, .flags = OS_DAEMON}

/* The file system daemon, restarted up to max times in a second. */
#define OS_PROGRAM_FS(max)                                                                                          \
    {.name = "fs", .entry = fs_main, .mem_kib = 64, .prio = 40, .policy = PROCMAN_RESTART, .max_restarts = (max),  \
     .window_ms = 1000, .flags = OS_DAEMON}

#define OS_RECV_EP (MS_RIGHT_RECV | MS_RIGHT_SEND | MS_RIGHT_GRANT)
#define OS_BOOT_NAMES                                                                                               \
    {.program = "names", .publishes = INIT_PROCMAN_PATH,                                                           \
     .handles = {{.slot = NAMES_H_ENDPOINT, .from = INIT_OWN, .index = INIT_H_NAMES,                                \
                  .rights = MS_RIGHT_RECV | MS_RIGHT_GRANT}}}
#define OS_BOOT_CONSOLE                                                                                             \
    {.program = "console", .publishes = CONSOLE_PATH, .needs = {"names"}, .arg = {50},                              \
     .handles = {{.slot = CONSOLE_H_ENDPOINT, .from = INIT_ENDPOINT, .index = OS_IEP_CONSOLE, .rights = OS_RECV_EP}, \
                 {.slot = CONSOLE_H_PORTS, .from = INIT_OWN, .index = OS_INIT_PORTS, .rights = MS_RIGHT_SEND},      \
                 {.slot = CONSOLE_H_IRQ, .from = INIT_OWN, .index = OS_INIT_IRQ, .rights = MS_RIGHT_CONTROL},        \
                 {.slot = CONSOLE_H_NTFN, .from = INIT_OWN, .index = OS_INIT_NTFN,                                   \
                  .rights = MS_RIGHT_SEND | MS_RIGHT_RECV},                                                         \
                 {.slot = CONSOLE_H_SEND, .from = INIT_ENDPOINT, .index = OS_IEP_CONSOLE, .rights = MS_RIGHT_SEND}}}
#define OS_BOOT_TIMER                                                                                               \
    {.program = "timer", .publishes = TIMER_PATH, .needs = {"names"}, .arg = {45},                                  \
     .handles = {{.slot = TIMER_H_ENDPOINT, .from = INIT_ENDPOINT, .index = OS_IEP_TIMER, .rights = OS_RECV_EP},     \
                 {.slot = TIMER_H_SEND, .from = INIT_ENDPOINT, .index = OS_IEP_TIMER, .rights = MS_RIGHT_SEND}}}
#define OS_BOOT_FS OS_BOOT_FS_ARGS(FS_KEEP_STATE, 0, 0)
#define OS_BOOT_FS_ARGS(a0, a1, a2)                                                                                 \
    {.program = "fs", .publishes = FS_PATH, .needs = {"names"}, .arg = {(a0), (a1), (a2)},                          \
     .handles = {{.slot = FS_H_ENDPOINT, .from = INIT_ENDPOINT, .index = OS_IEP_FS, .rights = OS_RECV_EP},           \
                 {.slot = FS_H_STATE, .from = INIT_OWN, .index = OS_INIT_FS_STATE,                                   \
                  .rights = MS_RIGHT_READ | MS_RIGHT_WRITE}}}

/* Host i's daemon: its endpoint, and a wire to the other host's. */
#define OS_BOOT_NET(prog, path, self, peer, own_ep, peer_ep)                                                        \
    {.program = (prog), .publishes = (path), .needs = {"names"}, .arg = {(self), (peer), 40},                       \
     .handles = {{.slot = NET_H_ENDPOINT, .from = INIT_ENDPOINT, .index = (own_ep), .rights = OS_RECV_EP},           \
                 {.slot = NET_H_PEER, .from = INIT_ENDPOINT, .index = (peer_ep), .rights = MS_RIGHT_SEND,           \
                  .badge = NET_WIRE_BADGE}}}
#define OS_BOOT_NET0 OS_BOOT_NET("net0", OS_NET0_PATH, OS_HOST0, OS_HOST1, OS_IEP_NET0, OS_IEP_NET1)
#define OS_BOOT_NET1 OS_BOOT_NET("net1", OS_NET1_PATH, OS_HOST1, OS_HOST0, OS_IEP_NET1, OS_IEP_NET0)
/* What they publish (ms_net_path of their addresses). */
#define OS_NET0_PATH "/net/10.0.0.1"
#define OS_NET1_PATH "/net/10.0.0.2"

/* The manifest's objects and its two tasks: init (with its boot table, of
 * n entries) and the process manager (with its program table, of m). */
#define OS_MANIFEST_OBJECTS                                                                                         \
    .endpoints = 2, .notifications = 1, .nioports = 1, .ioports = {{.first = OS_COM1, .last = OS_COM1 + 7}},        \
    .nframes = 2, .frames_kib = {PROCMAN_MAX * PROCMAN_MEM_KIB, FS_STATE_KIB}
#define OS_MANIFEST_TASKS(boot, n, programs, m)                                                                     \
    .ntasks = 2,                                                                                                    \
    .tasks = {                                                                                                      \
        {.name = "init", .entry = init_main, .prio = 5, .arg = {(uint64_t)(uintptr_t)(boot), (n)},                  \
         .handles = {{.slot = INIT_H_PROCMAN, .type = MS_OBJ_ENDPOINT, .index = OS_EP_PROCMAN,                      \
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT},                                                                     \
                     {.slot = INIT_H_NAMES, .type = MS_OBJ_ENDPOINT, .index = OS_EP_NAMES, .rights = OS_RECV_EP},   \
                     {.slot = OS_INIT_PORTS, .type = MS_OBJ_IOPORT, .index = 0, .rights = MS_RIGHT_SEND},           \
                     {.slot = OS_INIT_IRQ, .type = MS_OBJ_IRQ, .index = 4, .rights = MS_RIGHT_CONTROL},             \
                     {.slot = OS_INIT_NTFN, .type = MS_OBJ_NOTIFICATION, .index = 0,                                \
                      .rights = MS_RIGHT_SEND | MS_RIGHT_RECV},                                                     \
                     {.slot = OS_INIT_FS_STATE, .type = MS_OBJ_FRAMES, .index = OS_FRAMES_FS,                       \
                      .rights = MS_RIGHT_READ | MS_RIGHT_WRITE}}},                                                  \
        {.name = "procman", .entry = procman_main, .prio = 60, .daemon = 1,                                         \
         .arg = {(uint64_t)(uintptr_t)(programs), (m), 60, PROCMAN_KNOWS_INIT},                                     \
         .handles = {{.slot = PROCMAN_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = OS_EP_PROCMAN,                  \
                      .rights = MS_RIGHT_RECV | MS_RIGHT_GRANT},                                                    \
                     {.slot = PROCMAN_H_FRAMES, .type = MS_OBJ_FRAMES, .index = 0,                                  \
                      .rights = MS_RIGHT_READ | MS_RIGHT_WRITE},                                                    \
                     {.slot = PROCMAN_H_SEND, .type = MS_OBJ_ENDPOINT, .index = OS_EP_PROCMAN,                      \
                      .rights = MS_RIGHT_SEND},                                                                     \
                     {.slot = PROCMAN_H_NAMES, .type = MS_OBJ_ENDPOINT, .index = OS_EP_NAMES,                       \
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT},                                                    \
                     {.slot = PROCMAN_H_NAMES_ADMIN, .type = MS_OBJ_ENDPOINT, .index = OS_EP_NAMES,                 \
                      .rights = MS_RIGHT_SEND | MS_RIGHT_GRANT, .badge = NAMES_ADMIN},                              \
                     {.slot = PROCMAN_H_INIT, .type = MS_OBJ_TASK, .index = 0, .rights = 0}}},                     \
    }

#endif
