/*
 * isolation: a victim fills a buffer in its memory and tells four attackers
 * where it is. Each attacker tries one access it has no right to: reading
 * the victim's buffer, writing it, reading the kernel's memory (the x86-64
 * kernel's base address), and reading a page of the user window that nobody
 * mapped. Each attempt is a #PF; no attacker has a pager, so each is killed.
 * The victim then checks its buffer and prints "victim intact".
 */
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define H_CHANNEL 1
#define BUFFER_BYTES (16u * 1024u)
#define KERNEL_ADDRESS 0xffffffff80000000ull /* the x86-64 kernel's base */
#define UNMAPPED_ADDRESS 0x40000000ull       /* in the user window, mapped by no one */
#define ATTACKERS 4

enum { READ_VICTIM, WRITE_VICTIM, READ_KERNEL, READ_UNMAPPED };

static uint64_t checksum(const uint8_t *buf, unsigned n)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum = sum * 131u + buf[i];
    return sum;
}

static void victim(const ms_start_t *start)
{
    uint8_t *buf = (uint8_t *)(uintptr_t)start->heap_base;
    for (unsigned i = 0; i < BUFFER_BYTES; i++)
        buf[i] = (uint8_t)(i * 13u + 5u);
    uint64_t before = checksum(buf, BUFFER_BYTES);
    for (unsigned i = 0; i < ATTACKERS; i++) {
        ms_msg_t m = {.info = ms_info(1, 1, 0, 0), .w = {(uintptr_t)buf}};
        ms_send(H_CHANNEL, &m);
    }
    int intact = checksum(buf, BUFFER_BYTES) == before;
    ms_printf("%s: %s\n", start->name, intact ? "victim intact" : "victim CORRUPTED");
    ms_exit(intact ? 0 : 1);
}

static void attacker(const ms_start_t *start)
{
    ms_msg_t m;
    if (ms_recv(H_CHANNEL, &m) != MS_OK)
        ms_exit(1);
    volatile uint64_t *victim_buf = (volatile uint64_t *)(uintptr_t)m.w[0];
    uint64_t got = 0;
    switch (start->arg[0]) {
    case READ_VICTIM:
        got = victim_buf[1];
        break;
    case WRITE_VICTIM:
        victim_buf[1] = 0xbadbadbadbadull;
        break;
    case READ_KERNEL:
        got = *(volatile uint64_t *)(uintptr_t)KERNEL_ADDRESS;
        break;
    case READ_UNMAPPED:
        got = *(volatile uint64_t *)(uintptr_t)UNMAPPED_ADDRESS;
        break;
    }
    ms_printf("%s: the access went through (read %#lx): isolation is broken\n", start->name, (unsigned long)got);
    ms_exit(1);
}

#define ATTACKER(task_name, which)                                                                                 \
    {.name = task_name, .entry = attacker, .prio = 10, .arg = {which},                                           \
     .handles = {{.slot = H_CHANNEL, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}}

const ms_manifest_t scenario_isolation = {
    .name = "isolation",
    .description = "four attackers touch a victim's, the kernel's and unmapped memory; each is a #PF, the victim intact",
    .endpoints = 1,
    .ntasks = 5,
    .tasks = {
        {.name = "victim", .entry = victim, .prio = 5,
         .handles = {{.slot = H_CHANNEL, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
        ATTACKER("read-victim", READ_VICTIM),
        ATTACKER("write-victim", WRITE_VICTIM),
        ATTACKER("read-kernel", READ_KERNEL),
        ATTACKER("read-unmapped", READ_UNMAPPED),
    },
};
