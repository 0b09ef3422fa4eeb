/* The 8259A pair: initialisation words, priorities, EOI, cascade and the INTA cycle. */
#include "pic.h"

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "hw_pic_raise must be lock-free to be async-signal-safe");

#define LINE_BITS 0xffffu
#define EDGE_SHIFT 16

enum { ICW_DONE = 0, ICW2 = 2, ICW3 = 3, ICW4 = 4 };

static uint8_t ir_bit(unsigned ir)
{
    return (uint8_t)(1u << ir);
}

/* ---- One 8259A ---- */

/* 0 is the highest priority; rotation moves which IR is lowest. */
static unsigned chip_priority(const hw_pic_chip_t *c, unsigned ir)
{
    return (ir - c->lowest - 1) & 7;
}

/* The IR of highest priority set in mask, or -1. */
static int chip_highest(const hw_pic_chip_t *c, uint8_t mask)
{
    for (unsigned i = 0; i < 8; i++) {
        unsigned ir = (c->lowest + 1 + i) & 7;
        if (mask & ir_bit(ir))
            return (int)ir;
    }
    return -1;
}

static bool chip_is_cascade(const hw_pic_chip_t *c, unsigned ir)
{
    return c->is_master && !c->single && (c->icw3 & ir_bit(ir));
}

/* The IS bits that hold back requests: in special mask mode a level that is
 * in service but masked holds back nothing. */
static uint8_t chip_blocking(const hw_pic_chip_t *c)
{
    return c->special_mask ? c->isr & ~c->imr : c->isr;
}

/* The IR the chip presents on INT, or -1: its highest unmasked request, if
 * that outranks every level in service. In special fully nested mode a
 * cascade input may also interrupt its own level, for a higher slave IRQ. */
static int chip_request(const hw_pic_chip_t *c)
{
    int req = chip_highest(c, c->irr & ~c->imr);
    if (req < 0)
        return -1;
    int svc = chip_highest(c, chip_blocking(c));
    if (svc < 0 || chip_priority(c, (unsigned)req) < chip_priority(c, (unsigned)svc))
        return req;
    if (req == svc && c->sfnm && chip_is_cascade(c, (unsigned)req))
        return req;
    return -1;
}

/* New input levels and rising edges reach the IRR. Edge mode: an edge sets
 * the bit and a low input clears it again (the 8259A's request latch needs
 * the input held high until INTA). Level mode: the IRR follows the inputs. */
static void chip_sample(hw_pic_chip_t *c, uint8_t levels, uint8_t rises)
{
    c->levels = levels;
    c->irr = c->level_mode ? levels : (uint8_t)((c->irr | rises) & levels);
}

static void chip_accept(hw_pic_chip_t *c, unsigned ir)
{
    c->irr &= (uint8_t)~ir_bit(ir);
    c->isr |= ir_bit(ir);
}

/* The last INTA pulse: in automatic EOI mode the IS bit goes again. */
static void chip_end_inta(hw_pic_chip_t *c, unsigned ir)
{
    if (!c->auto_eoi)
        return;
    c->isr &= (uint8_t)~ir_bit(ir);
    if (c->rotate_aeoi)
        c->lowest = (uint8_t)ir;
}

static void chip_eoi(hw_pic_chip_t *c, unsigned ir, bool rotate)
{
    c->isr &= (uint8_t)~ir_bit(ir);
    if (rotate)
        c->lowest = (uint8_t)ir;
}

/* OCW2 (R SL EOI 0 0 L2 L1 L0): EOIs, rotation, priority setting. */
static void chip_write_ocw2(hw_pic_chip_t *c, uint8_t v)
{
    bool rotate = v & 0x80, specific = v & 0x40, eoi = v & 0x20;
    unsigned level = v & 7;
    if (eoi && !specific) {
        int ir = chip_highest(c, chip_blocking(c));
        if (ir >= 0)
            chip_eoi(c, (unsigned)ir, rotate);
    } else if (eoi) {
        chip_eoi(c, level, rotate);
    } else if (specific) {
        if (rotate)
            c->lowest = (uint8_t)level; /* 0xC0: set priority; 0x40 is a no-op */
    } else {
        c->rotate_aeoi = rotate;
    }
}

/* OCW3 (0 ESMM SMM 0 1 P RR RIS): special mask mode, poll, register select. */
static void chip_write_ocw3(hw_pic_chip_t *c, uint8_t v)
{
    if (v & 0x40)
        c->special_mask = v & 0x20;
    if (v & 0x04)
        c->poll = true;
    if (v & 0x02)
        c->read_isr = v & 0x01;
}

