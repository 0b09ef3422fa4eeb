/* IRQ line objects: binding, delivery, acknowledgement. */
#include "object/irq.h"

#include "dev/pic.h"
#include "dev/pit.h"
#include "list.h"
#include "ms_abi.h"
#include "object/notification.h"
#include "rt.h"

static irq_line_t lines[IRQ_LINES];

void irq_pool_reset(void)
{
    rt_memset(lines, 0, sizeof lines);
}

irq_line_t *irq_line_get(unsigned line)
{
    if (line >= IRQ_LINES || line == PIT_IRQ || line == 2)
        return NULL;
    irq_line_t *irq = &lines[line];
    if (irq->obj.type == KOBJ_NONE) {
        kobject_init(&irq->obj, KOBJ_IRQ, line + 1);
        irq->line = line;
    }
    return irq;
}

void irq_bind(irq_line_t *irq, notification_t *ntfn, uint64_t bits)
{
    notification_t *old = irq->ntfn;
    if (ntfn)
        kobject_ref(&ntfn->obj);
    irq->ntfn = ntfn;
    irq->bits = bits;
    irq->awaiting_ack = 0;
    if (ntfn)
        pic_unmask(irq->line);
    else
        pic_mask(irq->line);
    if (old)
        kobject_unref(&old->obj);
}

void irq_line_destroy(irq_line_t *irq)
{
    irq_bind(irq, NULL, 0);
    irq->obj.type = KOBJ_NONE;
}

int irq_deliver(unsigned line)
{
    irq_line_t *irq = line < IRQ_LINES ? &lines[line] : NULL;
    if (!irq || irq->obj.type != KOBJ_IRQ || !irq->ntfn)
        return 0;
    pic_mask(line);
    irq->awaiting_ack = 1;
    notification_signal(irq->ntfn, irq->bits, NULL);
    return 1;
}

int irq_ack(irq_line_t *irq)
{
    if (!irq->awaiting_ack || !irq->ntfn)
        return MS_E_INVAL;
    irq->awaiting_ack = 0;
    pic_unmask(irq->line);
    return MS_OK;
}

uint16_t irq_wake_lines(void)
{
    uint16_t mask = 0;
    for (unsigned i = 0; i < IRQ_LINES; i++)
        if (lines[i].obj.type == KOBJ_IRQ && lines[i].ntfn && !lines[i].awaiting_ack &&
            !k_list_empty(&lines[i].ntfn->waiters))
            mask |= (uint16_t)(1u << i);
    return mask;
}

irq_line_t *irq_pool_at(unsigned i)
{
    return i < IRQ_LINES && lines[i].obj.type == KOBJ_IRQ ? &lines[i] : NULL;
}
