/* A stand-in for the arch interface, so unit tests run kernel code without a machine. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "fake_arch.h"
#include "trace.h"

uint64_t fake_arch_time;
int fake_arch_fail_copies;

/* Unit tests never leave the kernel: entering user mode means a test drove
 * an entry path it should not have. */
void arch_return_to_user(arch_regs_t *regs)
{
    (void)regs;
    fprintf(stderr, "fake arch: arch_return_to_user called from a unit test\n");
    abort();
}

void arch_regs_init(arch_regs_t *regs, uintptr_t entry, uintptr_t stack_top, uint64_t arg)
{
    memset(regs, 0, sizeof *regs);
    regs->rip = entry;
    regs->rsp = stack_top;
    regs->rdi = arg;
}

void arch_idle(uint16_t wake_lines)
{
    (void)wake_lines;
}

void arch_halt(int status)
{
    fprintf(stderr, "fake arch: halt with status %d\n", status);
    exit(100 + status);
}

jmp_buf *fake_arch_panic_jump;
char fake_arch_panic_msg[256];

/* A test expecting a panic catches it (fx_panic_of); any other panic aborts. */
void arch_panic(const char *msg, const arch_regs_t *regs)
{
    (void)regs;
    if (fake_arch_panic_jump) {
        snprintf(fake_arch_panic_msg, sizeof fake_arch_panic_msg, "%s", msg);
        longjmp(*fake_arch_panic_jump, 1);
    }
    fprintf(stderr, "fake arch: kernel panic: %s\n", msg);
    abort();
}

uint8_t (*fake_arch_inb)(uint16_t port);
void (*fake_arch_outb)(uint16_t port, uint8_t value);

uint8_t arch_inb(uint16_t port)
{
    return fake_arch_inb ? fake_arch_inb(port) : 0xff;
}

void arch_outb(uint16_t port, uint8_t value)
{
    if (fake_arch_outb)
        fake_arch_outb(port, value);
}

void arch_io_permit(const arch_io_range_t *ranges, unsigned n)
{
    (void)ranges;
    (void)n;
}

uint64_t arch_time_ns(void)
{
    return fake_arch_time;
}

unsigned arch_cpu_id(void)
{
    return 0;
}

int arch_copy_from_user(void *dst, uintptr_t user_src, size_t len)
{
    if (fake_arch_fail_copies)
        return -1;
    memcpy(dst, (const void *)user_src, len);
    return 0;
}

int arch_copy_to_user(uintptr_t user_dst, const void *src, size_t len)
{
    if (fake_arch_fail_copies)
        return -1;
    memcpy((void *)user_dst, src, len);
    return 0;
}

int arch_copy_user_to_user(uintptr_t user_dst, uintptr_t user_src, size_t len)
{
    if (fake_arch_fail_copies)
        return -1;
    memmove((void *)user_dst, (const void *)user_src, len);
    return 0;
}

unsigned arch_stack_register(uintptr_t lo, uintptr_t hi)
{
    (void)lo;
    (void)hi;
    return 0;
}

void arch_stack_deregister(unsigned id)
{
    (void)id;
}

/* Events stay in the ring for the tests to read (fx_event). */
void arch_trace_drain(k_trace_ring_t *ring)
{
    (void)ring;
}
