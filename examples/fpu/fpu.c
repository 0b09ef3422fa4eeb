/*
 * fpu: the FPU's control registers belong to each thread. "strict" unmasks
 * the divide-by-zero exception in its MXCSR and yields; "lenient", which
 * kept the power-on masks, divides by zero and gets infinity; then strict
 * divides by zero and raises #XM (a SIMD floating-point exception), which
 * kills it. Were the kernel to let one thread's MXCSR reach another,
 * lenient would die instead.
 */
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define MXCSR_ZERO_DIVIDE_MASK 0x200u

static uint32_t get_mxcsr(void)
{
    uint32_t v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static void set_mxcsr(uint32_t v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static double divide(double a, double b)
{
    volatile double x = a, y = b;
    return x / y;
}

static void strict_main(const ms_start_t *start)
{
    set_mxcsr(get_mxcsr() & ~MXCSR_ZERO_DIVIDE_MASK);
    ms_yield();
    ms_yield();
    ms_printf("%s: MXCSR is still 0x%x after two system calls\n", start->name, get_mxcsr());
    double q = divide(1.0, 0.0); /* #XM */
    ms_printf("%s: 1/0 did not trap (%s)\n", start->name, q > 1e308 ? "inf" : "?");
    ms_exit(1);
}

static void lenient_main(const ms_start_t *start)
{
    double q = divide(1.0, 0.0);
    int inf = q == __builtin_inf();
    ms_printf("%s: MXCSR 0x%x, 1/0 = %s\n", start->name, get_mxcsr(), inf ? "inf, masked as it should be" : "?");
    ms_exit(inf ? 0 : 1);
}

const ms_manifest_t scenario_fpu = {
    .name = "fpu",
    .description = "each thread has its own FPU controls: one unmasks divide-by-zero (#XM), another is unaffected",
    .ntasks = 2,
    .tasks = {
        {.name = "strict", .entry = strict_main, .prio = 10},
        {.name = "lenient", .entry = lenient_main, .prio = 10},
    },
};
