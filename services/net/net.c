/*
 * net: the network daemon: UDP datagram sockets on one simulated IPv4 host,
 * and a wire to one peer host (another net daemon). Framing, sockets and
 * every decision are in net_core.c; this is the IPC loop around it and the
 * wire thread. See ms/net.h for the protocol.
 */
#include "ms/net.h"

#include "ms/names.h"
#include "ms/print.h"
#include "ms/procman.h"
#include "net_core.h"

#define WIRE_STACK (8u * 1024u)
#define WIRE_BIT 0x1u

/* The daemon's memory, at the base of its heap: the wire thread's IPC
 * buffer and stack, the request and reply payloads, and the core. */
typedef struct net_daemon {
    uint8_t wire_ipc[MS_IPC_BUFFER_SIZE] __attribute__((aligned(16)));
    uint8_t wire_stack[WIRE_STACK] __attribute__((aligned(16)));
    uint8_t in[MS_MSG_PAYLOAD_MAX]; /* the request's payload, out of the IPC buffer */
    uint8_t out[NET_OUT_MAX];
    ms_handle_t ntfn; /* wakes the wire thread */
    ms_handle_t peer; /* NET_H_PEER, or 0: no peer host */
    ms_handle_t procman; /* found when first needed, or 0 */
    const ms_start_t *start;
    net_t core;
} net_daemon_t;

/* ---- the wire thread: calls the peer host, never the main thread ---- */

static uint64_t put_on_wire(net_daemon_t *d, const net_wire_slot_t *s)
{
    ms_trace_net(s->src_addr, s->src_port, s->dst_addr, s->dst_port, s->data_len);
    for (unsigned i = 0; i < s->len; i++)
        d->wire_ipc[i] = s->frame[i];
    ms_msg_t m = {.info = ms_info(NET_FRAME, 0, s->len, 0)};
    uint64_t err = ms_call(d->peer, &m);
    return err == MS_OK ? m.w[0] : err;
}

static void wire_thread(uint64_t arg)
{
    net_daemon_t *d = (net_daemon_t *)(uintptr_t)arg;
    uint64_t bits;
    do {
        const net_wire_slot_t *s;
        while ((s = net_wire_next(&d->core)) != 0)
            net_wire_done(&d->core, put_on_wire(d, s));
    } while (ms_wait(d->ntfn, &bits) == MS_OK);
    ms_thread_exit();
}

/* ---- the main thread: receives and replies only ---- */

/* Answers socket sock's waiting receiver (saved reply h) with the datagram
 * at the head of its queue. */
static void wake(net_daemon_t *d, unsigned sock, ms_handle_t h, char *ipc)
{
    const net_datagram_t *dg = net_head(&d->core, sock);
    if (!dg) { /* cannot happen: the core asks only after queueing one */
        ms_handle_close(h);
        net_woken(&d->core, sock, 0);
        return;
    }
    for (unsigned i = 0; i < dg->len; i++)
        ipc[i] = (char)dg->data[i];
    ms_msg_t r = {.info = ms_info(0, 3, dg->len, 0), .w = {MS_OK, dg->src_addr, dg->src_port}};
    uint64_t err = ms_reply_with(h, &r);
    if (err != MS_OK)
        ms_handle_close(h); /* the receiver is gone: the datagram stays queued */
    net_woken(&d->core, sock, err == MS_OK);
}

/* What a request set going besides its own reply. */
static void after(net_daemon_t *d, const net_reply_t *rp, char *ipc)
{
    if (rp->traced)
        ms_trace_net(rp->packet.src_addr, rp->packet.src_port, rp->packet.dst_addr, rp->packet.dst_port,
                     rp->packet.len);
    if (rp->wake)
        wake(d, rp->sock, rp->wake_handle, ipc);
    if (rp->cancel) {
        ms_msg_t r = {.info = ms_info(0, 1, 0, 0), .w = {MS_E_BADHANDLE}};
        if (ms_reply_with(rp->cancel, &r) != MS_OK)
            ms_handle_close(rp->cancel);
    }
    if (rp->wire)
        ms_signal(d->ntfn, WIRE_BIT);
}

/* Out of sockets: those of clients that the process manager says are gone
 * (a process that died with sockets bound) are closed. Returns how many
 * clients went. (The main thread calls procman, which never calls net, so
 * neither waits on the other.) */
static unsigned reap_owners(net_daemon_t *d)
{
    uint64_t owners[NET_SOCKETS];
    unsigned n = net_owners(&d->core, owners), gone = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!ms_procman_client_gone(d->start, &d->procman, owners[i]))
            continue;
        uint32_t cancel[NET_SOCKETS];
        unsigned k = net_forget_owner(&d->core, owners[i], cancel);
        while (k)
            ms_handle_close(cancel[--k]); /* its receiver is gone with it */
        gone++;
    }
    return gone;
}

