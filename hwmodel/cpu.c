/* The simulated CPU: its kernel stack and its stack bookkeeping for Valgrind. */
#include "cpu.h"

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

hw_cpu_t hw_cpu0;

static_assert(offsetof(hw_cpu_t, user_frame) == HW_CPU_USER_FRAME, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, kstack_top) == HW_CPU_KSTACK_TOP, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, syscall_vector) == HW_CPU_SYSCALL_VECTOR, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, host_rsp) == HW_CPU_HOST_RSP, "layout shared with cpu_entry.S");

#define KSTACK_SIZE (1u << 20)

int hw_cpu_init(hw_cpu_vector_fn *syscall_vector)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = KSTACK_SIZE + page;
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return -1;
    mprotect(map, page, PROT_NONE); /* guard page: a kernel stack overflow faults */
    hw_cpu0 = (hw_cpu_t){0};
    hw_cpu0.kstack_map = map;
    hw_cpu0.kstack_map_size = size;
    hw_cpu0.kstack_top = (uintptr_t)map + size;
    hw_cpu0.kstack_id = VALGRIND_STACK_REGISTER((char *)map + page, (char *)map + size);
    hw_cpu0.syscall_vector = syscall_vector;
    return 0;
}

/* User stacks still registered: the machine may stop with threads alive. */
static unsigned *live_stacks;
static size_t nlive, live_cap;

void hw_cpu_fini(void)
{
    if (!hw_cpu0.kstack_map)
        return;
    for (size_t i = 0; i < nlive; i++)
        VALGRIND_STACK_DEREGISTER(live_stacks[i]);
    free(live_stacks);
    live_stacks = NULL;
    nlive = live_cap = 0;
    VALGRIND_STACK_DEREGISTER(hw_cpu0.kstack_id);
    munmap(hw_cpu0.kstack_map, hw_cpu0.kstack_map_size);
    hw_cpu0 = (hw_cpu_t){0};
}

unsigned hw_cpu_stack_register(uintptr_t lo, uintptr_t hi)
{
    unsigned id = VALGRIND_STACK_REGISTER(lo, hi);
    if (nlive == live_cap) {
        size_t cap = live_cap ? 2 * live_cap : 64;
        unsigned *grown = realloc(live_stacks, cap * sizeof *grown);
        if (!grown)
            return id; /* only Valgrind's bookkeeping suffers */
        live_stacks = grown;
        live_cap = cap;
    }
    live_stacks[nlive++] = id;
    return id;
}

void hw_cpu_stack_deregister(unsigned id)
{
    VALGRIND_STACK_DEREGISTER(id);
    for (size_t i = 0; i < nlive; i++) {
        if (live_stacks[i] == id) {
            live_stacks[i] = live_stacks[--nlive];
            break;
        }
    }
}
