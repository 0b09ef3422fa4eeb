/* rt: the freestanding runtime shared by the kernel and user space (no libc). */
#ifndef RT_H
#define RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *rt_memcpy(void *dst, const void *src, size_t n);
void *rt_memset(void *dst, int c, size_t n);
int rt_memcmp(const void *a, const void *b, size_t n);

size_t rt_strlen(const char *s);
/* Bounded length: at most max. */
size_t rt_strnlen(const char *s, size_t max);
int rt_strcmp(const char *a, const char *b);
/* Copies at most size-1 bytes and always terminates (size > 0); returns strlen(src). */
size_t rt_strlcpy(char *dst, const char *src, size_t size);

/*
 * printf-style formatting into buf, always NUL-terminated when size > 0.
 * Returns the length the full output would have. Conversions: %d %i %u %x %X
 * %c %s %p %%, with flags '-' '0', a width, a precision for %s (also '*'),
 * and the length modifiers l, ll, z.
 */
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
