/* Booting the kernel: from a boot manifest to the first user thread. */
#ifndef K_BOOT_H
#define K_BOOT_H

#include <stdint.h>

#include "aspace.h"
#include "ms_manifest.h"

/* The user range the loader gives one task of the manifest (page-aligned). */
typedef k_region_t k_boot_region_t;

/* A part of the program image that a port loaded into physical memory at pa:
 * the loader maps it at va of every task, user-readable, with rights
 * (MS_RIGHT_READ, and MS_RIGHT_EXEC for code). */
typedef struct k_boot_image {
    uintptr_t va;
    uint64_t pa;
    uint64_t size;
    unsigned rights;
} k_boot_image_t;

typedef struct k_boot_info {
    const ms_manifest_t *manifest;
    uint64_t seed;
    uint32_t trace_mask; /* K_TRACE_MASK_ALL, or fewer kinds */
    int no_fastpath;     /* run every system call on the ordinary path */
    int check_invariants; /* verify the whole kernel state after every entry */
    struct k_syscall_stats *stats; /* where to count system calls, or NULL */
    k_region_t image[ASPACE_IMAGE_REGIONS];     /* the image's ranges outside the page tables */
    unsigned nimage;
    k_boot_image_t user_image[ASPACE_IMAGE_REGIONS]; /* the image the loader maps into every space */
    unsigned nuser_image;
} k_boot_info_t;

/* Layout of a task's memory, from its base: the start block, the first
 * thread's IPC buffer, the heap, and the stack at the top. */
#define K_BOOT_START_OFFSET 0u
#define K_BOOT_IPCBUF_OFFSET 4096u
#define K_BOOT_HEAP_OFFSET 8192u

struct task;

/* Maps the program image (the port's user_image) into task's space, as the
 * loader did at boot for every manifest task; task_create does it for the
 * tasks it makes. MS_OK or MS_E_NOMEM. */
int k_boot_map_image(struct task *task);

/* Bytes of memory the platform must give task number i of the manifest. */
uintptr_t k_boot_task_mem_size(const ms_boot_task_t *task);

/* Resets every kernel object, creates the manifest's endpoints and tasks,
 * gives each its handles and enters the first thread. Runs on the kernel
 * stack; never returns. A malformed manifest is a kernel panic. */
__attribute__((noreturn)) void k_boot(const k_boot_info_t *info);

#endif
