/*
 * isolation: a victim fills a buffer in its memory and tells four attackers
 * where it is. Each attacker tries one access it has no right to: reading
 * the victim's buffer, writing it, reading the kernel's memory (the x86-64
 * kernel's base address), and reading a page of the user window that nobody
 * mapped. Each attempt is a #PF; no attacker has a pager, so each is killed.
 * A fifth attacker looks instead at its vector registers when its receive
 * returns, right after the victim entered the kernel with a secret in all
 * sixteen: it must find none of it. The victim then checks its buffer and
 * prints "victim intact".
 */
#include "ms/print.h"
#include "ms/syscall.h"
#include "scenarios.h"

#define H_CHANNEL 1
#define BUFFER_BYTES (16u * 1024u)
#define KERNEL_ADDRESS 0xffffffff80000000ull /* the x86-64 kernel's base */
#define UNMAPPED_ADDRESS 0x40000000ull       /* in the user window, mapped by no one */
#define ATTACKERS 5
#define SECRET 0x5ec7e75ec7e75ec7ull

enum { READ_VICTIM, WRITE_VICTIM, READ_KERNEL, READ_UNMAPPED, READ_VECTORS };

#define VECTOR_REGS                                                                                                \
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12",      \
        "xmm13", "xmm14", "xmm15"

/* send with one word (addr), every vector register holding SECRET as the
 * kernel is entered: one asm, so that no compiled code touches them between. */
static uint64_t send_with_secret_in_vectors(ms_handle_t ep, uint64_t addr)
{
    register uint64_t rax __asm__("rax") = MS_SYS_SEND;
    register uint64_t rdi __asm__("rdi") = ep;
    register uint64_t rsi __asm__("rsi") = ms_info(1, 1, 0, 0);
    register uint64_t rdx __asm__("rdx") = addr;
    register uint64_t rbx __asm__("rbx") = 0;
    __asm__ volatile("movq %[s], %%xmm0\n\tpunpcklqdq %%xmm0, %%xmm0\n\t"
                     "movdqa %%xmm0, %%xmm1\n\tmovdqa %%xmm0, %%xmm2\n\tmovdqa %%xmm0, %%xmm3\n\t"
                     "movdqa %%xmm0, %%xmm4\n\tmovdqa %%xmm0, %%xmm5\n\tmovdqa %%xmm0, %%xmm6\n\t"
                     "movdqa %%xmm0, %%xmm7\n\tmovdqa %%xmm0, %%xmm8\n\tmovdqa %%xmm0, %%xmm9\n\t"
                     "movdqa %%xmm0, %%xmm10\n\tmovdqa %%xmm0, %%xmm11\n\tmovdqa %%xmm0, %%xmm12\n\t"
                     "movdqa %%xmm0, %%xmm13\n\tmovdqa %%xmm0, %%xmm14\n\tmovdqa %%xmm0, %%xmm15\n\t" MS_TRAP_INSN
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(rbx)
                     : [s] "r"(SECRET)
                     : "rcx", "r11", "r8", "r9", "r10", "r12", "r13", "r14", "r15", "memory", "cc", VECTOR_REGS);
    return rax;
}

/* recv on ep, then the low half of every vector register into v[16], in
 * one asm; returns the received word 0. */
static uint64_t recv_and_read_vectors(ms_handle_t ep, uint64_t v[16])
{
    register uint64_t rax __asm__("rax") = MS_SYS_RECV;
    register uint64_t rdi __asm__("rdi") = ep;
    register uint64_t rsi __asm__("rsi") = 0;
    register uint64_t rdx __asm__("rdx") = 0;
    register uint64_t rbx __asm__("rbx") = 0;
    __asm__ volatile(MS_TRAP_INSN "\n\t"
                     "movq %%xmm0, 0(%[v])\n\tmovq %%xmm1, 8(%[v])\n\tmovq %%xmm2, 16(%[v])\n\t"
                     "movq %%xmm3, 24(%[v])\n\tmovq %%xmm4, 32(%[v])\n\tmovq %%xmm5, 40(%[v])\n\t"
                     "movq %%xmm6, 48(%[v])\n\tmovq %%xmm7, 56(%[v])\n\tmovq %%xmm8, 64(%[v])\n\t"
                     "movq %%xmm9, 72(%[v])\n\tmovq %%xmm10, 80(%[v])\n\tmovq %%xmm11, 88(%[v])\n\t"
                     "movq %%xmm12, 96(%[v])\n\tmovq %%xmm13, 104(%[v])\n\tmovq %%xmm14, 112(%[v])\n\t"
                     "movq %%xmm15, 120(%[v])"
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(rbx)
                     : [v] "r"(v)
                     : "rcx", "r11", "r8", "r9", "r10", "r12", "r13", "r14", "r15", "memory", "cc", VECTOR_REGS);
    return rdx;
}

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
    for (unsigned i = 0; i < ATTACKERS - 1; i++) {
        ms_msg_t m = {.info = ms_info(1, 1, 0, 0), .w = {(uintptr_t)buf}};
        ms_send(H_CHANNEL, &m);
    }
    send_with_secret_in_vectors(H_CHANNEL, (uintptr_t)buf); /* to the last attacker: read-vectors */
    int intact = checksum(buf, BUFFER_BYTES) == before;
    ms_printf("%s: %s\n", start->name, intact ? "victim intact" : "victim CORRUPTED");
    ms_exit(intact ? 0 : 1);
}

static void vector_reader(const ms_start_t *start)
{
    uint64_t v[16];
    recv_and_read_vectors(H_CHANNEL, v);
    unsigned leaked = 0;
    for (unsigned i = 0; i < 16; i++)
        leaked += v[i] == SECRET;
    ms_printf("%s: %u of 16 vector registers hold the victim's secret\n", start->name, leaked);
    ms_exit(leaked ? 1 : 0);
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
    .description = "attackers touch a victim's, the kernel's and unmapped memory (each a #PF) and its vector registers",
    .endpoints = 1,
    .ntasks = 6,
    .tasks = {
        {.name = "victim", .entry = victim, .prio = 5,
         .handles = {{.slot = H_CHANNEL, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_SEND}}},
        ATTACKER("read-victim", READ_VICTIM),
        ATTACKER("write-victim", WRITE_VICTIM),
        ATTACKER("read-kernel", READ_KERNEL),
        ATTACKER("read-unmapped", READ_UNMAPPED),
        {.name = "read-vectors", .entry = vector_reader, .prio = 10,
         .handles = {{.slot = H_CHANNEL, .type = MS_OBJ_ENDPOINT, .index = 0, .rights = MS_RIGHT_RECV}}},
    },
};
