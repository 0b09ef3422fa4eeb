/* IRQ lines as objects: a driver holding one binds its interrupts to a notification and acknowledges them. */
#ifndef K_IRQ_H
#define K_IRQ_H

#include <stdint.h>

#include "kobject.h"

struct notification;

#define IRQ_LINES 16

/* One per 8259 line, created at boot for the lines a manifest hands out.
 * While bound, an interrupt masks the line, signals the notification with
 * the bits, and waits for irq_ack before the line may fire again (the
 * driver handles the device in between, as a level-triggered ISA device
 * needs). */
typedef struct irq_line {
    kobject_t obj; /* obj.id is the line number + 1 */
    unsigned line;
    struct notification *ntfn; /* a reference, or NULL */
    uint64_t bits;
    int awaiting_ack;
} irq_line_t;

/* The object of line (0-15, not the clock's 0 or the cascade's 2), created
 * if need be; NULL for a line the kernel keeps. */
irq_line_t *irq_line_get(unsigned line);
void irq_line_destroy(irq_line_t *irq);

/* Binds (or with ntfn NULL unbinds) the line: unmasks it. */
void irq_bind(irq_line_t *irq, struct notification *ntfn, uint64_t bits);

/* The line fired. Returns 0 if nothing is bound to it. */
int irq_deliver(unsigned line);

/* The driver is done with the interrupt: unmask the line. MS_OK, or
 * MS_E_INVAL if no interrupt awaits an acknowledgement. */
int irq_ack(irq_line_t *irq);

/* Lines bound to a notification that has a waiter, and not masked while they
 * wait for irq_ack: an interrupt on them can wake a thread. */
uint16_t irq_wake_lines(void);

void irq_pool_reset(void);
irq_line_t *irq_pool_at(unsigned i);

#endif
