/* System tests of the JSON trace: valid Chrome Trace Event JSON, complete and drawable. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "runner.h"

/* Runs microsim --trace=json -o FILE [--trace-filter=FILTER] scenario and parses FILE. */
static cJSON *json_trace_filtered(const char *scenario, const char *filter)
{
    char path[] = "/tmp/microsim-test-jsonXXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    run_result_t r;
    char filter_option[128] = "--trace-filter=all";
    if (filter)
        snprintf(filter_option, sizeof filter_option, "--trace-filter=%s", filter);
    run_microsim(&r, (const char *const[]){"--trace=json", "-o", path, filter_option, scenario, NULL});
    ck_assert_int_eq(r.status, 0);
    run_free(&r);
    char *text = read_file(path, NULL);
    unlink(path);
    cJSON *root = cJSON_Parse(text);
    ck_assert_msg(root != NULL, "the JSON trace of %s does not parse near: %.60s", scenario, cJSON_GetErrorPtr());
    free(text);
    return root;
}

static cJSON *json_trace_of(const char *scenario)
{
    return json_trace_filtered(scenario, NULL);
}

static cJSON *events_of(cJSON *root)
{
    cJSON *unit = cJSON_GetObjectItemCaseSensitive(root, "displayTimeUnit");
    ck_assert(cJSON_IsString(unit));
    ck_assert_str_eq(unit->valuestring, "ns");
    cJSON *events = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
    ck_assert(cJSON_IsArray(events));
    return events;
}

static const char *str_of(const cJSON *ev, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num_of(const cJSON *ev, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    ck_assert_msg(cJSON_IsNumber(v), "event lacks number '%s'", key);
    return v->valuedouble;
}

static int is_phase(const cJSON *ev, const char *ph)
{
    return strcmp(str_of(ev, "ph"), ph) == 0;
}

static int is_message(const char *name)
{
    return !strcmp(name, "ipc.send") || !strcmp(name, "ipc.call") || !strcmp(name, "ipc.reply");
}

typedef struct slice {
    int tid;
    double start, end;
} slice_t;

typedef struct flow {
    double id, ts;
    int tid;
    const cJSON *ev;
} flow_t;

/* The events of a trace sorted out: slices, flow starts and flow ends. */
typedef struct parsed {
    slice_t *slices;
    flow_t *starts, *ends;
    size_t nslices, nstarts, nends;
    int messages; /* ipc.send, ipc.call and ipc.reply instants */
} parsed_t;

static void parse_events(cJSON *events, parsed_t *p)
{
    size_t n = (size_t)cJSON_GetArraySize(events);
    *p = (parsed_t){.slices = calloc(n, sizeof(slice_t)),
                    .starts = calloc(n, sizeof(flow_t)),
                    .ends = calloc(n, sizeof(flow_t))};
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events)
    {
        if (is_phase(ev, "X")) {
            double ts = num_of(ev, "ts");
            p->slices[p->nslices++] = (slice_t){(int)num_of(ev, "tid"), ts, ts + num_of(ev, "dur")};
        } else if (is_phase(ev, "s") || is_phase(ev, "f")) {
            flow_t f = {num_of(ev, "id"), num_of(ev, "ts"), (int)num_of(ev, "tid"), ev};
            if (is_phase(ev, "s"))
                p->starts[p->nstarts++] = f;
            else
                p->ends[p->nends++] = f;
        } else if (is_phase(ev, "i") && is_message(str_of(ev, "name"))) {
            p->messages++;
        }
    }
}

static void parsed_free(parsed_t *p)
{
    free(p->slices);
    free(p->starts);
    free(p->ends);
}

/* True if a slice of tid strictly contains ts. */
static int inside_slice(const parsed_t *p, int tid, double ts)
{
    for (size_t i = 0; i < p->nslices; i++)
        if (p->slices[i].tid == tid && ts > p->slices[i].start && ts < p->slices[i].end)
            return 1;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    double x = ((const flow_t *)a)->id, y = ((const flow_t *)b)->id;
    return (x > y) - (x < y);
}

