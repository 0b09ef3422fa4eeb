/* Physical page frames: the allocator of the machine's memory, below every object. */
#ifndef K_FRAME_H
#define K_FRAME_H

#include <stdint.h>

#define K_PAGE_SIZE 4096u
#define K_PAGE_SHIFT 12

/* The most physical memory the kernel manages (the bitmap is static). */
#define K_FRAMES_MAX (1u << 18) /* 1 GiB of 4 KiB frames */

/* Takes the frames of [base, base + size) (page-aligned, from
 * arch_phys_memory()); everything else stays unused. */
void frame_init(uint64_t base, uint64_t size);

/* n physically contiguous frames, zero-filled; returns the physical address
 * of the first, or 0 if no run of n is free. */
uint64_t frame_alloc(unsigned n);

/* Gives back n frames from pa (all allocated by frame_alloc). */
void frame_free(uint64_t pa, unsigned n);

/* How many frames are free, and how many there are. */
unsigned frame_free_count(void);
unsigned frame_total(void);

/* A kernel pointer to the frame at pa (through the arch's direct map). */
void *frame_ptr(uint64_t pa);

#endif
