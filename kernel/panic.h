/* Kernel panics: an invariant broke; report and stop the machine. */
#ifndef K_PANIC_H
#define K_PANIC_H

/* Formats the reason (rt_vsnprintf conversions) and hands it, with the
 * current thread's saved registers, to arch_panic(). Never returns. */
__attribute__((noreturn, format(printf, 1, 2))) void k_panic(const char *fmt, ...);

#endif