START_TEST(pingpong_has_1000_calls_and_replies_between_two_threads)
{
    cJSON *root = json_trace_of("pingpong");
    cJSON *events = events_of(root);
    int calls = 0, replies = 0, client = -1, server = -1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events)
    {
        if (!is_phase(ev, "i"))
            continue;
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
        const char *name = str_of(ev, "name");
        int src = (int)num_of(args, "src"), dst = (int)num_of(args, "dst");
        if (!strcmp(name, "ipc.call")) {
            calls++;
            if (client < 0) {
                client = src;
                server = dst;
            }
            ck_assert_int_eq(src, client);
            ck_assert_int_eq(dst, server);
            ck_assert_int_eq((int)num_of(ev, "tid"), client);
        } else if (!strcmp(name, "ipc.reply")) {
            replies++;
            ck_assert_int_eq(src, server);
            ck_assert_int_eq(dst, client);
        }
    }
    ck_assert_int_ne(client, server);
    ck_assert_int_gt(client, 0);
    ck_assert_int_gt(server, 0);
    ck_assert_int_eq(calls, 1000);
    ck_assert_int_eq(replies, 1000);
    cJSON_Delete(root);
}
END_TEST

/* Every message has exactly one flow start and one flow end with its id, the
 * start inside a slice of the sender and the end inside one of the receiver. */
static void check_flows(const char *scenario, const char *filter)
{
    cJSON *root = json_trace_filtered(scenario, filter);
    parsed_t p;
    parse_events(events_of(root), &p);
    ck_assert_int_gt(p.messages, 0);
    ck_assert_uint_eq(p.nstarts, (size_t)p.messages);
    ck_assert_uint_eq(p.nends, (size_t)p.messages);
    qsort(p.starts, p.nstarts, sizeof(flow_t), by_id);
    qsort(p.ends, p.nends, sizeof(flow_t), by_id);
    for (size_t i = 0; i < p.nstarts; i++) {
        const flow_t *s = &p.starts[i], *f = &p.ends[i];
        ck_assert_msg(s->id == f->id && (i == 0 || p.starts[i - 1].id != s->id), "flow ids do not pair up");
        ck_assert_str_eq(str_of(s->ev, "cat"), "ipc");
        ck_assert_str_eq(str_of(f->ev, "cat"), "ipc");
        ck_assert_str_eq(str_of(f->ev, "bp"), "e");
        ck_assert_str_eq(str_of(f->ev, "name"), str_of(s->ev, "name"));
        ck_assert_int_ne(f->tid, s->tid);
        ck_assert_msg(f->ts > s->ts, "flow %g ends before it starts", s->id);
        ck_assert_msg(inside_slice(&p, s->tid, s->ts), "flow %g starts outside a slice of its sender", s->id);
        ck_assert_msg(inside_slice(&p, f->tid, f->ts), "flow %g ends outside a slice of its receiver", s->id);
    }
    parsed_free(&p);
    cJSON_Delete(root);
}

START_TEST(every_basics_message_has_a_flow_arrow)
{
    check_flows("basics", NULL);
}
END_TEST

START_TEST(every_pingpong_message_has_a_flow_arrow)
{
    check_flows("pingpong", NULL);
}
END_TEST

/* The instants named name, and the instants in all. */
static int count_instants(cJSON *events, const char *name, int *all)
{
    int n = 0;
    *all = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events)
    {
        if (!is_phase(ev, "i"))
            continue;
        ++*all;
        n += strcmp(str_of(ev, "name"), name) == 0;
    }
    return n;
}

/* --trace-filter selects the instants; the run slices still come from
 * every switch, and every message shown keeps its arrow. */
START_TEST(filtered_basics_keeps_its_run_slices_and_arrows)
{
    cJSON *all = json_trace_of("basics"), *some = json_trace_filtered("basics", "-switch,-ipc.wait");
    parsed_t p, q;
    parse_events(events_of(all), &p);
    parse_events(events_of(some), &q);
    ck_assert_uint_eq(q.nslices, p.nslices);
    ck_assert_int_eq(q.messages, p.messages);
    int n_all, n_some;
    ck_assert_int_gt(count_instants(events_of(all), "switch", &n_all), 0);
    ck_assert_int_eq(count_instants(events_of(some), "switch", &n_some), 0);
    ck_assert_int_eq(count_instants(events_of(some), "ipc.wait", &n_some), 0);
    ck_assert_int_lt(n_some, n_all);
    parsed_free(&p);
    parsed_free(&q);
    cJSON_Delete(all);
    cJSON_Delete(some);
    check_flows("basics", "-switch,-ipc.wait");
}
END_TEST

