/* Unit tests of the trace text format, its field table, its label names and the trace ring. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The protocol headers whose labels kernel/trace_labels.h mirrors. */
#include "ms/console.h"
#include "ms/fs.h"
#include "ms/names.h"
#include "ms/net.h"
#include "ms/pager.h"
#include "ms/procman.h"
#include "ms/timer.h"

#include "fixture.h"
#include "rt.h"
#include "trace.h"
#include "trace_format.h"
#include "trace_labels.h"

/* An event as the kernel would record it; peer_tid 0 and "" mean no peer. */
static k_trace_event_t event(unsigned kind, uint64_t time, const char *actor, uint32_t actor_tid, const char *peer,
                             uint32_t peer_tid)
{
    k_trace_event_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = (uint16_t)kind;
    ev.time_ns = time;
    ev.actor_tid = actor_tid;
    ev.peer_tid = peer_tid;
    rt_strlcpy(ev.actor, actor, sizeof ev.actor);
    rt_strlcpy(ev.peer, peer, sizeof ev.peer);
    return ev;
}

static k_trace_event_t message(unsigned kind, uint64_t time, uint32_t ep, uint64_t badge, uint64_t info,
                               uint64_t handle, const uint64_t *words)
{
    k_trace_event_t ev = event(kind, time, "init", 1, "hi", 3);
    ev.a[K_EV_ARG_EP] = ep;
    ev.a[K_EV_ARG_BADGE] = badge;
    ev.a[K_EV_ARG_INFO] = info;
    ev.a[K_EV_ARG_HANDLE] = handle;
    for (unsigned i = 0; i < ms_info_words(info); i++)
        ev.a[K_EV_ARG_WORDS + i] = words[i];
    return ev;
}

static k_trace_event_t print_event(const char *text, unsigned len)
{
    k_trace_event_t ev = event(K_EV_PRINT, 1000, "hi", 3, "", 0);
    memcpy(ev.text, text, len);
    ev.text_len = (uint8_t)len;
    return ev;
}

static void expect_line(const k_trace_event_t *ev, const char *want)
{
    char buf[TRACE_LINE_MAX];
    memset(buf, 'Z', sizeof buf);
    size_t n = trace_format_text(ev, buf, sizeof buf, 0);
    ck_assert_str_eq(buf, want);
    ck_assert_uint_eq(n, strlen(want));
}

START_TEST(task_spawn_line)
{
    k_trace_event_t ev = event(K_EV_TASK_SPAWN, 0, "init", 1, "", 0);
    ev.a[0] = 1;
    ev.a[1] = 200;
    expect_line(&ev, "           0   0 task.spawn    init:1                                   task=1 prio=200");
}
END_TEST

START_TEST(task_exit_line_shows_signed_status)
{
    k_trace_event_t ev = event(K_EV_TASK_EXIT, 1700, "hi", 3, "", 0);
    expect_line(&ev, "        1700   0 task.exit     hi:3                                     status=0");
    ev.time_ns = 1800;
    ev.a[0] = (uint64_t)-1;
    expect_line(&ev, "        1800   0 task.exit     hi:3                                     status=-1");
}
END_TEST

START_TEST(irq_line_names_the_interrupted_thread_or_idle)
{
    k_trace_event_t ev = event(K_EV_IRQ, 5000, "driver", 7, "", 0);
    ev.a[0] = 4;
    ev.a[1] = 36;
    expect_line(&ev, "        5000   0 irq           driver:7                                 line=4 vector=36");
    ev = event(K_EV_IRQ, 6000, "", 0, "", 0);
    ev.a[0] = 4;
    ev.a[1] = 36;
    expect_line(&ev, "        6000   0 irq           idle                                     line=4 vector=36");
}
END_TEST

START_TEST(preempt_line_gives_the_reason_and_the_irq)
{
    k_trace_event_t ev = event(K_EV_PREEMPT, 10000000, "hog", 2, "", 0);
    ev.a[0] = K_PREEMPT_SLICE;
    ev.a[1] = 0;
    expect_line(&ev, "    10000000   0 preempt       hog:2                                    reason=slice irq=0");
}
END_TEST

START_TEST(map_line_names_the_frames_or_the_senders_pages_and_protect_has_its_own)
{
    k_trace_event_t ev = event(K_EV_MAP, 300, "pager", 2, "app", 1);
    ev.a[0] = 0x10002000;
    ev.a[1] = 1;
    ev.a[2] = MS_RIGHT_READ | MS_RIGHT_WRITE;
    ev.a[3] = 4;
    ev.a[4] = 1;
    ev.a[5] = 0x12340000;
    expect_line(&ev, "         300   0 map           pager:2            -> app:1              "
                     "task=1 addr=0x10002000 pages=1 rights=rw frames=4");
    ev.a[3] = 0; /* a map item */
    expect_line(&ev, "         300   0 map           pager:2            -> app:1              "
                     "task=1 addr=0x10002000 pages=1 rights=rw from=0x12340000");
    ev.kind = K_EV_PROTECT;
    ev.a[2] = MS_RIGHT_READ;
    expect_line(&ev, "         300   0 protect       pager:2            -> app:1              "
                     "task=1 addr=0x10002000 pages=1 rights=r");
}
END_TEST

