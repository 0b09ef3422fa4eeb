/* x86-64 page tables, built and read by the kernel: the same code on every machine. */
#ifndef K_PAGING_H
#define K_PAGING_H

#include <stdint.h>

/*
 * Four levels of 512 entries (PML4, PDPT, PD, PT), 4 KiB pages, in physical
 * memory that the kernel reaches through frame_ptr(). The kernel maps only
 * user pages, only inside the user window [MS_USER_BASE, MS_USER_END); the
 * top-level entries above it are the port's (arch_page_root_init).
 */
#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_A 0x20ull
#define PTE_D 0x40ull
#define PTE_PS 0x80ull
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
/* Bits the hardware ignores, where the kernel keeps what a mapping could be
 * raised to by protect: the rights of the frames it came from. */
#define PTE_MAY_W (1ull << 52)
#define PTE_MAY_X (1ull << 53)

/* A new, empty address space: its PML4's physical address, or 0 (no memory). */
uint64_t paging_root_create(void);

/* Frees the space's page tables; release(ctx, va, pte) is called first for
 * every page still mapped, which the TLB then forgets. */
void paging_root_destroy(uint64_t root, void (*release)(void *ctx, uintptr_t va, uint64_t pte), void *ctx);

/* Maps the page at va to pte (the frame's address and its bits, PTE_P set).
 * MS_OK, MS_E_INVAL if va is already mapped, MS_E_NOMEM if a table is
 * missing and no frame is left for it. */
int paging_map(uint64_t root, uintptr_t va, uint64_t pte);

/* The entry of the page at va (0 if not mapped). */
uint64_t paging_lookup(uint64_t root, uintptr_t va);

/* Replaces the entry of a mapped page (unmap: 0); returns the old one. The
 * TLB forgets the page. */
uint64_t paging_set(uint64_t root, uintptr_t va, uint64_t pte);

/*
 * Translates a user access to va as the MMU would: the page must be present,
 * user, and writable for a write, at every level; the accessed bit (and for
 * a write the dirty bit) is set. Returns the physical address, or 0 when the
 * access would fault.
 */
uint64_t paging_user_access(uint64_t root, uintptr_t va, int write);

/* Calls fn(ctx, va, pte) for every mapped page of the user window, in
 * address order. */
void paging_each(uint64_t root, void (*fn)(void *ctx, uintptr_t va, uint64_t pte), void *ctx);

#endif
