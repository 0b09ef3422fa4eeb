/* Kernel panics. */
#include "panic.h"

#include <stdarg.h>

#include "arch/arch.h"
#include "cpu.h"
#include "object/thread.h"
#include "rt.h"

void k_panic(const char *fmt, ...)
{
    static char msg[256];
    va_list ap;
    va_start(ap, fmt);
    rt_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    thread_t *cur = k_cpu()->current;
    arch_panic(msg, cur ? &cur->regs : NULL);
}