START_TEST(net_packet_line_gives_both_ends_and_the_length)
{
    k_trace_event_t ev = event(K_EV_NET_PACKET, 700, "net1", 2, "", 0);
    ev.a[0] = 0x0a000001;
    ev.a[1] = 7;
    ev.a[2] = 0x0a000002;
    ev.a[3] = 9;
    ev.a[4] = 5;
    expect_line(&ev, "         700   0 net.packet    net1:2                                   "
                     "from=10.0.0.1:7 to=10.0.0.2:9 len=5");
    ev.a[0] = 0xffffffff;
    ev.a[1] = 65535;
    ev.a[2] = 0;
    ev.a[3] = 0;
    ev.a[4] = 65507;
    expect_line(&ev, "         700   0 net.packet    net1:2                                   "
                     "from=255.255.255.255:65535 to=0.0.0.0:0 len=65507");
}
END_TEST

START_TEST(io_unclaimed_line_gives_port_size_and_direction)
{
    k_trace_event_t ev = event(K_EV_IO_UNCLAIMED, 300, "console", 1, "", 0);
    ev.a[0] = 0x2fd;
    ev.a[1] = 1;
    ev.a[2] = 0;
    expect_line(&ev, "         300   0 io.unclaimed  console:1                                port=0x2fd size=1 op=in");
    ev.a[2] = 1;
    expect_line(&ev, "         300   0 io.unclaimed  console:1                                port=0x2fd size=1 op=out");
}
END_TEST

START_TEST(task_kill_line_names_killer_and_victim)
{
    k_trace_event_t ev = event(K_EV_TASK_KILL, 2500, "init", 1, "lo", 4);
    ev.a[0] = 4;
    ev.a[1] = K_REASON_KILLED;
    expect_line(&ev, "        2500   0 task.kill     init:1             -> lo:4               task=4 reason=killed");
}
END_TEST

START_TEST(thread_spawn_and_exit_lines)
{
    k_trace_event_t ev = event(K_EV_THREAD_SPAWN, 42, "server", 2, "server", 5);
    ev.a[0] = 100;
    expect_line(&ev, "          42   0 thread.spawn  server:2           -> server:5           prio=100");
    ev = event(K_EV_THREAD_EXIT, 43, "server", 5, "", 0);
    expect_line(&ev, "          43   0 thread.exit   server:5                                 reason=exit");
    ev.time_ns = 44;
    ev.a[0] = 1;
    expect_line(&ev, "          44   0 thread.exit   server:5                                 reason=killed");
}
END_TEST

START_TEST(switch_line_shows_idle_and_trims_trailing_blanks)
{
    k_trace_event_t ev = event(K_EV_SWITCH, 0, "", 0, "init", 1);
    expect_line(&ev, "           0   0 switch        idle               -> init:1");
    /* For a switch, tid 0 as the peer is the idle CPU, shown anyway. */
    ev = event(K_EV_SWITCH, 99, "init", 1, "", 0);
    expect_line(&ev, "          99   0 switch        init:1             -> idle");
}
END_TEST

START_TEST(ipc_send_line_with_badge_payload_and_handle)
{
    const uint64_t w[2] = {1, UINT64_MAX};
    k_trace_event_t ev = message(K_EV_IPC_SEND, 300, 2, 7, ms_info(3, 2, 13, 1), 2, w);
    expect_line(&ev, "         300   0 ipc.send      init:1             -> hi:3               ep=2 badge=7 label=3 "
                     "w=[0x1,0xffffffffffffffff] len=13 handle=2");
}
END_TEST

START_TEST(ipc_call_line_without_badge_or_words)
{
    k_trace_event_t ev = message(K_EV_IPC_CALL, 1400, 1, 0, ms_info(3, 0, 0, 0), 55, NULL);
    ev.actor_tid = 3;
    ev.peer_tid = 2;
    rt_strlcpy(ev.actor, "hi", sizeof ev.actor);
    rt_strlcpy(ev.peer, "server", sizeof ev.peer);
    /* No badge field for badge 0, no handle field without the flag. */
    expect_line(&ev, "        1400   0 ipc.call      hi:3               -> server:2           ep=1 label=3 w=[]");
}
END_TEST

START_TEST(ipc_reply_line_has_no_endpoint_or_badge)
{
    const uint64_t w[1] = {0x21};
    k_trace_event_t ev = message(K_EV_IPC_REPLY, 900, 9, 9, ms_info(1, 1, 0, 0), 0, w);
    ev.actor_tid = 2;
    ev.peer_tid = 3;
    rt_strlcpy(ev.actor, "server", sizeof ev.actor);
    rt_strlcpy(ev.peer, "hi", sizeof ev.peer);
    expect_line(&ev, "         900   0 ipc.reply     server:2           -> hi:3               label=1 w=[0x21]");
}
END_TEST

START_TEST(ipc_wait_line_names_the_operation)
{
    static const char *const ops[] = {"recv", "send", "call", "?"};
    static const uint64_t op_values[] = {K_WAIT_RECV, K_WAIT_SEND, K_WAIT_CALL, 77};
    for (unsigned i = 0; i < 4; i++) {
        k_trace_event_t ev = event(K_EV_IPC_WAIT, 100, "server", 1, "", 0);
        ev.a[0] = 1;
        ev.a[1] = op_values[i];
        char want[TRACE_LINE_MAX];
        snprintf(want, sizeof want,
                 "         100   0 ipc.wait      server:1                                 ep=1 op=%s", ops[i]);
        expect_line(&ev, want);
    }
}
END_TEST

START_TEST(syscall_error_line_names_call_and_error)
{
    k_trace_event_t ev = event(K_EV_SYSCALL_ERROR, 2800, "lo", 4, "", 0);
    ev.a[0] = MS_SYS_RECV;
    ev.a[1] = MS_E_RIGHTS;
    expect_line(&ev, "        2800   0 syscall.error lo:4                                     call=recv err=E_RIGHTS");
    ev.time_ns = 2801;
    ev.a[0] = MS_SYS_COUNT;
    ev.a[1] = 99;
    expect_line(&ev, "        2801   0 syscall.error lo:4                                     call=? err=E_?");
}
END_TEST

