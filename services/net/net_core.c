/* The network daemon's framing, sockets and wire queue, apart from IPC. */
#include "net_core.h"

/* ---- the internet checksum and the frame ---- */

uint32_t net_sum(uint32_t sum, const uint8_t *data, unsigned len)
{
    unsigned i = 0;
    for (; i + 1 < len; i += 2)
        sum += (uint32_t)data[i] << 8 | data[i + 1];
    if (i < len)
        sum += (uint32_t)data[i] << 8;
    return sum;
}

uint16_t net_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t net_checksum(const uint8_t *data, unsigned len)
{
    return net_fold(net_sum(0, data, len));
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffffu);
}

static unsigned get16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* The sum over the UDP pseudo-header and the segment (udp, ulen bytes, its
 * checksum field as it stands). */
static uint32_t udp_sum(uint32_t src, uint32_t dst, const uint8_t *udp, unsigned ulen)
{
    uint8_t pseudo[12];
    put32(pseudo, src);
    put32(pseudo + 4, dst);
    pseudo[8] = 0;
    pseudo[9] = NET_PROTO_UDP;
    put16(pseudo + 10, ulen);
    return net_sum(net_sum(0, pseudo, sizeof pseudo), udp, ulen);
}

unsigned net_frame_build(const net_packet_t *p, uint8_t *frame, unsigned size)
{
    unsigned ulen = NET_UDP_HEADER + p->len, total = NET_IP_HEADER + ulen;
    if (p->len > NET_PAYLOAD_MAX || total > size)
        return 0;
    uint8_t *udp = frame + NET_IP_HEADER;
    frame[0] = 0x45; /* version 4, 5 words of header */
    frame[1] = 0;
    put16(frame + 2, total);
    put16(frame + 4, p->id);
    put16(frame + 6, 0x4000); /* don't fragment */
    frame[8] = NET_TTL;
    frame[9] = NET_PROTO_UDP;
    put16(frame + 10, 0);
    put32(frame + 12, p->src_addr);
    put32(frame + 16, p->dst_addr);
    put16(frame + 10, net_checksum(frame, NET_IP_HEADER));
    put16(udp, p->src_port);
    put16(udp + 2, p->dst_port);
    put16(udp + 4, ulen);
    put16(udp + 6, 0);
    for (unsigned i = 0; i < p->len; i++)
        udp[NET_UDP_HEADER + i] = p->data[i];
    uint16_t sum = net_fold(udp_sum(p->src_addr, p->dst_addr, udp, ulen));
    put16(udp + 6, sum ? sum : 0xffffu); /* 0 would mean "no checksum" */
    return total;
}

/* The IPv4 header's checks. */
static net_verdict_t ip_check(const uint8_t *frame, unsigned len)
{
    if (len < NET_IP_HEADER)
        return NET_FRAME_BAD_LENGTH;
    if (frame[0] != 0x45)
        return NET_FRAME_BAD_HEADER;
    if (net_checksum(frame, NET_IP_HEADER) != 0)
        return NET_FRAME_BAD_CHECKSUM;
    if (get16(frame + 2) != len || len > NET_MTU)
        return NET_FRAME_BAD_LENGTH;
    if ((get16(frame + 6) & 0x3fffu) != 0 || frame[8] == 0) /* more fragments, an offset, or TTL 0 */
        return NET_FRAME_BAD_HEADER;
    if (frame[9] != NET_PROTO_UDP)
        return NET_FRAME_BAD_PROTOCOL;
    return NET_FRAME_OK;
}

net_verdict_t net_frame_parse(const uint8_t *frame, unsigned len, net_packet_t *p)
{
    net_verdict_t v = ip_check(frame, len);
    if (v != NET_FRAME_OK)
        return v;
    const uint8_t *udp = frame + NET_IP_HEADER;
    unsigned ulen = len - NET_IP_HEADER;
    if (ulen < NET_UDP_HEADER || get16(udp + 4) != ulen)
        return NET_FRAME_BAD_LENGTH;
    uint32_t src = get32(frame + 12), dst = get32(frame + 16);
    if (get16(udp + 6) != 0 && net_fold(udp_sum(src, dst, udp, ulen)) != 0)
        return NET_FRAME_BAD_CHECKSUM;
    if (get16(udp) == 0 || get16(udp + 2) == 0)
        return NET_FRAME_BAD_HEADER;
    *p = (net_packet_t){.src_addr = src,
                        .dst_addr = dst,
                        .src_port = (uint16_t)get16(udp),
                        .dst_port = (uint16_t)get16(udp + 2),
                        .id = (uint16_t)get16(frame + 4),
                        .data = udp + NET_UDP_HEADER,
                        .len = ulen - NET_UDP_HEADER};
    return NET_FRAME_OK;
}

