/*
 * shell: an interactive shell on the console service. It reads a line,
 * splits it into words and runs one command: files through the file system
 * daemon, processes through the process manager. Errors are one line;
 * nothing typed can crash it (every buffer is bounded, every reply checked).
 */
#include "ms/console.h"
#include "ms/fs.h"
#include "ms/init.h"
#include "ms/names.h"
#include "ms/net.h"
#include "ms/print.h"
#include "ms/procman.h"
#include "ms/shell.h"
#include "rt.h"

#include <stdarg.h>

#define MAX_WORDS 8

typedef struct shell {
    ms_console_t con;
    ms_fs_t fs;
    ms_net_t net;      /* this host's network daemon (ep 0: none) */
    uint64_t sock;     /* its socket, bound at the first send */
    int bound;
    ms_handle_t procman;
    char *ipc_buffer;
} shell_t;

static void say(shell_t *sh, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(shell_t *sh, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf)
        n = (int)sizeof buf - 1;
    ms_console_write(&sh->con, buf, (unsigned)n);
}

/* Splits line in place into at most MAX_WORDS words; returns how many. A
 * '>' ends a word and is a word of its own. */
static unsigned split(char *line, char **words)
{
    unsigned n = 0;
    char *p = line;
    while (*p && n < MAX_WORDS) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        if (*p == '>') {
            *p++ = '\0';
            words[n++] = ">";
            continue;
        }
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '>')
            p++;
    }
    return n;
}

static void cmd_echo(shell_t *sh, char **w, unsigned n)
{
    char text[256];
    unsigned len = 0, to = n;
    for (unsigned i = 1; i < n; i++)
        if (rt_strcmp(w[i], ">") == 0) {
            to = i;
            break;
        }
    for (unsigned i = 1; i < to; i++)
        len += (unsigned)rt_snprintf(text + len, sizeof text - len, "%s%s", i > 1 ? " " : "", w[i]);
    if (len >= sizeof text - 1)
        len = sizeof text - 2;
    text[len++] = '\n';
    if (to == n) {
        ms_console_write(&sh->con, text, len);
        return;
    }
    if (to + 2 != n) {
        say(sh, "echo: say echo TEXT > FILE\n");
        return;
    }
    uint64_t fd;
    uint64_t err = ms_fs_open(&sh->fs, w[to + 1], FS_CREATE | FS_TRUNC, &fd);
    if (err == MS_OK) {
        err = ms_fs_write(&sh->fs, fd, text, len);
        ms_fs_close(&sh->fs, fd);
    }
    if (err != MS_OK)
        say(sh, "echo: %s: %s\n", w[to + 1], ms_error_name(err));
}

static void cmd_cat(shell_t *sh, char **w, unsigned n)
{
    if (n != 2) {
        say(sh, "cat: say cat FILE\n");
        return;
    }
    uint64_t fd;
    uint64_t err = ms_fs_open(&sh->fs, w[1], 0, &fd);
    char buf[512];
    unsigned got = 1;
    while (err == MS_OK && got) {
        err = ms_fs_read(&sh->fs, fd, buf, sizeof buf, &got);
        if (err == MS_OK && got)
            ms_console_write(&sh->con, buf, got);
    }
    if (err == MS_OK)
        ms_fs_close(&sh->fs, fd);
    else
        say(sh, "cat: %s: %s\n", w[1], ms_error_name(err));
}

static void cmd_ls(shell_t *sh, char **w, unsigned n)
{
    if (n > 2) {
        say(sh, "ls: say ls [DIR]\n");
        return;
    }
    const char *dir = n > 1 ? w[1] : "/";
    unsigned len = (unsigned)rt_strnlen(dir, FS_PATH_MAX + 1);
    rt_memcpy(sh->ipc_buffer, dir, len);
    ms_msg_t m = {.info = ms_info(FS_STAT, 0, len, 0)};
    uint64_t err = ms_call(sh->fs.ep, &m);
    if (err == MS_OK)
        err = m.w[0];
    if (err == MS_OK && !m.w[1])
        err = MS_E_INVAL; /* a file */
    if (err != MS_OK) {
        say(sh, "ls: %s: %s\n", dir, ms_error_name(err));
        return;
    }
    char name[FS_NAME_MAX + 1];
    int is_dir;
    for (unsigned i = 0; ms_fs_readdir(&sh->fs, dir, i, name, &is_dir) == MS_OK; i++)
        say(sh, "%s%s\n", name, is_dir ? "/" : "");
}

