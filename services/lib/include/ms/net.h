/* The network daemon's protocol: UDP datagram sockets between simulated IPv4 hosts. */
#ifndef MS_NET_H
#define MS_NET_H

#include <stdint.h>

#include "ms/errors.h"
#include "ms/syscall.h"

/*
 * Each net daemon is one host with one IPv4 address. Requests are calls;
 * every reply has w0 = MS_OK or an error. Addresses are 32-bit numbers in
 * host order (NET_ADDR(10, 0, 0, 1)), ports 1..65535. The caller's badge is
 * its identity: sockets belong to the badge that bound them, and a socket
 * number is only good for its owner.
 *   NET_BIND      w0 port (0: any free port from NET_EPHEMERAL): w1 the
 *                 socket, w2 its port. A port the caller holds already
 *                 gives its socket again (a restarted process keeps its
 *                 badge); E_EXISTS (another client holds the port),
 *                 E_INVAL (port over 65535), E_FULL (NET_SOCKETS in all, or
 *                 NET_SOCKETS_PER_CLIENT for this client).
 *   NET_SENDTO    w0 socket, w1 destination address, w2 destination port,
 *                 payload the data (0..NET_PAYLOAD_MAX bytes). MS_OK once
 *                 the datagram is sent: looped back (to this host's own
 *                 address) or queued for the peer host. Like UDP, it says
 *                 nothing of delivery: a datagram for a port nobody bound,
 *                 or for a full queue, is dropped and counted. E_RANGE (data
 *                 over NET_PAYLOAD_MAX), E_INVAL (address over 32 bits,
 *                 port 0 or over 65535), E_NOTFOUND (no route: neither this
 *                 host nor its peer), E_FULL (NET_WIRE_QUEUE datagrams wait
 *                 for the wire already: try again).
 *   NET_RECVFROM  w0 socket: the next datagram: w1 its source address, w2
 *                 its source port, the payload its data. If none is queued
 *                 the reply waits for one (the daemon goes on serving
 *                 others); a second receiver on the socket meanwhile gets
 *                 E_BUSY, and a receiver whose socket is closed gets
 *                 E_BADHANDLE.
 *   NET_CLOSE     w0 socket: unbinds it; its queued datagrams are dropped.
 *   NET_STATS     the payload: NET_STAT_COUNT counters (uint64_t each,
 *                 enum net_stat order).
 *   NET_FRAME     payload an IPv4/UDP frame, from the peer host's wire
 *                 thread only (badge NET_WIRE_BADGE, else E_RIGHTS). It is
 *                 checked (version, header length, lengths, both checksums,
 *                 protocol 17, no fragment, TTL, the destination address)
 *                 and its data queued on the socket bound to its port:
 *                 E_INVAL (malformed), E_NOTFOUND (no such port), E_FULL
 *                 (the socket's queue is full); each is a counted drop.
 *   anything else E_NOSYS; a wrong word count or a payload where none
 *                 belongs: E_INVAL; a bad socket number: E_BADHANDLE.
 * A handle sent with a request is closed. BIND, CLOSE and STATS are
 * idempotent in effect (a repeated CLOSE gets E_BADHANDLE); SENDTO and
 * RECVFROM are not.
 *
 * Frames: a 20-byte IPv4 header (version 4, header length 5, total length,
 * an identification counting the host's datagrams, don't-fragment, TTL
 * NET_TTL, protocol 17, the header checksum, source and destination) and
 * an 8-byte UDP header (ports, length, the checksum over the pseudo-header,
 * header and data; 0 means none, as in RFC 768), all big-endian: at most
 * NET_MTU bytes. A looped-back datagram is framed and checked the same way.
 */
#define NET_BIND 0x6e740001u
#define NET_SENDTO 0x6e740002u
#define NET_RECVFROM 0x6e740003u
#define NET_CLOSE 0x6e740004u
#define NET_STATS 0x6e740005u
#define NET_FRAME 0x6e740006u /* internal: the peer host's wire thread */

