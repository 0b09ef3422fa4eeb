/* Memory helpers for freestanding code. */
#include "rt.h"

void *rt_memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

/* Eight bytes at a time once aligned: the kernel clears whole page frames. */
void *rt_memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    for (; n && ((uintptr_t)d & 7); n--)
        *d++ = (unsigned char)c;
    uint64_t word = 0x0101010101010101ull * (unsigned char)c;
    for (; n >= 8; n -= 8, d += 8)
        __builtin_memcpy(d, &word, 8);
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int rt_memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}
