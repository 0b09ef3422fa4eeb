/* Frames objects: runs of physical page frames that a handle lets a task map. */
#include "object/frames.h"

#include "frame.h"
#include "rt.h"

static frames_t pool[K_MAX_FRAMES_OBJECTS];
static uint32_t next_id = 1;
/* For each physical frame, 1 + the pool index of the object holding it. */
static uint16_t owner[K_FRAMES_MAX];

void frames_pool_reset(void)
{
    rt_memset(pool, 0, sizeof pool); /* stale owner entries name free slots: ignored */
    next_id = 1;
}

static unsigned frame_index(uint64_t pa)
{
    return (unsigned)((pa >> K_PAGE_SHIFT) % K_FRAMES_MAX);
}

static frames_t *free_slot(void)
{
    for (unsigned i = 0; i < K_MAX_FRAMES_OBJECTS; i++)
        if (pool[i].obj.type == KOBJ_NONE)
            return &pool[i];
    return NULL;
}

static frames_t *make(frames_t *f, uint64_t pa, unsigned npages, int adopted)
{
    kobject_init(&f->obj, KOBJ_FRAMES, next_id++);
    f->pa = pa;
    f->npages = npages;
    f->mapped = 0;
    f->adopted = adopted;
    for (unsigned k = 0; k < npages; k++)
        owner[frame_index(pa + (uint64_t)k * K_PAGE_SIZE)] = (uint16_t)(f - pool + 1);
    return f;
}

frames_t *frames_create(unsigned npages)
{
    frames_t *f = free_slot();
    uint64_t pa = f ? frame_alloc(npages) : 0;
    return pa ? make(f, pa, npages, 0) : NULL;
}

frames_t *frames_adopt(uint64_t pa, unsigned npages)
{
    frames_t *f = free_slot();
    return f ? make(f, pa, npages, 1) : NULL;
}

void frames_destroy(frames_t *f)
{
    for (unsigned k = 0; k < f->npages; k++)
        owner[frame_index(f->pa + (uint64_t)k * K_PAGE_SIZE)] = 0;
    if (!f->adopted)
        frame_free(f->pa, f->npages);
    f->obj.type = KOBJ_NONE;
}

frames_t *frames_owner(uint64_t pa)
{
    unsigned o = owner[frame_index(pa)];
    if (!o || pool[o - 1].obj.type != KOBJ_FRAMES)
        return NULL;
    frames_t *f = &pool[o - 1];
    return pa >= f->pa && pa - f->pa < (uint64_t)f->npages * K_PAGE_SIZE ? f : NULL;
}

void frames_map_ref(frames_t *f)
{
    if (f->mapped++ == 0)
        kobject_ref(&f->obj);
}

void frames_map_unref(frames_t *f)
{
    if (--f->mapped == 0)
        kobject_unref(&f->obj);
}

frames_t *frames_pool_at(unsigned i)
{
    return i < K_MAX_FRAMES_OBJECTS && pool[i].obj.type == KOBJ_FRAMES ? &pool[i] : NULL;
}
