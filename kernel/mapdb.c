/* The mapping database: which mapped pages were derived from which, for revocation. */
#include "mapdb.h"

#include "ms_abi.h"
#include "rt.h"

static mapnode_t pool[K_MAX_MAPNODES];
static unsigned nused;

void mapdb_reset(void)
{
    rt_memset(pool, 0, sizeof pool);
    nused = 0;
}

mapnode_t *mapdb_find(uint64_t root, uintptr_t va)
{
    if (nused == 0)
        return NULL;
    for (unsigned i = 0; i < K_MAX_MAPNODES; i++)
        if (pool[i].used && pool[i].root == root && pool[i].va == va)
            return &pool[i];
    return NULL;
}

static mapnode_t *alloc_node(uint64_t root, uintptr_t va)
{
    for (unsigned i = 0; i < K_MAX_MAPNODES; i++) {
        if (!pool[i].used) {
            pool[i] = (mapnode_t){.root = root, .va = va, .used = 1};
            nused++;
            return &pool[i];
        }
    }
    return NULL;
}

int mapdb_derive(uint64_t src_root, uintptr_t src_va, uint64_t dst_root, uintptr_t dst_va)
{
    mapnode_t *parent = mapdb_find(src_root, src_va);
    int made = !parent;
    if (made && !(parent = alloc_node(src_root, src_va)))
        return MS_E_NOMEM;
    mapnode_t *child = alloc_node(dst_root, dst_va);
    if (!child) {
        if (made)
            mapdb_free(parent);
        return MS_E_NOMEM;
    }
    child->parent = parent;
    child->next_sibling = parent->first_child;
    parent->first_child = child;
    return MS_OK;
}

void mapdb_move(uint64_t root, uintptr_t va, uint64_t new_root, uintptr_t new_va)
{
    mapnode_t *n = mapdb_find(root, va);
    if (n) {
        n->root = new_root;
        n->va = new_va;
    }
}

void mapdb_free(mapnode_t *n)
{
    if (n->parent) {
        mapnode_t **link = &n->parent->first_child;
        while (*link != n)
            link = &(*link)->next_sibling;
        *link = n->next_sibling;
        mapnode_t *p = n->parent;
        if (!p->parent && !p->first_child)
            mapdb_free(p); /* a root with nothing derived left needs no node */
    }
    *n = (mapnode_t){0};
    nused--;
}

unsigned mapdb_used(void)
{
    return nused;
}

mapnode_t *mapdb_at(unsigned i)
{
    return i < K_MAX_MAPNODES && pool[i].used ? &pool[i] : NULL;
}
