/* The port I/O bus: routes in/out to the device that claimed the port. */
#include "portbus.h"

#include <assert.h>
#include <string.h>

void hw_portbus_init(hw_portbus_t *bus, hw_port_unclaimed_fn *unclaimed, void *ctx)
{
    memset(bus, 0, sizeof *bus);
    bus->unclaimed = unclaimed;
    bus->unclaimed_ctx = ctx;
}

static bool ranges_overlap(const hw_port_range_t *a, const hw_port_range_t *b)
{
    return a->first <= b->last && b->first <= a->last;
}

int hw_portbus_register(hw_portbus_t *bus, const hw_port_range_t *range)
{
    if (range->first > range->last || bus->nranges == HW_PORTBUS_MAX_RANGES)
        return -1;
    if (range->width != 1 && range->width != 2 && range->width != 4)
        return -1;
    for (unsigned i = 0; i < bus->nranges; i++) {
        if (ranges_overlap(&bus->ranges[i], range))
            return -1;
    }
    bus->ranges[bus->nranges++] = *range;
    return 0;
}

static const hw_port_range_t *portbus_find(const hw_portbus_t *bus, uint16_t port)
{
    for (unsigned i = 0; i < bus->nranges; i++) {
        if (bus->ranges[i].first <= port && port <= bus->ranges[i].last)
            return &bus->ranges[i];
    }
    return NULL;
}

static uint32_t all_ones(unsigned size)
{
    return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* Tells the tracer about an unclaimed port, the first time only. */
static void portbus_report(hw_portbus_t *bus, uint16_t port, unsigned size, bool write)
{
    uint64_t bit = UINT64_C(1) << (port % 64);
    if (bus->reported[port / 64] & bit)
        return;
    bus->reported[port / 64] |= bit;
    if (bus->unclaimed)
        bus->unclaimed(bus->unclaimed_ctx, port, size, write);
}

/* Pieces of a split access go to port, port+width, ... (wrapping past
 * 0xffff to 0, as the 16-bit port number does). */
uint32_t hw_portbus_in(hw_portbus_t *bus, uint16_t port, unsigned size)
{
    assert(size == 1 || size == 2 || size == 4);
    const hw_port_range_t *r = portbus_find(bus, port);
    if (!r)
        portbus_report(bus, port, size, false);
    if (!r || !r->read)
        return all_ones(size);
    if (size <= r->width)
        return r->read(r->ctx, port, size) & all_ones(size);
    uint32_t value = 0;
    for (unsigned off = 0; off < size; off += r->width)
        value |= hw_portbus_in(bus, (uint16_t)(port + off), r->width) << (8 * off);
    return value;
}

void hw_portbus_out(hw_portbus_t *bus, uint16_t port, unsigned size, uint32_t value)
{
    assert(size == 1 || size == 2 || size == 4);
    const hw_port_range_t *r = portbus_find(bus, port);
    if (!r)
        portbus_report(bus, port, size, true);
    if (!r || !r->write)
        return;
    if (size <= r->width) {
        r->write(r->ctx, port, size, value & all_ones(size));
        return;
    }
    for (unsigned off = 0; off < size; off += r->width)
        hw_portbus_out(bus, (uint16_t)(port + off), r->width, (value >> (8 * off)) & all_ones(r->width));
}
