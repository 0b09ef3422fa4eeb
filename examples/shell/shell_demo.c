/*
 * shell: the shell on the console, in a system that init boots through the
 * process manager: names, console, timer, fs, the network daemons of two
 * hosts and a datagram echo on the second, then the shell on the first.
 * `printf 'echo hi > /a\ncat /a\nps\nexit\n' | microsim shell` prints hi
 * and the process list, every service in it, and exits 0.
 */
#include "ms/print.h"
#include "ms/shell.h"
#include "os/os.h"
#include "scenarios.h"

static void hello(const ms_start_t *start)
{
    ms_printf("%s: hello from pid %lu\n", start->name, (unsigned long)PROCMAN_PID(start));
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

/* Opens /leak and exits without closing it: the file system keeps its
 * record until it is short of records and procman says the leaker is gone. */
static void leaker(const ms_start_t *start)
{
    ms_names_t n = ms_names_of(start);
    ms_fs_t fs = {.ipc_buffer = n.ipc_buffer};
    uint64_t fd = 0;
    uint64_t err = ms_names_lookup(&n, FS_PATH, &fs.ep);
    if (err == MS_OK)
        err = ms_fs_open(&fs, "/leak", FS_CREATE, &fd);
    ms_printf("%s: pid %lu leaves /leak open: %s\n", start->name, (unsigned long)PROCMAN_PID(start),
              ms_error_name(err));
    ms_exit(err == MS_OK ? 0 : 1);
}

/* Binds as many sockets as a client may on host 10.0.0.1 and exits with
 * them bound: net closes them when it is short of sockets and procman says
 * the binder is gone. */
static void binder(const ms_start_t *start)
{
    ms_names_t n = ms_names_of(start);
    ms_net_t net = {.ipc_buffer = n.ipc_buffer};
    uint64_t sock = 0, err = ms_names_lookup(&n, OS_NET0_PATH, &net.ep);
    unsigned bound = 0;
    while (err == MS_OK && bound < NET_SOCKETS_PER_CLIENT && (err = ms_net_bind(&net, 0, &sock, 0)) == MS_OK)
        bound++;
    ms_printf("%s: pid %lu leaves %u sockets bound: %s\n", start->name, (unsigned long)PROCMAN_PID(start), bound,
              ms_error_name(err));
    ms_exit(err == MS_OK ? 0 : 1);
}

#define DEAD_READER_STACK (8u * 1024u)

/* dead-reader's second thread: reads a line from the console, and waits
 * for it until its task ends under it. arg: its IPC buffer's address << 32,
 * and the console's handle. */
static void read_forever(uint64_t arg)
{
    char line[CONSOLE_LINE_MAX + 1];
    ms_console_t con = {.ep = (ms_handle_t)(arg & 0xffffffffu), .ipc_buffer = (char *)(uintptr_t)(arg >> 32)};
    ms_console_read(&con, line, sizeof line);
    ms_thread_exit();
}

/* Leaves a read waiting in the console service and ends: the console must
 * not keep the next reader out for the dead one (it asks the kernel whether
 * the saved read's caller still waits). */
static void dead_reader(const ms_start_t *start)
{
    ms_names_t n = ms_names_of(start);
    ms_handle_t console = 0, thread;
    uint8_t *heap = (uint8_t *)(uintptr_t)start->heap_base;
    uint64_t err = ms_names_lookup(&n, CONSOLE_PATH, &console);
    if (err == MS_OK) /* the stack above, its IPC buffer in the low half */
        err = ms_thread_create(MS_HANDLE_SELF, read_forever, heap + MS_IPC_BUFFER_SIZE, DEAD_READER_STACK,
                               heap, (uint64_t)(uintptr_t)heap << 32 | console, 20, &thread);
    ms_yield(); /* the reader thread has the same priority: it reads now */
    ms_printf("%s: pid %lu ends with a console read waiting: %s\n", start->name, (unsigned long)PROCMAN_PID(start),
              ms_error_name(err));
    ms_exit(err == MS_OK ? 0 : 1);
}

/* Keeps the CPU busy for ever (a daemon: the run may end while it spins).
 * On the host clock the console still gets its input meanwhile; on the
 * virtual clock, which reads standard input only when the CPU idles, the
 * shell would wait for ever. */
static void spinner(const ms_start_t *start)
{
    (void)start;
    for (;;)
        ms_yield();
}

/* Host 10.0.0.2's echo service on port 7: prints each datagram and sends
 * it back. */
static void udp_echo(const ms_start_t *start)
{
    ms_names_t n = ms_names_of(start);
    ms_net_t net = {.ipc_buffer = n.ipc_buffer};
    uint64_t sock = 0;
    uint64_t err = ms_names_lookup(&n, OS_NET1_PATH, &net.ep);
    if (err == MS_OK)
        err = ms_net_bind(&net, 7, &sock, 0);
    while (err == MS_OK) {
        char text[64];
        unsigned got = 0;
        uint32_t addr = 0;
        uint16_t port = 0;
        err = ms_net_recvfrom(&net, sock, text, sizeof text - 1, &got, &addr, &port);
        if (err != MS_OK)
            break;
        text[got] = '\0';
        ms_printf("%s: \"%s\" from %u.%u.%u.%u:%u\n", start->name, text, addr >> 24, (addr >> 16) & 0xffu,
                  (addr >> 8) & 0xffu, addr & 0xffu, port);
        err = ms_net_sendto(&net, sock, addr, port, text, got);
    }
    ms_printf("%s: %s\n", start->name, ms_error_name(err));
    ms_exit(1);
}

static const procman_program_t programs[] = {
    OS_PROGRAMS,
    OS_PROGRAMS_NET,
    {.name = "udp-echo", .entry = udp_echo, .mem_kib = 64, .prio = 20, .policy = PROCMAN_RESTART,
     .max_restarts = 3, .flags = PROCMAN_F_DAEMON},
    {.name = "shell", .entry = shell_main, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "hello", .entry = hello, .mem_kib = 64, .prio = 5, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "idler", .entry = idler, .mem_kib = 64, .prio = 1, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "dead-reader", .entry = dead_reader, .mem_kib = 64, .prio = 20, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "binder", .entry = binder, .mem_kib = 64, .prio = 5, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "leaker", .entry = leaker, .mem_kib = 64, .prio = 5, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "spinner", .entry = spinner, .mem_kib = 64, .prio = 1, .policy = PROCMAN_LEAVE_DEAD,
     .flags = PROCMAN_F_DAEMON},
};

static const init_service_t boot[] = {
    OS_BOOT_NAMES,
    OS_BOOT_CONSOLE,
    OS_BOOT_TIMER,
    OS_BOOT_FS,
    OS_BOOT_NET0,
    OS_BOOT_NET1,
    {.program = "udp-echo", .needs = {"net1"}},
    {.program = "shell", .needs = {"console", "fs", "net0"}, .arg = {OS_HOST0}, .wait = 1},
};

const ms_manifest_t scenario_shell = {
    .name = "shell",
    .description = "a shell on the console, in a system init boots: names, console, timer, fs, net on two hosts",
    OS_MANIFEST_OBJECTS,
    OS_MANIFEST_TASKS(boot, sizeof boot / sizeof boot[0], programs, sizeof programs / sizeof programs[0]),
};
