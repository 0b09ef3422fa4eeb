/* Interrupt and exception dispatch: the vector table, in the shape of the x86 IDT. */
#ifndef K_INTERRUPT_H
#define K_INTERRUPT_H

#include <stdint.h>

/*
 * Vectors, the same on both machines:
 *   0-31   CPU exceptions (#DE 0, #DB 1, #BP 3, #UD 6, #GP 13, #PF 14, ...)
 *   32-47  the 8259 pair's IRQ 0-15 (IRQ 0: the clock)
 * System calls enter through their own instruction (syscall), not a vector.
 */
#define K_VECTOR_PF 14
#define K_VECTOR_EXCEPTIONS 32
#define K_VECTOR_IRQ_BASE 32
#define K_VECTOR_IRQ_END 48

/* The IRQ lines whose interrupt would wake a blocked thread (bit n: line
 * n): an idle CPU with none stops instead of waiting. The clock alone wakes
 * nobody. */
uint16_t interrupt_can_wake(void);

/* Handles vector for the current thread (or the idle CPU). error and addr
 * are the exception's error code and faulting address (CR2) where it has
 * them. */
void interrupt_dispatch(unsigned vector, uint64_t error, uint64_t addr);

#endif
