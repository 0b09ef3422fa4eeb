/* The network daemon's framing and protocol, through its core (services/net/net_core.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "net_core.h"

#define HOST1 NET_ADDR(10, 0, 0, 1)
#define HOST2 NET_ADDR(10, 0, 0, 2)

static net_t *net, *peer;
static uint8_t out[NET_OUT_MAX];

static void setup(void)
{
    net = calloc(1, sizeof *net);
    peer = calloc(1, sizeof *peer);
    net_init(net, HOST1, HOST2);
    net_init(peer, HOST2, HOST1);
}

static void teardown(void)
{
    free(net);
    free(peer);
}

static net_reply_t serve_on(net_t *n, uint32_t label, unsigned words, uint64_t w0, uint64_t w1, uint64_t w2,
                            const void *payload, unsigned len, uint64_t badge)
{
    net_request_t rq = {
        .label = label, .words = words, .w = {w0, w1, w2}, .badge = badge, .payload = payload, .len = len};
    net_reply_t rp = {.out = out};
    net_serve(n, &rq, &rp);
    return rp;
}

static uint64_t bind_port(net_t *n, uint64_t port, uint64_t badge, uint64_t *sock)
{
    net_reply_t rp = serve_on(n, NET_BIND, 1, port, 0, 0, NULL, 0, badge);
    *sock = rp.w[1];
    return rp.w[0];
}

static net_reply_t send_text(net_t *n, uint64_t sock, uint64_t addr, uint64_t port, const char *text, uint64_t badge)
{
    return serve_on(n, NET_SENDTO, 3, sock, addr, port, text, (unsigned)strlen(text), badge);
}

static net_reply_t recv_on(net_t *n, uint64_t sock, uint64_t badge)
{
    return serve_on(n, NET_RECVFROM, 1, sock, 0, 0, NULL, 0, badge);
}

/* "hello" from 10.0.0.1:7 to 10.0.0.2:9, IPv4 identification 1. */
static unsigned hello_frame(uint8_t *frame)
{
    net_packet_t p = {.src_addr = HOST1,
                      .dst_addr = HOST2,
                      .src_port = 7,
                      .dst_port = 9,
                      .id = 1,
                      .data = (const uint8_t *)"hello",
                      .len = 5};
    return net_frame_build(&p, frame, NET_MTU);
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Recomputes the IPv4 header checksum after a deliberate change. */
static void reseal_ip(uint8_t *frame)
{
    put16(frame + 10, 0);
    put16(frame + 10, net_checksum(frame, NET_IP_HEADER));
}

/* ---- the internet checksum ---- */

START_TEST(checksum_of_the_rfc_1071_example)
{
    static const uint8_t bytes[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    ck_assert_uint_eq(net_sum(0, bytes, sizeof bytes), 0x2ddf0); /* 0001 + f203 + f4f5 + f6f7 */
    ck_assert_uint_eq(net_fold(0x2ddf0), 0x220d);                /* ~(ddf0 + 2) */
    ck_assert_uint_eq(net_checksum(bytes, sizeof bytes), 0x220d);
}
END_TEST

START_TEST(checksum_of_a_known_ipv4_header_and_odd_lengths)
{
    /* 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73: the checksum is 0xb861. */
    uint8_t header[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                          0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    ck_assert_uint_eq(net_checksum(header, sizeof header), 0xb861);
    put16(header + 10, 0xb861);
    ck_assert_uint_eq(net_checksum(header, sizeof header), 0); /* a good header sums to zero */
    static const uint8_t odd[] = {0x01, 0x02, 0x03};           /* 0102 + 0300 */
    ck_assert_uint_eq(net_checksum(odd, sizeof odd), (uint16_t)~0x0402);
    ck_assert_uint_eq(net_checksum(odd, 0), 0xffff);
}
END_TEST

/* ---- frames ---- */

START_TEST(a_built_frame_has_the_known_headers)
{
    uint8_t frame[NET_MTU];
    ck_assert_uint_eq(hello_frame(frame), 33);
    /* clang-format off */
    static const uint8_t want[33] = {
        0x45, 0x00, 0x00, 0x21, 0x00, 0x01, 0x40, 0x00, 0x40, 0x11, 0x26, 0xc9, /* checksum 0x26c9 */
        0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,                         /* 10.0.0.1 -> 10.0.0.2 */
        0x00, 0x07, 0x00, 0x09, 0x00, 0x0d, 0xa7, 0xef,                         /* 7 -> 9, 13 bytes, 0xa7ef */
        'h',  'e',  'l',  'l',  'o'};
    /* clang-format on */
    ck_assert_mem_eq(frame, want, sizeof want);
}
END_TEST

START_TEST(a_built_frame_parses_back)
{
    uint8_t frame[NET_MTU], data[NET_PAYLOAD_MAX];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7);
    const unsigned lens[] = {0, 1, 5, NET_PAYLOAD_MAX};
    for (unsigned k = 0; k < 4; k++) {
        net_packet_t p = {.src_addr = HOST2,
                          .dst_addr = HOST1,
                          .src_port = 65535,
                          .dst_port = 1,
                          .id = 0xbeef,
                          .data = data,
                          .len = lens[k]},
                     q;
        unsigned len = net_frame_build(&p, frame, sizeof frame);
        ck_assert_uint_eq(len, NET_IP_HEADER + NET_UDP_HEADER + lens[k]);
        ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_OK);
        ck_assert_uint_eq(q.src_addr, HOST2);
        ck_assert_uint_eq(q.dst_addr, HOST1);
        ck_assert_uint_eq(q.src_port, 65535);
        ck_assert_uint_eq(q.dst_port, 1);
        ck_assert_uint_eq(q.id, 0xbeef);
        ck_assert_uint_eq(q.len, lens[k]);
        ck_assert_ptr_eq(q.data, frame + 28);
        ck_assert_mem_eq(q.data, data, lens[k]);
    }
    net_packet_t big = {
        .src_addr = HOST1, .dst_addr = HOST2, .src_port = 1, .dst_port = 1, .data = data, .len = NET_PAYLOAD_MAX + 1};
    ck_assert_uint_eq(net_frame_build(&big, frame, sizeof frame), 0);
    big.len = 10;
    ck_assert_uint_eq(net_frame_build(&big, frame, 37), 0); /* 38 bytes do not fit */
}
END_TEST

START_TEST(every_corrupted_byte_is_rejected)
{
    uint8_t frame[NET_MTU];
    unsigned len = hello_frame(frame);
    net_packet_t q;
    for (unsigned i = 0; i < len; i++) {
        frame[i] ^= 0xff;
        net_verdict_t v = net_frame_parse(frame, len, &q);
        ck_assert_msg(v != NET_FRAME_OK, "byte %u corrupted, frame accepted", i);
        if (i >= NET_IP_HEADER + 8 || (i >= 10 && i < 12)) /* the data, the header checksum */
            ck_assert_int_eq(v, NET_FRAME_BAD_CHECKSUM);
        frame[i] ^= 0xff;
    }
    ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_OK);
}
END_TEST

