/*
 * Copies to, from and between user address spaces. The kernel never
 * dereferences a user pointer: each page of a range is translated through the
 * task's page tables, as the MMU would translate the task's own access
 * (present, user, writable for a write; accessed and dirty bits set), and
 * reached through the kernel's direct map of physical memory. A page the task
 * could not touch makes the whole call MS_E_FAULT, never a kernel fault.
 */
#include "usercopy.h"

#include "frame.h"
#include "ms_abi.h"
#include "object/task.h"
#include "rt.h"

/* The bytes of [va, va + len) that lie in va's page. */
static size_t in_page(uintptr_t va, size_t len)
{
    size_t room = K_PAGE_SIZE - (va & (K_PAGE_SIZE - 1));
    return len < room ? len : room;
}

/* Every page of the range passes the MMU's checks for the access. */
static int accessible(const task_t *task, uintptr_t va, size_t len, int write)
{
    if (va + len < va)
        return 0;
    while (len) {
        size_t n = in_page(va, len);
        if (!aspace_user_pa(&task->aspace, va, write))
            return 0;
        va += n;
        len -= n;
    }
    return 1;
}

int user_read(const task_t *task, void *dst, uintptr_t src, size_t len)
{
    const void *img = aspace_image(src, len);
    if (img) {
        rt_memcpy(dst, img, len);
        return MS_OK;
    }
    if (!accessible(task, src, len, 0))
        return MS_E_FAULT;
    for (char *d = dst; len;) {
        size_t n = in_page(src, len);
        rt_memcpy(d, frame_ptr(aspace_user_pa(&task->aspace, src, 0)), n);
        d += n;
        src += n;
        len -= n;
    }
    return MS_OK;
}

int user_write(const task_t *task, uintptr_t dst, const void *src, size_t len)
{
    if (!accessible(task, dst, len, 1))
        return MS_E_FAULT;
    for (const char *s = src; len;) {
        size_t n = in_page(dst, len);
        rt_memcpy(frame_ptr(aspace_user_pa(&task->aspace, dst, 1)), s, n);
        s += n;
        dst += n;
        len -= n;
    }
    return MS_OK;
}

int user_copy(const task_t *dst_task, uintptr_t dst, const task_t *src_task, uintptr_t src, size_t len)
{
    if (!accessible(dst_task, dst, len, 1))
        return MS_E_FAULT;
    if (!aspace_image(src, len) && !accessible(src_task, src, len, 0))
        return MS_E_FAULT;
    char chunk[256];
    while (len) {
        size_t n = len < sizeof chunk ? len : sizeof chunk;
        user_read(src_task, chunk, src, n);
        user_write(dst_task, dst, chunk, n);
        src += n;
        dst += n;
        len -= n;
    }
    return MS_OK;
}
