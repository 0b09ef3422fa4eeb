/* The mapping database: which mapped pages were derived from which, for revocation. */
#ifndef K_MAPDB_H
#define K_MAPDB_H

#include <stdint.h>

#define K_MAX_MAPNODES 4096

/*
 * A page mapped by a map item in a message is derived from the sender's
 * page, as in L4: unmapping a page unmaps everything derived from it, at any
 * depth. Only pages that were given or received this way have a node; a node
 * names a page by its address space (the root of its page tables) and
 * address.
 */
typedef struct mapnode {
    uint64_t root;
    uintptr_t va;
    struct mapnode *parent, *first_child, *next_sibling;
    uint8_t used;
} mapnode_t;

void mapdb_reset(void);

/* The node of the page at va of root, or NULL if it has none. */
mapnode_t *mapdb_find(uint64_t root, uintptr_t va);

/* Records that (dst_root, dst_va) derives from (src_root, src_va). MS_OK,
 * or MS_E_NOMEM if no node is left (nothing recorded then). */
int mapdb_derive(uint64_t src_root, uintptr_t src_va, uint64_t dst_root, uintptr_t dst_va);

/* The page (root, va) moved to (new_root, new_va) (a grant): its node, and
 * so what derives from it, follows. */
void mapdb_move(uint64_t root, uintptr_t va, uint64_t new_root, uintptr_t new_va);

/* Forgets node n, which must have no children left. */
void mapdb_free(mapnode_t *n);

/* Nodes in use (for tests and the invariant checker), and node i of the
 * pool if it is in use (NULL otherwise). */
unsigned mapdb_used(void);
mapnode_t *mapdb_at(unsigned i);

#endif
