/* Physical frames and page tables (the port's own until the MMU issue brings the kernel's portable paging code). */
#include "rt.h"
#include "x86_64.h"

#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_U 0x4ull
#define PTE_PS 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull
#define KERNEL_WINDOW (1ull << 30) /* physical memory the kernel sees at X86_KERNEL_BASE */

static uintptr_t next_frame, frames_end;
static uintptr_t kernel_pdpt; /* shared by every space: PML4 slot 511 */

static uintptr_t align_up(uintptr_t v, uintptr_t a)
{
    return (v + a - 1) & ~(a - 1);
}

uintptr_t paging_alloc(size_t bytes)
{
    uintptr_t size = align_up(bytes, X86_PAGE_SIZE);
    if (size > frames_end - next_frame)
        return 0;
    uintptr_t pa = next_frame;
    next_frame += size;
    rt_memset(phys_to_virt(pa), 0, size);
    return pa;
}

/* The kernel half: the first GiB of physical memory at X86_KERNEL_BASE in
 * 2 MiB pages, supervisor only (the kernel image is inside it). */
void paging_init(uintptr_t phys_start, uintptr_t phys_end)
{
    next_frame = align_up(phys_start, X86_PAGE_SIZE);
    frames_end = phys_end < KERNEL_WINDOW ? phys_end & ~(uintptr_t)(X86_PAGE_SIZE - 1) : KERNEL_WINDOW;
    kernel_pdpt = paging_alloc(X86_PAGE_SIZE);
    uintptr_t pd = paging_alloc(X86_PAGE_SIZE);
    if (!kernel_pdpt || !pd)
        return;
    uint64_t *dir = phys_to_virt(pd);
    for (uint64_t i = 0; i < 512; i++)
        dir[i] = (i << 21) | PTE_P | PTE_W | PTE_PS;
    ((uint64_t *)phys_to_virt(kernel_pdpt))[(X86_KERNEL_BASE >> 30) & 511] = pd | PTE_P | PTE_W;
}

/* The table that entry idx of table points to, made if missing. Intermediate
 * entries allow everything; the last level decides. */
static uint64_t *next_table(uint64_t *table, unsigned idx)
{
    if (!(table[idx] & PTE_P)) {
        uintptr_t pa = paging_alloc(X86_PAGE_SIZE);
        if (!pa)
            return NULL;
        table[idx] = pa | PTE_P | PTE_W | PTE_U;
    }
    return phys_to_virt(table[idx] & PTE_ADDR);
}

static int map_page(uint64_t *pml4, uintptr_t va, uintptr_t pa, uint64_t flags)
{
    uint64_t *t = pml4;
    for (unsigned shift = 39; shift > 12; shift -= 9)
        if (!(t = next_table(t, (va >> shift) & 511)))
            return -1;
    t[(va >> 12) & 511] = pa | flags | PTE_P;
    return 0;
}

static int map_range(uint64_t *pml4, uintptr_t va, uintptr_t pa, uintptr_t size, uint64_t flags)
{
    for (uintptr_t off = 0; off < size; off += X86_PAGE_SIZE)
        if (map_page(pml4, va + off, pa + off, flags) != 0)
            return -1;
    return 0;
}

uintptr_t paging_new_space(uintptr_t va, uintptr_t pa, uintptr_t size)
{
    uintptr_t root = paging_alloc(X86_PAGE_SIZE);
    if (!root)
        return 0;
    uint64_t *pml4 = phys_to_virt(root);
    pml4[511] = kernel_pdpt | PTE_P | PTE_W;
    uintptr_t image = image_user_start();
    if (map_range(pml4, image, image_user_phys(), align_up(image_user_end() - image, X86_PAGE_SIZE), PTE_U) != 0)
        return 0;
    if (size && map_range(pml4, va, pa, align_up(size, X86_PAGE_SIZE), PTE_U | PTE_W) != 0)
        return 0;
    return root;
}