START_TEST(kernel_halt_line_has_kernel_as_actor)
{
    k_trace_event_t ev = event(K_EV_KERNEL_HALT, 3500, "", 0, "", 0);
    ev.a[0] = 0;
    ev.a[1] = K_REASON_DONE;
    expect_line(&ev, "        3500   0 kernel.halt   kernel                                   status=0 reason=done");
    ev.time_ns = 3600;
    ev.a[0] = 1;
    ev.a[1] = K_REASON_COUNT;
    expect_line(&ev, "        3600   0 kernel.halt   kernel                                   status=1 reason=?");
}
END_TEST

START_TEST(unknown_kind_line_has_no_fields)
{
    k_trace_event_t ev = event(K_EV_COUNT, 5, "a", 1, "", 0);
    ev.a[0] = 123;
    expect_line(&ev, "           5   0 ?             a:1");
}
END_TEST

START_TEST(wide_values_push_the_columns)
{
    /* A 16-byte name has no terminator in the event; it is shown whole. */
    k_trace_event_t ev = event(K_EV_PRINT, 123456789012ull, "", UINT32_MAX, "b", 2);
    memset(ev.actor, 'a', sizeof ev.actor);
    ev.cpu = 7;
    ev.text[0] = 'x';
    ev.text_len = 1;
    expect_line(&ev, "123456789012   7 print         aaaaaaaaaaaaaaaa:4294967295 -> b:2                text=\"x\"");
}
END_TEST

START_TEST(print_text_is_quoted_with_c_escapes)
{
    const char text[] = "say \"hi\" \\ back\n\t\x01\x7f\xff.";
    k_trace_event_t ev = print_event(text, sizeof text - 1);
    expect_line(&ev, "        1000   0 print         hi:3                                     "
                     "text=\"say \\\"hi\\\" \\\\ back\\n\\t\\x01\\x7f\\xff.\"");
}
END_TEST

START_TEST(print_text_uses_exactly_text_len_bytes)
{
    k_trace_event_t ev = print_event("abcdef", 6);
    ev.text_len = 3;
    expect_line(&ev, "        1000   0 print         hi:3                                     text=\"abc\"");
    ev.text_len = 0;
    expect_line(&ev, "        1000   0 print         hi:3                                     text=\"\"");
    /* A NUL inside the text is a byte like any other. */
    ev = print_event("a\0b", 3);
    expect_line(&ev, "        1000   0 print         hi:3                                     text=\"a\\x00b\"");
}
END_TEST

START_TEST(full_print_event_fits_a_line)
{
    char text[K_EV_TEXT];
    memset(text, '"', sizeof text);
    k_trace_event_t ev = print_event(text, sizeof text);
    char want[TRACE_LINE_MAX];
    int n =
        snprintf(want, sizeof want, "        1000   0 print         hi:3                                     text=\"");
    for (unsigned i = 0; i < K_EV_TEXT; i++)
        n += snprintf(want + n, sizeof want - (size_t)n, "\\\"");
    snprintf(want + n, sizeof want - (size_t)n, "\"");
    expect_line(&ev, want);
}
END_TEST

/* The longest value, a full print event of bytes that all need \xNN escapes
 * (2 + 96 * 4 characters), is formatted whole. */
START_TEST(full_print_event_of_unprintable_bytes_fits_a_line)
{
    char text[K_EV_TEXT];
    memset(text, 0x01, sizeof text);
    k_trace_event_t ev = print_event(text, sizeof text);
    char want[TRACE_LINE_MAX];
    int n =
        snprintf(want, sizeof want, "        1000   0 print         hi:3                                     text=\"");
    for (unsigned i = 0; i < K_EV_TEXT; i++)
        n += snprintf(want + n, sizeof want - (size_t)n, "\\x01");
    snprintf(want + n, sizeof want - (size_t)n, "\"");
    expect_line(&ev, want);
}
END_TEST

START_TEST(colour_wraps_only_the_kind)
{
    const uint64_t w[1] = {0xa};
    k_trace_event_t ev = message(K_EV_IPC_CALL, 800, 1, 1, ms_info(1, 1, 0, 0), 0, w);
    char plain[TRACE_LINE_MAX], colour[TRACE_LINE_MAX];
    size_t plain_len = trace_format_text(&ev, plain, sizeof plain, 0);
    size_t colour_len = trace_format_text(&ev, colour, sizeof colour, 1);
    ck_assert_ptr_null(strchr(plain, '\033'));
    /* The escapes sit right after the cpu column and right after the padded kind. */
    const char *start = "\033[36m", *end = "\033[0m";
    size_t kind_at = 17;
    ck_assert_uint_eq(colour_len, plain_len + strlen(start) + strlen(end));
    ck_assert_uint_eq(strlen(colour), colour_len);
    ck_assert_int_eq(memcmp(colour, plain, kind_at), 0);
    ck_assert_int_eq(memcmp(colour + kind_at, start, strlen(start)), 0);
    ck_assert_int_eq(memcmp(colour + kind_at + strlen(start), "ipc.call     ", 13), 0);
    ck_assert_int_eq(memcmp(colour + kind_at + strlen(start) + 13, end, strlen(end)), 0);
    ck_assert_str_eq(colour + kind_at + strlen(start) + 13 + strlen(end), plain + kind_at + 13);
}
END_TEST

