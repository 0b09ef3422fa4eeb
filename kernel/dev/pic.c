/* The 8259A driver: the same outb sequences on the simulated PC and on real hardware. */
#include "dev/pic.h"

#include "arch/arch.h"

#define MASTER_CMD 0x20
#define MASTER_DATA 0x21
#define SLAVE_CMD 0xa0
#define SLAVE_DATA 0xa1
#define ICW1_INIT_ICW4 0x11 /* edge triggered, cascaded, ICW4 follows */
#define ICW4_8086 0x01
#define OCW2_EOI 0x20
#define OCW3_READ_ISR 0x0b
#define CASCADE_LINE 2

static uint16_t mask;

static void write_mask(void)
{
    arch_outb(MASTER_DATA, (uint8_t)mask);
    arch_outb(SLAVE_DATA, (uint8_t)(mask >> 8));
}

void pic_init(void)
{
    arch_outb(MASTER_CMD, ICW1_INIT_ICW4);
    arch_outb(SLAVE_CMD, ICW1_INIT_ICW4);
    arch_outb(MASTER_DATA, PIC_VECTOR_BASE);
    arch_outb(SLAVE_DATA, PIC_VECTOR_BASE + 8);
    arch_outb(MASTER_DATA, 1u << CASCADE_LINE);
    arch_outb(SLAVE_DATA, CASCADE_LINE);
    arch_outb(MASTER_DATA, ICW4_8086);
    arch_outb(SLAVE_DATA, ICW4_8086);
    mask = (uint16_t)~(1u << CASCADE_LINE);
    write_mask();
}

void pic_mask(unsigned line)
{
    mask |= (uint16_t)(1u << line);
    write_mask();
}

void pic_unmask(unsigned line)
{
    mask &= (uint16_t)~(1u << line);
    write_mask();
}

int pic_masked(unsigned line)
{
    return (mask >> line) & 1u;
}

uint16_t pic_mask_bits(void)
{
    return mask;
}

void pic_eoi(unsigned line)
{
    if (line >= 8)
        arch_outb(SLAVE_CMD, OCW2_EOI);
    arch_outb(MASTER_CMD, OCW2_EOI);
}

int pic_spurious(unsigned line)
{
    if (line != 7 && line != 15)
        return 0;
    uint16_t cmd = line == 7 ? MASTER_CMD : SLAVE_CMD;
    arch_outb(cmd, OCW3_READ_ISR);
    if (arch_inb(cmd) & 0x80)
        return 0;
    if (line == 15)
        arch_outb(MASTER_CMD, OCW2_EOI);
    return 1;
}
