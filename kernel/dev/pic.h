/* The kernel's driver for the PC's 8259A interrupt controller pair. */
#ifndef K_PIC_H
#define K_PIC_H

#include <stdint.h>

#define PIC_VECTOR_BASE 32 /* IRQ n arrives as vector 32 + n */
#define PIC_LINES 16

/* Initialises both 8259As (ICW1-ICW4): IRQ 0-7 at vectors 32-39, IRQ 8-15 at
 * 40-47, the slave on IRQ 2; then masks every line but the cascade. The
 * BIOS leaves them at vectors 8-15, over the CPU's exceptions. */
void pic_init(void);

void pic_mask(unsigned line);
void pic_unmask(unsigned line);
int pic_masked(unsigned line);
/* Bit n set: line n is masked. */
uint16_t pic_mask_bits(void);

/* The end of the interrupt of line (non-specific EOI to the chip(s) that
 * took it). */
void pic_eoi(unsigned line);

/* True if an interrupt on line 7 or 15 is spurious (its ISR bit is clear):
 * it must not be handled, and only a spurious 15 needs an EOI (to the
 * master, whose cascade line did take it), which this sends. */
int pic_spurious(unsigned line);

#endif
