/* Address spaces: a task's page tables, and the checks of every user pointer. */
#include "aspace.h"

#include "arch/arch.h"
#include "cpu.h"
#include "frame.h"
#include "mapdb.h"
#include "ms_abi.h"
#include "object/frames.h"
#include "paging.h"

static k_region_t image[ASPACE_IMAGE_REGIONS];
static unsigned nimage;

static int region_contains(const k_region_t *r, uintptr_t addr, uint64_t len)
{
    if (addr < r->base || len > r->size)
        return 0;
    return addr - r->base <= r->size - len;
}

int aspace_init(aspace_t *as, uintptr_t base, uintptr_t size)
{
    as->own = (k_region_t){.base = base, .size = size};
    as->root = paging_root_create();
    return as->root ? MS_OK : MS_E_NOMEM;
}

static void release_frame(uint64_t pte)
{
    frames_t *f = frames_owner(pte & PTE_ADDR);
    if (f)
        frames_map_unref(f);
}

static void unmap_page(uint64_t root, uintptr_t va);

/* The page at va of root is gone: so is everything derived from it. */
static void revoke(uint64_t root, uintptr_t va)
{
    mapnode_t *n = mapdb_find(root, va);
    if (!n)
        return;
    while (n->first_child)
        unmap_page(n->first_child->root, n->first_child->va);
    if (n->used)
        mapdb_free(n);
}

/* Unmaps one page and, recursively, what was derived from it. */
static void unmap_page(uint64_t root, uintptr_t va)
{
    uint64_t old = paging_set(root, va, 0);
    if (old & PTE_P)
        release_frame(old);
    revoke(root, va);
}

static void release_page(void *ctx, uintptr_t va, uint64_t pte)
{
    release_frame(pte);
    revoke(*(const uint64_t *)ctx, va);
}

void aspace_destroy(aspace_t *as)
{
    if (!as->root)
        return;
    if (k_cpu()->root == as->root) { /* never run on freed page tables */
        arch_page_root_load(0);
        k_cpu()->root = 0;
    }
    paging_root_destroy(as->root, release_page, &as->root);
    as->root = 0;
}

void aspace_set_image(const k_region_t *regions, unsigned n)
{
    nimage = n < ASPACE_IMAGE_REGIONS ? n : ASPACE_IMAGE_REGIONS;
    for (unsigned i = 0; i < nimage; i++)
        image[i] = regions[i];
}

int aspace_owns(const aspace_t *as, uintptr_t addr, uint64_t len)
{
    return region_contains(&as->own, addr, len);
}

/* [va, va + n pages) is page-aligned and inside the user window. */
static int window_range(uintptr_t va, uint64_t n)
{
    if (n == 0 || (va & (MS_PAGE_SIZE - 1)) || va < MS_USER_BASE || va >= MS_USER_END)
        return 0;
    return n <= (MS_USER_END - va) / MS_PAGE_SIZE;
}

static uint64_t pte_bits(unsigned rights)
{
    uint64_t bits = PTE_P | PTE_U;
    if (rights & MS_RIGHT_WRITE)
        bits |= PTE_W;
    if (!(rights & MS_RIGHT_EXEC))
        bits |= PTE_NX;
    return bits;
}

static uint64_t may_bits(unsigned may_rights)
{
    return ((may_rights & MS_RIGHT_WRITE) ? PTE_MAY_W : 0) | ((may_rights & MS_RIGHT_EXEC) ? PTE_MAY_X : 0);
}

int aspace_map(aspace_t *as, uintptr_t va, frames_t *f, uint64_t first, uint64_t n, unsigned rights,
               unsigned may_rights, int preset_ad)
{
    if (!window_range(va, n) || !(rights & MS_RIGHT_READ))
        return MS_E_INVAL;
    if (first > f->npages || n > f->npages - first)
        return MS_E_RANGE;
    for (uint64_t i = 0; i < n; i++)
        if (paging_lookup(as->root, va + i * MS_PAGE_SIZE) & PTE_P)
            return MS_E_INVAL;
    uint64_t bits = pte_bits(rights) | may_bits(may_rights | rights) | (preset_ad ? PTE_A | PTE_D : 0);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa = f->pa + (first + i) * MS_PAGE_SIZE;
        int err = paging_map(as->root, va + i * MS_PAGE_SIZE, pa | bits);
        if (err != MS_OK) {
            aspace_unmap(as, va, i);
            return err;
        }
        frames_map_ref(f);
    }
    return MS_OK;
}

