/* Interrupt and exception dispatch. */
#include "interrupt.h"

#include "cpu.h"
#include "dev/pic.h"
#include "dev/pit.h"
#include "exception.h"
#include "object/irq.h"
#include "object/thread.h"
#include "panic.h"
#include "timer.h"
#include "trace.h"

/* An IRQ: the clock is the kernel's own; a line nobody handles is masked so
 * that it cannot storm, and traced. */
static void irq_dispatch(unsigned line)
{
    if (pic_spurious(line))
        return;
    pic_eoi(line);
    if (line == PIT_IRQ) {
        timer_tick();
        return;
    }
    k_trace_event_t *ev = trace_begin(K_EV_IRQ, k_cpu()->current, NULL);
    if (ev) {
        ev->a[0] = line;
        ev->a[1] = PIC_VECTOR_BASE + line;
    }
    if (!irq_deliver(line))
        pic_mask(line); /* nobody handles it: it must not storm */
}

uint16_t interrupt_can_wake(void)
{
    return irq_wake_lines();
}

void interrupt_dispatch(unsigned vector, uint64_t error, uint64_t addr)
{
    thread_t *t = k_cpu()->current;
    if (vector < K_VECTOR_EXCEPTIONS && t) {
        exception_deliver(t, vector, error, addr);
        return;
    }
    if (vector >= K_VECTOR_IRQ_BASE && vector < K_VECTOR_IRQ_END) {
        irq_dispatch(vector - K_VECTOR_IRQ_BASE);
        return;
    }
    k_panic("vector %u (error 0x%llx, address 0x%llx): no handler", vector, (unsigned long long)error,
            (unsigned long long)addr);
}