/* Serves the request in m; returns 1 if its reply was saved for later,
 * else 0 with the reply in m. */
static int serve(net_daemon_t *d, ms_msg_t *m, char *ipc)
{
    unsigned len = ms_info_payload(m->info);
    for (unsigned i = 0; i < len; i++)
        d->in[i] = (uint8_t)ipc[i];
    if (ms_info_has_handle(m->info))
        ms_handle_close((ms_handle_t)m->handle);
    net_request_t rq = {.label = ms_info_label(m->info),
                        .words = ms_info_words(m->info),
                        .w = {m->w[0], m->w[1], m->w[2]},
                        .badge = m->badge,
                        .payload = d->in,
                        .len = len};
    net_reply_t rp = {.out = d->out};
    net_serve(&d->core, &rq, &rp);
    if (rp.w[0] == MS_E_FULL && rq.label == NET_BIND && reap_owners(d)) {
        rp = (net_reply_t){.out = d->out}; /* room again: the bind, once more */
        net_serve(&d->core, &rq, &rp);
    }
    after(d, &rp, ipc);
    if (rp.defer) {
        ms_handle_t h;
        uint64_t err = ms_reply_save(&h);
        if (err == MS_OK) {
            net_wait(&d->core, rp.sock, h);
            return 1;
        }
        rp = (net_reply_t){.w = {err}, .nwords = 1};
    }
    for (unsigned i = 0; i < rp.out_len; i++)
        ipc[i] = (char)d->out[i];
    *m = (ms_msg_t){.info = ms_info(0, rp.nwords, rp.out_len, 0), .w = {rp.w[0], rp.w[1], rp.w[2]}};
    return 0;
}

__attribute__((noreturn)) static void fail(const ms_start_t *start, const char *why, uint64_t err)
{
    ms_printf("%s: cannot start: %s (%s)\n", start->name, why, ms_error_name(err));
    ms_exit(1);
}

/* The peer host's handle, if the arguments name a peer and slot NET_H_PEER
 * holds a send handle to an endpoint; else 0. */
static ms_handle_t peer_handle(const ms_start_t *start)
{
    uint64_t type = 0, rights = 0, badge;
    if (!start->arg[1])
        return 0;
    if (ms_handle_info(NET_H_PEER, &type, &rights, &badge) == MS_OK && type == MS_OBJ_ENDPOINT &&
        (rights & MS_RIGHT_SEND))
        return NET_H_PEER;
    ms_printf("%s: no handle to the peer host in slot %u: only this host is reachable\n", start->name, NET_H_PEER);
    return 0;
}

static net_daemon_t *start_daemon(const ms_start_t *start)
{
    net_daemon_t *d = (net_daemon_t *)(uintptr_t)start->heap_base;
    if (start->heap_size < sizeof *d)
        fail(start, "too little heap", MS_E_NOMEM);
    if (start->arg[0] == 0 || start->arg[0] > 0xffffffffu || start->arg[1] > 0xffffffffu)
        fail(start, "arg[0] must be its IPv4 address, arg[1] the peer's or 0", MS_E_INVAL);
    d->peer = peer_handle(start);
    net_init(&d->core, (uint32_t)start->arg[0], d->peer ? (uint32_t)start->arg[1] : 0);
    if (!d->peer)
        return d;
    ms_handle_t thread;
    uint64_t err = ms_notification_create(&d->ntfn);
    if (err == MS_OK)
        err = ms_thread_create(MS_HANDLE_SELF, wire_thread, d->wire_stack, WIRE_STACK, d->wire_ipc,
                               (uint64_t)(uintptr_t)d, (uint8_t)start->arg[2], &thread);
    if (err != MS_OK)
        fail(start, "no wire thread", err);
    return d;
}

void net_main(const ms_start_t *start)
{
    net_daemon_t *d = start_daemon(start);
    d->start = start;
    char *ipc = (char *)(uintptr_t)start->ipc_buffer;
    char path[NET_PATH_MAX];
    ms_net_path((uint32_t)start->arg[0], path, sizeof path);
    uint64_t err = ms_names_publish(start, path, NET_H_ENDPOINT);
    if (err != MS_OK)
        ms_printf("%s: cannot publish %s (%s)\n", start->name, path, ms_error_name(err));
    ms_msg_t m;
    err = ms_recv(NET_H_ENDPOINT, &m);
    while (err == MS_OK)
        err = serve(d, &m, ipc) ? ms_recv(NET_H_ENDPOINT, &m) : ms_reply_recv(NET_H_ENDPOINT, &m);
    ms_printf("%s: receive failed (%s)\n", start->name, ms_error_name(err));
    ms_exit(1);
}
