/* The simulated MMU: physical memory, the x86-64 page walk, and the hosted TLB. */
#ifndef HW_MMU_H
#define HW_MMU_H

#include <stdint.h>

/*
 * Physical memory is one host memory file (memfd); a physical address is an
 * offset in it. The simulator sees all of it at `map` (what a kernel would
 * call its direct map).
 */
typedef struct hw_physmem {
    int fd;
    uint8_t *map;
    uint64_t size;
} hw_physmem_t;

/* size bytes of zeroed physical memory (a multiple of 4 KiB). 0 or -1 (errno). */
int hw_physmem_init(hw_physmem_t *pm, uint64_t size);
void hw_physmem_fini(hw_physmem_t *pm);

/* Page-table entry bits, as the CPU reads them. */
#define HW_PTE_P 0x1ull
#define HW_PTE_W 0x2ull
#define HW_PTE_U 0x4ull
#define HW_PTE_A 0x20ull
#define HW_PTE_D 0x40ull
#define HW_PTE_PS 0x80ull
#define HW_PTE_NX (1ull << 63)
#define HW_PTE_ADDR 0x000ffffffffff000ull
/* The model's physical address width (MAXPHYADDR): bits 40..51 of an entry
 * are reserved. */
#define HW_MAXPHYADDR 40

/* Page-fault error code bits (and, as an access, what is attempted). */
#define HW_PF_P 0x1u    /* the page was present: a protection violation */
#define HW_PF_W 0x2u    /* a write */
#define HW_PF_U 0x4u    /* from user mode */
#define HW_PF_RSVD 0x8u /* a reserved bit was set in an entry */
#define HW_PF_I 0x10u   /* an instruction fetch */

typedef enum hw_walk_result {
    HW_WALK_OK,
    HW_WALK_PF,           /* #PF, with error */
    HW_WALK_NONCANONICAL, /* #GP: bits 63..47 are not all equal */
} hw_walk_result_t;

/* What a walk found: on success, the physical address and the page's
 * effective rights (every level's); on a #PF, the error code. */
typedef struct hw_walk {
    uint64_t pa;
    uint64_t page_size;
    int writable, user, executable, dirty;
    unsigned error;
} hw_walk_t;

/*
 * Translates va under the tables at cr3 for an access (HW_PF_W, HW_PF_U,
 * HW_PF_I bits), as an x86-64 CPU with CR0.WP, CR4.PAE and EFER.NXE set (no
 * SMEP, SMAP or protection keys): 4 levels, 2 MiB and 1 GiB pages, rights
 * intersected over the levels, the accessed bit set in every entry used and
 * the dirty bit in the last on a write. Entries outside physical memory read
 * as reserved (a real bus would return whatever it returns).
 */
hw_walk_result_t hw_mmu_walk(const hw_physmem_t *pm, uint64_t cr3, uint64_t va, unsigned access, hw_walk_t *w);

/*
 * The hosted TLB. User code reaches simulated memory through host mappings
 * of the memory file in a reserved window of the simulator's address space,
 * at the same virtual addresses as the simulated ones. A page not mapped
 * there is PROT_NONE: the access faults (SIGSEGV), the CPU walks the current
 * tables and either maps the page and restarts the instruction, or raises
 * #PF. Strict mode keeps exactly the current space's pages reachable; fast
 * mode keeps every space's pages until they collide.
 */
typedef struct hw_mmu_space hw_mmu_space_t;

typedef struct hw_mmu {
    hw_physmem_t *pm;
    uintptr_t base, size; /* the window */
    uint64_t cr3;
    int fast;
    uint64_t *slot;              /* per window page: what is mapped there (see mmu.c) */
    hw_mmu_space_t *spaces;      /* the pages each space has mapped */
    unsigned nspaces;
    hw_mmu_space_t *current;
    uint64_t fills, flushes, switches, host_calls; /* counters for bench and docs */
} hw_mmu_t;

/* Reserves the window [base, base + size) (fixed host addresses, PROT_NONE).
 * 0 or -1 (errno: EEXIST if something is already there). */
int hw_mmu_init(hw_mmu_t *mmu, hw_physmem_t *pm, uintptr_t base, uintptr_t size, int fast);
void hw_mmu_fini(hw_mmu_t *mmu);

/* MOV to CR3: the space at root becomes current (0: none, nothing user). */
void hw_mmu_load_cr3(hw_mmu_t *mmu, uint64_t root);

/* INVLPG in the space at root (hosted, any space may hold pages). */
void hw_mmu_invlpg(hw_mmu_t *mmu, uint64_t root, uintptr_t va);

/* A user access to va faulted on the host (access: HW_PF_W, HW_PF_I; HW_PF_U
 * is implied). Returns 0 if the walk succeeded and the page is now mapped
 * (restart the instruction), or the #PF error code (nonzero) to raise. */
unsigned hw_mmu_fill(hw_mmu_t *mmu, uintptr_t va, unsigned access);

/* True if va lies in the window. */
static inline int hw_mmu_in_window(const hw_mmu_t *mmu, uintptr_t va)
{
    return va - mmu->base < mmu->size;
}

#endif
