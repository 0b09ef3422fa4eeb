/* A stand-in for the arch interface, so unit tests run kernel code without a machine. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/arch.h"
#include "fake_arch.h"
#include "trace.h"

uint64_t fake_arch_time;

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

void arch_idle(uint16_t wake_lines, uint64_t until_ns)
{
    (void)wake_lines;
    (void)until_ns;
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

/*
 * Physical memory is host memory mapped at FAKE_ARCH_PHYS_HOST, inside the
 * user window, so that a fixture task mapped at FAKE_ARCH_PHYS_HOST + pa has
 * user addresses equal to the host addresses of its memory: tests read and
 * write a task's memory directly, while the kernel goes through the page
 * tables and arch_phys_to_kernel() as on a machine.
 */
static unsigned char *phys;

__attribute__((constructor)) static void map_phys(void)
{
    void *p = mmap((void *)FAKE_ARCH_PHYS_HOST, FAKE_ARCH_PHYS_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)FAKE_ARCH_PHYS_HOST) {
        fprintf(stderr, "fake arch: cannot map physical memory at %#lx\n", (unsigned long)FAKE_ARCH_PHYS_HOST);
        abort();
    }
    phys = p;
}

void arch_phys_memory(uint64_t *base, uint64_t *size)
{
    *base = 4096;
    *size = FAKE_ARCH_PHYS_SIZE - 4096;
}

void *arch_phys_to_kernel(uint64_t pa)
{
    return phys + pa;
}

void arch_page_root_init(uint64_t *pml4)
{
    (void)pml4;
}

uint64_t fake_arch_root;
unsigned fake_arch_flushes;

void arch_page_root_load(uint64_t root)
{
    fake_arch_root = root;
}

void arch_tlb_flush_page(uint64_t root, uintptr_t va)
{
    (void)root;
    (void)va;
    fake_arch_flushes++;
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
