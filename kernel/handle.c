/* Handle tables: lookup with type and rights checks, install, close. */
#include "handle.h"

void handle_table_init(handle_table_t *ht)
{
    for (unsigned i = 0; i < MS_HANDLES_PER_TASK; i++)
        ht->slot[i] = (handle_entry_t){0};
    ht->used = 0;
}

int handle_lookup(handle_table_t *ht, uint64_t h, kobject_type_t type, uint32_t rights, handle_entry_t **out)
{
    if (h >= MS_HANDLES_PER_TASK)
        return MS_E_BADHANDLE;
    handle_entry_t *e = &ht->slot[h];
    if (!e->obj || (type != KOBJ_NONE && e->obj->type != type))
        return MS_E_BADHANDLE;
    if ((e->rights & rights) != rights)
        return MS_E_RIGHTS;
    *out = e;
    return MS_OK;
}

int handle_install_at(handle_table_t *ht, ms_handle_t h, kobject_t *obj, uint32_t rights, uint64_t badge)
{
    if (h >= MS_HANDLES_PER_TASK || ht->slot[h].obj)
        return MS_E_INVAL;
    kobject_ref(obj);
    ht->slot[h] = (handle_entry_t){.obj = obj, .rights = rights & MS_RIGHTS_ALL, .badge = badge};
    ht->used++;
    ht->io_version += obj->type == KOBJ_IOPORT;
    ht->nio += obj->type == KOBJ_IOPORT;
    return MS_OK;
}

int handle_install(handle_table_t *ht, kobject_t *obj, uint32_t rights, uint64_t badge, ms_handle_t *out)
{
    for (ms_handle_t h = 0; h < MS_HANDLES_PER_TASK; h++) {
        if (!ht->slot[h].obj) {
            handle_install_at(ht, h, obj, rights, badge);
            *out = h;
            return MS_OK;
        }
    }
    return MS_E_FULL;
}

int handle_close(handle_table_t *ht, uint64_t h)
{
    if (h >= MS_HANDLES_PER_TASK || !ht->slot[h].obj)
        return MS_E_BADHANDLE;
    kobject_t *obj = ht->slot[h].obj;
    ht->slot[h] = (handle_entry_t){0};
    ht->used--;
    ht->io_version += obj->type == KOBJ_IOPORT;
    ht->nio -= obj->type == KOBJ_IOPORT;
    kobject_unref(obj); /* last: it may destroy obj, and through it this table */
    return MS_OK;
}

void handle_table_clear(handle_table_t *ht)
{
    for (ms_handle_t h = 0; h < MS_HANDLES_PER_TASK; h++)
        if (ht->slot[h].obj)
            handle_close(ht, h);
}
