/* The port's part of paging: the kernel half of every space, the direct map, CR3 loads and TLB flushes. */
#include "arch/arch.h"
#include "x86.h"
#include "x86_64.h"

/*
 * The kernel core builds every task's page tables (kernel/paging.c), with
 * user pages only in the user window (under PML4 entry 0). The port adds the
 * same kernel half to each: PML4 entry 511 points at one PDPT, shared by
 * every space, whose entry 510 maps the first GiB of physical memory at
 * X86_KERNEL_BASE in 2 MiB pages, supervisor only (no PTE_U: ring 3 faults on
 * it). The kernel runs there and reaches all physical memory through it.
 *
 * These tables live in the kernel's .bss, inside the image, so they are never
 * among the frames the core hands out; the core never frees them (its walks
 * stop at the user window). kernel_pml4 is the kernel's own space, with no
 * user pages: the root the core loads as 0.
 */
#define PTE_P 0x1ull
#define PTE_W 0x2ull
#define PTE_PS 0x80ull
#define TABLE_ENTRIES 512u
#define LARGE_PAGE (1ull << 21)
#define KERNEL_PML4_SLOT ((X86_KERNEL_BASE >> 39) & (TABLE_ENTRIES - 1)) /* 511 */
#define KERNEL_PDPT_SLOT ((X86_KERNEL_BASE >> 30) & (TABLE_ENTRIES - 1)) /* 510 */

_Static_assert(X86_DIRECT_MAP_SIZE == TABLE_ENTRIES * LARGE_PAGE, "one page directory maps the direct map");

static uint64_t kernel_pml4[TABLE_ENTRIES] __attribute__((aligned(X86_PAGE_SIZE)));
static uint64_t kernel_pdpt[TABLE_ENTRIES] __attribute__((aligned(X86_PAGE_SIZE)));
static uint64_t kernel_pd[TABLE_ENTRIES] __attribute__((aligned(X86_PAGE_SIZE)));

/* The frames the core may hand out: [frames_base, frames_end). */
static uint64_t frames_base, frames_end;

/* The physical address of a kernel static (linked at X86_KERNEL_BASE + pa). */
static uint64_t kernel_pa(const void *p)
{
    return (uint64_t)(uintptr_t)p - X86_KERNEL_BASE;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* The kernel half: the first GiB in 2 MiB pages, supervisor read-write. */
static void build_kernel_half(void)
{
    for (uint64_t i = 0; i < TABLE_ENTRIES; i++)
        kernel_pd[i] = (i * LARGE_PAGE) | PTE_P | PTE_W | PTE_PS;
    kernel_pdpt[KERNEL_PDPT_SLOT] = kernel_pa(kernel_pd) | PTE_P | PTE_W;
    arch_page_root_init(kernel_pml4);
}

void x86_paging_init(uint64_t phys_end)
{
    build_kernel_half();
    /* From here on boot.S's tables (and their identity map of the first GiB)
     * are unused: a real CPU flushes every non-global TLB entry on the load. */
    write_cr3(kernel_pa(kernel_pml4));
    frames_base = align_up(image_phys_end(), X86_PAGE_SIZE);
    frames_end = (phys_end < X86_DIRECT_MAP_SIZE ? phys_end : X86_DIRECT_MAP_SIZE) & ~(uint64_t)(X86_PAGE_SIZE - 1);
    if (frames_end < frames_base)
        frames_end = frames_base;
}

/* ---- the arch interface ---- */

/* Everything after the image (the kernel with these tables, then the user
 * image) up to the end of RAM, within the direct map. Below 1 MiB lie the
 * BIOS areas and the Multiboot loader's data; boot.S's tables and stack are
 * at 1 MiB, under the kernel. */
void arch_phys_memory(uint64_t *base, uint64_t *size)
{
    *base = frames_base;
    *size = frames_end - frames_base;
}

void *arch_phys_to_kernel(uint64_t pa)
{
    return phys_to_virt(pa);
}

/* Every space shares the kernel's PDPT: the kernel half is the same
 * everywhere, and a CR3 load never loses the kernel's own mappings. */
void arch_page_root_init(uint64_t *pml4)
{
    pml4[KERNEL_PML4_SLOT] = kernel_pa(kernel_pdpt) | PTE_P | PTE_W;
}

/* Writing CR3 flushes the TLB (every entry: the kernel's are not global), so
 * an unchanged root is not reloaded. */
void arch_page_root_load(uint64_t root)
{
    uint64_t cr3 = root ? root : kernel_pa(kernel_pml4);
    if (read_cr3() != cr3) {
        write_cr3(cr3);
        x86_space_changed();
    }
}

/* Without PCIDs the TLB holds only the loaded space's entries: a space that
 * is not loaded has nothing to forget. */
void arch_tlb_flush_page(uint64_t root, uintptr_t va)
{
    if (root == read_cr3())
        __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}
