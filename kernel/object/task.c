/* Tasks: creation, the end of a task, and the task pool. */
#include "object/task.h"

#include "halt.h"
#include "object/endpoint.h"
#include "object/notification.h"
#include "object/thread.h"
#include "rt.h"

static task_t pool[K_MAX_TASKS];
static uint32_t next_id = 1;

void task_pool_reset(void)
{
    rt_memset(pool, 0, sizeof pool);
    next_id = 1;
}

task_t *task_create(const char *name, uintptr_t mem_base, uintptr_t mem_size, uint8_t max_prio, int daemon)
{
    task_t *task = NULL;
    for (unsigned i = 0; i < K_MAX_TASKS && !task; i++)
        if (pool[i].obj.type == KOBJ_NONE)
            task = &pool[i];
    if (!task)
        return NULL;
    rt_memset(task, 0, sizeof *task);
    kobject_init(&task->obj, KOBJ_TASK, next_id++);
    kobject_ref(&task->obj); /* alive */
    rt_strlcpy(task->name, name, sizeof task->name);
    task->state = TASK_ALIVE;
    task->daemon = (uint8_t)(daemon != 0);
    task->max_prio = max_prio;
    if (aspace_init(&task->aspace, mem_base, mem_size) != MS_OK) {
        task->obj.type = KOBJ_NONE;
        return NULL;
    }
    handle_table_init(&task->handles);
    k_list_init(&task->threads);
    halt_task_started(task);
    return task;
}

void task_end(task_t *task, task_state_t how, int64_t status)
{
    if (task->state != TASK_ALIVE)
        return;
    task->state = how;
    task->status = status;
    while (!k_list_empty(&task->threads))
        thread_kill(K_CONTAINER_OF(k_list_first(&task->threads), thread_t, task_link));
    handle_table_clear(&task->handles);
    task_set_fault_handler(task, NULL, 0);
    aspace_destroy(&task->aspace); /* its memory goes back to whoever gave it */
    if (task->watch) /* whoever watches it learns that it ended */
        notification_signal(task->watch, task->watch_bits, NULL);
    task_set_watch(task, NULL, 0);
    halt_task_ended(task);
    kobject_unref(&task->obj); /* threads still hold theirs until they are reaped */
}

void task_set_fault_handler(task_t *task, endpoint_t *ep, uint64_t badge)
{
    endpoint_t *old = task->fault_ep;
    if (ep)
        kobject_ref(&ep->obj);
    task->fault_ep = ep;
    task->fault_badge = badge;
    if (old)
        kobject_unref(&old->obj);
}

void task_set_watch(task_t *task, notification_t *n, uint64_t bits)
{
    notification_t *old = task->watch;
    if (n)
        kobject_ref(&n->obj);
    task->watch = n;
    task->watch_bits = bits;
    if (old)
        kobject_unref(&old->obj);
}

void task_destroy(task_t *task)
{
    task->obj.type = KOBJ_NONE;
}

task_t *task_pool_at(unsigned i)
{
    return i < K_MAX_TASKS && pool[i].obj.type == KOBJ_TASK ? &pool[i] : NULL;
}

unsigned task_pool_size(void)
{
    return K_MAX_TASKS;
}
