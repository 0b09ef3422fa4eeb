/* The port I/O bus: in/out of 8, 16 or 32 bits reach the device that claimed the port. */
#ifndef HW_PORTBUS_H
#define HW_PORTBUS_H

#include <stdbool.h>
#include <stdint.h>

#define HW_PORTBUS_PORTS 65536u
#define HW_PORTBUS_MAX_RANGES 32u

/* A device's side of the bus. size is 1, 2 or 4 and never more than the
 * range's width; the value is in the low size bytes. */
typedef uint32_t hw_port_read_fn(void *ctx, uint16_t port, unsigned size);
typedef void hw_port_write_fn(void *ctx, uint16_t port, unsigned size, uint32_t value);

/* Called once per port the first time anything reads or writes it unclaimed. */
typedef void hw_port_unclaimed_fn(void *ctx, uint16_t port, unsigned size, bool write);

/*
 * Ports first..last belong to one device. width is the device's data path in
 * bytes (1 for the PC's 8-bit ISA devices): a wider access is split, as a PC's
 * bus splits a 16-bit `in` to an 8-bit device into two cycles at port and
 * port+1, and each piece is routed by its own port. A NULL read or write
 * leaves that direction undecoded: reads float to all ones, writes are lost.
 */
typedef struct hw_port_range {
    uint16_t first, last;
    uint8_t width;
    hw_port_read_fn *read;
    hw_port_write_fn *write;
    void *ctx;
} hw_port_range_t;

typedef struct hw_portbus {
    hw_port_range_t ranges[HW_PORTBUS_MAX_RANGES];
    unsigned nranges;
    hw_port_unclaimed_fn *unclaimed; /* may be NULL */
    void *unclaimed_ctx;
    uint64_t reported[HW_PORTBUS_PORTS / 64]; /* unclaimed ports already reported */
} hw_portbus_t;

/* An empty bus; unclaimed (may be NULL) hears of each unclaimed port once. */
void hw_portbus_init(hw_portbus_t *bus, hw_port_unclaimed_fn *unclaimed, void *ctx);

/* Claims range->first..last for a device. 0, or -1 if the range is empty or
 * wraps, its width is not 1, 2 or 4, it overlaps a claimed port, or the bus
 * is full. */
int hw_portbus_register(hw_portbus_t *bus, const hw_port_range_t *range);

/* An `in` of size 1, 2 or 4 bytes. An unclaimed port reads all ones
 * (0xff, 0xffff, 0xffffffff), as an undriven ISA bus does. */
uint32_t hw_portbus_in(hw_portbus_t *bus, uint16_t port, unsigned size);

/* An `out` of the low size (1, 2 or 4) bytes of value; dropped if unclaimed. */
void hw_portbus_out(hw_portbus_t *bus, uint16_t port, unsigned size, uint32_t value);

#endif
