/*
 * demo (the default scenario): a small but whole system. init starts the
 * name server, the console, the timer, the file system daemon and the
 * network daemons of two hosts (net0 10.0.0.1, net1 10.0.0.2) through the
 * process manager, then the client programs:
 *   ponger   on host 10.0.0.2, waits for a datagram on port 7 and answers;
 *   pinger   on host 10.0.0.1, sends "ping" to 10.0.0.2:7 and prints the
 *            answer and where it came from (net.packet in the trace);
 *   writer   writes /hello.txt, reads it back and prints it on the console;
 *            then it writes a second line, and the file system daemon
 *            crashes on that request (fault injection: request 4, after
 *            committing it, before replying). The process manager restarts
 *            fs on the same store and endpoint, the client stub finds fs
 *            again by name and sends the write again, and the writer's next
 *            read shows both lines.
 * The trace shows the boot (init's lines, procman's spawns), every request
 * by its label name, the crash (exception, task.restart) and the retry.
 * The default filter hides context switches, IPC waits and the process
 * manager's memory mappings: --trace-filter=all shows them.
 */
#include "ms/print.h"
#include "os/os.h"
#include "rt.h"
#include "scenarios.h"

#define LINE1 "hello from the demo\n"
#define LINE2 "and this line survived a crash of fs\n"

typedef struct client {
    ms_console_t con;
    ms_fs_t fs;
} client_t;

static void say(const client_t *c, const char *text)
{
    ms_console_write(&c->con, text, (unsigned)rt_strlen(text));
}

/* Prints the file's text, as read from its start, after a prefix. */
static uint64_t show(client_t *c, uint64_t fd, const char *prefix)
{
    char text[160];
    unsigned got = 0, n = (unsigned)rt_strlcpy(text, prefix, sizeof text);
    uint64_t err = ms_fs_pread(&c->fs, fd, 0, text + n, (unsigned)(sizeof text - n - 1), &got);
    text[n + got] = '\0';
    if (err == MS_OK)
        say(c, text);
    return err;
}

/* Ends the program: status 0, or 1 with the error said. */
static void finish(const ms_start_t *start, uint64_t err)
{
    if (err != MS_OK)
        ms_printf("%s: failed: %s\n", start->name, ms_error_name(err));
    ms_exit(err == MS_OK ? 0 : 1);
}

static void writer(const ms_start_t *start)
{
    ms_names_t n = ms_names_of(start);
    client_t c = {.con = {.ipc_buffer = n.ipc_buffer}, .fs = {.ipc_buffer = n.ipc_buffer, .names = n.ep}};
    uint64_t fd = 0;
    uint64_t err = ms_names_lookup(&n, CONSOLE_PATH, &c.con.ep);
    if (err == MS_OK)
        err = ms_names_lookup(&n, FS_PATH, &c.fs.ep);
    if (err == MS_OK)
        err = ms_fs_open(&c.fs, "/hello.txt", FS_CREATE | FS_TRUNC, &fd);
    if (err == MS_OK)
        err = ms_fs_pwrite(&c.fs, fd, 0, LINE1, sizeof LINE1 - 1);
    if (err == MS_OK)
        err = show(&c, fd, "writer: /hello.txt says: ");
    if (err == MS_OK)
        err = ms_fs_pwrite(&c.fs, fd, sizeof LINE1 - 1, LINE2, sizeof LINE2 - 1); /* fs crashes on it */
    if (err == MS_OK) {
        char line[96];
        rt_snprintf(line, sizeof line, "writer: fs was restarted; %u request sent again; now it says:\n",
                    c.fs.retries);
        say(&c, line);
        err = show(&c, fd, "");
    }
    finish(start, err);
}

/* One end of the ping: a socket on a host (found by name) and the console. */
typedef struct peer {
    ms_net_t net;
    ms_console_t con;
    uint64_t sock;
} peer_t;

static uint64_t open_peer(const ms_start_t *start, const char *host_path, uint16_t port, peer_t *p)
{
    ms_names_t n = ms_names_of(start);
    *p = (peer_t){.net = {.ipc_buffer = n.ipc_buffer}, .con = {.ipc_buffer = n.ipc_buffer}};
    uint64_t err = ms_names_lookup(&n, host_path, &p->net.ep);
    if (err == MS_OK)
        err = ms_names_lookup(&n, CONSOLE_PATH, &p->con.ep);
    return err == MS_OK ? ms_net_bind(&p->net, port, &p->sock, 0) : err;
}

/* Waits for a datagram and prints it on the console with its source. */
static uint64_t receive(const ms_start_t *start, peer_t *p, uint32_t *addr, uint16_t *port)
{
    char text[16], line[96];
    unsigned got = 0;
    uint64_t err = ms_net_recvfrom(&p->net, p->sock, text, sizeof text - 1, &got, addr, port);
    if (err != MS_OK)
        return err;
    text[got] = '\0';
    int n = rt_snprintf(line, sizeof line, "%s: \"%s\" from %u.%u.%u.%u:%u\n", start->name, text, *addr >> 24,
                        (*addr >> 16) & 0xffu, (*addr >> 8) & 0xffu, *addr & 0xffu, *port);
    return ms_console_write(&p->con, line, (unsigned)n);
}

/* Host 10.0.0.2: answers one datagram on port 7 with "pong". */
static void ponger(const ms_start_t *start)
{
    peer_t p;
    uint32_t addr = 0;
    uint16_t port = 0;
    uint64_t err = open_peer(start, OS_NET1_PATH, 7, &p);
    if (err == MS_OK)
        err = receive(start, &p, &addr, &port);
    if (err == MS_OK)
        err = ms_net_sendto(&p.net, p.sock, addr, port, "pong", 4);
    finish(start, err);
}

/* Host 10.0.0.1: "ping" to 10.0.0.2:7, and the answer. */
static void pinger(const ms_start_t *start)
{
    peer_t p;
    uint32_t addr = 0;
    uint16_t port = 0;
    uint64_t err = open_peer(start, OS_NET0_PATH, 0, &p);
    if (err == MS_OK)
        err = ms_net_sendto(&p.net, p.sock, OS_HOST1, 7, "ping", 4);
    if (err == MS_OK)
        err = receive(start, &p, &addr, &port);
    finish(start, err);
}

static const procman_program_t programs[] = {
    OS_PROGRAMS,
    OS_PROGRAMS_NET,
    {.name = "ponger", .entry = ponger, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "pinger", .entry = pinger, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
    {.name = "writer", .entry = writer, .mem_kib = 64, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
};

static const init_service_t boot[] = {
    OS_BOOT_NAMES,
    OS_BOOT_CONSOLE,
    OS_BOOT_TIMER,
    OS_BOOT_FS_ARGS(FS_KEEP_STATE | FS_CRASH_TEST, 0, 4),
    OS_BOOT_NET0,
    OS_BOOT_NET1,
    {.program = "ponger", .needs = {"console", "net1"}, .wait = 1},
    {.program = "pinger", .needs = {"console", "net0", "ponger"}, .wait = 1},
    {.program = "writer", .needs = {"console", "fs"}, .wait = 1},
};

const ms_manifest_t scenario_demo = {
    .name = "demo",
    .description = "init boots names, console, timer, fs and two hosts' net through procman; a ping between the "
                   "hosts; a client writes and reads a file while fs crashes and is restarted",
    .trace_filter = "-switch,-ipc.wait,-map,-unmap,-thread.spawn",
    OS_MANIFEST_OBJECTS,
    OS_MANIFEST_TASKS(boot, sizeof boot / sizeof boot[0], programs, sizeof programs / sizeof programs[0]),
};