#define NET_MTU 1500u
#define NET_IP_HEADER 20u
#define NET_UDP_HEADER 8u
#define NET_PAYLOAD_MAX (NET_MTU - NET_IP_HEADER - NET_UDP_HEADER) /* 1472 */
#define NET_PROTO_UDP 17u
#define NET_TTL 64u
#define NET_SOCKETS 16u
#define NET_SOCKETS_PER_CLIENT 4u
#define NET_QUEUE_DEPTH 4u /* datagrams waiting on a socket; more are dropped */
#define NET_WIRE_QUEUE 8u  /* datagrams waiting for the peer host */
#define NET_EPHEMERAL 49152u

#define NET_ADDR(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* What NET_STATS counts, in its payload's order. */
enum net_stat {
    NET_STAT_SENT,         /* datagrams clients sent (looped back or queued for the wire) */
    NET_STAT_WIRE_OUT,     /* frames put on the wire to the peer host */
    NET_STAT_WIRE_FAILED,  /* of those, frames the peer refused or never took */
    NET_STAT_RECEIVED,     /* frames that came in (looped back or from the peer) */
    NET_STAT_DELIVERED,    /* datagrams queued on a socket or handed to a receiver */
    NET_STAT_BAD_CHECKSUM, /* dropped: the IPv4 or the UDP checksum is wrong */
    NET_STAT_BAD_LENGTH,   /* dropped: a length disagrees with the frame's */
    NET_STAT_BAD_PROTOCOL, /* dropped: not UDP */
    NET_STAT_BAD_HEADER,   /* dropped: version, header length, fragment, TTL 0, port 0 or not ours */
    NET_STAT_NO_PORT,      /* dropped: nobody bound the destination port */
    NET_STAT_QUEUE_FULL,   /* dropped: the socket's queue was full */
    NET_STAT_COUNT
};

/*
 * The daemon. Its handles: 1 its endpoint (receive), 3 a send handle to the
 * peer host's endpoint badged NET_WIRE_BADGE (optional: without it only
 * its own address is reachable). Slot 2 stays free: the process manager
 * puts a name server handle there. Its arguments: arg[0] its address,
 * arg[1] the peer host's address (0: none), arg[2] its own priority (its
 * wire thread's). Its state takes about 124 KiB of heap: NET_MEM_KIB of
 * memory with a 32 KiB stack (a process manager's process) is enough.
 *
 * Two threads: the main thread only receives and replies, never calls, so
 * no client and no peer can make it wait. A datagram for the peer goes to a
 * bounded queue in the daemon's memory; the wire thread, woken by a
 * notification, calls the peer's endpoint with each frame (NET_FRAME), and
 * the peer's main thread checks it, queues it and replies at once. Each
 * datagram is traced once as net.packet: by the wire thread as it puts it
 * on the wire, or by the main thread as it loops it back.
 */
#define NET_H_ENDPOINT 1u
#define NET_H_PEER 3u
#define NET_WIRE_BADGE 0x6e74u /* reserved for the wire: no client may have it */
#define NET_MEM_KIB 256u
void net_main(const ms_start_t *start);

/* As a process, the daemon publishes its endpoint (which then needs the
 * send right too) as "/net/A.B.C.D", its address: ms_net_path writes that
 * name for addr into buf (NET_PATH_MAX bytes). */
#define NET_PATH_MAX 24u
void ms_net_path(uint32_t addr, char *buf, unsigned size);

/* A client's way to a daemon: its endpoint handle and the calling thread's
 * IPC buffer (data travels there). Each returns MS_OK or an error. */
typedef struct ms_net {
    ms_handle_t ep;
    char *ipc_buffer;
} ms_net_t;

/* Binds port (0: any free one): *sock the socket; *bound its port (if not NULL). */
uint64_t ms_net_bind(const ms_net_t *n, uint16_t port, uint64_t *sock, uint16_t *bound);
uint64_t ms_net_sendto(const ms_net_t *n, uint64_t sock, uint32_t addr, uint16_t port, const void *data, unsigned len);
/* Waits for the next datagram: up to size bytes of it in buf, *got how
 * many, and where it came from (addr, port; either may be NULL). */
uint64_t ms_net_recvfrom(const ms_net_t *n, uint64_t sock, void *buf, unsigned size, unsigned *got, uint32_t *addr,
                         uint16_t *port);
uint64_t ms_net_close(const ms_net_t *n, uint64_t sock);
/* The daemon's counters, by enum net_stat. */
uint64_t ms_net_stats(const ms_net_t *n, uint64_t stats[NET_STAT_COUNT]);

#endif