START_TEST(every_known_kind_is_coloured)
{
    for (unsigned k = 0; k < K_EV_COUNT; k++) {
        k_trace_event_t ev = event(k, 1, "a", 1, "", 0);
        char plain[TRACE_LINE_MAX], colour[TRACE_LINE_MAX], stripped[TRACE_LINE_MAX];
        size_t plain_len = trace_format_text(&ev, plain, sizeof plain, 0);
        size_t colour_len = trace_format_text(&ev, colour, sizeof colour, 1);
        /* \033[<digits and ;>m, the kind padded to 13 columns, \033[0m. */
        ck_assert_msg(strncmp(colour + 17, "\033[", 2) == 0, "kind %s: no colour", trace_kind_name(k));
        const char *m = colour + 19 + strspn(colour + 19, "0123456789;");
        ck_assert_int_eq(*m, 'm');
        ck_assert_int_eq(strncmp(m + 1 + 13, "\033[0m", 4), 0);
        snprintf(stripped, sizeof stripped, "%.17s%.13s%s", colour, m + 1, m + 1 + 13 + 4);
        ck_assert_str_eq(stripped, plain);
        ck_assert_uint_eq(colour_len, strlen(colour));
        ck_assert_uint_eq(colour_len - plain_len, (size_t)(m + 1 - (colour + 17)) + 4);
    }
}
END_TEST

START_TEST(colour_is_left_out_for_an_unknown_kind)
{
    k_trace_event_t ev = event(K_EV_COUNT + 3, 5, "a", 1, "", 0);
    char plain[TRACE_LINE_MAX], colour[TRACE_LINE_MAX];
    trace_format_text(&ev, plain, sizeof plain, 0);
    trace_format_text(&ev, colour, sizeof colour, 1);
    ck_assert_str_eq(colour, plain);
}
END_TEST

START_TEST(truncated_line_returns_full_length_and_stays_terminated)
{
    const uint64_t w[3] = {0xa, 0xb, 0xc};
    k_trace_event_t ev = message(K_EV_IPC_CALL, 800, 1, 1, ms_info(1, 3, 0, 0), 0, w);
    char full[TRACE_LINE_MAX];
    size_t len = trace_format_text(&ev, full, sizeof full, 0);
    ck_assert_uint_eq(len, strlen(full));
    for (size_t size = 0; size <= len + 1; size++) {
        char buf[TRACE_LINE_MAX];
        memset(buf, 'Z', sizeof buf);
        ck_assert_uint_eq(trace_format_text(&ev, buf, size, 0), len);
        if (size > 0) {
            size_t kept = size - 1 < len ? size - 1 : len;
            ck_assert_int_eq(memcmp(buf, full, kept), 0);
            ck_assert_int_eq(buf[kept], '\0');
        }
        ck_assert_int_eq(buf[size], 'Z');
    }
}
END_TEST

START_TEST(protocol_labels_print_by_name)
{
    const uint64_t w[1] = {3};
    k_trace_event_t ev = message(K_EV_IPC_CALL, 2400, 2, 1, ms_info(FS_OPEN, 1, 2, 0), 0, w);
    expect_line(&ev, "        2400   0 ipc.call      init:1             -> hi:3               ep=2 badge=1 label=fs.open "
                     "w=[0x3] len=2");
    ev.a[K_EV_ARG_INFO] = ms_info(NAMES_LOOKUP, 0, 0, 0);
    expect_line(&ev, "        2400   0 ipc.call      init:1             -> hi:3               ep=2 badge=1 "
                     "label=names.lookup w=[]");
    /* The JSON sink gets the name as a string. */
    trace_field_t f[TRACE_FIELDS_MAX];
    trace_event_fields(&ev, f);
    ck_assert_str_eq(f[2].key, "label");
    ck_assert_int_eq(f[2].type, TF_STR);
    ck_assert_str_eq(f[2].s, "names.lookup");
}
END_TEST

START_TEST(fault_label_prints_as_fault_and_unknown_labels_as_numbers)
{
    const uint64_t w[3] = {3, 0, 0};
    k_trace_event_t ev = message(K_EV_IPC_CALL, 1000, 1, 1, ms_info(MS_FAULT_LABEL, 3, 0, 0), 0, w);
    expect_line(&ev, "        1000   0 ipc.call      init:1             -> hi:3               ep=1 badge=1 label=fault "
                     "w=[0x3,0x0,0x0]");
    /* A protocol's prefix with an operation it does not have, and a reply's status. */
    ev = message(K_EV_IPC_REPLY, 1100, 0, 0, ms_info(0x66730099u, 0, 0, 0), 0, NULL);
    expect_line(&ev, "        1100   0 ipc.reply     init:1             -> hi:3               label=1718812825 w=[]");
    ck_assert_ptr_null(trace_label_name(0));
    ck_assert_ptr_null(trace_label_name(0x66730000u));
}
END_TEST

/* The name a label's symbol gives: FS_OPEN is fs.open. */
static void symbol_to_name(const char *symbol, char *out, size_t size)
{
    size_t i = 0;
    int dot = 0;
    for (; symbol[i] && i + 1 < size; i++) {
        char c = symbol[i];
        out[i] = c == '_' && !dot ? '.' : (char)tolower((unsigned char)c);
        dot |= c == '_';
    }
    out[i] = '\0';
}

