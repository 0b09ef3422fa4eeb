/* memcpy, memset, memmove and memcmp for images with no C library (the x86-64 kernel and its user image). */
#include <stddef.h>

#include "rt.h"

/*
 * gcc may emit calls to these four even in freestanding code (struct copies,
 * zeroed initialisers), so every image without a C library links this file;
 * the hosted build takes them from glibc instead. The copies are string
 * instructions, so the compiler cannot turn them back into calls to
 * themselves, as it may with a byte loop.
 */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

/* Backwards when the destination overlaps the end of the source. */
void *memmove(void *dst, const void *src, size_t n)
{
    if ((const char *)dst <= (const char *)src || (const char *)dst >= (const char *)src + n)
        return memcpy(dst, src, n);
    void *d = (char *)dst + n - 1;
    const void *s = (const char *)src + n - 1;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    return rt_memcmp(a, b, n);
}