/* ICW1 starts initialisation: the edge sense is reset (requests already
 * latched are forgotten), the IMR cleared, IR7 made lowest, SMM off, reads
 * select the IRR, and without IC4 every ICW4 function is off. The datasheet
 * does not say ISR is cleared; the model clears it, as common emulators do,
 * so a re-initialised PIC has nothing in service. */
static void chip_write_icw1(hw_pic_chip_t *c, uint8_t v)
{
    c->level_mode = v & 0x08;
    c->single = v & 0x02;
    c->need_icw4 = v & 0x01;
    c->irr = c->isr = c->imr = 0;
    c->lowest = 7;
    c->mode_8086 = c->auto_eoi = c->sfnm = c->rotate_aeoi = false;
    c->special_mask = c->read_isr = c->poll = false;
    c->icw_next = ICW2;
}

static void chip_write_command(hw_pic_chip_t *c, uint8_t v)
{
    if (v & 0x10)
        chip_write_icw1(c, v);
    else if (v & 0x08)
        chip_write_ocw3(c, v);
    else
        chip_write_ocw2(c, v);
}

/* ICW4 (0 0 0 SFNM BUF M/S AEOI uPM). Buffered mode only steers the SP/EN
 * pin on real hardware; the model's roles are fixed by wiring. */
static void chip_write_icw4(hw_pic_chip_t *c, uint8_t v)
{
    c->mode_8086 = v & 0x01;
    c->auto_eoi = v & 0x02;
    c->sfnm = v & 0x10;
}

/* The data port takes ICW2-ICW4 during initialisation, then OCW1 (the IMR). */
static void chip_write_data(hw_pic_chip_t *c, uint8_t v)
{
    switch (c->icw_next) {
    case ICW2:
        c->base = v & 0xf8; /* 8086 mode: T7-T3; the low three bits are the IR */
        c->icw_next = !c->single ? ICW3 : c->need_icw4 ? ICW4 : ICW_DONE;
        break;
    case ICW3:
        c->icw3 = v;
        c->icw_next = c->need_icw4 ? ICW4 : ICW_DONE;
        break;
    case ICW4:
        chip_write_icw4(c, v);
        c->icw_next = ICW_DONE;
        break;
    default:
        c->imr = v;
    }
}

/* A poll (OCW3 P) turns the next command port read into an acknowledge:
 * bit 7 says whether a request was there, bits 2-0 which IR got the IS bit. */
static uint8_t chip_poll(hw_pic_chip_t *c)
{
    c->poll = false;
    int ir = chip_request(c);
    if (ir < 0)
        return 0;
    chip_accept(c, (unsigned)ir);
    return (uint8_t)(0x80 | ir);
}

static uint8_t chip_read_command(hw_pic_chip_t *c)
{
    if (c->poll)
        return chip_poll(c);
    return c->read_isr ? c->isr : c->irr;
}

static void chip_power_on(hw_pic_chip_t *c, bool is_master, uint8_t base, uint8_t icw3)
{
    *c = (hw_pic_chip_t){0};
    c->is_master = is_master;
    c->base = base;
    c->icw3 = icw3;
    c->imr = 0xff;
    c->lowest = 7;
    c->need_icw4 = c->mode_8086 = true;
}

/* ---- The pair ---- */

void hw_pic_init(hw_pic_t *pic)
{
    atomic_init(&pic->lines, 0);
    chip_power_on(&pic->master, true, 0x08, ir_bit(HW_PIC_CASCADE_IRQ));
    chip_power_on(&pic->slave, false, 0x70, HW_PIC_CASCADE_IRQ);
    pic->stale = true;
}

/* Async-signal-safe: one lock-free compare-and-swap loop on pic->lines. */
void hw_pic_raise(hw_pic_t *pic, unsigned irq)
{
    if (irq >= HW_PIC_NLINES || irq == HW_PIC_CASCADE_IRQ)
        return;
    uint32_t line = 1u << irq;
    uint32_t old = atomic_load(&pic->lines), next;
    do {
        next = old | line | ((old & line) ? 0 : line << EDGE_SHIFT);
    } while (!atomic_compare_exchange_weak(&pic->lines, &old, next));
}

/* Async-signal-safe: one lock-free atomic AND. */
void hw_pic_lower(hw_pic_t *pic, unsigned irq)
{
    if (irq >= HW_PIC_NLINES)
        return;
    atomic_fetch_and(&pic->lines, ~(1u << irq));
}

void hw_pic_set_line(hw_pic_t *pic, unsigned irq, bool level)
{
    if (level)
        hw_pic_raise(pic, irq);
    else
        hw_pic_lower(pic, irq);
}

/* Takes the device lines and the edges since the last sample into both IRRs.
 * The master's IR2 keeps its level: the slave's INT reaches it only in
 * pic_propagate_cascade(). */