START_TEST(bad_lengths_are_rejected)
{
    uint8_t frame[NET_MTU];
    unsigned len = hello_frame(frame);
    net_packet_t q;
    ck_assert_int_eq(net_frame_parse(frame, len - 1, &q), NET_FRAME_BAD_LENGTH); /* cut short */
    ck_assert_int_eq(net_frame_parse(frame, 19, &q), NET_FRAME_BAD_LENGTH);      /* no whole header */
    ck_assert_int_eq(net_frame_parse(frame, 0, &q), NET_FRAME_BAD_LENGTH);
    frame[len] = 0;
    ck_assert_int_eq(net_frame_parse(frame, len + 1, &q), NET_FRAME_BAD_LENGTH); /* a byte too many */
    put16(frame + 2, len + 1);
    reseal_ip(frame);
    ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_BAD_LENGTH); /* total length lies */
    hello_frame(frame);
    put16(frame + 24, 12); /* the UDP length lies (the checksum comes after) */
    ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_BAD_LENGTH);
    uint8_t big[NET_MTU + 8] = {0};
    memcpy(big, frame, len);
    put16(big + 2, NET_MTU + 1);
    reseal_ip(big);
    ck_assert_int_eq(net_frame_parse(big, NET_MTU + 1, &q), NET_FRAME_BAD_LENGTH); /* over the MTU */
}
END_TEST

