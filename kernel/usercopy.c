/* Checked copies to, from and between user address spaces. */
#include "usercopy.h"

#include "arch/arch.h"
#include "ms_abi.h"
#include "object/task.h"

int user_read(const task_t *task, void *dst, uintptr_t src, size_t len)
{
    if (!aspace_readable(&task->aspace, src, len))
        return MS_E_FAULT;
    return arch_copy_from_user(dst, src, len) == 0 ? MS_OK : MS_E_FAULT;
}

int user_write(const task_t *task, uintptr_t dst, const void *src, size_t len)
{
    if (!aspace_writable(&task->aspace, dst, len))
        return MS_E_FAULT;
    return arch_copy_to_user(dst, src, len) == 0 ? MS_OK : MS_E_FAULT;
}

int user_copy(const task_t *dst_task, uintptr_t dst, const task_t *src_task, uintptr_t src, size_t len)
{
    if (!aspace_writable(&dst_task->aspace, dst, len) || !aspace_readable(&src_task->aspace, src, len))
        return MS_E_FAULT;
    return arch_copy_user_to_user(dst, src, len) == 0 ? MS_OK : MS_E_FAULT;
}
