/*
 * terminal: the console service (services/console) between standard input
 * and two tasks. A greeter sends malformed requests first (each refused),
 * then writes a banner, which the service still serves; a talker reads
 * lines (its reads wait in the service until a line comes) and answers
 * each, until "quit".
 * `printf 'hello\nquit\n' | microsim terminal`.
 */
#include "ms/console.h"
#include "ms/print.h"
#include "rt.h"
#include "scenarios.h"

#define H_CONSOLE 1
#define COM1 0x3f8

static ms_console_t console_of(const ms_start_t *start)
{
    return (ms_console_t){.ep = H_CONSOLE, .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
}

/* Each malformed request gets its error; returns how many did. */
static unsigned probe(void)
{
    static const struct {
        uint32_t label;
        unsigned words, len;
        uint64_t want;
    } cases[] = {
        {0x636f00ffu, 0, 0, MS_E_NOSYS},   /* unknown label */
        {CONSOLE_WRITE, 0, 0, MS_E_INVAL}, /* nothing to write */
        {CONSOLE_WRITE, 1, 4, MS_E_INVAL}, /* a word where none belongs */
        {CONSOLE_READ, 0, 4, MS_E_INVAL},  /* a payload where none belongs */
        {CONSOLE_READ, 2, 0, MS_E_INVAL},  /* words where none belong */
    };
    unsigned refused = 0;
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ms_msg_t m = {.info = ms_info(cases[i].label, cases[i].words, cases[i].len, 0)};
        refused += ms_call(H_CONSOLE, &m) == MS_OK && m.w[0] == cases[i].want;
    }
    return refused;
}

static void greeter(const ms_start_t *start)
{
    ms_console_t c = console_of(start);
    unsigned refused = probe();
    static const char banner[] = "microsim terminal: type a line, or quit\n";
    uint64_t err = ms_console_write(&c, banner, sizeof banner - 1);
    ms_printf("%s: %u of 5 malformed requests refused; the service still serves: %s\n", start->name, refused,
              ms_error_name(err));
    ms_exit(err == MS_OK && refused == 5 ? 0 : 1);
}

static void talker(const ms_start_t *start)
{
    ms_console_t c = console_of(start);
    char line[CONSOLE_LINE_MAX + 1], answer[CONSOLE_LINE_MAX + 64];
    unsigned lines = 0;
    for (;;) {
        uint64_t err = ms_console_read(&c, line, sizeof line);
        if (err != MS_OK) {
            ms_printf("%s: read failed (%s)\n", start->name, ms_error_name(err));
            ms_exit(1);
        }
        if (rt_strcmp(line, "quit") == 0)
            break;
        lines++;
        int n = rt_snprintf(answer, sizeof answer, "line %u: \"%s\" (%u bytes)\n", lines, line,
                            (unsigned)rt_strlen(line));
        ms_console_write(&c, answer, (unsigned)n);
    }
    ms_printf("%s: %u lines, then quit\n", start->name, lines);
    ms_exit(0);
}

const ms_manifest_t scenario_terminal = {
    .name = "terminal",
    .description = "the console service: malformed requests refused, a banner, a talker answering each line until quit",
    .endpoints = 1,
    .notifications = 1,
    .nioports = 1,
    .ioports = {{.first = COM1, .last = COM1 + 7}},
    .ntasks = 3,
    .tasks = {
        CONSOLE_TASK(50, 0),
        {.name = "greeter", .entry = greeter, .prio = 20,
         .handles = {{.slot = H_CONSOLE, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
        {.name = "talker", .entry = talker, .prio = 10,
         .handles = {{.slot = H_CONSOLE, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
    },
};