#define CHECK_LABEL(symbol, value, name)                                                                               \
    do {                                                                                                               \
        char want[64];                                                                                                 \
        ck_assert_msg((symbol) == (value), "%s is 0x%x in its header, 0x%x in kernel/trace_labels.h", #symbol,         \
                      (unsigned)(symbol), (unsigned)(value));                                                          \
        symbol_to_name(#symbol, want, sizeof want);                                                                    \
        ck_assert_str_eq(name, want);                                                                                  \
        ck_assert_str_eq(trace_label_name(value), name);                                                               \
        lines++;                                                                                                       \
    } while (0);

/* Each line of the table has the value of its header's #define. */
START_TEST(every_label_name_matches_its_protocol_header)
{
    unsigned lines = 0;
    TRACE_PROTOCOL_LABELS(CHECK_LABEL)
    ck_assert_uint_gt(lines, 0);
}
END_TEST

/* A label in a protocol header: "#define NAME 0xPPPPnnnnu", a protocol prefix
 * PPPP and an operation nnnn from 1 to 0xff. Returns the value, or 0. */
static uint32_t header_label(const char *line, char *symbol, size_t size)
{
    char name[64], value[32];
    if (sscanf(line, "#define %63s %31s", name, value) != 2 || strlen(value) != 11 || strncmp(value, "0x", 2) != 0 ||
        value[10] != 'u')
        return 0;
    char *end;
    unsigned long v = strtoul(value + 2, &end, 16);
    if (end != value + 10 || (v >> 16) == 0 || (v & 0xffffu) == 0 || (v & 0xffffu) > 0xffu)
        return 0;
    snprintf(symbol, size, "%s", name);
    return (uint32_t)v;
}

/* The other way round: every label the protocol headers define has its line
 * in the table, so a new operation cannot be left out. */
START_TEST(every_protocol_label_in_the_headers_has_a_name)
{
    DIR *dir = opendir(MS_PROTOCOL_DIR);
    ck_assert_ptr_nonnull(dir);
    unsigned found = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 3 || strcmp(de->d_name + n - 2, ".h") != 0)
            continue;
        char path[512], line[256];
        snprintf(path, sizeof path, "%s/%s", MS_PROTOCOL_DIR, de->d_name);
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        while (fgets(line, sizeof line, f)) {
            char symbol[64], want[64];
            uint32_t label = header_label(line, symbol, sizeof symbol);
            if (!label)
                continue;
            symbol_to_name(symbol, want, sizeof want);
            const char *name = trace_label_name(label);
            ck_assert_msg(name != NULL, "%s (0x%x, %s) has no line in kernel/trace_labels.h", symbol, label,
                          de->d_name);
            ck_assert_str_eq(name, want);
            found++;
        }
        fclose(f);
    }
    closedir(dir);
    unsigned lines = 0;
#define COUNT_LABEL(symbol, value, name) lines++;
    TRACE_PROTOCOL_LABELS(COUNT_LABEL)
#undef COUNT_LABEL
    ck_assert_uint_eq(found, lines);
}
END_TEST

/* snprintf semantics whatever the buffer size: the same length, and a prefix
 * of the full line (which never ends in blanks). */
START_TEST(truncated_line_without_fields_returns_full_length)
{
    k_trace_event_t ev = event(K_EV_SWITCH, 0, "", 0, "init", 1);
    char full[TRACE_LINE_MAX];
    size_t len = trace_format_text(&ev, full, sizeof full, 0);
    ck_assert_uint_eq(len, strlen(full));
    for (size_t size = 0; size <= len + 40; size++) {
        char buf[TRACE_LINE_MAX];
        memset(buf, 'Z', sizeof buf);
        ck_assert_uint_eq(trace_format_text(&ev, buf, size, 0), len);
        if (size > 0) {
            size_t kept = size - 1 < len ? size - 1 : len;
            ck_assert_int_eq(memcmp(buf, full, kept), 0);
            ck_assert_int_eq(buf[kept], '\0');
        }
    }
}
END_TEST

START_TEST(header_matches_the_columns)
{
    char buf[TRACE_LINE_MAX];
    const char *want = "    time(ns) cpu event         actor              peer                  details";
    ck_assert_uint_eq(trace_format_header(buf, sizeof buf), strlen(want));
    ck_assert_str_eq(buf, want);
    /* Each heading starts where its column starts in a line. */
    const char *line = "         800   0 ipc.call      hi:3               -> server:2           ep=1";
    ck_assert_int_eq(strstr(buf, "event") - buf, strstr(line, "ipc.call") - line);
    ck_assert_int_eq(strstr(buf, "actor") - buf, strstr(line, "hi:3") - line);
    ck_assert_int_eq(strstr(buf, "peer") - buf, strstr(line, "-> ") - line);
    ck_assert_int_eq(strstr(buf, "details") - buf, strstr(line, "ep=") - line);
}
END_TEST

START_TEST(every_kind_has_its_name)
{
    static const char *const names[K_EV_COUNT] = {
        [K_EV_TASK_SPAWN] = "task.spawn",     [K_EV_TASK_EXIT] = "task.exit",         [K_EV_TASK_KILL] = "task.kill",
        [K_EV_THREAD_SPAWN] = "thread.spawn", [K_EV_THREAD_EXIT] = "thread.exit",     [K_EV_SWITCH] = "switch",
        [K_EV_IPC_SEND] = "ipc.send",         [K_EV_IPC_CALL] = "ipc.call",           [K_EV_IPC_REPLY] = "ipc.reply",
        [K_EV_IPC_WAIT] = "ipc.wait",         [K_EV_SYSCALL_ERROR] = "syscall.error", [K_EV_PRINT] = "print",
        [K_EV_KERNEL_HALT] = "kernel.halt",   [K_EV_IRQ] = "irq",                     [K_EV_PREEMPT] = "preempt",
        [K_EV_EXCEPTION] = "exception", [K_EV_NOTIFY] = "notify", [K_EV_IO_UNCLAIMED] = "io.unclaimed",
        [K_EV_PAGEFAULT] = "pagefault", [K_EV_MAP] = "map", [K_EV_UNMAP] = "unmap",
        [K_EV_TASK_RESTART] = "task.restart", [K_EV_NET_PACKET] = "net.packet", [K_EV_PROTECT] = "protect",
    };
    for (unsigned k = 0; k < K_EV_COUNT; k++) {
        ck_assert_ptr_nonnull(names[k]);
        ck_assert_str_eq(trace_kind_name(k), names[k]);
    }
    ck_assert_str_eq(trace_kind_name(K_EV_COUNT), "?");
    ck_assert_str_eq(trace_kind_name(1000), "?");
    ck_assert_str_eq(trace_kind_name(UINT32_MAX), "?");
}
END_TEST