/* ---- sockets ---- */

void net_init(net_t *n, uint32_t addr, uint32_t peer)
{
    n->addr = addr;
    n->peer = peer;
    n->next_id = 1;
    for (unsigned i = 0; i < NET_STAT_COUNT; i++)
        n->stats[i] = 0;
    for (unsigned i = 0; i < NET_SOCKETS; i++)
        n->sock[i].used = 0;
    n->wire.head = n->wire.tail = 0;
    n->wire.out = n->wire.failed = 0;
}

static net_socket_t *bound_to(net_t *n, unsigned port)
{
    for (unsigned i = 0; i < NET_SOCKETS; i++)
        if (n->sock[i].used && n->sock[i].port == port)
            return &n->sock[i];
    return 0;
}

/* The caller's socket number w, or NULL. */
static net_socket_t *socket_of(net_t *n, uint64_t badge, uint64_t w)
{
    if (w >= NET_SOCKETS || !n->sock[w].used || n->sock[w].owner != badge)
        return 0;
    return &n->sock[w];
}

static unsigned owned_by(const net_t *n, uint64_t badge)
{
    unsigned k = 0;
    for (unsigned i = 0; i < NET_SOCKETS; i++)
        k += n->sock[i].used && n->sock[i].owner == badge;
    return k;
}

static unsigned free_port(net_t *n)
{
    for (unsigned port = NET_EPHEMERAL; port <= 0xffffu; port++)
        if (!bound_to(n, port))
            return port;
    return 0; /* unreachable: there are more ports than sockets */
}

static uint64_t do_bind(net_t *n, const net_request_t *rq, net_reply_t *rp)
{
    unsigned port = (unsigned)rq->w[0];
    if (rq->w[0] > 0xffffu)
        return MS_E_INVAL;
    net_socket_t *held = port ? bound_to(n, port) : 0;
    if (held && held->owner != rq->badge)
        return MS_E_EXISTS;
    if (held) { /* the caller holds it already (a restarted client keeps its badge): the same socket */
        rp->w[1] = (uint64_t)(held - n->sock);
        rp->w[2] = held->port;
        rp->nwords = 3;
        return MS_OK;
    }
    unsigned i = 0;
    while (i < NET_SOCKETS && n->sock[i].used)
        i++;
    if (i == NET_SOCKETS || owned_by(n, rq->badge) >= NET_SOCKETS_PER_CLIENT)
        return MS_E_FULL;
    net_socket_t *s = &n->sock[i];
    s->port = (uint16_t)(port ? port : free_port(n));
    s->used = 1;
    s->head = s->count = 0;
    s->waiter = 0;
    s->owner = rq->badge;
    rp->w[1] = i;
    rp->w[2] = s->port;
    rp->nwords = 3;
    return MS_OK;
}

/* ---- delivery ---- */

/* Queues p's data on socket s; if a receiver waits, it is to be woken. */
static void enqueue(net_t *n, net_socket_t *s, const net_packet_t *p, net_reply_t *rp)
{
    net_datagram_t *d = &s->queue[(s->head + s->count) % NET_QUEUE_DEPTH];
    d->src_addr = p->src_addr;
    d->src_port = p->src_port;
    d->len = (uint16_t)p->len;
    for (unsigned i = 0; i < p->len; i++)
        d->data[i] = p->data[i];
    s->count++;
    n->stats[NET_STAT_DELIVERED]++;
    if (s->waiter) {
        rp->wake = 1;
        rp->sock = (unsigned)(s - n->sock);
        rp->wake_handle = s->waiter;
    }
}

/* A frame arrives (looped back or from the peer): checked, then queued on
 * the socket of its port. MS_OK, or the drop's error (counted). */
