/* Handle tables: a task's only way to name kernel objects, each with rights. */
#ifndef K_HANDLE_H
#define K_HANDLE_H

#include <stdint.h>

#include "kobject.h"
#include "ms_abi.h"

typedef struct handle_entry {
    kobject_t *obj; /* NULL: the slot is free */
    uint32_t rights;
    uint64_t badge;
} handle_entry_t;

typedef struct handle_table {
    handle_entry_t slot[MS_HANDLES_PER_TASK];
    unsigned used;
    uint32_t io_version; /* changes whenever an I/O port handle comes or goes */
    uint32_t nio;        /* I/O port handles held */
} handle_table_t;

void handle_table_init(handle_table_t *ht);

/* Finds handle h referring to an object of type (KOBJ_NONE: any) with every
 * right in rights. Returns MS_OK and sets *out, or MS_E_BADHANDLE (out of
 * range, free, wrong type) or MS_E_RIGHTS. */
int handle_lookup(handle_table_t *ht, uint64_t h, kobject_type_t type, uint32_t rights, handle_entry_t **out);

/* Puts a new handle to obj (taking a reference) in the lowest free slot.
 * Returns MS_OK and *out, or MS_E_FULL. */
int handle_install(handle_table_t *ht, kobject_t *obj, uint32_t rights, uint64_t badge, ms_handle_t *out);

/* As handle_install, at a chosen free slot (boot manifests). MS_E_INVAL if the
 * slot is out of range or taken. */
int handle_install_at(handle_table_t *ht, ms_handle_t h, kobject_t *obj, uint32_t rights, uint64_t badge);

/* Frees slot h, dropping its reference. MS_OK or MS_E_BADHANDLE. */
int handle_close(handle_table_t *ht, uint64_t h);

/* Closes every handle. */
void handle_table_clear(handle_table_t *ht);

#endif
