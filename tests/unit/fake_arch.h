/* The knobs of the fake arch port that unit tests and fuzz harnesses run the kernel on. */
#ifndef TEST_FAKE_ARCH_H
#define TEST_FAKE_ARCH_H

#include <setjmp.h>
#include <stdint.h>

/* What arch_time_ns() returns. */
extern uint64_t fake_arch_time;
/* When set, every user copy "faults" (returns -1). */
extern int fake_arch_fail_copies;
/* When set, arch_panic copies its message here and longjmps there; when NULL
 * it prints the message and aborts. */
extern jmp_buf *fake_arch_panic_jump;
extern char fake_arch_panic_msg[256];
/* Where port I/O goes when set (a test wires a device model); else reads
 * float to all ones and writes are lost. */
extern uint8_t (*fake_arch_inb)(uint16_t port);
extern void (*fake_arch_outb)(uint16_t port, uint8_t value);

#endif
