/*
 * Port I/O from user code, trap and emulate. The host refuses `in` and `out`
 * in user mode (#GP, as a real CPU does when the TSS bitmap forbids the
 * port); the simulated CPU decodes the instruction, checks its own I/O
 * permission bitmap (the ranges the kernel loaded), performs the access on
 * the port bus and steps past the instruction, as the hardware would have.
 */
#include <ucontext.h>

#include "cpu.h"

static int permitted(uint32_t port, unsigned size)
{
    for (unsigned i = 0; i < hw_cpu0.nio; i++)
        if (port >= hw_cpu0.io[i].first && port + size - 1 <= hw_cpu0.io[i].last)
            return 1;
    return 0;
}

/* The in/out forms: E4-E7 with an 8-bit port, EC-EF with the port in dx, an
 * optional 0x66 prefix for 16 bits. Returns the instruction's length and
 * fills the access, or 0 if the bytes are not one. */
static unsigned decode(const uint8_t *code, const greg_t *g, int *in, uint32_t *port, unsigned *size)
{
    unsigned at = code[0] == 0x66;
    uint8_t op = code[at];
    if (op < 0xe4 || (op > 0xe7 && op < 0xec) || op > 0xef)
        return 0;
    *in = (op & 2) == 0;
    *size = (op & 1) == 0 ? 1 : at ? 2 : 4;
    if (op >= 0xec) {
        *port = (uint16_t)g[REG_RDX];
        return at + 1;
    }
    *port = code[at + 1];
    return at + 2;
}

int hw_cpu_emulate_io(void *ucontext)
{
    ucontext_t *uc = ucontext;
    greg_t *g = uc->uc_mcontext.gregs;
    if (!hw_cpu0.io_bus)
        return 0;
    int in;
    uint32_t port;
    unsigned size;
    unsigned len = decode((const uint8_t *)(uintptr_t)g[REG_RIP], g, &in, &port, &size);
    if (!len || !permitted(port, size))
        return 0;
    if (hw_cpu0.io_sync)
        hw_cpu0.io_sync(); /* the devices see the time of the access */
    if (in) {
        uint32_t v = hw_portbus_in(hw_cpu0.io_bus, (uint16_t)port, size);
        if (size == 4)
            g[REG_RAX] = v; /* a 32-bit write clears the upper half */
        else if (size == 2)
            g[REG_RAX] = (g[REG_RAX] & ~(greg_t)0xffff) | v;
        else
            g[REG_RAX] = (g[REG_RAX] & ~(greg_t)0xff) | v;
    } else {
        uint32_t mask = size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
        hw_portbus_out(hw_cpu0.io_bus, (uint16_t)port, size, (uint32_t)g[REG_RAX] & mask);
    }
    g[REG_RIP] += len;
    return 1;
}

void hw_cpu_set_io_permissions(hw_portbus_t *bus, const hw_io_range_t *ranges, unsigned n)
{
    hw_cpu0.io_bus = bus;
    hw_cpu0.nio = n < HW_CPU_IO_RANGES ? n : HW_CPU_IO_RANGES;
    for (unsigned i = 0; i < hw_cpu0.nio; i++)
        hw_cpu0.io[i] = ranges[i];
}