START_TEST(wrong_protocol_and_bad_headers_are_rejected)
{
    uint8_t frame[NET_MTU];
    unsigned len = hello_frame(frame);
    net_packet_t q;
    frame[9] = 6; /* TCP */
    reseal_ip(frame);
    ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_BAD_PROTOCOL);
    const struct {
        unsigned at;
        uint8_t value;
    } changes[] = {{0, 0x65}, {0, 0x46}, {6, 0x60}, {7, 0x01}, {8, 0}}; /* IPv6, options, MF, offset, TTL 0 */
    for (unsigned i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        hello_frame(frame);
        frame[changes[i].at] = changes[i].value;
        reseal_ip(frame);
        ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_BAD_HEADER);
    }
    net_packet_t p = {.src_addr = HOST1, .dst_addr = HOST2, .src_port = 7, .dst_port = 0, .data = frame, .len = 0};
    len = net_frame_build(&p, frame, sizeof frame);
    ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_BAD_HEADER); /* port 0 */
}
END_TEST

START_TEST(a_zero_udp_checksum_means_none)
{
    uint8_t frame[NET_MTU];
    unsigned len = hello_frame(frame);
    net_packet_t q;
    put16(frame + 26, 0);
    frame[30] ^= 1; /* unchecked: RFC 768 lets a sender leave the checksum out */
    ck_assert_int_eq(net_frame_parse(frame, len, &q), NET_FRAME_OK);
}
END_TEST

/* ---- the protocol ---- */