static void pic_take_lines(hw_pic_t *pic)
{
    uint32_t word = atomic_fetch_and(&pic->lines, LINE_BITS);
    uint32_t levels = word & LINE_BITS, rises = word >> EDGE_SHIFT;
    uint8_t cascade = ir_bit(HW_PIC_CASCADE_IRQ);
    chip_sample(&pic->slave, (uint8_t)(levels >> 8), (uint8_t)(rises >> 8));
    chip_sample(&pic->master, (uint8_t)((levels & ~cascade) | (pic->master.levels & cascade)),
                (uint8_t)(rises & ~cascade));
}

/* The slave's INT output drives the master's IR2 like any other input. */
static void pic_propagate_cascade(hw_pic_t *pic)
{
    uint8_t cascade = ir_bit(HW_PIC_CASCADE_IRQ);
    bool was_high = pic->master.levels & cascade;
    bool high = chip_request(&pic->slave) >= 0;
    uint8_t levels = (uint8_t)((pic->master.levels & ~cascade) | (high ? cascade : 0));
    chip_sample(&pic->master, levels, high && !was_high ? cascade : 0);
}

static void pic_sample(hw_pic_t *pic)
{
    pic_take_lines(pic);
    pic_propagate_cascade(pic);
}

bool hw_pic_resample(hw_pic_t *pic)
{
    pic_sample(pic);
    pic->intr = chip_request(&pic->master) >= 0;
    pic->seen_lines = atomic_load(&pic->lines);
    pic->stale = false;
    return pic->intr;
}

/* The slave's part of INTA, when the master named its cascade address. A
 * slave whose ID is not that address stays silent and the bus floats. */
static uint8_t pic_slave_inta(hw_pic_chip_t *s, unsigned cascade_ir)
{
    if ((s->icw3 & 7) != cascade_ir)
        return 0xff;
    int ir = chip_request(s);
    if (ir < 0)
        return s->base | 7;
    chip_accept(s, (unsigned)ir);
    chip_end_inta(s, (unsigned)ir);
    return (uint8_t)(s->base | ir);
}

/* Real MCS-80/85 mode (ICW4 uPM = 0) would put a CALL instruction on the
 * bus; the model always gives the 8086 vector. */
static uint8_t pic_inta(hw_pic_t *pic)
{
    hw_pic_chip_t *m = &pic->master;
    int ir = chip_request(m);
    if (ir < 0)
        return m->base | 7;
    chip_accept(m, (unsigned)ir);
    uint8_t vector =
        chip_is_cascade(m, (unsigned)ir) ? pic_slave_inta(&pic->slave, (unsigned)ir) : (uint8_t)(m->base | ir);
    chip_end_inta(m, (unsigned)ir);
    return vector;
}

uint8_t hw_pic_ack(hw_pic_t *pic)
{
    pic->stale = true;
    pic_take_lines(pic);
    uint8_t vector = pic_inta(pic);
    pic_propagate_cascade(pic);
    return vector;
}

static hw_pic_chip_t *pic_chip(hw_pic_t *pic, uint16_t port)
{
    return (port & 0x80) ? &pic->slave : &pic->master;
}

/* Command port (A0 = 0): IRR, ISR or a poll. Data port (A0 = 1): the IMR. */
static uint32_t pic_port_read(void *ctx, uint16_t port, unsigned size)
{
    (void)size;
    hw_pic_t *pic = ctx;
    pic->stale = true;
    pic_sample(pic);
    hw_pic_chip_t *c = pic_chip(pic, port);
    uint8_t value = (port & 1) ? c->imr : chip_read_command(c);
    pic_propagate_cascade(pic);
    return value;
}

static void pic_port_write(void *ctx, uint16_t port, unsigned size, uint32_t value)
{
    (void)size;
    hw_pic_t *pic = ctx;
    pic->stale = true;
    pic_sample(pic);
    hw_pic_chip_t *c = pic_chip(pic, port);
    if (port & 1)
        chip_write_data(c, (uint8_t)value);
    else
        chip_write_command(c, (uint8_t)value);
    pic_propagate_cascade(pic);
}

int hw_pic_attach(hw_pic_t *pic, hw_portbus_t *bus)
{
    hw_port_range_t r = {.first = HW_PIC_MASTER_PORT,
                         .last = HW_PIC_MASTER_PORT + 1,
                         .width = 1,
                         .read = pic_port_read,
                         .write = pic_port_write,
                         .ctx = pic};
    if (hw_portbus_register(bus, &r) != 0)
        return -1;
    r.first = HW_PIC_SLAVE_PORT;
    r.last = HW_PIC_SLAVE_PORT + 1;
    return hw_portbus_register(bus, &r);
}
