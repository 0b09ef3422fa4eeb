/* The knobs of the fake arch port that unit tests and fuzz harnesses run the kernel on. */
#ifndef TEST_FAKE_ARCH_H
#define TEST_FAKE_ARCH_H

#include <setjmp.h>
#include <stdint.h>

/* What arch_time_ns() returns. */
extern uint64_t fake_arch_time;
/* When set, every user copy "faults" (returns -1). */
/* Physical memory: host memory at FAKE_ARCH_PHYS_HOST (in the user window). */
#define FAKE_ARCH_PHYS_HOST 0x10000000ul
#define FAKE_ARCH_PHYS_SIZE (16ul << 20)
/* The root arch_page_root_load() loaded last, and arch_tlb_flush_page() calls. */
extern uint64_t fake_arch_root;
extern unsigned fake_arch_flushes;
/* When set, arch_panic copies its message here and longjmps there; when NULL
 * it prints the message and aborts. */
extern jmp_buf *fake_arch_panic_jump;
extern char fake_arch_panic_msg[256];
/* Where port I/O goes when set (a test wires a device model); else reads
 * float to all ones and writes are lost. */
extern uint8_t (*fake_arch_inb)(uint16_t port);
extern void (*fake_arch_outb)(uint16_t port, uint8_t value);

#endif