START_TEST(every_reason_has_its_name)
{
    ck_assert_str_eq(trace_reason_name(K_REASON_KILLED), "killed");
    ck_assert_str_eq(trace_reason_name(K_REASON_DONE), "done");
    ck_assert_str_eq(trace_reason_name(K_REASON_DEADLOCK), "deadlock");
    ck_assert_str_eq(trace_reason_name(K_REASON_IDLE), "idle");
    ck_assert_str_eq(trace_reason_name(K_REASON_COUNT), "?");
    ck_assert_str_eq(trace_reason_name(UINT64_MAX), "?");
}
END_TEST

START_TEST(message_fields_in_display_order)
{
    const uint64_t w[2] = {5, 6};
    k_trace_event_t ev = message(K_EV_IPC_SEND, 1, 4, 9, ms_info(77, 2, 100, 1), 3, w);
    trace_field_t f[TRACE_FIELDS_MAX];
    ck_assert_uint_eq(trace_event_fields(&ev, f), 6);
    static const char *const keys[] = {"ep", "badge", "label", "w", "len", "handle"};
    static const trace_field_type_t types[] = {TF_UINT, TF_UINT, TF_UINT, TF_HEXLIST, TF_UINT, TF_UINT};
    static const uint64_t values[] = {4, 9, 77, 0, 100, 3};
    for (unsigned i = 0; i < 6; i++) {
        ck_assert_str_eq(f[i].key, keys[i]);
        ck_assert_int_eq(f[i].type, types[i]);
        if (types[i] != TF_HEXLIST)
            ck_assert_uint_eq(f[i].u, values[i]);
    }
    ck_assert_uint_eq(f[3].n, 2);
    ck_assert_ptr_eq(f[3].list, &ev.a[K_EV_ARG_WORDS]);
}
END_TEST

START_TEST(print_field_points_into_the_event)
{
    k_trace_event_t ev = print_event("hello\n", 6);
    trace_field_t f[TRACE_FIELDS_MAX];
    ck_assert_uint_eq(trace_event_fields(&ev, f), 1);
    ck_assert_str_eq(f[0].key, "text");
    ck_assert_int_eq(f[0].type, TF_TEXT);
    ck_assert_ptr_eq(f[0].s, ev.text);
    ck_assert_uint_eq(f[0].n, 6);
}
END_TEST

START_TEST(switch_and_unknown_kinds_have_no_fields)
{
    trace_field_t f[TRACE_FIELDS_MAX];
    k_trace_event_t ev = event(K_EV_SWITCH, 1, "a", 1, "b", 2);
    ck_assert_uint_eq(trace_event_fields(&ev, f), 0);
    ev.kind = K_EV_COUNT;
    ck_assert_uint_eq(trace_event_fields(&ev, f), 0);
}
END_TEST

START_TEST(each_value_type_formats)
{
    static const uint64_t list[3] = {0, 0xff, UINT64_MAX};
    const struct {
        trace_field_t f;
        const char *want;
    } cases[] = {
        {{.type = TF_UINT, .u = UINT64_MAX}, "18446744073709551615"},
        {{.type = TF_INT, .u = (uint64_t)INT64_MIN}, "-9223372036854775808"},
        {{.type = TF_INT, .u = 12}, "12"},
        {{.type = TF_HEX, .u = 0x1f}, "0x1f"},
        {{.type = TF_HEX, .u = 0}, "0x0"},
        {{.type = TF_STR, .s = "word"}, "word"},
        {{.type = TF_HEXLIST, .list = list, .n = 3}, "[0x0,0xff,0xffffffffffffffff]"},
        {{.type = TF_HEXLIST, .list = list, .n = 0}, "[]"},
        {{.type = TF_TEXT, .s = "a\"b", .n = 3}, "\"a\\\"b\""},
        {{.type = TF_INET, .u = 0x0a0000010007ull}, "10.0.0.1:7"},
        {{.type = TF_INET, .u = 0xc0a8fffeffffull}, "192.168.255.254:65535"},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        ck_assert_uint_eq(trace_format_value(&cases[i].f, buf, sizeof buf), strlen(cases[i].want));
        ck_assert_str_eq(buf, cases[i].want);
    }
}
END_TEST

START_TEST(value_truncation_returns_full_length)
{
    trace_field_t f = {.type = TF_UINT, .u = 1234567};
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    ck_assert_uint_eq(trace_format_value(&f, buf, 4), 7);
    ck_assert_str_eq(buf, "123");
    ck_assert_int_eq(buf[4], 'Z');
    ck_assert_uint_eq(trace_format_value(&f, buf, 0), 7);
}
END_TEST

/* ---- the ring ---- */

