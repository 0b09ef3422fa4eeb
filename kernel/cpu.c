/* Per-CPU kernel state. */
#include "cpu.h"

k_cpu_t k_cpu0;

void k_cpu_init(void)
{
    k_cpu0 = (k_cpu_t){0};
    k_list_init(&k_cpu0.doomed);
}