static void cmd_path(shell_t *sh, char **w, unsigned n, uint32_t label, const char *name)
{
    if (n != 2) {
        say(sh, "%s: say %s PATH\n", name, name);
        return;
    }
    unsigned len = (unsigned)rt_strnlen(w[1], FS_PATH_MAX + 1);
    rt_memcpy(sh->ipc_buffer, w[1], len);
    ms_msg_t m = {.info = ms_info(label, 0, len, 0)};
    uint64_t err = ms_call(sh->fs.ep, &m);
    if (err == MS_OK)
        err = m.w[0];
    if (err != MS_OK)
        say(sh, "%s: %s: %s\n", name, w[1], ms_error_name(err));
}

/* A call to the process manager with up to three words and a name. */
static uint64_t procman_call(shell_t *sh, uint32_t label, unsigned words, uint64_t w0, const char *name,
                             ms_msg_t *m)
{
    unsigned len = name ? (unsigned)rt_strnlen(name, PROCMAN_NAME_MAX + 1) : 0;
    if (name)
        rt_memcpy(sh->ipc_buffer, name, len);
    *m = (ms_msg_t){.info = ms_info(label, words, len, 0), .w = {w0}};
    uint64_t err = ms_call(sh->procman, m);
    return err == MS_OK ? m->w[0] : err;
}

static void cmd_ps(shell_t *sh)
{
    ms_msg_t m;
    uint64_t err = procman_call(sh, PROCMAN_LIST, 0, 0, 0, &m);
    if (err != MS_OK) {
        say(sh, "ps: %s\n", ms_error_name(err));
        return;
    }
    unsigned len = ms_info_payload(m.info);
    char copy[MS_MSG_PAYLOAD_MAX];
    rt_memcpy(copy, sh->ipc_buffer, len); /* before the console's write reuses the IPC buffer */
    say(sh, "PID NAME STATE RESTARTS\n");
    if (len)
        ms_console_write(&sh->con, copy, len);
}

static void cmd_spawn(shell_t *sh, char **w, unsigned n)
{
    if (n != 2) {
        say(sh, "spawn: say spawn PROGRAM\n");
        return;
    }
    ms_msg_t m;
    uint64_t err = procman_call(sh, PROCMAN_SPAWN, 3, 0, w[1], &m);
    if (err == MS_OK)
        say(sh, "spawned %s: pid %lu\n", w[1], (unsigned long)m.w[1]);
    else
        say(sh, "spawn: %s: %s\n", w[1], ms_error_name(err));
}