int aspace_unmap(aspace_t *as, uintptr_t va, uint64_t n)
{
    if (!window_range(va, n))
        return MS_E_INVAL;
    for (uint64_t i = 0; i < n; i++)
        unmap_page(as->root, va + i * MS_PAGE_SIZE);
    return MS_OK;
}

int aspace_protect(aspace_t *as, uintptr_t va, uint64_t n, unsigned rights)
{
    if (!window_range(va, n) || !(rights & MS_RIGHT_READ))
        return MS_E_INVAL;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pte = paging_lookup(as->root, va + i * MS_PAGE_SIZE);
        if (!(pte & PTE_P))
            return MS_E_INVAL;
        if (((rights & MS_RIGHT_WRITE) && !(pte & PTE_MAY_W)) || ((rights & MS_RIGHT_EXEC) && !(pte & PTE_MAY_X)))
            return MS_E_RIGHTS;
    }
    for (uint64_t i = 0; i < n; i++) {
        uintptr_t at = va + i * MS_PAGE_SIZE;
        uint64_t pte = paging_lookup(as->root, at);
        uint64_t keep = pte & (PTE_ADDR | PTE_A | PTE_D | PTE_MAY_W | PTE_MAY_X);
        paging_set(as->root, at, keep | pte_bits(rights));
    }
    return MS_OK;
}

uint64_t aspace_user_pa(const aspace_t *as, uintptr_t va, int write)
{
    return paging_user_access(as->root, va, write);
}

const void *aspace_image(uintptr_t addr, uint64_t len)
{
    for (unsigned i = 0; i < nimage; i++)
        if (region_contains(&image[i], addr, len))
            return (const void *)addr;
    return 0;
}

/* The rights (MS_RIGHT_*) a map item's flags ask for. */
static unsigned item_rights(uint64_t flags)
{
    return ((flags & MS_MAP_READ) ? MS_RIGHT_READ : 0) | ((flags & MS_MAP_WRITE) ? MS_RIGHT_WRITE : 0) |
           ((flags & MS_MAP_EXEC) ? MS_RIGHT_EXEC : 0);
}

int aspace_check_item(const aspace_t *as, uint64_t addr_flags, uint64_t n)
{
    uintptr_t va = addr_flags & ~(uint64_t)MS_MAP_FLAGS;
    uint64_t flags = addr_flags & MS_MAP_FLAGS;
    if (!window_range(va, n) || (flags & ~(uint64_t)(MS_MAP_READ | MS_MAP_WRITE | MS_MAP_EXEC | MS_MAP_GRANT)) ||
        !(flags & MS_MAP_READ))
        return MS_E_INVAL;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pte = paging_lookup(as->root, va + i * MS_PAGE_SIZE);
        if (!(pte & PTE_P))
            return MS_E_INVAL;
        if (((flags & MS_MAP_WRITE) && !(pte & PTE_W)) || ((flags & MS_MAP_EXEC) && (pte & PTE_NX)))
            return MS_E_RIGHTS;
    }
    return MS_OK;
}

int aspace_map_item(aspace_t *src, uint64_t addr_flags, uint64_t n, aspace_t *dst, uintptr_t dst_va)
{
    if (aspace_check_item(src, addr_flags, n) != MS_OK || !window_range(dst_va, n))
        return MS_E_INVAL;
    uintptr_t va = addr_flags & ~(uint64_t)MS_MAP_FLAGS;
    int grant = (addr_flags & MS_MAP_GRANT) != 0;
    unsigned rights = item_rights(addr_flags);
    for (uint64_t i = 0; i < n; i++)
        if (paging_lookup(dst->root, dst_va + i * MS_PAGE_SIZE) & PTE_P)
            return MS_E_INVAL;
    for (uint64_t i = 0; i < n; i++) {
        uintptr_t from = va + i * MS_PAGE_SIZE, to = dst_va + i * MS_PAGE_SIZE;
        uint64_t pte = paging_lookup(src->root, from);
        int err = paging_map(dst->root, to, (pte & PTE_ADDR) | pte_bits(rights) | may_bits(rights));
        if (err == MS_OK && !grant && (err = mapdb_derive(src->root, from, dst->root, to)) != MS_OK)
            paging_set(dst->root, to, 0);
        if (err != MS_OK) {
            aspace_unmap(dst, dst_va, i);
            return err;
        }
        frames_map_ref(frames_owner(pte & PTE_ADDR));
    }
    for (uint64_t i = 0; grant && i < n; i++) { /* the pages move; what derives from them stays derived */
        uintptr_t from = va + i * MS_PAGE_SIZE;
        release_frame(paging_set(src->root, from, 0));
        mapdb_move(src->root, from, dst->root, dst_va + i * MS_PAGE_SIZE);
    }
    return MS_OK;
}
