/* The PC's two Intel 8259A interrupt controllers: master at 0x20, slave at 0xA0 cascaded on IR2. */
#ifndef HW_PIC_H
#define HW_PIC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "portbus.h"

#define HW_PIC_MASTER_PORT 0x20
#define HW_PIC_SLAVE_PORT 0xa0
#define HW_PIC_CASCADE_IRQ 2
#define HW_PIC_NLINES 16

/* One 8259A: its registers and the state of its initialisation sequence. */
typedef struct hw_pic_chip {
    uint8_t irr, isr, imr;
    uint8_t levels;   /* the IR inputs as last sampled */
    uint8_t base;     /* ICW2: the vector of IR0 (low three bits zero) */
    uint8_t icw3;     /* master: the IRs that have a slave; slave: its ID */
    uint8_t lowest;   /* the IR of lowest priority: 7 until rotated */
    uint8_t icw_next; /* the ICW the data port expects next; 0 once initialised */
    bool is_master;
    bool level_mode;   /* ICW1 LTIM */
    bool single;       /* ICW1 SNGL: no cascade, no ICW3 */
    bool need_icw4;    /* ICW1 IC4 */
    bool mode_8086;    /* ICW4 uPM */
    bool auto_eoi;     /* ICW4 AEOI */
    bool sfnm;         /* ICW4 special fully nested mode */
    bool rotate_aeoi;  /* OCW2: rotate in automatic EOI mode */
    bool special_mask; /* OCW3 SMM */
    bool read_isr;     /* OCW3 RIS: the command port reads ISR, else IRR */
    bool poll;         /* OCW3 P: the next command port read is a poll */
} hw_pic_chip_t;

/*
 * The pair as the PC wires it: IRQ 0-7 on the master, IRQ 8-15 on the slave,
 * whose INT output drives the master's IR2.
 *
 * Signal-safety contract. hw_pic_raise(), hw_pic_lower() and hw_pic_set_line()
 * are async-signal-safe and may run in a host signal handler or on any host
 * thread: they only change `lines`, one lock-free C11 atomic word (bits 0-15
 * the input levels, bits 16-31 the rising edges not yet seen). Everything
 * else (hw_pic_pending, hw_pic_ack, port I/O, hw_pic_init, hw_pic_attach)
 * belongs to the simulated CPU's thread and must never run in a handler. That
 * thread samples the word on each of those calls: only then do edges reach
 * the IRRs and priorities get resolved, the way a request reaches the CPU
 * only when it next samples INTR.
 */
typedef struct hw_pic {
    _Atomic uint32_t lines;
    hw_pic_chip_t master, slave;
    /* hw_pic_pending's answer, good while `lines` still reads seen_lines
     * and no port access or INTA has happened since (stale). */
    uint32_t seen_lines;
    bool intr;
    bool stale;
} hw_pic_t;

/* Power-on state. The real 8259A's is undefined; the model starts as a PC
 * BIOS leaves the pair (vectors 0x08 and 0x70, cascade on IR2, 8086 mode,
 * normal EOI) but with every line masked until the kernel programs it. */
void hw_pic_init(hw_pic_t *pic);

/* Claims 0x20-0x21 and 0xA0-0xA1 on bus. 0 or -1 (a port is taken). */
int hw_pic_attach(hw_pic_t *pic, hw_portbus_t *bus);

/* A device drives line irq (0-15) high or low. Edge-triggered as the PC
 * programs the PIC: a rising edge sets the IRR bit; the line going low before
 * INTA withdraws the request (IRR bit cleared), as on the 8259A, where the IR
 * input must stay high until acknowledged. IRQ 2 is the cascade input and is
 * ignored here (on a PC/AT the ISA bus's IRQ2 pin is wired to IRQ 9).
 * Async-signal-safe: see above. */
void hw_pic_raise(hw_pic_t *pic, unsigned irq);
void hw_pic_lower(hw_pic_t *pic, unsigned irq);
void hw_pic_set_line(hw_pic_t *pic, unsigned irq, bool level);

/* Samples the lines and says whether the master asserts INTR: an unmasked
 * request of higher priority than anything in service. CPU thread only.
 * Asked at every return to user mode and nearly always unchanged: inline,
 * it answers from the last sample until a line moves or a port or INTA
 * changes the chips (hw_pic_resample). */
bool hw_pic_resample(hw_pic_t *pic);

static inline bool hw_pic_pending(hw_pic_t *pic)
{
    if (!pic->stale && atomic_load_explicit(&pic->lines, memory_order_relaxed) == pic->seen_lines)
        return pic->intr;
    return hw_pic_resample(pic);
}

/*
 * The INTA cycle: returns the vector the CPU reads and moves the request from
 * IRR to ISR (and clears it again in automatic EOI mode). Call it after
 * hw_pic_pending() returned true, as a CPU runs INTA only when it saw INTR;
 * the master resolves with the view of the slave it had then, as the real
 * master freezes at the first INTA pulse. A request that vanished in between
 * (line lowered, masked) gives the spurious vector base+7 without an ISR bit;
 * when it was a slave's, the vector is the slave's base+7 and the master
 * still sets its ISR bit 2, so the handler must EOI the master only.
 * CPU thread only.
 */
uint8_t hw_pic_ack(hw_pic_t *pic);

#endif
