/*
 * net: two simulated hosts, 10.0.0.1 and 10.0.0.2, each a network daemon
 * (services/net), wired to each other. bob (on 10.0.0.2) binds port 9 and
 * waits; alice (on 10.0.0.1) sends him a datagram from port 7 and he
 * answers its source. A looper on 10.0.0.1 sends itself a datagram through
 * the loopback; a prober on 10.0.0.2 sends one malformed request of each
 * kind, checks each error, then that the daemon still serves.
 */
#include "ms/net.h"
#include "ms/print.h"
#include "rt.h"
#include "scenarios.h"

#define H_NET 1 /* every client's handle to its host's daemon */
#define HOST1 NET_ADDR(10, 0, 0, 1)
#define HOST2 NET_ADDR(10, 0, 0, 2)
#define IP(a) (unsigned)((a) >> 24), (unsigned)((a) >> 16 & 0xffu), (unsigned)((a) >> 8 & 0xffu), (unsigned)((a)&0xffu)

static const char hello[] = "hello from 10.0.0.1";
static const char answer[] = "hello back from 10.0.0.2";

static ms_net_t net_of(const ms_start_t *start)
{
    return (ms_net_t){.ep = H_NET, .ipc_buffer = (char *)(uintptr_t)start->ipc_buffer};
}

/* Waits for a datagram on sock and prints it with its source. */
static uint64_t receive(const ms_start_t *start, uint64_t sock, char *text, unsigned size, uint32_t *from,
                        uint16_t *port)
{
    ms_net_t n = net_of(start);
    unsigned got = 0;
    uint64_t err = ms_net_recvfrom(&n, sock, text, size - 1, &got, from, port);
    text[got] = '\0';
    ms_printf("%s: got \"%s\" from %u.%u.%u.%u:%u (%s)\n", start->name, text, IP(*from), *port, ms_error_name(err));
    return err;
}

static void bob(const ms_start_t *start)
{
    ms_net_t n = net_of(start);
    char text[64];
    uint64_t sock = 0;
    uint32_t from = 0;
    uint16_t port = 0;
    uint64_t err = ms_net_bind(&n, 9, &sock, 0);
    if (err == MS_OK)
        err = receive(start, sock, text, sizeof text, &from, &port);
    if (err == MS_OK)
        err = ms_net_sendto(&n, sock, from, port, answer, sizeof answer - 1);
    ms_exit(err == MS_OK && rt_strcmp(text, hello) == 0 && from == HOST1 && port == 7 ? 0 : 1);
}

static void alice(const ms_start_t *start)
{
    ms_net_t n = net_of(start);
    char text[64];
    uint64_t sock = 0;
    uint32_t from = 0;
    uint16_t port = 0;
    uint64_t err = ms_net_bind(&n, 7, &sock, 0);
    if (err == MS_OK)
        err = ms_net_sendto(&n, sock, HOST2, 9, hello, sizeof hello - 1);
    if (err == MS_OK)
        err = receive(start, sock, text, sizeof text, &from, &port);
    ms_exit(err == MS_OK && rt_strcmp(text, answer) == 0 && from == HOST2 && port == 9 ? 0 : 1);
}

/* Two sockets of one client on one host: a datagram from one to the other
 * never leaves the host. */
static void looper(const ms_start_t *start)
{
    ms_net_t n = net_of(start);
    static const char note[] = "looped back";
    char text[64];
    uint64_t a = 0, b = 0;
    uint32_t from = 0;
    uint16_t port = 0;
    uint64_t err = ms_net_bind(&n, 5000, &a, 0);
    if (err == MS_OK)
        err = ms_net_bind(&n, 5001, &b, 0);
    if (err == MS_OK)
        err = ms_net_sendto(&n, a, HOST1, 5001, note, sizeof note - 1);
    if (err == MS_OK)
        err = receive(start, b, text, sizeof text, &from, &port);
    ms_exit(err == MS_OK && rt_strcmp(text, note) == 0 && from == HOST1 && port == 5000 ? 0 : 1);
}

/* One raw request: label, words, len bytes of payload (a pattern). Returns w0. */
static uint64_t raw(const ms_start_t *start, uint32_t label, unsigned words, uint64_t w0, uint64_t w1, uint64_t w2,
                    unsigned len)
{
    char *buf = (char *)(uintptr_t)start->ipc_buffer;
    for (unsigned i = 0; i < len; i++)
        buf[i] = (char)('a' + i % 26);
    ms_msg_t m = {.info = ms_info(label, words, len, 0), .w = {w0, w1, w2}};
    uint64_t err = ms_call(H_NET, &m);
    return err == MS_OK ? m.w[0] : err;
}

/* Binds sockets until the client's share runs out; returns that error. */
static uint64_t bind_until_full(const ms_start_t *start)
{
    ms_net_t n = net_of(start);
    uint64_t sock, err = MS_OK;
    for (unsigned i = 0; i <= NET_SOCKETS_PER_CLIENT && err == MS_OK; i++)
        err = ms_net_bind(&n, 0, &sock, 0);
    return err;
}

