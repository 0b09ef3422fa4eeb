/* Boot: building the initial tasks from the boot manifest. */
#include "boot.h"

#include "cpu.h"
#include "dev/pic.h"
#include "entry.h"
#include "fastpath.h"
#include "frame.h"
#include "halt.h"
#include "invariants.h"
#include "object/endpoint.h"
#include "object/frames.h"
#include "object/ioport.h"
#include "object/irq.h"
#include "object/notification.h"
#include "object/task.h"
#include "object/thread.h"
#include "panic.h"
#include "rt.h"
#include "sched.h"
#include "stats.h"
#include "timer.h"
#include "trace.h"
#include "usercopy.h"

uintptr_t k_boot_task_mem_size(const ms_boot_task_t *task)
{
    uintptr_t bytes = (uintptr_t)(task->mem_kib ? task->mem_kib : MS_DEFAULT_MEM_KIB) * 1024u;
    return (bytes + K_PAGE_SIZE - 1) & ~(uintptr_t)(K_PAGE_SIZE - 1);
}

static uintptr_t stack_size(const ms_boot_task_t *task)
{
    return (uintptr_t)(task->stack_kib ? task->stack_kib : MS_DEFAULT_STACK_KIB) * 1024u;
}

static void reset_kernel(uint32_t trace_mask)
{
    uint64_t base, size;
    arch_phys_memory(&base, &size);
    frame_init(base, size);
    k_cpu_init();
    sched_init();
    trace_init(trace_mask);
    kobject_pools_reset();
    halt_init();
}

static void write_start_block(task_t *task, const ms_boot_task_t *spec, const k_boot_info_t *info,
                              const k_boot_region_t *mem)
{
    ms_start_t start;
    rt_memset(&start, 0, sizeof start);
    for (unsigned i = 0; i < 4; i++)
        start.arg[i] = spec->arg[i];
    start.seed = info->seed;
    start.mem_base = mem->base;
    start.mem_size = mem->size;
    start.heap_base = mem->base + K_BOOT_HEAP_OFFSET;
    start.heap_size = mem->size - stack_size(spec) - K_BOOT_HEAP_OFFSET;
    start.ipc_buffer = mem->base + K_BOOT_IPCBUF_OFFSET;
    rt_strlcpy(start.name, spec->name, sizeof start.name);
    if (user_write(task, mem->base + K_BOOT_START_OFFSET, &start, sizeof start) != MS_OK)
        k_panic("boot: cannot write the start block of %s", spec->name);
}

/* The loader maps [va, va + size) of the task to fresh zeroed frames,
 * read-write, marked accessed and dirty. */
static void give_memory(task_t *task, const char *name, uintptr_t va, uintptr_t size)
{
    unsigned pages = (unsigned)((size + K_PAGE_SIZE - 1) / K_PAGE_SIZE);
    frames_t *f = frames_create(pages);
    if (!f)
        k_panic("boot: no memory for task %s (%u pages): give the machine more (microsim --mem)", name, pages);
    unsigned rw = MS_RIGHT_READ | MS_RIGHT_WRITE;
    if (aspace_map(&task->aspace, va, f, 0, pages, rw, rw, 1) != MS_OK)
        k_panic("boot: cannot map the memory of task %s", name);
}

/* The image's frames objects, made once at boot, held by the kernel, and
 * where they go in every space. */
static frames_t *image_frames[ASPACE_IMAGE_REGIONS];
static k_boot_image_t image_at[ASPACE_IMAGE_REGIONS];
static unsigned nimage_frames;

static void adopt_image(const k_boot_info_t *info)
{
    for (unsigned i = 0; i < info->nuser_image && i < ASPACE_IMAGE_REGIONS; i++) {
        unsigned pages = (unsigned)((info->user_image[i].size + K_PAGE_SIZE - 1) / K_PAGE_SIZE);
        if (!(image_frames[i] = frames_adopt(info->user_image[i].pa, pages)))
            k_panic("boot: no frames object for the image");
        kobject_ref(&image_frames[i]->obj);
        image_at[i] = info->user_image[i];
    }
    nimage_frames = info->nuser_image < ASPACE_IMAGE_REGIONS ? info->nuser_image : ASPACE_IMAGE_REGIONS;
}

int k_boot_map_image(task_t *task)
{
    for (unsigned i = 0; i < nimage_frames; i++) {
        const k_boot_image_t *im = &image_at[i];
        int err = aspace_map(&task->aspace, im->va, image_frames[i], 0, image_frames[i]->npages, im->rights,
                             im->rights, 1);
        if (err != MS_OK)
            return err;
    }
    return MS_OK;
}

