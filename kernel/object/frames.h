/* Frames objects: runs of physical page frames that a handle lets a task map. */
#ifndef K_FRAMES_H
#define K_FRAMES_H

#include <stdint.h>

#include "kobject.h"

#define K_MAX_FRAMES_OBJECTS 256

/*
 * npages contiguous frames from pa, zero-filled when made. Every handle holds
 * a reference, and the object holds one more on itself while any of its
 * pages is mapped (mapped counts them), so frames are never freed while an
 * address space can still reach them.
 */
typedef struct frames {
    kobject_t obj;
    uint64_t pa;
    unsigned npages;
    unsigned mapped;
    int adopted; /* frames the allocator never had (a loaded image): never freed,
                  * held by the kernel (one reference) */
    unsigned seen; /* scratch of the invariant checker: mapped pages it found */
} frames_t;

void frames_pool_reset(void);

/* New frames from the physical allocator; NULL if no object or no run of
 * npages frames is free. The caller takes the first reference. */
frames_t *frames_create(unsigned npages);
void frames_destroy(frames_t *f);

/* An object for frames already in use that the allocator does not manage
 * (the program image a port loaded); NULL if the pool is empty. */
frames_t *frames_adopt(uint64_t pa, unsigned npages);

/* The object a mapped frame belongs to (NULL: none, a kernel frame). */
frames_t *frames_owner(uint64_t pa);

/* One of its pages was mapped, or unmapped. */
void frames_map_ref(frames_t *f);
void frames_map_unref(frames_t *f);

frames_t *frames_pool_at(unsigned i);

#endif
