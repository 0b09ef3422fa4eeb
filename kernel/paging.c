/* x86-64 page tables, built and read by the kernel: the same code on every machine. */
#include "paging.h"

#include "arch/arch.h"
#include "frame.h"
#include "ms_abi.h"

#define LEVELS 4
#define TABLE_ENTRIES 512u
/* Intermediate entries allow everything; the leaf decides. */
#define TABLE_FLAGS (PTE_P | PTE_W | PTE_U)

static unsigned index_at(uintptr_t va, unsigned level)
{
    return (unsigned)(va >> (12 + 9 * (LEVELS - 1 - level))) & (TABLE_ENTRIES - 1);
}

static uint64_t *table(uint64_t pa)
{
    return frame_ptr(pa & PTE_ADDR);
}

uint64_t paging_root_create(void)
{
    uint64_t root = frame_alloc(1);
    if (root)
        arch_page_root_init(table(root));
    return root;
}

/* The leaf entry for va; with create, missing tables are made. NULL if a
 * table is missing (and could not be made). */
static uint64_t *leaf(uint64_t root, uintptr_t va, int create)
{
    uint64_t *t = table(root);
    for (unsigned level = 0; level < LEVELS - 1; level++) {
        uint64_t *e = &t[index_at(va, level)];
        if (!(*e & PTE_P)) {
            uint64_t pa = create ? frame_alloc(1) : 0;
            if (!pa)
                return NULL;
            *e = pa | TABLE_FLAGS;
        }
        t = table(*e);
    }
    return &t[index_at(va, LEVELS - 1)];
}

int paging_map(uint64_t root, uintptr_t va, uint64_t pte)
{
    uint64_t *e = leaf(root, va, 1);
    if (!e)
        return MS_E_NOMEM;
    if (*e & PTE_P)
        return MS_E_INVAL;
    *e = pte;
    return MS_OK;
}

uint64_t paging_lookup(uint64_t root, uintptr_t va)
{
    uint64_t *e = leaf(root, va, 0);
    return e ? *e : 0;
}

uint64_t paging_set(uint64_t root, uintptr_t va, uint64_t pte)
{
    uint64_t *e = leaf(root, va, 0);
    if (!e)
        return 0;
    uint64_t old = *e;
    *e = pte;
    if (old & PTE_P)
        arch_tlb_flush_page(root, va);
    return old;
}

uint64_t paging_user_access(uint64_t root, uintptr_t va, int write)
{
    if (va < MS_USER_BASE || va >= MS_USER_END)
        return 0;
    uint64_t *t = table(root);
    uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
    for (unsigned level = 0; level < LEVELS; level++) {
        uint64_t *e = &t[index_at(va, level)];
        if ((*e & need) != need || (*e & PTE_PS))
            return 0;
        *e |= PTE_A;
        if (level == LEVELS - 1) {
            if (write)
                *e |= PTE_D;
            return (*e & PTE_ADDR) | (va & (K_PAGE_SIZE - 1));
        }
        t = table(*e);
    }
    return 0;
}

typedef struct walker {
    uint64_t root;
    void (*fn)(void *ctx, uintptr_t va, uint64_t pte);
    void *ctx;
    int destroy; /* free the tables (and flush each page) on the way back */
} walker_t;

/* The entries of a table at level covering from va that reach into the
 * user window: [*first, *end). */
static void window_entries(unsigned level, uintptr_t va, unsigned *first, unsigned *end)
{
    unsigned span = 12 + 9 * (LEVELS - 1 - level);
    uintptr_t top = va + ((uintptr_t)TABLE_ENTRIES << span);
    uintptr_t lo = MS_USER_BASE > va ? MS_USER_BASE : va;
    uintptr_t hi = MS_USER_END < top ? MS_USER_END : top;
    *first = lo < hi ? (unsigned)((lo - va) >> span) : 0;
    *end = lo < hi ? (unsigned)(((hi - 1 - va) >> span) + 1) : 0;
}

/* Visits the user pages under table t (at level, covering from va); the
 * entries outside the window are the port's. */
static void walk(const walker_t *w, uint64_t *t, unsigned level, uintptr_t va)
{
    unsigned span = 12 + 9 * (LEVELS - 1 - level);
    unsigned first, end;
    window_entries(level, va, &first, &end);
    for (unsigned i = first; i < end; i++) {
        if (!(t[i] & PTE_P))
            continue;
        uintptr_t at = va + ((uintptr_t)i << span);
        if (level == LEVELS - 1) {
            if (w->fn)
                w->fn(w->ctx, at, t[i]);
            if (w->destroy)
                arch_tlb_flush_page(w->root, at);
            continue;
        }
        walk(w, table(t[i]), level + 1, at);
        if (w->destroy) {
            frame_free(t[i] & PTE_ADDR, 1);
            t[i] = 0;
        }
    }
}

void paging_each(uint64_t root, void (*fn)(void *ctx, uintptr_t va, uint64_t pte), void *ctx)
{
    walker_t w = {.root = root, .fn = fn, .ctx = ctx};
    walk(&w, table(root), 0, 0);
}

void paging_root_destroy(uint64_t root, void (*release)(void *ctx, uintptr_t va, uint64_t pte), void *ctx)
{
    walker_t w = {.root = root, .fn = release, .ctx = ctx, .destroy = 1};
    walk(&w, table(root), 0, 0);
    frame_free(root, 1);
}
