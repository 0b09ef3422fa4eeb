/* Reference counting shared by every kernel object. */
#include "kobject.h"

#include "object/endpoint.h"
#include "alarm.h"
#include "mapdb.h"
#include "object/frames.h"
#include "object/reply.h"
#include "object/ioport.h"
#include "object/irq.h"
#include "object/notification.h"
#include "object/task.h"
#include "object/thread.h"
#include "panic.h"

void kobject_pools_reset(void)
{
    thread_pool_reset();
    task_pool_reset();
    endpoint_pool_reset();
    notification_pool_reset();
    irq_pool_reset();
    ioport_pool_reset();
    frames_pool_reset();
    reply_pool_reset();
    mapdb_reset(); /* the derivations between mapped pages go with the frames */
    alarm_reset(); /* alarms hold notifications */
}

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
    case KOBJ_NOTIFICATION:
        notification_destroy(K_CONTAINER_OF(obj, notification_t, obj));
        break;
    case KOBJ_IRQ:
        irq_line_destroy(K_CONTAINER_OF(obj, irq_line_t, obj));
        break;
    case KOBJ_IOPORT:
        ioport_destroy(K_CONTAINER_OF(obj, ioport_t, obj));
        break;
    case KOBJ_FRAMES:
        frames_destroy(K_CONTAINER_OF(obj, frames_t, obj));
        break;
    case KOBJ_REPLY:
        reply_destroy(K_CONTAINER_OF(obj, reply_t, obj));
        break;
    default:
        k_panic("kobject: unref of an object of unknown type %u", obj->type);
    }
}
