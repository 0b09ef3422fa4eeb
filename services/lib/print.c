/* Formatted output for user programs. */
#include "ms/print.h"

#include <stdarg.h>

#include "ms/syscall.h"
#include "rt.h"

uint64_t ms_printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf)
        n = (int)sizeof buf - 1;
    return ms_debug_write(buf, (uint64_t)n);
}
