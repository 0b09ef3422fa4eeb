/* Boot manifests: which programs a scenario starts, with which priorities and handles. */
#ifndef MS_MANIFEST_H
#define MS_MANIFEST_H

#include <stdint.h>

#include "ms_abi.h"

/* A program's entry point: it gets its start block and must end with exit. */
typedef void ms_entry_fn(const ms_start_t *start);

#define MS_MANIFEST_TASKS_MAX 16
#define MS_MANIFEST_HANDLES_MAX 8
#define MS_MANIFEST_ENDPOINTS_MAX 32
#define MS_MANIFEST_NOTIFICATIONS_MAX 32

/* A handle a task starts with, in slot `slot` (1..63; slot 0 is the task
 * itself). It names the manifest's endpoint, task, notification or I/O port
 * range number `index`, or IRQ line `index` (MS_OBJ_IRQ), with the given
 * rights and badge. slot 0 ends the list. MS_OBJ_FRAMES names the
 * manifest's frames object number `index`. */
typedef struct ms_boot_handle {
    uint8_t slot;
    uint8_t type; /* MS_OBJ_ENDPOINT, _TASK, _NOTIFICATION, _IOPORT, _IRQ or _FRAMES */
    uint8_t index;
    uint8_t rights;
    uint64_t badge;
} ms_boot_handle_t;

typedef struct ms_boot_task {
    const char *name;     /* at most 15 characters */
    ms_entry_fn *entry;
    uint8_t prio;
    uint8_t daemon;       /* a server: the run may end while it waits */
    uint32_t mem_kib;     /* its memory; 0: 256 KiB */
    uint32_t stack_kib;   /* its first thread's stack, at the top of its memory; 0: 64 KiB */
    uint32_t slice_us;    /* its first thread's time slice; 0: the default, 10 ms */
    uint64_t arg[4];
    uint8_t fault_ep;     /* 1 + the manifest endpoint that handles its faults; 0: none */
    uint64_t fault_badge; /* the badge its fault messages carry */
    uint8_t demand;       /* only its start block and IPC buffer are mapped at
                             boot: its pager (fault_ep) maps the rest on demand */
    ms_boot_handle_t handles[MS_MANIFEST_HANDLES_MAX];
} ms_boot_task_t;

/* An I/O port range a manifest hands out: ports first..last. */
typedef struct ms_boot_ioport {
    uint16_t first, last;
} ms_boot_ioport_t;

#define MS_MANIFEST_IOPORTS_MAX 4
#define MS_MANIFEST_FRAMES_MAX 4

typedef struct ms_manifest {
    const char *name;
    const char *description; /* one line, for microsim --list */
    const char *trace_filter; /* the --trace-filter SPEC when the user gives none, to
                                 hide a scenario's noise (-switch,-ipc.wait); NULL:
                                 every event. Only microsim reads it, never the kernel */
    int compute_bound;       /* a task never enters the kernel: only a clock that
                                interrupts user code ends it (microsim picks step) */
    unsigned endpoints;      /* endpoints created at boot, numbered from 0 */
    unsigned notifications;  /* notifications created at boot, numbered from 0 */
    unsigned nioports;
    ms_boot_ioport_t ioports[MS_MANIFEST_IOPORTS_MAX]; /* port ranges, numbered from 0 */
    unsigned nframes;
    uint32_t frames_kib[MS_MANIFEST_FRAMES_MAX]; /* frames objects (a pager's memory), from 0 */
    unsigned ntasks;
    ms_boot_task_t tasks[MS_MANIFEST_TASKS_MAX]; /* started in this order */
} ms_manifest_t;

/* Where task i of a manifest finds its memory, on both machines:
 * [MS_USER_TASK_BASE + i * MS_USER_TASK_STRIDE, + its size), inside the
 * user window [MS_USER_BASE, MS_USER_END). */
#define MS_USER_TASK_BASE 0x10000000u
#define MS_USER_TASK_STRIDE 0x1000000u

#define MS_DEFAULT_MEM_KIB 256u
#define MS_DEFAULT_STACK_KIB 64u

#endif