/* A whole decimal number, or -1. */
static long number(const char *s)
{
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static void cmd_kill(shell_t *sh, char **w, unsigned n)
{
    long pid = n == 2 ? number(w[1]) : -1;
    if (pid < 0) {
        say(sh, "kill: say kill PID\n");
        return;
    }
    ms_msg_t m;
    uint64_t err = procman_call(sh, PROCMAN_KILL, 1, (uint64_t)pid, 0, &m);
    if (err != MS_OK)
        say(sh, "kill: %ld: %s\n", pid, ms_error_name(err));
}

/* A dotted IPv4 address ("10.0.0.2") in *addr; 0 if s is not one. */
static int address(const char *s, uint32_t *addr)
{
    uint32_t a = 0;
    for (unsigned part = 0; part < 4; part++) {
        char digits[4];
        unsigned k = 0;
        while (*s >= '0' && *s <= '9' && k < 3)
            digits[k++] = *s++;
        digits[k] = '\0';
        long v = number(digits);
        if (v < 0 || v > 255 || (part < 3 ? *s != '.' : *s != '\0'))
            return 0;
        a = a << 8 | (uint32_t)v;
        s++;
    }
    *addr = a;
    return 1;
}

/* send ADDR PORT TEXT: one datagram from this host. */
static void cmd_send(shell_t *sh, char **w, unsigned n)
{
    uint32_t addr = 0;
    long port = n == 4 ? number(w[2]) : -1;
    if (n != 4 || !address(w[1], &addr) || port < 1 || port > 65535) {
        say(sh, "send: say send ADDRESS PORT TEXT (as send 10.0.0.2 7 hello)\n");
        return;
    }
    if (!sh->net.ep) {
        say(sh, "send: this host has no network daemon\n");
        return;
    }
    uint64_t err = sh->bound ? MS_OK : ms_net_bind(&sh->net, 0, &sh->sock, 0);
    sh->bound = err == MS_OK;
    unsigned len = (unsigned)rt_strlen(w[3]);
    if (err == MS_OK)
        err = ms_net_sendto(&sh->net, sh->sock, addr, (uint16_t)port, w[3], len);
    if (err == MS_OK)
        say(sh, "sent %u bytes to %s:%ld\n", len, w[1], port);
    else
        say(sh, "send: %s:%ld: %s\n", w[1], port, ms_error_name(err));
}

static void cmd_help(shell_t *sh)
{
    say(sh, "commands: echo TEXT [> FILE], cat FILE, ls [DIR], mkdir DIR, rm PATH, ps, spawn PROGRAM,\n"
            "          kill PID, send ADDRESS PORT TEXT, help, exit\n");
}

/* Runs one line; returns 0 when the shell should end. */
static int run(shell_t *sh, char *line)
{
    char *w[MAX_WORDS];
    unsigned n = split(line, w);
    if (n == 0)
        return 1;
    if (rt_strcmp(w[0], "exit") == 0)
        return 0;
    if (rt_strcmp(w[0], "echo") == 0)
        cmd_echo(sh, w, n);
    else if (rt_strcmp(w[0], "cat") == 0)
        cmd_cat(sh, w, n);
    else if (rt_strcmp(w[0], "ls") == 0)
        cmd_ls(sh, w, n);
    else if (rt_strcmp(w[0], "mkdir") == 0)
        cmd_path(sh, w, n, FS_MKDIR, "mkdir");
    else if (rt_strcmp(w[0], "rm") == 0)
        cmd_path(sh, w, n, FS_UNLINK, "rm");
    else if (rt_strcmp(w[0], "ps") == 0)
        cmd_ps(sh);
    else if (rt_strcmp(w[0], "spawn") == 0)
        cmd_spawn(sh, w, n);
    else if (rt_strcmp(w[0], "kill") == 0)
        cmd_kill(sh, w, n);
    else if (rt_strcmp(w[0], "send") == 0)
        cmd_send(sh, w, n);
    else if (rt_strcmp(w[0], "help") == 0)
        cmd_help(sh);
    else
        say(sh, "%s: no such command (try help)\n", w[0]);
    return 1;
}

/* A process finds the services by name, into the slots a boot manifest's
 * shell is given them in. */
static uint64_t find_services(shell_t *sh, const ms_start_t *start)
{
    static const char *const paths[] = {CONSOLE_PATH, FS_PATH, INIT_PROCMAN_PATH};
    ms_handle_t *slots[] = {&sh->con.ep, &sh->fs.ep, &sh->procman};
    if (!PROCMAN_PID(start))
        return MS_OK;
    ms_names_t n = ms_names_of(start);
    sh->fs.names = n.ep;
    uint64_t err = MS_OK;
    for (unsigned i = 0; i < 3 && err == MS_OK; i++)
        err = ms_names_lookup(&n, paths[i], slots[i]);
    char path[NET_PATH_MAX];
    ms_net_path((uint32_t)start->arg[0], path, sizeof path);
    if (err == MS_OK && start->arg[0] && ms_names_lookup(&n, path, &sh->net.ep) != MS_OK)
        sh->net.ep = 0; /* no network: send says so */
    return err;
}

void shell_main(const ms_start_t *start)
{
    char *ipc = (char *)(uintptr_t)start->ipc_buffer;
    shell_t sh = {.con = {.ep = SHELL_H_CONSOLE, .ipc_buffer = ipc},
                  .fs = {.ep = SHELL_H_FS, .ipc_buffer = ipc},
                  .net = {.ipc_buffer = ipc},
                  .procman = SHELL_H_PROCMAN,
                  .ipc_buffer = ipc};
    uint64_t err = find_services(&sh, start);
    if (err != MS_OK) {
        ms_printf("%s: cannot find its services (%s)\n", start->name, ms_error_name(err));
        ms_exit(1);
    }
    char line[CONSOLE_LINE_MAX + 1];
    for (;;) {
        say(&sh, "$ ");
        if (ms_console_read(&sh.con, line, sizeof line) != MS_OK)
            ms_exit(1);
        if (!run(&sh, line))
            break;
    }
    ms_exit(0);
}
