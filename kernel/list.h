/* Intrusive doubly linked lists: the run queues, endpoint queues and thread lists. */
#ifndef K_LIST_H
#define K_LIST_H

#include <stddef.h>

typedef struct k_link {
    struct k_link *next, *prev;
} k_link_t;

/* A list is a sentinel link; empty when it points at itself. */
typedef struct k_list {
    k_link_t head;
} k_list_t;

#define K_CONTAINER_OF(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

static inline void k_list_init(k_list_t *l) { l->head.next = l->head.prev = &l->head; }
static inline int k_list_empty(const k_list_t *l) { return l->head.next == &l->head; }
static inline int k_link_linked(const k_link_t *n) { return n->next != NULL; }

static inline void k_link_insert_between(k_link_t *n, k_link_t *prev, k_link_t *next)
{
    n->prev = prev;
    n->next = next;
    prev->next = n;
    next->prev = n;
}

static inline void k_list_push_tail(k_list_t *l, k_link_t *n) { k_link_insert_between(n, l->head.prev, &l->head); }
static inline void k_list_push_head(k_list_t *l, k_link_t *n) { k_link_insert_between(n, &l->head, l->head.next); }

/* Unlinks n from whatever list holds it; n must be linked. */
static inline void k_link_remove(k_link_t *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = NULL;
}

static inline k_link_t *k_list_first(const k_list_t *l) { return k_list_empty(l) ? NULL : l->head.next; }

static inline k_link_t *k_list_pop_head(k_list_t *l)
{
    k_link_t *n = k_list_first(l);
    if (n)
        k_link_remove(n);
    return n;
}

#define K_LIST_FOREACH(pos, list) for (k_link_t *pos = (list)->head.next; pos != &(list)->head; pos = pos->next)

#endif
