/*
 * isolation: a victim fills a buffer in its memory and tells four attackers
 * where it is. Each attacker tries one access it has no right to: reading
 * the victim's buffer, writing it, reading the kernel's memory (the x86-64
 * kernel's base address), and reading a page of the user window that nobody
 * mapped. Each attempt is a #PF; no attacker has a pager, so each is killed.
 * A fifth attacker looks instead at its vector and x87 registers when its
 * receive returns, right after the victim entered the kernel with a secret
 * in all sixteen vector and eight x87 registers: it must find none of it. The victim then checks its buffer and
 * prints "victim intact".
 */
#include "ms/print.h"
#include "ms/syscall.h"
#include "rt.h"
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

/* send with one word (addr), every vector register holding SECRET and every
 * x87 register SECRET as a number, as the kernel is entered: one asm, so
 * that no compiled code touches them between. */
static uint64_t send_with_secret_in_vectors(ms_handle_t ep, uint64_t addr)
{
    uint64_t info = ms_info(1, 1, 0, 0); /* before the register variables: no call may come between */
    uint64_t secret = SECRET;
    register uint64_t rax __asm__("rax") = MS_SYS_SEND;
    register uint64_t rdi __asm__("rdi") = ep;
    register uint64_t rsi __asm__("rsi") = info;
    register uint64_t rdx __asm__("rdx") = addr;
    register uint64_t rbx __asm__("rbx") = 0;
    __asm__ volatile("movq %[s], %%xmm0\n\tpunpcklqdq %%xmm0, %%xmm0\n\t"
                     "movdqa %%xmm0, %%xmm1\n\tmovdqa %%xmm0, %%xmm2\n\tmovdqa %%xmm0, %%xmm3\n\t"
                     "movdqa %%xmm0, %%xmm4\n\tmovdqa %%xmm0, %%xmm5\n\tmovdqa %%xmm0, %%xmm6\n\t"
                     "movdqa %%xmm0, %%xmm7\n\tmovdqa %%xmm0, %%xmm8\n\tmovdqa %%xmm0, %%xmm9\n\t"
                     "movdqa %%xmm0, %%xmm10\n\tmovdqa %%xmm0, %%xmm11\n\tmovdqa %%xmm0, %%xmm12\n\t"
                     "movdqa %%xmm0, %%xmm13\n\tmovdqa %%xmm0, %%xmm14\n\tmovdqa %%xmm0, %%xmm15\n\t"
                     "fninit\n\tfildq %[m]\n\tfildq %[m]\n\tfildq %[m]\n\tfildq %[m]\n\t"
                     "fildq %[m]\n\tfildq %[m]\n\tfildq %[m]\n\tfildq %[m]\n\t" MS_TRAP_INSN
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(rbx)
                     : [s] "r"(SECRET), [m] "m"(secret)
                     : "rcx", "r11", "memory", "cc", VECTOR_REGS, "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)",
                       "st(6)", "st(7)"); /* send keeps the other registers */
    __asm__ volatile("fninit"); /* the x87 stack empty again, as the ABI wants it */
    return rax;
}

/* recv on ep, then the low half of every vector register and the whole x87
 * state (fxsave), read in the same asm; returns how many vector registers
 * hold SECRET, and in *x87 how many x87 registers hold it as a number. (v
 * and fx are local so that their operands need no register: at -O0 none
 * is left.) */
static unsigned recv_and_count_secrets(ms_handle_t ep, unsigned *x87)
{
    uint64_t v[16];
    uint8_t fx[512] __attribute__((aligned(16)));
    register uint64_t rax __asm__("rax") = MS_SYS_RECV;
    register uint64_t rdi __asm__("rdi") = ep;
    register uint64_t rsi __asm__("rsi") = 0;
    register uint64_t rdx __asm__("rdx") = 0;
    register uint64_t rbx __asm__("rbx") = 0;
    __asm__ volatile(MS_TRAP_INSN "\n\t"
                     "movq %%xmm0, %5\n\tmovq %%xmm1, %6\n\tmovq %%xmm2, %7\n\tmovq %%xmm3, %8\n\t"
                     "movq %%xmm4, %9\n\tmovq %%xmm5, %10\n\tmovq %%xmm6, %11\n\tmovq %%xmm7, %12\n\t"
                     "movq %%xmm8, %13\n\tmovq %%xmm9, %14\n\tmovq %%xmm10, %15\n\tmovq %%xmm11, %16\n\t"
                     "movq %%xmm12, %17\n\tmovq %%xmm13, %18\n\tmovq %%xmm14, %19\n\tmovq %%xmm15, %20\n\t"
                     "fxsave %21"
                     : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(rbx), "=m"(v[0]), "=m"(v[1]), "=m"(v[2]),
                       "=m"(v[3]), "=m"(v[4]), "=m"(v[5]), "=m"(v[6]), "=m"(v[7]), "=m"(v[8]), "=m"(v[9]),
                       "=m"(v[10]), "=m"(v[11]), "=m"(v[12]), "=m"(v[13]), "=m"(v[14]), "=m"(v[15]), "=m"(fx)
                     :
                     : "rcx", "r11", "r8", "r9", "r10", "r12", "r13", "r14", "r15", "cc", VECTOR_REGS);
    unsigned found = 0;
    for (unsigned i = 0; i < 16; i++)
        found += v[i] == SECRET;
    uint8_t number[10]; /* SECRET as an x87 register holds it */
    uint64_t secret = SECRET;
    __asm__ volatile("fninit\n\tfildq %1\n\tfstpt %0" : "=m"(number) : "m"(secret)); /* on an empty stack */
    *x87 = 0;
    for (unsigned i = 0; i < 8; i++) /* fxsave keeps ST(i) in bytes 32 + 16 i .. + 10 */
        *x87 += rt_memcmp(&fx[32 + 16 * i], number, sizeof number) == 0;
    return found;
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
    unsigned x87 = 0;
    unsigned leaked = recv_and_count_secrets(H_CHANNEL, &x87);
    ms_printf("%s: %u of 16 vector registers and %u of 8 x87 registers hold the victim's secret\n", start->name,
              leaked, x87);
    ms_exit(leaked || x87 ? 1 : 0);
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
