/* The header every kernel object starts with: type, identity and reference count. */
#ifndef K_KOBJECT_H
#define K_KOBJECT_H

#include <stdint.h>

#include "ms_abi.h"

/* Object types share their numbers with the ABI's MS_OBJ_* values. */
typedef enum kobject_type {
    KOBJ_NONE = MS_OBJ_NONE,
    KOBJ_ENDPOINT = MS_OBJ_ENDPOINT,
    KOBJ_THREAD = MS_OBJ_THREAD,
    KOBJ_TASK = MS_OBJ_TASK,
    KOBJ_NOTIFICATION = MS_OBJ_NOTIFICATION,
    KOBJ_IRQ = MS_OBJ_IRQ,
    KOBJ_IOPORT = MS_OBJ_IOPORT,
    KOBJ_FRAMES = MS_OBJ_FRAMES,
    KOBJ_REPLY = MS_OBJ_REPLY,
} kobject_type_t;

/*
 * refs counts every handle to the object, plus one while a thread or task is
 * alive (not yet dead). When it drops to zero the object's destroy function
 * runs and its pool slot is free again. id is unique per type for the whole
 * run (never reused), so traces name objects deterministically.
 */
typedef struct kobject {
    uint8_t type;
    uint32_t refs;
    uint32_t id;
    uint32_t counted; /* scratch of the invariant checker: references it found */
} kobject_t;

/* Empties every object pool (at boot). */
void kobject_pools_reset(void);

void kobject_init(kobject_t *obj, kobject_type_t type, uint32_t id);
void kobject_ref(kobject_t *obj);
/* Drops a reference; the last one destroys the object. */
void kobject_unref(kobject_t *obj);

#endif
