/* The simulated CPU: its kernel stack and its stack bookkeeping for Valgrind. */
#include "cpu.h"

#include <assert.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#if defined(__SANITIZE_ADDRESS__)
#define HW_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HW_ASAN 1
#endif
#endif
#ifdef HW_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

/* The assembly of cpu_entry.S. */
void hw_cpu_switch_to_kernel(void (*fn)(void *), void *arg);
__attribute__((noreturn)) void hw_cpu_switch_to_host(void);

hw_cpu_t hw_cpu0;
uint64_t hw_cpu_iret[3];

static_assert(offsetof(hw_cpu_t, user_frame) == HW_CPU_USER_FRAME, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, kstack_top) == HW_CPU_KSTACK_TOP, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, syscall_vector) == HW_CPU_SYSCALL_VECTOR, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, host_rsp) == HW_CPU_HOST_RSP, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, mode) == HW_CPU_MODE, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, trap_vector) == HW_CPU_TRAP_VECTOR, "layout shared with cpu_entry.S");
static_assert(offsetof(hw_cpu_t, intr_vector) == HW_CPU_INTR_VECTOR, "layout shared with cpu_entry.S");

#define KSTACK_SIZE (1u << 20)
#define ALTSTACK_SIZE (64u << 10)

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
    /* Signals taken in user mode must not land on the user stack: the MMU
     * may not have it mapped (a real CPU switches to the kernel stack). */
    hw_cpu0.altstack = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (hw_cpu0.altstack == MAP_FAILED) {
        hw_cpu0.altstack = NULL;
        hw_cpu_fini();
        return -1;
    }
    stack_t ss = {.ss_sp = hw_cpu0.altstack, .ss_size = ALTSTACK_SIZE};
    if (sigaltstack(&ss, NULL) != 0) {
        hw_cpu_fini();
        return -1;
    }
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
    if (hw_cpu0.altstack) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        munmap(hw_cpu0.altstack, ALTSTACK_SIZE);
    }
    hw_cpu0 = (hw_cpu_t){0};
}

/*
 * The address sanitizer must know which stack is in use, or it reports
 * false errors when the kernel's noreturn paths unpoison "the" stack. User
 * code is built without the sanitizer and cannot say that it switched, so
 * the annotations sit where the simulator controls both sides: each kernel
 * vector declares the kernel stack current, and leaving the machine declares
 * the host stack current again.
 */
#ifdef HW_ASAN
static const void *host_stack_bottom;
static size_t host_stack_size;

void hw_cpu_entered_kernel(void)
{
    const void *from;
    size_t from_size;
    uintptr_t bottom = hw_cpu0.kstack_top - KSTACK_SIZE;
    __sanitizer_start_switch_fiber(NULL, (const void *)bottom, KSTACK_SIZE);
    __sanitizer_finish_switch_fiber(NULL, &from, &from_size);
    if (!host_stack_bottom) {
        host_stack_bottom = from; /* the first entry comes from the host */
        host_stack_size = from_size;
    }
}

void hw_cpu_run(void (*fn)(void *), void *arg)
{
    host_stack_bottom = NULL;
    hw_cpu_switch_to_kernel(fn, arg);
    __sanitizer_finish_switch_fiber(NULL, NULL, NULL);
}

void hw_cpu_halt(void)
{
    __sanitizer_start_switch_fiber(NULL, host_stack_bottom, host_stack_size);
    hw_cpu_switch_to_host();
}
#else
void hw_cpu_entered_kernel(void)
{
}

void hw_cpu_run(void (*fn)(void *), void *arg)
{
    hw_cpu_switch_to_kernel(fn, arg);
}

void hw_cpu_halt(void)
{
    hw_cpu_switch_to_host();
}
#endif

void hw_cpu_trap_landed(void)
{
    char *bottom = (char *)hw_cpu0.kstack_top - KSTACK_SIZE;
    char *here = __builtin_frame_address(0);
    VALGRIND_MAKE_MEM_UNDEFINED(bottom, (size_t)(here - 256 - bottom));
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