static uint64_t deliver(net_t *n, const uint8_t *frame, unsigned len, net_reply_t *rp)
{
    net_packet_t p;
    n->stats[NET_STAT_RECEIVED]++;
    net_verdict_t v = net_frame_parse(frame, len, &p);
    if (v == NET_FRAME_OK && p.dst_addr != n->addr)
        v = NET_FRAME_BAD_HEADER;
    if (v != NET_FRAME_OK) {
        n->stats[v]++;
        return MS_E_INVAL;
    }
    net_socket_t *s = bound_to(n, p.dst_port);
    if (!s) {
        n->stats[NET_STAT_NO_PORT]++;
        return MS_E_NOTFOUND;
    }
    if (s->count == NET_QUEUE_DEPTH) {
        n->stats[NET_STAT_QUEUE_FULL]++;
        return MS_E_FULL;
    }
    enqueue(n, s, &p, rp);
    return MS_OK;
}

/* ---- sending ---- */

static uint64_t loop_back(net_t *n, const net_packet_t *p, net_reply_t *rp)
{
    unsigned len = net_frame_build(p, n->frame, sizeof n->frame);
    rp->traced = 1;
    rp->packet = *p;
    deliver(n, n->frame, len, rp); /* a drop is counted, not the sender's error (UDP) */
    return MS_OK;
}

static uint64_t to_wire(net_t *n, const net_packet_t *p, net_reply_t *rp)
{
    net_wire_t *w = &n->wire;
    if (w->head - __atomic_load_n(&w->tail, __ATOMIC_ACQUIRE) == NET_WIRE_QUEUE)
        return MS_E_FULL;
    net_wire_slot_t *slot = &w->slot[w->head % NET_WIRE_QUEUE];
    slot->len = (uint16_t)net_frame_build(p, slot->frame, sizeof slot->frame);
    slot->src_addr = p->src_addr;
    slot->src_port = p->src_port;
    slot->dst_addr = p->dst_addr;
    slot->dst_port = p->dst_port;
    slot->data_len = (uint16_t)p->len;
    __atomic_store_n(&w->head, w->head + 1, __ATOMIC_RELEASE);
    rp->wire = 1;
    return MS_OK;
}

static uint64_t do_sendto(net_t *n, const net_request_t *rq, net_reply_t *rp)
{
    const net_socket_t *s = socket_of(n, rq->badge, rq->w[0]);
    if (!s)
        return MS_E_BADHANDLE;
    if (rq->len > NET_PAYLOAD_MAX)
        return MS_E_RANGE;
    if (rq->w[1] > 0xffffffffu || rq->w[2] == 0 || rq->w[2] > 0xffffu)
        return MS_E_INVAL;
    net_packet_t p = {.src_addr = n->addr,
                      .dst_addr = (uint32_t)rq->w[1],
                      .src_port = s->port,
                      .dst_port = (uint16_t)rq->w[2],
                      .id = n->next_id,
                      .data = rq->payload,
                      .len = rq->len};
    uint64_t err = p.dst_addr == n->addr              ? loop_back(n, &p, rp)
                   : n->peer && p.dst_addr == n->peer ? to_wire(n, &p, rp)
                                                      : MS_E_NOTFOUND;
    if (err == MS_OK) {
        n->next_id++;
        n->stats[NET_STAT_SENT]++;
    }
    return err;
}

/* ---- receiving, closing, counting ---- */

static void pop_into(net_socket_t *s, net_reply_t *rp)
{
    const net_datagram_t *d = &s->queue[s->head];
    for (unsigned i = 0; i < d->len; i++)
        rp->out[i] = d->data[i];
    rp->out_len = d->len;
    rp->w[1] = d->src_addr;
    rp->w[2] = d->src_port;
    rp->nwords = 3;
    s->head = (uint8_t)((s->head + 1) % NET_QUEUE_DEPTH);
    s->count--;
}

static uint64_t do_recvfrom(net_t *n, const net_request_t *rq, net_reply_t *rp)
{
    net_socket_t *s = socket_of(n, rq->badge, rq->w[0]);
    if (!s)
        return MS_E_BADHANDLE;
    if (s->count) {
        pop_into(s, rp);
        return MS_OK;
    }
    if (s->waiter)
        return MS_E_BUSY;
    rp->defer = 1;
    rp->sock = (unsigned)rq->w[0];
    return MS_OK;
}

static uint64_t do_close(net_t *n, const net_request_t *rq, net_reply_t *rp)
{
    net_socket_t *s = socket_of(n, rq->badge, rq->w[0]);
    if (!s)
        return MS_E_BADHANDLE;
    rp->cancel = s->waiter;
    s->used = 0;
    s->waiter = 0;
    return MS_OK;
}

