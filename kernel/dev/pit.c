/* The 8254 driver: channel 0 in mode 2 (rate generator). */
#include "dev/pit.h"

#include "arch/arch.h"

#define PIT_CH0 0x40
#define PIT_CONTROL 0x43
#define PIT_CH0_LOHI_MODE2 0x34 /* channel 0, low then high byte, mode 2, binary */
#define PIT_HZ 1193182u         /* the input clock */

uint64_t pit_init(unsigned hz)
{
    uint32_t divisor = (PIT_HZ + hz / 2) / hz;
    if (divisor > 65535)
        divisor = 0; /* 65536 */
    if (divisor < 2)
        divisor = 2;
    arch_outb(PIT_CONTROL, PIT_CH0_LOHI_MODE2);
    arch_outb(PIT_CH0, (uint8_t)divisor);
    arch_outb(PIT_CH0, (uint8_t)(divisor >> 8));
    uint64_t count = divisor ? divisor : 65536;
    return count * 1000000000ull / PIT_HZ;
}
