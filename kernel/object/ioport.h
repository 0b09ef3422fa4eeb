/* I/O port ranges as objects: a task holding one may use in/out on those ports, like the TSS bitmap. */
#ifndef K_IOPORT_H
#define K_IOPORT_H

#include <stdint.h>

#include "kobject.h"

#define K_MAX_IOPORTS 16

typedef struct ioport {
    kobject_t obj;
    uint16_t first, last;
} ioport_t;

/* A range [first, last], or NULL if the pool is empty or the range empty. */
ioport_t *ioport_create(uint16_t first, uint16_t last);
void ioport_destroy(ioport_t *io);

struct handle_table;
struct arch_io_range;

/* The port ranges the I/O port handles in ht grant (at most
 * ARCH_IO_RANGES_MAX, the first found). Returns how many. */
unsigned ioport_ranges_of(const struct handle_table *ht, struct arch_io_range *out);

void ioport_pool_reset(void);
ioport_t *ioport_pool_at(unsigned i);

#endif
