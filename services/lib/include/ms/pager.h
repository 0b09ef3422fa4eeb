/* The pager's protocol: page faults of the tasks it pages, and requests for memory. */
#ifndef MS_PAGER_H
#define MS_PAGER_H

#include <stdint.h>

#include "ms_abi.h"

/*
 * A pager serves the page faults of a demand-paged task (manifest `demand`,
 * its fault endpoint the pager's): the kernel maps only the task's first two
 * pages (start block, IPC buffer); the pager maps the rest as the task
 * touches it, from the frames object it was given at boot:
 *
 *   heap   [base + 2 pages, top - stack limit - 1 page)   demand-zero pages
 *   guard  the page below the stack limit                  never mapped
 *   stack  [top - stack limit, top)                        demand-zero pages,
 *                                                          grown down on use
 *
 * A fault anywhere else, a protection fault other than a write to a shared
 * page, or a fault once the pager's frames are used up, is answered with
 * MS_FAULT_KILL. Every served not-present fault maps exactly one fresh page.
 *
 * Its start block: arg[0] the handle (in the pager's table) of the paged
 * task, arg[1] that task's memory base, arg[2] its size, arg[3] its stack
 * limit in bytes. Handles: 1 the endpoint faults and requests arrive on, 3
 * the frames object, 4 a send handle to that endpoint (to fork: the
 * children's faults come through it, badged). The paged task's requests
 * and faults carry badge 1; a child's, its number + 1.
 *
 * Requests, on the same endpoint (call):
 *   PAGER_ALLOC  w0 address, w1 pages: map fresh pages there now (inside the
 *                heap), as if the task had touched each. Reply w0 MS_OK,
 *                MS_E_INVAL (not in the heap, or already mapped) or
 *                MS_E_NOMEM (no frames left).
 *   PAGER_FORK   w0 priority, the entry point as the 8-byte payload (not a
 *                message word: it is a host address when hosted, which
 *                the trace must not show), optionally a handle: a child task
 *                with the caller's memory range, its fault handler the
 *                pager. Every heap page the pager mapped for the caller
 *                is shared read-only by both; the first write to a shared
 *                page, by either, gets a private copy (copy-on-write).
 *                The child gets fresh start block and IPC buffer pages and
 *                one thread at entry(h) on a fresh stack in the caller's
 *                stack range, where
 *                h is the child's copy (send right) of the handle sent, or
 *                0. Reply w0 MS_OK or the error of the step that failed.
 *   anything else MS_E_NOSYS; PAGER_ALLOC with other than two words or
 *                with a payload, PAGER_FORK with other than one word:
 *                MS_E_INVAL; any request from a badge that is not a
 *                client's: MS_E_INVAL.
 */
#define PAGER_ALLOC 0x9a6e0001u
#define PAGER_FORK 0x9a6e0002u

#define PAGER_H_ENDPOINT 1u
#define PAGER_H_FRAMES 3u
#define PAGER_H_SEND 4u

void pager_main(const ms_start_t *start);

/* A boot manifest's pager (ms_manifest.h) for the manifest's task 0, whose
 * memory is mem_bytes with a stack limit of stack_bytes, with frames
 * object 0 as its memory and endpoint 0 as where faults and requests come. */
#define PAGER_TASK(mem_bytes, stack_bytes)                                                                         \
    {.name = "pager", .entry = pager_main, .prio = 20, .daemon = 1,                                                \
     .arg = {2, MS_USER_TASK_BASE, (mem_bytes), (stack_bytes)},                                                    \
     .handles = {{.slot = PAGER_H_ENDPOINT, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV},         \
                 {.slot = 2, .type = MS_OBJ_TASK, .index = 0, .rights = MS_RIGHT_CONTROL},                         \
                 {.slot = PAGER_H_FRAMES, .type = MS_OBJ_FRAMES, .index = 0,                                       \
                  .rights = MS_RIGHT_READ | MS_RIGHT_WRITE},                                                       \
                 {.slot = PAGER_H_SEND, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}}

#endif