/* All of a task's memory, or for a demand-paged task the start block and
 * the IPC buffer only (its pager maps the heap and the stack). */
static void load_task_memory(task_t *task, const ms_boot_task_t *spec, const k_boot_region_t *mem)
{
    if (!spec->demand) {
        give_memory(task, spec->name, mem->base, mem->size);
        return;
    }
    if (!spec->fault_ep)
        k_panic("boot: demand-paged task %s has no pager (fault_ep)", spec->name);
    give_memory(task, spec->name, mem->base, K_BOOT_HEAP_OFFSET);
}

static thread_t *start_task(const ms_boot_task_t *spec, const k_boot_info_t *info, const k_boot_region_t *mem)
{
    if (!spec->name || !spec->entry)
        k_panic("boot: manifest %s has a task without name or entry", info->manifest->name);
    if (mem->size < k_boot_task_mem_size(spec) || mem->size < K_BOOT_HEAP_OFFSET + stack_size(spec))
        k_panic("boot: task %s has too little memory", spec->name);
    task_t *task = task_create(spec->name, mem->base, mem->size, spec->prio, spec->daemon);
    if (!task)
        k_panic("boot: no room for task %s", spec->name);
    task->from_boot = 1;
    load_task_memory(task, spec, mem);
    if (k_boot_map_image(task) != MS_OK)
        k_panic("boot: cannot map the image into task %s", task->name);
    write_start_block(task, spec, info, mem);
    uintptr_t top = mem->base + mem->size;
    thread_t *t = thread_create(task, (uintptr_t)spec->entry, top - stack_size(spec), top,
                                mem->base + K_BOOT_IPCBUF_OFFSET, mem->base + K_BOOT_START_OFFSET, spec->prio);
    if (!t)
        k_panic("boot: no room for the thread of %s", spec->name);
    if (spec->slice_us)
        t->slice_ns = (uint64_t)spec->slice_us * 1000u;
    handle_install_at(&task->handles, MS_HANDLE_SELF, &task->obj, MS_RIGHTS_ALL, 0);
    k_trace_event_t *ev = trace_begin(K_EV_TASK_SPAWN, t, NULL);
    if (ev) {
        ev->a[0] = task->obj.id;
        ev->a[1] = spec->prio;
        ev->a[3] = ev->a[4] = 0; /* no name: the actor is the task's own thread */
    }
    return t;
}

/* The objects a manifest creates at boot, held by boot until the handles
 * are given. */
typedef struct boot_objects {
    task_t *tasks[MS_MANIFEST_TASKS_MAX];
    endpoint_t *eps[MS_MANIFEST_ENDPOINTS_MAX];
    notification_t *ntfns[MS_MANIFEST_NOTIFICATIONS_MAX];
    ioport_t *ioports[MS_MANIFEST_IOPORTS_MAX];
    frames_t *frames[MS_MANIFEST_FRAMES_MAX];
} boot_objects_t;

/* The object a boot handle names, or NULL if it names none. */
static kobject_t *boot_object(const ms_manifest_t *m, const boot_objects_t *o, const ms_boot_handle_t *bh)
{
    irq_line_t *irq;
    switch (bh->type) {
    case MS_OBJ_ENDPOINT:
        return bh->index < m->endpoints ? &o->eps[bh->index]->obj : NULL;
    case MS_OBJ_TASK:
        return bh->index < m->ntasks ? &o->tasks[bh->index]->obj : NULL;
    case MS_OBJ_NOTIFICATION:
        return bh->index < m->notifications ? &o->ntfns[bh->index]->obj : NULL;
    case MS_OBJ_IOPORT:
        return bh->index < m->nioports ? &o->ioports[bh->index]->obj : NULL;
    case MS_OBJ_FRAMES:
        return bh->index < m->nframes ? &o->frames[bh->index]->obj : NULL;
    case MS_OBJ_IRQ:
        irq = irq_line_get(bh->index);
        return irq ? &irq->obj : NULL;
    default:
        return NULL;
    }
}

static void give_handles(const ms_manifest_t *m, const boot_objects_t *o)
{
    for (unsigned i = 0; i < m->ntasks; i++) {
        for (unsigned j = 0; j < MS_MANIFEST_HANDLES_MAX && m->tasks[i].handles[j].slot; j++) {
            const ms_boot_handle_t *bh = &m->tasks[i].handles[j];
            kobject_t *obj = boot_object(m, o, bh);
            if (!obj || handle_install_at(&o->tasks[i]->handles, bh->slot, obj, bh->rights, bh->badge) != MS_OK)
                k_panic("boot: manifest %s: bad handle %u of task %s", m->name, bh->slot, m->tasks[i].name);
        }
    }
}