static uint64_t do_stats(net_t *n, const net_request_t *rq, net_reply_t *rp)
{
    (void)rq;
    n->stats[NET_STAT_WIRE_OUT] = __atomic_load_n(&n->wire.out, __ATOMIC_RELAXED);
    n->stats[NET_STAT_WIRE_FAILED] = __atomic_load_n(&n->wire.failed, __ATOMIC_RELAXED);
    uint8_t *out = rp->out;
    for (unsigned i = 0; i < NET_STAT_COUNT; i++)
        for (unsigned b = 0; b < 8; b++)
            *out++ = (uint8_t)(n->stats[i] >> (8 * b)); /* little-endian, as the machine's uint64_t */
    rp->out_len = NET_STAT_COUNT * 8;
    return MS_OK;
}

static uint64_t do_frame(net_t *n, const net_request_t *rq, net_reply_t *rp)
{
    if (rq->badge != NET_WIRE_BADGE)
        return MS_E_RIGHTS;
    return deliver(n, rq->payload, rq->len, rp);
}

/* ---- requests ---- */

typedef uint64_t net_op_fn(net_t *n, const net_request_t *rq, net_reply_t *rp);

/* The operations: label, handler, the words it takes, whether a payload may come. */
static const struct {
    uint32_t label;
    net_op_fn *fn;
    uint8_t words;
    uint8_t payload;
} ops[] = {
    {NET_BIND, do_bind, 1, 0},   {NET_SENDTO, do_sendto, 3, 1}, {NET_RECVFROM, do_recvfrom, 1, 0},
    {NET_CLOSE, do_close, 1, 0}, {NET_STATS, do_stats, 0, 0},   {NET_FRAME, do_frame, 0, 1},
};

void net_serve(net_t *n, const net_request_t *rq, net_reply_t *rp)
{
    rp->nwords = 1;
    rp->out_len = 0;
    rp->w[0] = MS_E_NOSYS;
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (ops[i].label != rq->label)
            continue;
        int shape_ok = rq->words == ops[i].words && (ops[i].payload || rq->len == 0);
        rp->w[0] = shape_ok ? ops[i].fn(n, rq, rp) : MS_E_INVAL;
        break;
    }
}

void net_wait(net_t *n, unsigned sock, uint32_t reply)
{
    n->sock[sock].waiter = reply;
}

const net_datagram_t *net_head(const net_t *n, unsigned sock)
{
    const net_socket_t *s = &n->sock[sock];
    return s->used && s->count ? &s->queue[s->head] : 0;
}

void net_woken(net_t *n, unsigned sock, int delivered)
{
    net_socket_t *s = &n->sock[sock];
    s->waiter = 0;
    if (delivered && s->count) {
        s->head = (uint8_t)((s->head + 1) % NET_QUEUE_DEPTH);
        s->count--;
    }
}

/* ---- the wire ---- */

const net_wire_slot_t *net_wire_next(net_t *n)
{
    net_wire_t *w = &n->wire;
    if (w->tail == __atomic_load_n(&w->head, __ATOMIC_ACQUIRE))
        return 0;
    return &w->slot[w->tail % NET_WIRE_QUEUE];
}

void net_wire_done(net_t *n, uint64_t err)
{
    net_wire_t *w = &n->wire;
    __atomic_store_n(&w->out, w->out + 1, __ATOMIC_RELAXED);
    if (err != MS_OK)
        __atomic_store_n(&w->failed, w->failed + 1, __ATOMIC_RELAXED);
    __atomic_store_n(&w->tail, w->tail + 1, __ATOMIC_RELEASE);
}

unsigned net_owners(const net_t *n, uint64_t out[NET_SOCKETS])
{
    unsigned count = 0;
    for (unsigned i = 0; i < NET_SOCKETS; i++) {
        if (!n->sock[i].used)
            continue;
        unsigned k = 0;
        while (k < count && out[k] != n->sock[i].owner)
            k++;
        if (k == count)
            out[count++] = n->sock[i].owner;
    }
    return count;
}

unsigned net_forget_owner(net_t *n, uint64_t owner, uint32_t cancel[NET_SOCKETS])
{
    unsigned count = 0;
    for (unsigned i = 0; i < NET_SOCKETS; i++) {
        net_socket_t *s = &n->sock[i];
        if (!s->used || s->owner != owner)
            continue;
        if (s->waiter)
            cancel[count++] = s->waiter;
        s->used = 0;
        s->waiter = 0;
    }
    return count;
}
