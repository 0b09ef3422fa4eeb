/* Address spaces (placeholder): range checks for user pointers. */
#include "aspace.h"

static k_region_t image[ASPACE_IMAGE_REGIONS];
static unsigned nimage;

void aspace_init(aspace_t *as, uintptr_t base, uintptr_t size)
{
    as->own = (k_region_t){.base = base, .size = size};
}

void aspace_set_image(const k_region_t *regions, unsigned n)
{
    nimage = n < ASPACE_IMAGE_REGIONS ? n : ASPACE_IMAGE_REGIONS;
    for (unsigned i = 0; i < nimage; i++)
        image[i] = regions[i];
}

static int region_contains(const k_region_t *r, uintptr_t addr, uint64_t len)
{
    if (addr < r->base || len > r->size)
        return 0;
    return addr - r->base <= r->size - len;
}

int aspace_writable(const aspace_t *as, uintptr_t addr, uint64_t len)
{
    return region_contains(&as->own, addr, len);
}

int aspace_readable(const aspace_t *as, uintptr_t addr, uint64_t len)
{
    if (region_contains(&as->own, addr, len))
        return 1;
    for (unsigned i = 0; i < nimage; i++)
        if (region_contains(&image[i], addr, len))
            return 1;
    return 0;
}