START_TEST(recorded_event_is_stamped)
{
    fx_reset();
    thread_t *a = fx_spawn("alpha", 10), *b = fx_spawn("beta", 10);
    fake_arch_time = 4321;
    k_trace_event_t *ev = trace_record(K_EV_IPC_SEND, a, b);
    ck_assert_ptr_nonnull(ev);
    ck_assert_uint_eq(ev->kind, K_EV_IPC_SEND);
    ck_assert_uint_eq(ev->time_ns, 4321);
    ck_assert_uint_eq(ev->cpu, 0);
    ck_assert_uint_eq(ev->seq, 0);
    ck_assert_uint_eq(ev->actor_tid, thread_tid(a));
    ck_assert_str_eq(ev->actor, "alpha");
    ck_assert_uint_eq(ev->peer_tid, thread_tid(b));
    ck_assert_str_eq(ev->peer, "beta");
    ev = trace_record(K_EV_PRINT, NULL, NULL);
    ck_assert_uint_eq(ev->seq, 1);
    ck_assert_uint_eq(ev->actor_tid, 0);
    ck_assert_str_eq(ev->actor, "");
    ck_assert_uint_eq(ev->peer_tid, 0);
    ck_assert_uint_eq(ev->text_len, 0);
}
END_TEST

START_TEST(read_returns_events_oldest_first)
{
    fx_reset();
    thread_t *t = fx_spawn("t", 1);
    for (unsigned i = 0; i < 5; i++) {
        fake_arch_time = 100 * i;
        trace_record(i % 2 ? K_EV_IPC_CALL : K_EV_PRINT, t, NULL);
    }
    k_trace_ring_t *ring = trace_ring();
    k_trace_event_t ev;
    for (unsigned i = 0; i < 5; i++) {
        ck_assert_int_eq(trace_read(ring, &ev), 1);
        ck_assert_uint_eq(ev.seq, i);
        ck_assert_uint_eq(ev.time_ns, 100 * i);
        ck_assert_uint_eq(ev.kind, i % 2 ? K_EV_IPC_CALL : K_EV_PRINT);
    }
    ck_assert_int_eq(trace_read(ring, &ev), 0);
    trace_record(K_EV_SWITCH, NULL, t);
    ck_assert_int_eq(trace_read(ring, &ev), 1);
    ck_assert_uint_eq(ev.seq, 5);
    ck_assert_uint_eq(ring->lost, 0);
}
END_TEST

START_TEST(full_ring_overwrites_oldest_and_counts_them)
{
    fx_reset();
    k_trace_ring_t *ring = trace_ring();
    for (unsigned i = 0; i < K_TRACE_RING_EVENTS + 5; i++)
        trace_record(K_EV_PRINT, NULL, NULL);
    ck_assert_uint_eq(ring->lost, 5);
    k_trace_event_t ev;
    unsigned n = 0;
    while (trace_read(ring, &ev)) {
        ck_assert_uint_eq(ev.seq, 5 + n);
        n++;
    }
    ck_assert_uint_eq(n, K_TRACE_RING_EVENTS);
    /* Once read, the ring has room again: nothing more is lost. */
    trace_record(K_EV_PRINT, NULL, NULL);
    ck_assert_uint_eq(ring->lost, 5);
}
END_TEST

START_TEST(last_copies_newest_events_without_consuming)
{
    fx_reset();
    k_trace_ring_t *ring = trace_ring();
    for (unsigned i = 0; i < 10; i++)
        trace_record(K_EV_PRINT, NULL, NULL);
    k_trace_event_t out[20];
    ck_assert_uint_eq(trace_last(ring, out, 3), 3);
    for (unsigned i = 0; i < 3; i++)
        ck_assert_uint_eq(out[i].seq, 7 + i);
    ck_assert_uint_eq(trace_last(ring, out, 20), 10);
    ck_assert_uint_eq(out[0].seq, 0);
    ck_assert_uint_eq(out[9].seq, 9);
    ck_assert_uint_eq(ring->tail, 0);
    k_trace_event_t ev;
    ck_assert_int_eq(trace_read(ring, &ev), 1);
    ck_assert_uint_eq(ev.seq, 0);
}
END_TEST

START_TEST(last_after_wrapping_the_ring)
{
    fx_reset();
    k_trace_ring_t *ring = trace_ring();
    for (unsigned i = 0; i < K_TRACE_RING_EVENTS + 10; i++)
        trace_record(K_EV_PRINT, NULL, NULL);
    k_trace_event_t out[4];
    ck_assert_uint_eq(trace_last(ring, out, 4), 4);
    for (unsigned i = 0; i < 4; i++)
        ck_assert_uint_eq(out[i].seq, K_TRACE_RING_EVENTS + 6 + i);
}
END_TEST

START_TEST(init_empties_the_ring_and_restarts_numbering)
{
    fx_reset();
    k_trace_ring_t *ring = trace_ring();
    for (unsigned i = 0; i < K_TRACE_RING_EVENTS + 2; i++)
        trace_record(K_EV_PRINT, NULL, NULL);
    trace_init(K_TRACE_MASK_ALL);
    ck_assert_uint_eq(ring->head, 0);
    ck_assert_uint_eq(ring->tail, 0);
    ck_assert_uint_eq(ring->lost, 0);
    k_trace_event_t ev;
    ck_assert_int_eq(trace_read(ring, &ev), 0);
    ck_assert_uint_eq(trace_record(K_EV_PRINT, NULL, NULL)->seq, 0);
}
END_TEST

START_TEST(quiet_mask_records_prints_but_not_ipc)
{
    fx_reset();
    trace_init(K_TRACE_MASK_QUIET);
    ck_assert_uint_eq(k_trace_mask, K_TRACE_MASK_QUIET);
    thread_t *t = fx_spawn("t", 1);
    k_trace_ring_t *ring = trace_ring();
    for (unsigned k = 0; k < K_EV_COUNT; k++) {
        uint64_t head = ring->head;
        k_trace_event_t *ev = trace_begin((k_event_kind_t)k, t, NULL);
        int recorded = k == K_EV_PRINT || k == K_EV_KERNEL_HALT;
        ck_assert_msg((ev != NULL) == recorded, "kind %s", trace_kind_name(k));
        ck_assert_uint_eq(ring->head, head + (recorded ? 1 : 0));
    }
    /* trace_record ignores the mask. */
    ck_assert_ptr_nonnull(trace_record(K_EV_IPC_SEND, t, NULL));
}
END_TEST

