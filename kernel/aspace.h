/* Address spaces: a task's page tables, and the checks of every user pointer. */
#ifndef K_ASPACE_H
#define K_ASPACE_H

#include <stdint.h>

struct frames;

/* A range of user addresses [base, base + size). */
typedef struct k_region {
    uintptr_t base;
    uintptr_t size;
} k_region_t;

/* The program image's read-only ranges (code and constants) when the port
 * keeps them outside the page tables (hosted: in the simulator's executable,
 * readable by every task as if mapped read-only into each space). */
#define ASPACE_IMAGE_REGIONS 4

/*
 * A task's address space: the root of its x86-64 page tables (kernel/paging.c)
 * and the range the loader gave it, where its threads' stacks and IPC
 * buffers must lie. Whether a page is there, and what a task may do with it,
 * is only what the page tables say.
 */
typedef struct aspace {
    uint64_t root; /* physical address of the PML4 */
    k_region_t own;
} aspace_t;

/* A new, empty space owning [base, base + size). MS_OK or MS_E_NOMEM. */
int aspace_init(aspace_t *as, uintptr_t base, uintptr_t size);

/* Unmaps everything and frees the page tables. */
void aspace_destroy(aspace_t *as);

/* Sets the image's read-only ranges (at boot; up to ASPACE_IMAGE_REGIONS). */
void aspace_set_image(const k_region_t *regions, unsigned n);

/* True if [addr, addr + len) lies in the range the space was given. */
int aspace_owns(const aspace_t *as, uintptr_t addr, uint64_t len);

/*
 * Maps n pages of frames f, from its page first, at va with rights
 * (MS_RIGHT_READ, WRITE, EXEC), which the caller checked against its handle;
 * may_rights is what protect may raise them to later. preset_ad marks the
 * pages accessed and dirty, as a loader may. MS_OK, MS_E_INVAL (va not page
 * aligned or outside the user window, a page already mapped: nothing is
 * mapped then), MS_E_RANGE (past the frames' end) or MS_E_NOMEM.
 */
int aspace_map(aspace_t *as, uintptr_t va, struct frames *f, uint64_t first, uint64_t n, unsigned rights,
               unsigned may_rights, int preset_ad);

/* Unmaps the mapped pages of [va, va + n pages). MS_OK or MS_E_INVAL. */
int aspace_unmap(aspace_t *as, uintptr_t va, uint64_t n);

/* Sets the rights of n mapped pages. MS_OK, MS_E_INVAL (a page not mapped,
 * READ missing) or MS_E_RIGHTS (more than its frames allowed); on an error
 * nothing changes. */
int aspace_protect(aspace_t *as, uintptr_t va, uint64_t n, unsigned rights);

/* A map item's source: n pages at the address in addr_flags (MS_MAP_* flags
 * in its low bits), all mapped in as with the rights asked. MS_OK,
 * MS_E_INVAL or MS_E_RIGHTS. */
int aspace_check_item(const aspace_t *as, uint64_t addr_flags, uint64_t n);

/* Delivers a map item from src to dst_va of dst, whose n pages must be
 * unmapped: mapped pages derive from src's (mapdb), granted ones leave src.
 * MS_OK, or an error with nothing changed (MS_E_INVAL, MS_E_NOMEM). */
int aspace_map_item(aspace_t *src, uint64_t addr_flags, uint64_t n, aspace_t *dst, uintptr_t dst_va);

/* The physical address behind a user access (a write, or a read), checked
 * and recorded (accessed and dirty bits) as the MMU would; 0 if it faults. */
uint64_t aspace_user_pa(const aspace_t *as, uintptr_t va, int write);

/* A kernel pointer to [addr, addr + len) of the read-only image, or NULL. */
const void *aspace_image(uintptr_t addr, uint64_t len);

#endif
