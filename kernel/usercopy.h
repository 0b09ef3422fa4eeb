/* Access to user memory: every kernel read or write of it is checked here first. */
#ifndef K_USERCOPY_H
#define K_USERCOPY_H

#include <stddef.h>
#include <stdint.h>

struct task;

/* Each returns MS_OK, or MS_E_FAULT if a range is not wholly the task's
 * memory (or the hardware refused the access); nothing is copied then. */
int user_read(const struct task *task, void *dst, uintptr_t src, size_t len);
int user_write(const struct task *task, uintptr_t dst, const void *src, size_t len);
int user_copy(const struct task *dst_task, uintptr_t dst, const struct task *src_task, uintptr_t src, size_t len);

#endif
