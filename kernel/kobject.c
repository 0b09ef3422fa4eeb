/* Reference counting shared by every kernel object. */
#include "kobject.h"

#include "object/endpoint.h"
#include "object/task.h"
#include "object/thread.h"
#include "panic.h"

void kobject_init(kobject_t *obj, kobject_type_t type, uint32_t id)
{
    obj->type = (uint8_t)type;
    obj->refs = 0;
    obj->id = id;
}

void kobject_ref(kobject_t *obj)
{
    obj->refs++;
}

void kobject_unref(kobject_t *obj)
{
    if (obj->refs == 0)
        k_panic("kobject: reference count underflow (type %u id %u)", obj->type, obj->id);
    if (--obj->refs > 0)
        return;
    switch (obj->type) {
    case KOBJ_ENDPOINT:
        endpoint_destroy((endpoint_t *)obj);
        break;
    case KOBJ_THREAD:
        thread_destroy(K_CONTAINER_OF(obj, thread_t, obj));
        break;
    case KOBJ_TASK:
        task_destroy((task_t *)obj);
        break;
    default:
        k_panic("kobject: unref of an object of unknown type %u", obj->type);
    }
}
