/* Address spaces (placeholder until the MMU): the memory a task may touch. */
#ifndef K_ASPACE_H
#define K_ASPACE_H

#include <stdint.h>

/* A range of user addresses [base, base + size). */
typedef struct k_region {
    uintptr_t base;
    uintptr_t size;
} k_region_t;

/* The program image's read-only ranges (code and constants), which every
 * task can read, as if the loader mapped them read-only into each space. */
#define ASPACE_IMAGE_REGIONS 4

/* For now a task owns exactly one writable range, and may read its own range
 * and the image. The MMU issue replaces this with page tables; every check of
 * a user pointer already goes through here. */
typedef struct aspace {
    k_region_t own;
} aspace_t;

void aspace_init(aspace_t *as, uintptr_t base, uintptr_t size);

/* Sets the image's read-only ranges (at boot; up to ASPACE_IMAGE_REGIONS). */
void aspace_set_image(const k_region_t *regions, unsigned n);

/* True if [addr, addr + len) lies wholly in memory the space may write. */
int aspace_writable(const aspace_t *as, uintptr_t addr, uint64_t len);
/* True if it lies wholly in memory the space may read (its own or the image). */
int aspace_readable(const aspace_t *as, uintptr_t addr, uint64_t len);

#endif
