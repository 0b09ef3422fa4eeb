/* microsim --machine=qemu: runs the x86-64 image in qemu-system-x86_64 and relays its serial trace. */
#include "qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "scenarios.h"
#include "trace_filter.h"
#include "trace_group.h"

#define QEMU "qemu-system-x86_64"
#define QEMU_PACKAGE "qemu-system-x86"
#define IMAGE_NAME "microsim-x86_64.elf32" /* what -kernel boots; the ELF64 with symbols drops the "32" */
#define GDB_ADDRESS "127.0.0.1:1234"

/*
 * The serial line carries three kinds of lines (kernel/arch/x86_64): the
 * column header and one line per trace event, exactly as the hosted text
 * sink prints them, and diagnostics starting with '!' (panic reports, boot
 * errors), which go to standard error without the '!'.
 */
typedef struct relay {
    FILE *out;            /* the trace (standard output or -o FILE); NULL for --trace=none */
    int raw_console;      /* print events' text goes plainly to standard output */
    sim_trace_filter_t filter; /* the event lines written to out */
    sim_trace_group_t *group;  /* NULL: each line as it comes */
    unsigned long long events;
    unsigned long long last_time;
    int halted, panicked;
    char reason[32];
} relay_t;

static int find_in_path(const char *name, char *out, size_t size)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        if (n && snprintf(out, size, "%.*s/%s", (int)n, path, name) < (int)size && access(out, X_OK) == 0)
            return 0;
        path += n + (path[n] == ':');
    }
    return -1;
}

/* MICROSIM_IMAGE, or the image the build put next to the microsim binary. */
static int find_image(char *out, size_t size)
{
    const char *env = getenv("MICROSIM_IMAGE");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return access(out, R_OK);
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    if (snprintf(out, size, "%s/%s", self, IMAGE_NAME) >= (int)size)
        return -1;
    return access(out, R_OK);
}

/* The kernel command line: the scenario and the options the image reads. */
static void make_cmdline(const sim_options_t *o, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s seed=%llu", o->scenario, (unsigned long long)o->seed);
    if (o->no_fastpath)
        n += snprintf(buf + n, size - (size_t)n, " fastpath=off");
    if (o->check_invariants)
        n += snprintf(buf + n, size - (size_t)n, " invariants=on");
    if (o->trace == SIM_TRACE_NONE)
        n += snprintf(buf + n, size - (size_t)n, " trace=none");
    if (o->max_events)
        snprintf(buf + n, size - (size_t)n, " max-events=%llu", (unsigned long long)o->max_events);
}

/* Starts QEMU with its standard output (COM1) on a pipe; returns the read end. */
static pid_t start_qemu(const char *qemu, const char *image, const char *cmdline, int gdb, int *fd)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid != 0) {
        close(p[1]);
        *fd = p[0];
        return pid;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* QEMU goes when microsim does, however it ends */
    int null = open("/dev/null", O_RDONLY);
    dup2(null, STDIN_FILENO);
    dup2(p[1], STDOUT_FILENO);
    close(p[0]);
    close(p[1]);
    const char *argv[24] = {qemu, "-kernel", image, "-append", cmdline, "-serial", "stdio", "-display", "none",
                            "-monitor", "none", "-no-reboot", "-accel", "tcg", "-device",
                            "isa-debug-exit,iobase=0xf4,iosize=4"};
    if (gdb) {
        argv[16] = "-S";
        argv[17] = "-gdb";
        argv[18] = "tcp:" GDB_ADDRESS;
    }
    execv(qemu, (char *const *)argv);
    fprintf(stderr, "microsim: cannot run %s: %s\n", qemu, strerror(errno));
    _exit(127);
}

/* The text of a print event's text="..." field, unescaped (trace_format.c's escapes). */
static void write_print_text(const char *line)
{
    const char *p = strstr(line, " text=\"");
    if (!p)
        return;
    for (p += 7; *p && *p != '"'; p++) {
        int c = (unsigned char)*p;
        if (c == '\\' && p[1]) {
            c = (unsigned char)*++p;
            if (c == 'n')
                c = '\n';
            else if (c == 't')
                c = '\t';
            else if (c == 'x' && p[1] && p[2]) {
                char hex[3] = {p[1], p[2], 0};
                c = (int)strtol(hex, NULL, 16);
                p += 2;
            }
        }
        putchar(c);
    }
}

/* The time column of an event line, which grouping does not compare. */
#define TIME_COLUMN 12

/* One event line: "        TIME CPU KIND ACTOR ..." (the time column is 12 wide). */
static void relay_event(relay_t *r, const char *line)
{
    char kind[32] = "";
    sscanf(line, "%llu %*u %31s", &r->last_time, kind);
    r->events++;
    if (strcmp(kind, "kernel.halt") == 0) {
        const char *reason = strstr(line, " reason=");
        r->halted = 1;
        if (reason)
            sscanf(reason + 8, "%31s", r->reason);
    }
    if (r->raw_console && strcmp(kind, "print") == 0)
        write_print_text(line);
    if (!r->out || !sim_trace_filter_shows_line(&r->filter, line))
        return;
    if (r->group && strlen(line) > TIME_COLUMN)
        sim_trace_group_line(r->group, line + TIME_COLUMN, line, r->last_time);
    else
        fprintf(r->out, "%s\n", line);
}

static void relay_line(relay_t *r, char *line)
{
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '!') {
        if (r->group)
            sim_trace_group_flush(r->group);
        fflush(stdout);
        fprintf(stderr, "%s\n", line + 1);
        if (strstr(line, "KERNEL PANIC"))
            r->panicked = 1;
    } else if (strncmp(line, "    time(ns)", 12) == 0) {
        if (r->out)
            fprintf(r->out, "%s\n", line);
    } else if (line[0]) {
        relay_event(r, line);
    }
}