START_TEST(malformed_requests_get_their_errors)
{
    uint64_t s;
    ck_assert_uint_eq(bind_port(net, 7, 1, &s), MS_OK);
    ck_assert_uint_eq(serve_on(net, 0x6e7400ff, 0, 0, 0, 0, NULL, 0, 1).w[0], MS_E_NOSYS);
    ck_assert_uint_eq(serve_on(net, 0x1234, 1, 0, 0, 0, NULL, 0, 1).w[0], MS_E_NOSYS);
    ck_assert_uint_eq(serve_on(net, NET_BIND, 0, 8, 0, 0, NULL, 0, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_BIND, 1, 8, 0, 0, "x", 1, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_SENDTO, 2, s, HOST2, 0, "x", 1, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_RECVFROM, 2, s, 0, 0, NULL, 0, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_CLOSE, 0, 0, 0, 0, NULL, 0, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_STATS, 1, 0, 0, 0, NULL, 0, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_FRAME, 1, 0, 0, 0, NULL, 0, NET_WIRE_BADGE).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_BIND, 1, 65536, 0, 0, NULL, 0, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(net, NET_BIND, 1, UINT64_MAX, 0, 0, NULL, 0, 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(send_text(net, s, HOST2, 0, "x", 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(send_text(net, s, HOST2, 65536, "x", 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(send_text(net, s, 1ull << 32 | HOST2, 9, "x", 1).w[0], MS_E_INVAL);
    ck_assert_uint_eq(send_text(net, s, NET_ADDR(10, 0, 0, 3), 9, "x", 1).w[0], MS_E_NOTFOUND);
    ck_assert_uint_eq(serve_on(net, NET_FRAME, 0, 0, 0, 0, NULL, 0, 1).w[0], MS_E_RIGHTS);
    for (unsigned i = 0; i < NET_STAT_COUNT; i++)
        ck_assert_uint_eq(net->stats[i], 0); /* nothing was sent or received */
}
END_TEST

START_TEST(bad_socket_numbers_are_badhandle)
{
    uint64_t s;
    ck_assert_uint_eq(bind_port(net, 7, 1, &s), MS_OK);
    const uint64_t bad[] = {s + 1, NET_SOCKETS, UINT64_MAX};
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_uint_eq(send_text(net, bad[i], HOST1, 7, "x", 1).w[0], MS_E_BADHANDLE);
        ck_assert_uint_eq(recv_on(net, bad[i], 1).w[0], MS_E_BADHANDLE);
        ck_assert_uint_eq(serve_on(net, NET_CLOSE, 1, bad[i], 0, 0, NULL, 0, 1).w[0], MS_E_BADHANDLE);
    }
    /* another client's socket */
    ck_assert_uint_eq(send_text(net, s, HOST1, 7, "x", 2).w[0], MS_E_BADHANDLE);
    ck_assert_uint_eq(recv_on(net, s, 2).w[0], MS_E_BADHANDLE);
    ck_assert_uint_eq(serve_on(net, NET_CLOSE, 1, s, 0, 0, NULL, 0, 2).w[0], MS_E_BADHANDLE);
    ck_assert_uint_eq(serve_on(net, NET_CLOSE, 1, s, 0, 0, NULL, 0, 1).w[0], MS_OK);
    ck_assert_uint_eq(serve_on(net, NET_CLOSE, 1, s, 0, 0, NULL, 0, 1).w[0], MS_E_BADHANDLE); /* closed */
}
END_TEST

START_TEST(limits_are_errors)
{
    uint64_t s;
    uint8_t data[NET_PAYLOAD_MAX + 1] = {0};
    ck_assert_uint_eq(bind_port(net, 7, 1, &s), MS_OK);
    ck_assert_uint_eq(bind_port(net, 7, 2, &s), MS_E_EXISTS);
    uint64_t again = s + 1;
    ck_assert_uint_eq(bind_port(net, 7, 1, &again), MS_OK); /* its owner again: the same socket */
    ck_assert_uint_eq(again, s);
    ck_assert_uint_eq(serve_on(net, NET_SENDTO, 3, s, HOST1, 7, data, NET_PAYLOAD_MAX + 1, 1).w[0], MS_E_RANGE);
    ck_assert_uint_eq(serve_on(net, NET_SENDTO, 3, s, HOST1, 7, data, NET_PAYLOAD_MAX, 1).w[0], MS_OK);
    for (unsigned i = 1; i < NET_SOCKETS_PER_CLIENT; i++)
        ck_assert_uint_eq(bind_port(net, 100 + i, 1, &s), MS_OK);
    ck_assert_uint_eq(bind_port(net, 200, 1, &s), MS_E_FULL); /* per client */
    unsigned made = NET_SOCKETS_PER_CLIENT;
    for (uint64_t badge = 2; made < NET_SOCKETS; badge++)
        for (unsigned i = 0; i < NET_SOCKETS_PER_CLIENT && made < NET_SOCKETS; i++, made++)
            ck_assert_uint_eq(bind_port(net, 0, badge, &s), MS_OK);
    ck_assert_uint_eq(bind_port(net, 0, 99, &s), MS_E_FULL); /* in all */
}
END_TEST

START_TEST(port_zero_binds_a_free_ephemeral_port)
{
    uint64_t s;
    ck_assert_uint_eq(bind_port(net, NET_EPHEMERAL, 1, &s), MS_OK);
    net_reply_t rp = serve_on(net, NET_BIND, 1, 0, 0, 0, NULL, 0, 1);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert_uint_eq(rp.nwords, 3);
    ck_assert_uint_eq(rp.w[1], 1);
    ck_assert_uint_eq(rp.w[2], NET_EPHEMERAL + 1);
}
END_TEST

START_TEST(a_looped_back_datagram_arrives_with_its_source)
{
    uint64_t a, b;
    ck_assert_uint_eq(bind_port(net, 5000, 3, &a), MS_OK);
    ck_assert_uint_eq(bind_port(net, 5001, 4, &b), MS_OK);
    net_reply_t rp = send_text(net, a, HOST1, 5001, "looped", 3);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert(rp.traced);
    ck_assert(!rp.wire && !rp.wake);
    ck_assert_uint_eq(rp.packet.src_addr, HOST1);
    ck_assert_uint_eq(rp.packet.src_port, 5000);
    ck_assert_uint_eq(rp.packet.dst_addr, HOST1);
    ck_assert_uint_eq(rp.packet.dst_port, 5001);
    ck_assert_uint_eq(rp.packet.len, 6);
    rp = recv_on(net, b, 4);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert_uint_eq(rp.nwords, 3);
    ck_assert_uint_eq(rp.w[1], HOST1);
    ck_assert_uint_eq(rp.w[2], 5000);
    ck_assert_uint_eq(rp.out_len, 6);
    ck_assert_mem_eq(out, "looped", 6);
    ck_assert_uint_eq(net->stats[NET_STAT_SENT], 1);
    ck_assert_uint_eq(net->stats[NET_STAT_RECEIVED], 1);
    ck_assert_uint_eq(net->stats[NET_STAT_DELIVERED], 1);
}
END_TEST

START_TEST(a_receiver_waits_and_is_woken)
{
    uint64_t a, b;
    bind_port(net, 5000, 3, &a);
    bind_port(net, 5001, 3, &b);
    net_reply_t rp = recv_on(net, b, 3);
    ck_assert(rp.defer);
    ck_assert_uint_eq(rp.sock, b);
    net_wait(net, (unsigned)b, 42);
    ck_assert_uint_eq(recv_on(net, b, 3).w[0], MS_E_BUSY); /* one receiver a socket */
    ck_assert_ptr_null(net_head(net, (unsigned)b));
    rp = send_text(net, a, HOST1, 5001, "wake", 3);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert(rp.wake);
    ck_assert_uint_eq(rp.sock, b);
    ck_assert_uint_eq(rp.wake_handle, 42);
    const net_datagram_t *d = net_head(net, (unsigned)b);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->src_addr, HOST1);
    ck_assert_uint_eq(d->src_port, 5000);
    ck_assert_uint_eq(d->len, 4);
    ck_assert_mem_eq(d->data, "wake", 4);
    net_woken(net, (unsigned)b, 1);
    ck_assert_ptr_null(net_head(net, (unsigned)b));
    ck_assert(recv_on(net, b, 3).defer); /* empty again: waits again */
}
END_TEST

START_TEST(a_gone_receiver_leaves_the_datagram_queued)
{
    uint64_t a, b;
    bind_port(net, 5000, 3, &a);
    bind_port(net, 5001, 3, &b);
    recv_on(net, b, 3);
    net_wait(net, (unsigned)b, 42);
    ck_assert(send_text(net, a, HOST1, 5001, "kept", 3).wake);
    net_woken(net, (unsigned)b, 0);
    net_reply_t rp = recv_on(net, b, 3);
    ck_assert(!rp.defer);
    ck_assert_uint_eq(rp.out_len, 4);
    ck_assert_mem_eq(out, "kept", 4);
}
END_TEST

START_TEST(closing_a_socket_cancels_its_receiver)
{
    uint64_t a;
    bind_port(net, 5000, 3, &a);
    recv_on(net, a, 3);
    net_wait(net, (unsigned)a, 17);
    net_reply_t rp = serve_on(net, NET_CLOSE, 1, a, 0, 0, NULL, 0, 3);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert_uint_eq(rp.cancel, 17);
    ck_assert_uint_eq(bind_port(net, 5000, 5, &a), MS_OK); /* the port is free again */
    rp = serve_on(net, NET_CLOSE, 1, a, 0, 0, NULL, 0, 5);
    ck_assert_uint_eq(rp.cancel, 0);
}
END_TEST

START_TEST(full_queues_and_unbound_ports_drop_and_count)
{
    uint64_t a, b;
    bind_port(net, 5000, 3, &a);
    bind_port(net, 5001, 3, &b);
    for (unsigned i = 0; i < NET_QUEUE_DEPTH + 2; i++)
        ck_assert_uint_eq(send_text(net, a, HOST1, 5001, "x", 3).w[0], MS_OK); /* UDP: sent, maybe dropped */
    ck_assert_uint_eq(send_text(net, a, HOST1, 6000, "x", 3).w[0], MS_OK);
    ck_assert_uint_eq(net->stats[NET_STAT_SENT], NET_QUEUE_DEPTH + 3);
    ck_assert_uint_eq(net->stats[NET_STAT_DELIVERED], NET_QUEUE_DEPTH);
    ck_assert_uint_eq(net->stats[NET_STAT_QUEUE_FULL], 2);
    ck_assert_uint_eq(net->stats[NET_STAT_NO_PORT], 1);
    for (unsigned i = 0; i < NET_QUEUE_DEPTH; i++)
        ck_assert_uint_eq(recv_on(net, b, 3).out_len, 1);
    ck_assert(recv_on(net, b, 3).defer);
}
END_TEST

START_TEST(a_datagram_crosses_the_wire_to_the_peer)
{
    uint64_t a, b;
    bind_port(net, 7, 1, &a);
    bind_port(peer, 9, 2, &b);
    net_reply_t rp = send_text(net, a, HOST2, 9, "hello", 1);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    ck_assert(rp.wire);
    ck_assert(!rp.traced); /* the wire thread reports it */
    const net_wire_slot_t *slot = net_wire_next(net);
    ck_assert_ptr_nonnull(slot);
    ck_assert_uint_eq(slot->src_addr, HOST1);
    ck_assert_uint_eq(slot->src_port, 7);
    ck_assert_uint_eq(slot->dst_addr, HOST2);
    ck_assert_uint_eq(slot->dst_port, 9);
    ck_assert_uint_eq(slot->data_len, 5);
    uint8_t want[NET_MTU];
    ck_assert_uint_eq(slot->len, hello_frame(want)); /* the first datagram: identification 1 */
    ck_assert_mem_eq(slot->frame, want, slot->len);
    ck_assert_uint_eq(serve_on(peer, NET_FRAME, 0, 0, 0, 0, slot->frame, slot->len, 1).w[0], MS_E_RIGHTS);
    rp = serve_on(peer, NET_FRAME, 0, 0, 0, 0, slot->frame, slot->len, NET_WIRE_BADGE);
    ck_assert_uint_eq(rp.w[0], MS_OK);
    net_wire_done(net, rp.w[0]);
    ck_assert_ptr_null(net_wire_next(net));
    rp = recv_on(peer, b, 2);
    ck_assert_uint_eq(rp.w[1], HOST1);
    ck_assert_uint_eq(rp.w[2], 7);
    ck_assert_mem_eq(out, "hello", 5);
    ck_assert_uint_eq(serve_on(net, NET_STATS, 0, 0, 0, 0, NULL, 0, 1).out_len, NET_STAT_COUNT * 8);
    uint64_t stats[NET_STAT_COUNT];
    memcpy(stats, out, sizeof stats); /* little-endian, as the host's */
    ck_assert_uint_eq(stats[NET_STAT_SENT], 1);
    ck_assert_uint_eq(stats[NET_STAT_WIRE_OUT], 1);
    ck_assert_uint_eq(stats[NET_STAT_WIRE_FAILED], 0);
}
END_TEST

START_TEST(bad_frames_from_the_wire_are_dropped_and_counted)
{
    uint64_t b;
    bind_port(peer, 9, 2, &b);
    uint8_t frame[NET_MTU];
    unsigned len = hello_frame(frame);
    frame[len - 1] ^= 1;
    ck_assert_uint_eq(serve_on(peer, NET_FRAME, 0, 0, 0, 0, frame, len, NET_WIRE_BADGE).w[0], MS_E_INVAL);
    frame[len - 1] ^= 1;
    frame[9] = 1; /* ICMP */
    reseal_ip(frame);
    ck_assert_uint_eq(serve_on(peer, NET_FRAME, 0, 0, 0, 0, frame, len, NET_WIRE_BADGE).w[0], MS_E_INVAL);
    ck_assert_uint_eq(serve_on(peer, NET_FRAME, 0, 0, 0, 0, frame, len - 3, NET_WIRE_BADGE).w[0], MS_E_INVAL);
    hello_frame(frame);
    ck_assert_uint_eq(serve_on(net, NET_FRAME, 0, 0, 0, 0, frame, len, NET_WIRE_BADGE).w[0], MS_E_INVAL);
    uint8_t huge[MS_MSG_PAYLOAD_MAX] = {0};
    ck_assert_uint_eq(serve_on(peer, NET_FRAME, 0, 0, 0, 0, huge, sizeof huge, NET_WIRE_BADGE).w[0], MS_E_INVAL);
    ck_assert_uint_eq(peer->stats[NET_STAT_BAD_CHECKSUM], 1);
    ck_assert_uint_eq(peer->stats[NET_STAT_BAD_PROTOCOL], 1);
    ck_assert_uint_eq(peer->stats[NET_STAT_BAD_LENGTH], 1);
    ck_assert_uint_eq(peer->stats[NET_STAT_BAD_HEADER], 1); /* version 0 */
    ck_assert_uint_eq(net->stats[NET_STAT_BAD_HEADER], 1);  /* for 10.0.0.2, not 10.0.0.1 */
    ck_assert_uint_eq(peer->stats[NET_STAT_DELIVERED], 0);
    ck_assert(recv_on(peer, b, 2).defer);
}
END_TEST

START_TEST(the_wire_queue_is_bounded_and_needs_a_peer)
{
    uint64_t a;
    bind_port(net, 7, 1, &a);
    for (unsigned i = 0; i < NET_WIRE_QUEUE; i++)
        ck_assert_uint_eq(send_text(net, a, HOST2, 9, "x", 1).w[0], MS_OK);
    ck_assert_uint_eq(send_text(net, a, HOST2, 9, "x", 1).w[0], MS_E_FULL);
    ck_assert_ptr_nonnull(net_wire_next(net));
    net_wire_done(net, MS_E_DEAD); /* the peer is gone: counted */
    ck_assert_uint_eq(send_text(net, a, HOST2, 9, "x", 1).w[0], MS_OK);
    ck_assert_uint_eq(send_text(net, a, HOST2, 9, "x", 1).w[0], MS_E_FULL);
    serve_on(net, NET_STATS, 0, 0, 0, 0, NULL, 0, 1);
    ck_assert_uint_eq(net->stats[NET_STAT_WIRE_FAILED], 1);
    net_t *alone = calloc(1, sizeof *alone);
    net_init(alone, HOST1, 0);
    bind_port(alone, 7, 1, &a);
    ck_assert_uint_eq(send_text(alone, a, HOST2, 9, "x", 1).w[0], MS_E_NOTFOUND);
    ck_assert_uint_eq(send_text(alone, a, 0, 9, "x", 1).w[0], MS_E_NOTFOUND);
    free(alone);
}
END_TEST

START_TEST(a_gone_owners_sockets_close_and_its_receiver_is_dropped)
{
    uint64_t a, b, c;
    ck_assert_uint_eq(bind_port(net, 5000, 3, &a), MS_OK);
    ck_assert_uint_eq(bind_port(net, 5001, 3, &b), MS_OK);
    ck_assert_uint_eq(bind_port(net, 6000, 4, &c), MS_OK);
    uint64_t owners[NET_SOCKETS];
    ck_assert_uint_eq(net_owners(net, owners), 2); /* each owner once */
    ck_assert_uint_eq(owners[0], 3);
    ck_assert_uint_eq(owners[1], 4);
    ck_assert(recv_on(net, b, 3).defer);
    net_wait(net, (unsigned)b, 42);
    uint32_t cancel[NET_SOCKETS];
    ck_assert_uint_eq(net_forget_owner(net, 3, cancel), 1);
    ck_assert_uint_eq(cancel[0], 42); /* the saved reply of its receiver */
    ck_assert_uint_eq(net_owners(net, owners), 1);
    ck_assert_uint_eq(owners[0], 4);
    ck_assert_uint_eq(bind_port(net, 5000, 5, &a), MS_OK); /* its ports are free again */
    ck_assert_uint_eq(send_text(net, c, HOST1, 5001, "x", 4).w[0], MS_OK); /* nobody there: dropped */
    ck_assert_uint_eq(net_forget_owner(net, 99, cancel), 0);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("net");
    TCase *frames = tcase_create("frames");
    tcase_add_test(frames, checksum_of_the_rfc_1071_example);
    tcase_add_test(frames, checksum_of_a_known_ipv4_header_and_odd_lengths);
    tcase_add_test(frames, a_built_frame_has_the_known_headers);
    tcase_add_test(frames, a_built_frame_parses_back);
    tcase_add_test(frames, every_corrupted_byte_is_rejected);
    tcase_add_test(frames, bad_lengths_are_rejected);
    tcase_add_test(frames, wrong_protocol_and_bad_headers_are_rejected);
    tcase_add_test(frames, a_zero_udp_checksum_means_none);
    suite_add_tcase(s, frames);
    TCase *tc = tcase_create("protocol");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, malformed_requests_get_their_errors);
    tcase_add_test(tc, bad_socket_numbers_are_badhandle);
    tcase_add_test(tc, limits_are_errors);
    tcase_add_test(tc, port_zero_binds_a_free_ephemeral_port);
    tcase_add_test(tc, a_looped_back_datagram_arrives_with_its_source);
    tcase_add_test(tc, a_receiver_waits_and_is_woken);
    tcase_add_test(tc, a_gone_receiver_leaves_the_datagram_queued);
    tcase_add_test(tc, closing_a_socket_cancels_its_receiver);
    tcase_add_test(tc, full_queues_and_unbound_ports_drop_and_count);
    tcase_add_test(tc, a_datagram_crosses_the_wire_to_the_peer);
    tcase_add_test(tc, bad_frames_from_the_wire_are_dropped_and_counted);
    tcase_add_test(tc, the_wire_queue_is_bounded_and_needs_a_peer);
    tcase_add_test(tc, a_gone_owners_sockets_close_and_its_receiver_is_dropped);
    suite_add_tcase(s, tc);
    return s;
}

CHECK_MAIN(make_suite)
