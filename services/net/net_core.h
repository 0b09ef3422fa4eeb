/* The network daemon's framing, sockets and wire queue, apart from IPC (unit tests drive it). */
#ifndef NET_CORE_H
#define NET_CORE_H

#include <stdint.h>

#include "ms/net.h"

/* A datagram as the framing code sees it: both ends, the IPv4
 * identification and the data (len bytes at data). */
typedef struct net_packet {
    uint32_t src_addr, dst_addr;
    uint16_t src_port, dst_port;
    uint16_t id;
    const uint8_t *data;
    unsigned len;
} net_packet_t;

/* What a frame's check found: NET_FRAME_OK or the counter it goes to. */
typedef enum net_verdict {
    NET_FRAME_OK = -1,
    NET_FRAME_BAD_CHECKSUM = NET_STAT_BAD_CHECKSUM,
    NET_FRAME_BAD_LENGTH = NET_STAT_BAD_LENGTH,
    NET_FRAME_BAD_PROTOCOL = NET_STAT_BAD_PROTOCOL,
    NET_FRAME_BAD_HEADER = NET_STAT_BAD_HEADER,
} net_verdict_t;

/* The ones' complement sum of len bytes, big-endian 16-bit words (an odd
 * last byte padded with zero), added to sum; not folded. Chunks summed in
 * turn must have even lengths but the last. */
uint32_t net_sum(uint32_t sum, const uint8_t *data, unsigned len);
/* The internet checksum (RFC 1071) of a sum: folded and complemented. */
uint16_t net_fold(uint32_t sum);
/* The internet checksum of len bytes. */
uint16_t net_checksum(const uint8_t *data, unsigned len);

/* Builds p's IPv4/UDP frame in frame (size bytes). Returns its length, or
 * 0 if p's data is over NET_PAYLOAD_MAX or the frame does not fit. */
unsigned net_frame_build(const net_packet_t *p, uint8_t *frame, unsigned size);
/* Checks a frame of len bytes; if it is good, *p describes it (p->data
 * points into frame). */
net_verdict_t net_frame_parse(const uint8_t *frame, unsigned len, net_packet_t *p);

typedef struct net_datagram {
    uint32_t src_addr;
    uint16_t src_port;
    uint16_t len;
    uint8_t data[NET_PAYLOAD_MAX];
} net_datagram_t;

typedef struct net_socket {
    uint8_t used;
    uint8_t head, count; /* the queue: count datagrams from queue[head] on */
    uint16_t port;
    uint32_t waiter; /* a saved NET_RECVFROM reply (a handle), 0: none; only while the queue is empty */
    uint64_t owner;  /* the badge that bound it */
    net_datagram_t queue[NET_QUEUE_DEPTH];
} net_socket_t;

/* A frame waiting for the wire, and the ends net.packet reports. */
typedef struct net_wire_slot {
    uint32_t src_addr, dst_addr;
    uint16_t src_port, dst_port;
    uint16_t data_len; /* the UDP payload */
    uint16_t len;      /* the frame */
    uint8_t frame[NET_MTU];
} net_wire_slot_t;

/* The single-producer, single-consumer queue between the main thread
 * (which writes head and the slots it fills) and the wire thread (which
 * writes tail and its counters). Both indices only grow. */
typedef struct net_wire {
    uint32_t head, tail;
    uint64_t out, failed;
    net_wire_slot_t slot[NET_WIRE_QUEUE];
} net_wire_t;

typedef struct net {
    uint32_t addr, peer; /* this host's address; the peer host's (0: none) */
    uint16_t next_id;
    uint64_t stats[NET_STAT_COUNT];
    net_socket_t sock[NET_SOCKETS];
    net_wire_t wire;
    uint8_t frame[NET_MTU]; /* a looped-back datagram's frame */
} net_t;

/* A request as it arrived: label, words, the caller's badge, the payload. */
typedef struct net_request {
    uint32_t label;
    unsigned words;
    uint64_t w[3];
    uint64_t badge;
    const uint8_t *payload;
    unsigned len;
} net_request_t;

/*
 * What to do. Reply w[0..nwords) and out[0..out_len) now, unless defer:
 * then save the reply and hand it to net_wait for socket sock. Before that:
 * if traced, report packet (a datagram looped back); if wake, answer the
 * waiter wake_handle of socket sock with the datagram at its queue's head
 * (net_head) and tell net_woken how it went; if cancel, answer the saved
 * reply cancel with E_BADHANDLE (its socket closed); if wire, wake the wire
 * thread.
 */
typedef struct net_reply {
    uint64_t w[3];
    unsigned nwords;
    uint8_t *out; /* room for NET_OUT_MAX bytes */
    unsigned out_len;
    int defer, wake, traced, wire;
    unsigned sock;
    uint32_t wake_handle, cancel;
    net_packet_t packet;
} net_reply_t;

#define NET_OUT_MAX NET_PAYLOAD_MAX

void net_init(net_t *n, uint32_t addr, uint32_t peer);
void net_serve(net_t *n, const net_request_t *rq, net_reply_t *rp);
/* The owners of bound sockets, each once, into out; how many. */
unsigned net_owners(const net_t *n, uint64_t out[NET_SOCKETS]);
/* Closes every socket of owner, a client that is gone. The saved replies
 * of their waiting receivers go to cancel (NET_SOCKETS at most), for the
 * IPC loop to drop; returns how many. */
unsigned net_forget_owner(net_t *n, uint64_t owner, uint32_t cancel[NET_SOCKETS]);
/* Socket sock's receiver waits: its saved reply is handle reply. */
void net_wait(net_t *n, unsigned sock, uint32_t reply);
/* The datagram at the head of socket sock's queue (NULL: none). */
const net_datagram_t *net_head(const net_t *n, unsigned sock);
/* The waiter of socket sock was answered with its head (delivered) or is
 * gone (not delivered: the datagram stays queued). */
void net_woken(net_t *n, unsigned sock, int delivered);

/* The wire thread's side: the next frame to send (NULL: none), and its
 * outcome (MS_OK, or why the peer did not take it). */
const net_wire_slot_t *net_wire_next(net_t *n);
void net_wire_done(net_t *n, uint64_t err);

#endif
