/* I/O port range objects. */
#include "object/ioport.h"

#include "arch/arch.h"
#include "handle.h"
#include "list.h"
#include "rt.h"

static ioport_t pool[K_MAX_IOPORTS];
static uint32_t next_id = 1;

unsigned ioport_ranges_of(const handle_table_t *ht, arch_io_range_t *out)
{
    unsigned n = 0;
    for (unsigned h = 0; h < MS_HANDLES_PER_TASK && n < ARCH_IO_RANGES_MAX; h++) {
        const kobject_t *obj = ht->slot[h].obj;
        if (obj && obj->type == KOBJ_IOPORT) {
            const ioport_t *io = K_CONTAINER_OF(obj, ioport_t, obj);
            out[n++] = (arch_io_range_t){.first = io->first, .last = io->last};
        }
    }
    return n;
}

void ioport_pool_reset(void)
{
    rt_memset(pool, 0, sizeof pool);
    next_id = 1;
}

ioport_t *ioport_create(uint16_t first, uint16_t last)
{
    if (first > last)
        return NULL;
    for (unsigned i = 0; i < K_MAX_IOPORTS; i++) {
        if (pool[i].obj.type != KOBJ_NONE)
            continue;
        kobject_init(&pool[i].obj, KOBJ_IOPORT, next_id++);
        pool[i].first = first;
        pool[i].last = last;
        return &pool[i];
    }
    return NULL;
}

void ioport_destroy(ioport_t *io)
{
    io->obj.type = KOBJ_NONE;
}

ioport_t *ioport_pool_at(unsigned i)
{
    return i < K_MAX_IOPORTS && pool[i].obj.type == KOBJ_IOPORT ? &pool[i] : NULL;
}
