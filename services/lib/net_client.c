/* Client stubs of the network daemon's protocol (ms/net.h). */
#include "ms/net.h"

#include "rt.h"

/* One call: label, up to three words, len bytes of payload already in the
 * IPC buffer. Returns the reply's w0 (or the call's error). */
static uint64_t call(const ms_net_t *n, uint32_t label, unsigned words, const uint64_t w[3], unsigned len, ms_msg_t *m)
{
    *m = (ms_msg_t){.info = ms_info(label, words, len, 0), .w = {w[0], w[1], w[2]}};
    uint64_t err = ms_call(n->ep, m);
    return err == MS_OK ? m->w[0] : err;
}

uint64_t ms_net_bind(const ms_net_t *n, uint16_t port, uint64_t *sock, uint16_t *bound)
{
    ms_msg_t m;
    uint64_t err = call(n, NET_BIND, 1, (const uint64_t[3]){port}, 0, &m);
    if (err == MS_OK) {
        *sock = m.w[1];
        if (bound)
            *bound = (uint16_t)m.w[2];
    }
    return err;
}

uint64_t ms_net_sendto(const ms_net_t *n, uint64_t sock, uint32_t addr, uint16_t port, const void *data, unsigned len)
{
    ms_msg_t m;
    const char *d = data;
    if (len > NET_PAYLOAD_MAX)
        return MS_E_RANGE;
    for (unsigned i = 0; i < len; i++)
        n->ipc_buffer[i] = d[i];
    return call(n, NET_SENDTO, 3, (const uint64_t[3]){sock, addr, port}, len, &m);
}

uint64_t ms_net_recvfrom(const ms_net_t *n, uint64_t sock, void *buf, unsigned size, unsigned *got, uint32_t *addr,
                         uint16_t *port)
{
    ms_msg_t m;
    uint64_t err = call(n, NET_RECVFROM, 1, (const uint64_t[3]){sock}, 0, &m);
    unsigned len = err == MS_OK ? ms_info_payload(m.info) : 0;
    char *b = buf;
    for (unsigned i = 0; i < len && i < size; i++)
        b[i] = n->ipc_buffer[i];
    *got = len < size ? len : size;
    if (err == MS_OK && addr)
        *addr = (uint32_t)m.w[1];
    if (err == MS_OK && port)
        *port = (uint16_t)m.w[2];
    return err;
}

uint64_t ms_net_close(const ms_net_t *n, uint64_t sock)
{
    ms_msg_t m;
    return call(n, NET_CLOSE, 1, (const uint64_t[3]){sock}, 0, &m);
}

uint64_t ms_net_stats(const ms_net_t *n, uint64_t stats[NET_STAT_COUNT])
{
    ms_msg_t m;
    uint64_t err = call(n, NET_STATS, 0, (const uint64_t[3]){0}, 0, &m);
    unsigned len = err == MS_OK ? ms_info_payload(m.info) : 0;
    const uint8_t *p = (const uint8_t *)n->ipc_buffer;
    for (unsigned i = 0; i < NET_STAT_COUNT; i++) {
        stats[i] = 0;
        for (unsigned b = 0; b < 8 && 8 * i + b < len; b++)
            stats[i] |= (uint64_t)p[8 * i + b] << (8 * b);
    }
    return err;
}

void ms_net_path(uint32_t addr, char *buf, unsigned size)
{
    rt_snprintf(buf, size, "/net/%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xffu, (addr >> 8) & 0xffu, addr & 0xffu);
}
