/* Formatted output for user programs, through the kernel's debug console. */
#ifndef MS_PRINT_H
#define MS_PRINT_H

#include <stdint.h>

/* Formats like printf (the rt_vsnprintf conversions) into a buffer on the
 * stack and writes it with debug_write; output over 256 bytes is cut. Returns
 * the system call's result. */
uint64_t ms_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
