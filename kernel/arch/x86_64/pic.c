/* The 8259 pair: remapped to vectors 32..47 and, until the interrupt issue, fully masked. */
#include "x86.h"
#include "x86_64.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define PIC_VECTOR_BASE 32 /* as on the simulated PC: IRQ n is vector 32 + n */

static uint16_t mask = 0xffff; /* bit n set: IRQ n masked */

/* Reinitialises both controllers (ICW1..ICW4): IRQ 0-7 at vectors 32-39, IRQ
 * 8-15 at 40-47, the slave on IRQ 2; then masks every line. The BIOS leaves
 * them at 8-15, over the CPU's exceptions. The interrupt issue moves this to
 * the kernel's own PIC driver, which the hosted build runs against its model. */
void pic_init(void)
{
    outb(PIC1_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(PIC2_CMD, ICW1_INIT_ICW4);
    io_wait();
    outb(PIC1_DATA, PIC_VECTOR_BASE);
    io_wait();
    outb(PIC2_DATA, PIC_VECTOR_BASE + 8);
    io_wait();
    outb(PIC1_DATA, 1u << 2); /* the slave hangs on IRQ 2 */
    io_wait();
    outb(PIC2_DATA, 2);       /* the slave's cascade identity */
    io_wait();
    outb(PIC1_DATA, ICW4_8086);
    io_wait();
    outb(PIC2_DATA, ICW4_8086);
    io_wait();
    mask = 0xffff;
    outb(PIC1_DATA, (uint8_t)mask);
    outb(PIC2_DATA, (uint8_t)(mask >> 8));
}

int pic_all_masked(void)
{
    return mask == 0xffff;
}