/* QEMU's exit code to microsim's: isa-debug-exit makes (status << 1) | 1, a
 * triple fault with -no-reboot makes 0. QEMU's own errors are 1 too, which
 * is also status 0: that one counts only if the kernel said it halted. */
static int guest_status(const sim_options_t *o, const relay_t *r, int wstatus)
{
    if (!WIFEXITED(wstatus)) {
        fprintf(stderr, "microsim: %s was killed by signal %d\n", QEMU, WTERMSIG(wstatus));
        return 1;
    }
    int code = WEXITSTATUS(wstatus);
    if (code == 0) {
        fprintf(stderr, "microsim: the machine reset itself (a triple fault); run with --gdb, or QEMU's "
                        "-d int,cpu_reset, to see where\n");
        return 1;
    }
    int stopped = o->max_events && r->events >= o->max_events;
    if (code == 1 && !r->halted && !stopped) {
        fprintf(stderr, "microsim: %s stopped before the kernel halted (exit code 1)\n", QEMU);
        return 1;
    }
    if (!(code & 1) || code > 5) {
        fprintf(stderr, "microsim: %s failed with exit code %d\n", QEMU, code);
        return 1;
    }
    return (code - 1) / 2;
}

static void summarize(const sim_options_t *o, const relay_t *r, int status)
{
    const char *how = r->panicked ? "kernel panic"
                      : (!r->halted && o->max_events && r->events >= o->max_events) ? "stopped by --max-events"
                      : r->halted ? r->reason
                                  : "no kernel.halt";
    fprintf(stderr, "microsim: %s (qemu): %s, exit status %d; %llu events, %llu.%03llu us simulated\n", o->scenario,
            how, status, r->events, r->last_time / 1000, r->last_time % 1000);
}

/* Finds QEMU and the image, or says which command or package gives them. */
static int check_prerequisites(const sim_options_t *o, char *qemu, char *image, size_t size)
{
    if (o->trace == SIM_TRACE_JSON) {
        fprintf(stderr, "microsim: --machine=qemu prints the text trace only; for JSON use the hosted machine\n");
        return 2;
    }
    if (!scenario_find(o->scenario)) {
        fprintf(stderr, "microsim: no scenario '%s'; microsim --list shows them\n", o->scenario);
        return 2;
    }
    if (find_in_path(QEMU, qemu, size) != 0) {
        fprintf(stderr, "microsim: %s not found; install it with: sudo apt-get install -y %s\n", QEMU, QEMU_PACKAGE);
        return 2;
    }
    if (find_image(image, size) != 0) {
        fprintf(stderr, "microsim: no x86-64 image at %s; build it with: cmake -B build && cmake --build build "
                        "(or point MICROSIM_IMAGE at microsim-x86_64.elf32)\n", image);
        return 2;
    }
    return 0;
}

static void print_gdb_hint(const char *image)
{
    char elf[PATH_MAX];
    snprintf(elf, sizeof elf, "%s", image);
    size_t n = strlen(elf);
    if (n > 2 && strcmp(elf + n - 2, "32") == 0)
        elf[n - 2] = '\0';
    fprintf(stderr,
            "microsim: QEMU is halted at the first instruction and waits for gdb on %s; attach with:\n"
            "  gdb %s -ex 'target remote %s'\n",
            GDB_ADDRESS, elf, GDB_ADDRESS);
}

int sim_qemu_run(const sim_options_t *o)
{
    char qemu[PATH_MAX], image[PATH_MAX], cmdline[256];
    int err = check_prerequisites(o, qemu, image, sizeof qemu);
    if (err)
        return err;
    relay_t r = {.out = stdout};
    if (sim_choose_trace_filter(o, scenario_find(o->scenario), &r.filter) != 0)
        return 2;
    if (o->output && !(r.out = fopen(o->output, "w"))) {
        fprintf(stderr, "microsim: cannot write %s: %s; give -o a writable path\n", o->output, strerror(errno));
        return 2;
    }
    r.raw_console = !(o->trace == SIM_TRACE_TEXT && r.out == stdout);
    FILE *trace_file = r.out;
    if (o->trace == SIM_TRACE_NONE)
        r.out = NULL;
    else if (sim_trace_grouped(o, &r.filter) && !(r.group = sim_trace_group_new(r.out))) {
        fprintf(stderr, "microsim: out of memory\n");
        return 1;
    }
    make_cmdline(o, cmdline, sizeof cmdline);
    fflush(stdout);
    int fd;
    pid_t pid = start_qemu(qemu, image, cmdline, o->gdb, &fd);
    if (pid < 0) {
        fprintf(stderr, "microsim: cannot start %s: %s\n", qemu, strerror(errno));
        return 1;
    }
    if (o->gdb)
        print_gdb_hint(image);
    FILE *serial = fdopen(fd, "r");
    char *line = NULL;
    size_t cap = 0;
    while (serial && getline(&line, &cap, serial) >= 0)
        relay_line(&r, line);
    free(line);
    sim_trace_group_free(r.group);
    if (serial)
        fclose(serial);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    fflush(stdout);
    if (trace_file != stdout && fclose(trace_file) != 0)
        fprintf(stderr, "microsim: writing %s failed: %s\n", o->output, strerror(errno));
    int status = guest_status(o, &r, wstatus);
    summarize(o, &r, status);
    return status;
}