/* Creates the manifest's endpoints, notifications and port ranges, each
 * held by boot (one reference) until the handles are given. */
static void create_objects(const ms_manifest_t *m, boot_objects_t *o)
{
    if (m->ntasks == 0 || m->ntasks > MS_MANIFEST_TASKS_MAX || m->endpoints > MS_MANIFEST_ENDPOINTS_MAX ||
        m->notifications > MS_MANIFEST_NOTIFICATIONS_MAX || m->nioports > MS_MANIFEST_IOPORTS_MAX ||
        m->nframes > MS_MANIFEST_FRAMES_MAX)
        k_panic("boot: manifest %s has too many tasks or objects", m->name);
    for (unsigned i = 0; i < m->endpoints; i++)
        kobject_ref(&(o->eps[i] = endpoint_create())->obj);
    for (unsigned i = 0; i < m->notifications; i++)
        kobject_ref(&(o->ntfns[i] = notification_create())->obj);
    for (unsigned i = 0; i < m->nioports; i++) {
        if (!(o->ioports[i] = ioport_create(m->ioports[i].first, m->ioports[i].last)))
            k_panic("boot: manifest %s: bad I/O port range %u", m->name, i);
        kobject_ref(&o->ioports[i]->obj);
    }
    for (unsigned i = 0; i < m->nframes; i++) {
        unsigned pages = (unsigned)(((uint64_t)m->frames_kib[i] * 1024u + K_PAGE_SIZE - 1) / K_PAGE_SIZE);
        if (!pages || !(o->frames[i] = frames_create(pages)))
            k_panic("boot: manifest %s: no memory for frames object %u (%u KiB)", m->name, i, m->frames_kib[i]);
        kobject_ref(&o->frames[i]->obj);
    }
}

static void release_objects(const ms_manifest_t *m, boot_objects_t *o)
{
    for (unsigned i = 0; i < m->endpoints; i++)
        kobject_unref(&o->eps[i]->obj);
    for (unsigned i = 0; i < m->notifications; i++)
        kobject_unref(&o->ntfns[i]->obj);
    for (unsigned i = 0; i < m->nioports; i++)
        kobject_unref(&o->ioports[i]->obj);
    for (unsigned i = 0; i < m->nframes; i++)
        kobject_unref(&o->frames[i]->obj);
}

static void set_fault_handlers(const ms_manifest_t *m, boot_objects_t *o)
{
    for (unsigned i = 0; i < m->ntasks; i++) {
        unsigned f = m->tasks[i].fault_ep;
        if (f > m->endpoints)
            k_panic("boot: manifest %s: task %s's fault endpoint %u does not exist", m->name, m->tasks[i].name, f);
        if (f)
            task_set_fault_handler(o->tasks[i], o->eps[f - 1], m->tasks[i].fault_badge);
    }
}

void k_boot(const k_boot_info_t *info)
{
    const ms_manifest_t *m = info->manifest;
    reset_kernel(info->trace_mask);
    aspace_set_image(info->image, info->nimage);
    fastpath_enable(!info->no_fastpath);
    invariants_enable(info->check_invariants);
    stats_init(info->stats);
    nimage_frames = 0;
    boot_objects_t o;
    create_objects(m, &o); /* first: the manifest's objects have the same ids on every machine */
    adopt_image(info);
    thread_t *threads[MS_MANIFEST_TASKS_MAX];
    for (unsigned i = 0; i < m->ntasks; i++) {
        k_boot_region_t mem = {.base = MS_USER_TASK_BASE + (uintptr_t)i * MS_USER_TASK_STRIDE,
                               .size = k_boot_task_mem_size(&m->tasks[i])};
        if (mem.size > MS_USER_TASK_STRIDE)
            k_panic("boot: task %s wants more memory than its slot holds", m->tasks[i].name);
        threads[i] = start_task(&m->tasks[i], info, &mem);
        o.tasks[i] = threads[i]->task;
    }
    give_handles(m, &o);
    set_fault_handlers(m, &o);
    release_objects(m, &o);
    for (unsigned i = 0; i < m->ntasks; i++)
        sched_enqueue(threads[i]);
    pic_init();
    timer_init();
    k_exit_to_user();
}
