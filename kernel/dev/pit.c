/* The 8254 driver: channel 0 in mode 2 (rate generator). */
#include "dev/pit.h"

#include "arch/arch.h"

#define PIT_CH0 0x40
#define PIT_CONTROL 0x43
#define PIT_CH0_LOHI_MODE2 0x34 /* channel 0, low then high byte, mode 2, binary */
#define PIT_HZ 1193182u         /* the input clock */

uint64_t pit_init(unsigned hz)
{
    uint32_t count = (PIT_HZ + hz / 2) / hz;
    if (count > 65536)
        count = 65536; /* written as 0 */
    if (count < 2)
        count = 2;
    arch_outb(PIT_CONTROL, PIT_CH0_LOHI_MODE2);
    arch_outb(PIT_CH0, (uint8_t)count);
    arch_outb(PIT_CH0, (uint8_t)(count >> 8));
    return (uint64_t)count * 1000000000ull / PIT_HZ;
}
