/* Booting the kernel: from a boot manifest to the first user thread. */
#ifndef K_BOOT_H
#define K_BOOT_H

#include <stdint.h>

#include "aspace.h"
#include "ms_manifest.h"

/* Memory the platform set aside for one task of the manifest (page-aligned). */
typedef k_region_t k_boot_region_t;

typedef struct k_boot_info {
    const ms_manifest_t *manifest;
    uint64_t seed;
    uint32_t trace_mask; /* K_TRACE_MASK_ALL, or fewer kinds */
    int no_fastpath;     /* run every system call on the ordinary path */
    int check_invariants; /* verify the whole kernel state after every entry */
    struct k_syscall_stats *stats; /* where to count system calls, or NULL */
    k_boot_region_t mem[MS_MANIFEST_TASKS_MAX]; /* one per manifest task, in order */
    k_region_t image[ASPACE_IMAGE_REGIONS];     /* the program image's read-only ranges */
    unsigned nimage;
} k_boot_info_t;

/* Layout of a task's memory, from its base: the start block, the first
 * thread's IPC buffer, the heap, and the stack at the top. */
#define K_BOOT_START_OFFSET 0u
#define K_BOOT_IPCBUF_OFFSET 4096u
#define K_BOOT_HEAP_OFFSET 8192u

/* Bytes of memory the platform must give task number i of the manifest. */
uintptr_t k_boot_task_mem_size(const ms_boot_task_t *task);

/* Resets every kernel object, creates the manifest's endpoints and tasks,
 * gives each its handles and enters the first thread. Runs on the kernel
 * stack; never returns. A malformed manifest is a kernel panic. */
__attribute__((noreturn)) void k_boot(const k_boot_info_t *info);

#endif