static void prober(const ms_start_t *start)
{
    ms_net_t n = net_of(start);
    uint64_t own = 0;
    uint64_t err = ms_net_bind(&n, 2000, &own, 0);
    const struct {
        uint32_t label;
        unsigned words;
        uint64_t w0, w1, w2;
        unsigned len;
        uint64_t want;
    } cases[] = {
        {0x6e7400ffu, 0, 0, 0, 0, 0, MS_E_NOSYS},                       /* unknown label */
        {NET_BIND, 2, 2001, 0, 0, 0, MS_E_INVAL},                       /* wrong word count */
        {NET_RECVFROM, 1, own, 0, 0, 4, MS_E_INVAL},                    /* a payload where none belongs */
        {NET_BIND, 1, 70000, 0, 0, 0, MS_E_INVAL},                      /* port over 65535 */
        {NET_BIND, 1, 9, 0, 0, 0, MS_E_EXISTS},                         /* port taken, by bob */
        {NET_SENDTO, 3, 99, HOST1, 7, 4, MS_E_BADHANDLE},               /* no such socket */
        {NET_SENDTO, 3, 0, HOST1, 7, 4, MS_E_BADHANDLE},                /* bob's socket, not ours */
        {NET_CLOSE, 1, 12345, 0, 0, 0, MS_E_BADHANDLE},                 /* no such socket */
        {NET_SENDTO, 3, own, HOST1, 7, NET_PAYLOAD_MAX + 1, MS_E_RANGE}, /* data over the limit */
        {NET_SENDTO, 3, own, NET_ADDR(10, 0, 0, 3), 7, 4, MS_E_NOTFOUND}, /* no route */
        {NET_SENDTO, 3, own, HOST1, 0, 4, MS_E_INVAL},                  /* port 0 */
        {NET_FRAME, 0, 0, 0, 0, 28, MS_E_RIGHTS},                       /* only the peer host's wire */
    };
    unsigned ok = 0, total = sizeof cases / sizeof cases[0] + 1;
    for (unsigned i = 0; i < total - 1; i++) {
        uint64_t got = raw(start, cases[i].label, cases[i].words, cases[i].w0, cases[i].w1, cases[i].w2, cases[i].len);
        if (got == cases[i].want)
            ok++;
        else
            ms_printf("%s: case %u got %s, not %s\n", start->name, i, ms_error_name(got),
                      ms_error_name(cases[i].want));
    }
    ok += bind_until_full(start) == MS_E_FULL; /* NET_SOCKETS_PER_CLIENT sockets a client */
    static const char still[] = "still there";
    char text[64];
    uint32_t from = 0;
    uint16_t port = 0;
    if (err == MS_OK)
        err = ms_net_sendto(&n, own, HOST2, 2000, still, sizeof still - 1);
    if (err == MS_OK)
        err = receive(start, own, text, sizeof text, &from, &port);
    ms_printf("%s: %u of %u malformed requests refused; the daemon still serves: %s\n", start->name, ok, total,
              ms_error_name(err));
    uint64_t st[NET_STAT_COUNT] = {0};
    if (err == MS_OK)
        err = ms_net_stats(&n, st);
    ms_printf("%s: 10.0.0.2 sent %lu, on the wire %lu, received %lu, delivered %lu, dropped %lu\n", start->name,
              (unsigned long)st[NET_STAT_SENT], (unsigned long)st[NET_STAT_WIRE_OUT],
              (unsigned long)st[NET_STAT_RECEIVED], (unsigned long)st[NET_STAT_DELIVERED],
              (unsigned long)(st[NET_STAT_RECEIVED] - st[NET_STAT_DELIVERED]));
    ms_exit(ok == total && err == MS_OK ? 0 : 1);
}

/* A host's daemon: its address, its peer's, its endpoint e, the peer's endpoint p. */
#define NET_HOST(task_name, addr, peer, e, p)                                                                      \
    {.name = task_name, .entry = net_main, .prio = 40, .daemon = 1, .mem_kib = NET_MEM_KIB, .stack_kib = 32,       \
     .arg = {(addr), (peer), 40},                                                                                  \
     .handles = {{.slot = NET_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = (e), .rights = MS_RIGHT_RECV},         \
                 {.slot = NET_H_PEER, .type = MS_OBJ_ENDPOINT, .index = (p), .rights = MS_RIGHT_SEND,              \
                  .badge = NET_WIRE_BADGE}}}

/* A client of host endpoint e, with badge b. */
#define NET_CLIENT(task_name, fn, p, e, b)                                                                         \
    {.name = task_name, .entry = fn, .prio = (p),                                                                  \
     .handles = {{.slot = H_NET, .type = MS_OBJ_ENDPOINT, .index = (e), .rights = MS_RIGHT_SEND, .badge = (b)}}}

const ms_manifest_t scenario_net = {
    .name = "net",
    .description = "two hosts' network daemons: a datagram to the other host and its answer, a loopback, "
                   "malformed requests refused",
    .endpoints = 2,
    .ntasks = 6,
    .tasks = {
        NET_HOST("net1", HOST1, HOST2, 0, 1),
        NET_HOST("net2", HOST2, HOST1, 1, 0),
        NET_CLIENT("bob", bob, 30, 1, 1),
        NET_CLIENT("alice", alice, 20, 0, 2),
        NET_CLIENT("looper", looper, 15, 0, 3),
        NET_CLIENT("prober", prober, 10, 1, 4),
    },
};
