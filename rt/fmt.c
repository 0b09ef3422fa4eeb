/* A small vsnprintf for freestanding code (kernel trace lines, user printf). */
#include "rt.h"

typedef struct out {
    char *buf;
    size_t size;
    size_t len; /* what the full output would take */
} out_t;

typedef struct spec {
    int left;     /* '-' */
    int zero;     /* '0' */
    int width;
    int precision; /* -1: none */
    int length;    /* 0, 1 (l), 2 (ll or z) */
} spec_t;

static void put(out_t *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(out_t *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* Emits s[0..n) padded to the spec's width. */
static void put_field(out_t *o, const spec_t *sp, const char *s, int n)
{
    if (!sp->left)
        pad(o, ' ', sp->width - n);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - n);
}

static void put_str(out_t *o, const char *s)
{
    while (*s)
        put(o, *s++);
}

/* A number in base, after prefix ("-", "0x" or ""), padded as a whole. */
static void put_number(out_t *o, const spec_t *sp, uint64_t v, const char *prefix, unsigned base, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int total = n + (int)rt_strlen(prefix);
    if (sp->zero && !sp->left) {
        put_str(o, prefix);
        pad(o, '0', sp->width - total);
    } else {
        if (!sp->left)
            pad(o, ' ', sp->width - total);
        put_str(o, prefix);
    }
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', sp->width - total);
}

static const char *parse_spec(const char *f, spec_t *sp, va_list *ap)
{
    *sp = (spec_t){.precision = -1};
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '0')
            sp->zero = 1;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) { /* as in C: a negative width is the '-' flag */
            sp->left = 1;
            sp->width = -sp->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        sp->width = sp->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            sp->precision = va_arg(*ap, int);
            f++;
        }
        while (*f >= '0' && *f <= '9')
            sp->precision = sp->precision * 10 + (*f++ - '0');
    }
    for (; *f == 'l' || *f == 'z'; f++)
        sp->length += (*f == 'z') ? 2 : 1;
    return f;
}

static uint64_t arg_unsigned(const spec_t *sp, va_list *ap)
{
    if (sp->length >= 2)
        return va_arg(*ap, unsigned long long);
    if (sp->length == 1)
        return va_arg(*ap, unsigned long);
    return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(const spec_t *sp, va_list *ap)
{
    if (sp->length >= 2)
        return va_arg(*ap, long long);
    if (sp->length == 1)
        return va_arg(*ap, long);
    return va_arg(*ap, int);
}

static void convert(out_t *o, char conv, const spec_t *sp, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i': {
        int64_t v = arg_signed(sp, ap);
        put_number(o, sp, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0 ? "-" : "", 10, 0);
        break;
    }
    case 'u':
        put_number(o, sp, arg_unsigned(sp, ap), "", 10, 0);
        break;
    case 'x':
    case 'X':
        put_number(o, sp, arg_unsigned(sp, ap), "", 16, conv == 'X');
        break;
    case 'p':
        put_number(o, sp, (uint64_t)(uintptr_t)va_arg(*ap, void *), "0x", 16, 0);
        break;
    case 'c': {
        char c = (char)va_arg(*ap, int);
        put_field(o, sp, &c, 1);
        break;
    }
    case 's': {
        const char *s = va_arg(*ap, const char *);
        if (!s)
            s = "(null)";
        size_t n = sp->precision >= 0 ? rt_strnlen(s, (size_t)sp->precision) : rt_strlen(s);
        put_field(o, sp, s, (int)n);
        break;
    }
    default: /* %% and unknown conversions print themselves */
        put(o, conv);
        break;
    }
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    out_t o = {.buf = buf, .size = size, .len = 0};
    va_list args;
    va_copy(args, ap);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        spec_t sp;
        f = parse_spec(f + 1, &sp, &args);
        if (!*f)
            break;
        convert(&o, *f, &sp, &args);
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
