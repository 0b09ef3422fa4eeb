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
 * A fault anywhere else, a protection fault (a write to a read-only page),
 * or a fault once the pager's frames are used up, is answered with
 * MS_FAULT_KILL. Every served fault maps exactly one fresh page.
 *
 * Its start block: arg[0] the handle (in the pager's table) of the paged
 * task, arg[1] that task's memory base, arg[2] its size, arg[3] its stack
 * limit in bytes. Handles: 1 the endpoint faults and requests arrive on, 3
 * the frames object.
 *
 * Requests, on the same endpoint (call):
 *   PAGER_ALLOC  w0 address, w1 pages: map fresh pages there now (inside the
 *                heap), as if the task had touched each. Reply w0 MS_OK,
 *                MS_E_INVAL (not in the heap, or already mapped) or
 *                MS_E_NOMEM (no frames left).
 */
#define PAGER_ALLOC 0x9a6e0001u

#define PAGER_H_ENDPOINT 1u
#define PAGER_H_FRAMES 3u

void pager_main(const ms_start_t *start);

#endif