START_TEST(filter_on_one_kind_keeps_only_its_instants_and_the_output)
{
    cJSON *root = json_trace_filtered("basics", "ipc.call");
    cJSON *events = events_of(root);
    int n;
    int calls = count_instants(events, "ipc.call", &n);
    int prints = count_instants(events, "print", &n);
    int halts = count_instants(events, "kernel.halt", &n);
    ck_assert_int_gt(calls, 0);
    ck_assert_int_gt(prints, 0);
    ck_assert_int_eq(halts, 1);
    ck_assert_int_eq(calls + prints + halts, n);
    parsed_t p;
    parse_events(events, &p);
    ck_assert_uint_eq(p.nstarts, (size_t)calls);
    parsed_free(&p);
    cJSON_Delete(root);
}
END_TEST

/* A service's request label is its name in args, a string. */
START_TEST(protocol_labels_are_names_in_args)
{
    cJSON *root = json_trace_of("files");
    int named = 0;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events_of(root))
    {
        if (!is_phase(ev, "i") || strcmp(str_of(ev, "name"), "ipc.call") != 0)
            continue;
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(ev, "args"), "label");
        named += cJSON_IsString(label) && strcmp(label->valuestring, "fs.open") == 0;
    }
    ck_assert_int_gt(named, 0);
    cJSON_Delete(root);
}
END_TEST

/* Perfetto needs the complete slices of one track to nest; ours never overlap. */
START_TEST(slices_of_a_thread_never_overlap_and_threads_are_named)
{
    cJSON *root = json_trace_of("demo");
    cJSON *events = events_of(root);
    parsed_t p;
    parse_events(events, &p);
    ck_assert_uint_gt(p.nslices, 4);
    for (size_t i = 0; i < p.nslices; i++) {
        const slice_t *a = &p.slices[i];
        ck_assert(a->end > a->start);
        for (size_t j = 0; j < p.nslices; j++) {
            const slice_t *b = &p.slices[j];
            if (i != j && a->tid == b->tid)
                ck_assert_msg(a->end <= b->start || b->end <= a->start, "slices of thread %d overlap", a->tid);
        }
        int named = 0;
        const cJSON *ev;
        cJSON_ArrayForEach(ev, events)
        {
            if (is_phase(ev, "M") && !strcmp(str_of(ev, "name"), "thread_name") && (int)num_of(ev, "tid") == a->tid)
                named = 1;
        }
        ck_assert_msg(named, "thread %d has no thread_name", a->tid);
    }
    parsed_free(&p);
    cJSON_Delete(root);
}
END_TEST

/* net.packet's ends are "address:port" strings beside the thread ids src and dst. */
START_TEST(net_packets_carry_their_ends_as_strings)
{
    cJSON *root = json_trace_of("net");
    const cJSON *ev;
    int packets = 0, first = 1;
    cJSON_ArrayForEach(ev, events_of(root))
    {
        if (!is_phase(ev, "i") || strcmp(str_of(ev, "name"), "net.packet") != 0)
            continue;
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
        ck_assert(cJSON_IsObject(args));
        ck_assert_int_eq((int)num_of(args, "src"), (int)num_of(ev, "tid"));
        ck_assert(strchr(str_of(args, "from"), ':') && strchr(str_of(args, "to"), ':'));
        ck_assert_double_gt(num_of(args, "len"), 0);
        if (first) {
            ck_assert_str_eq(str_of(args, "from"), "10.0.0.1:7");
            ck_assert_str_eq(str_of(args, "to"), "10.0.0.2:9");
            ck_assert_int_eq((int)num_of(args, "len"), 19);
            first = 0;
        }
        packets++;
    }
    ck_assert_int_eq(packets, 4);
    cJSON_Delete(root);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("trace_json");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, pingpong_has_1000_calls_and_replies_between_two_threads);
    tcase_add_test(tc, every_basics_message_has_a_flow_arrow);
    tcase_add_test(tc, every_pingpong_message_has_a_flow_arrow);
    tcase_add_test(tc, slices_of_a_thread_never_overlap_and_threads_are_named);
    tcase_add_test(tc, filtered_basics_keeps_its_run_slices_and_arrows);
    tcase_add_test(tc, filter_on_one_kind_keeps_only_its_instants_and_the_output);
    tcase_add_test(tc, protocol_labels_are_names_in_args);
    tcase_add_test(tc, net_packets_carry_their_ends_as_strings);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