START_TEST(quiet_mask_through_system_calls)
{
    fx_reset();
    trace_init(K_TRACE_MASK_QUIET);
    thread_t *server = fx_spawn("server", 10), *client = fx_spawn("client", 10);
    ms_handle_t hs = fx_endpoint(server->task, MS_RIGHT_SEND | MS_RIGHT_RECV);
    ms_handle_t hc = fx_share(client->task, server->task, hs, MS_RIGHT_SEND, 0);
    fx_run(server);
    ck_assert_uint_eq(fx_syscall(server, MS_SYS_RECV, fx_msg(hs, 0, 0, NULL)), MS_OK);
    fx_run(client);
    const uint64_t w[1] = {1};
    ck_assert_uint_eq(fx_syscall(client, MS_SYS_SEND, fx_msg(hc, 1, 1, w)), MS_OK);
    ck_assert_int_eq(server->state, THREAD_READY);
    strcpy(fx_ipc_buffer(client), "out\n");
    ck_assert_uint_eq(fx_syscall(client, MS_SYS_DEBUG_WRITE, (arch_regs_t){.rdi = client->ipc_buffer, .rsi = 4}),
                      MS_OK);
    k_trace_event_t ev;
    ck_assert_int_eq(fx_event(&ev), 1);
    ck_assert_uint_eq(ev.kind, K_EV_PRINT);
    ck_assert_uint_eq(ev.text_len, 4);
    ck_assert_int_eq(fx_event(&ev), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("trace_format");
    TCase *text = tcase_create("text");
    tcase_add_test(text, task_spawn_line);
    tcase_add_test(text, task_exit_line_shows_signed_status);
    tcase_add_test(text, irq_line_names_the_interrupted_thread_or_idle);
    tcase_add_test(text, preempt_line_gives_the_reason_and_the_irq);
    tcase_add_test(text, io_unclaimed_line_gives_port_size_and_direction);
    tcase_add_test(text, map_line_names_the_frames_or_the_senders_pages_and_protect_has_its_own);
    tcase_add_test(text, net_packet_line_gives_both_ends_and_the_length);
    tcase_add_test(text, task_kill_line_names_killer_and_victim);
    tcase_add_test(text, thread_spawn_and_exit_lines);
    tcase_add_test(text, switch_line_shows_idle_and_trims_trailing_blanks);
    tcase_add_test(text, ipc_send_line_with_badge_payload_and_handle);
    tcase_add_test(text, ipc_call_line_without_badge_or_words);
    tcase_add_test(text, ipc_reply_line_has_no_endpoint_or_badge);
    tcase_add_test(text, protocol_labels_print_by_name);
    tcase_add_test(text, fault_label_prints_as_fault_and_unknown_labels_as_numbers);
    tcase_add_test(text, every_label_name_matches_its_protocol_header);
    tcase_add_test(text, every_protocol_label_in_the_headers_has_a_name);
    tcase_add_test(text, ipc_wait_line_names_the_operation);
    tcase_add_test(text, syscall_error_line_names_call_and_error);
    tcase_add_test(text, kernel_halt_line_has_kernel_as_actor);
    tcase_add_test(text, unknown_kind_line_has_no_fields);
    tcase_add_test(text, wide_values_push_the_columns);
    tcase_add_test(text, print_text_is_quoted_with_c_escapes);
    tcase_add_test(text, print_text_uses_exactly_text_len_bytes);
    tcase_add_test(text, full_print_event_fits_a_line);
    tcase_add_test(text, colour_wraps_only_the_kind);
    tcase_add_test(text, full_print_event_of_unprintable_bytes_fits_a_line);
    tcase_add_test(text, truncated_line_without_fields_returns_full_length);
    tcase_add_test(text, every_known_kind_is_coloured);
    tcase_add_test(text, colour_is_left_out_for_an_unknown_kind);
    tcase_add_test(text, truncated_line_returns_full_length_and_stays_terminated);
    tcase_add_test(text, header_matches_the_columns);
    tcase_add_test(text, every_kind_has_its_name);
    tcase_add_test(text, every_reason_has_its_name);
    tcase_add_test(text, message_fields_in_display_order);
    tcase_add_test(text, print_field_points_into_the_event);
    tcase_add_test(text, switch_and_unknown_kinds_have_no_fields);
    tcase_add_test(text, each_value_type_formats);
    tcase_add_test(text, value_truncation_returns_full_length);
    suite_add_tcase(s, text);
    TCase *ring = tcase_create("ring");
    tcase_add_test(ring, recorded_event_is_stamped);
    tcase_add_test(ring, read_returns_events_oldest_first);
    tcase_add_test(ring, full_ring_overwrites_oldest_and_counts_them);
    tcase_add_test(ring, last_copies_newest_events_without_consuming);
    tcase_add_test(ring, last_after_wrapping_the_ring);
    tcase_add_test(ring, init_empties_the_ring_and_restarts_numbering);
    tcase_add_test(ring, quiet_mask_records_prints_but_not_ipc);
    tcase_add_test(ring, quiet_mask_through_system_calls);
    suite_add_tcase(s, ring);
    return s;
}

CHECK_MAIN(make_suite)
