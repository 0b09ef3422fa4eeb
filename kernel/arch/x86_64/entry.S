/* Kernel entry and exit on the real CPU: the syscall entry (IA32_LSTAR), the sysret exit, and the IDT's trap stubs. */
#include "x86_64.h"

/* Byte offsets of the registers in arch_regs_t (kernel/arch/arch.h). */
#define RAX 0
#define RDI 8
#define RSI 16
#define RDX 24
#define R10 32
#define R8 40
#define R9 48
#define R12 56
#define R13 64
#define R14 72
#define R15 80
#define RBX 88
#define RBP 96
#define RCX 104
#define R11 112
#define RIP 120
#define RSP 128
#define RFLAGS 136
#define FULL 144
#define FPU 160

    .cfi_sections .debug_frame      /* the image keeps no .eh_frame; gdb reads this */
    .text

/*
 * x86_syscall_entry: where `syscall` lands (IA32_LSTAR), in ring 0 with
 * interrupts off (IA32_FMASK), still on the user stack: rcx holds the user
 * rip, r11 the user rflags. Saves every user register into the current frame
 * (the same slots hwmodel/cpu_entry.S fills on the simulated CPU), switches to
 * the kernel stack and calls x86_syscall, which never returns.
 */
    .globl x86_syscall_entry
    .type x86_syscall_entry, @function
x86_syscall_entry:
    .cfi_startproc
    .cfi_undefined rip              /* the outermost kernel frame: debuggers stop here */
    movq %r11, x86_cpu0+X86_CPU_SCRATCH(%rip)
    movq x86_cpu0+X86_CPU_USER_FRAME(%rip), %r11
    movq %rax, RAX(%r11)
    movq %rdi, RDI(%r11)
    movq %rsi, RSI(%r11)
    movq %rdx, RDX(%r11)
    movq %r10, R10(%r11)
    movq %r8, R8(%r11)
    movq %r9, R9(%r11)
    movq %r12, R12(%r11)
    movq %r13, R13(%r11)
    movq %r14, R14(%r11)
    movq %r15, R15(%r11)
    movq %rbx, RBX(%r11)
    movq %rbp, RBP(%r11)
    movq %rcx, RCX(%r11)
    movq %rcx, RIP(%r11)
    movq %rsp, RSP(%r11)
    movq x86_cpu0+X86_CPU_SCRATCH(%rip), %rax
    movq %rax, R11(%r11)
    movq %rax, RFLAGS(%r11)
    movq $0, FULL(%r11)
    stmxcsr FPU+24(%r11)            /* the thread's FPU controls outlive its system call */
    fnstcw FPU(%r11)
    movq x86_cpu0+X86_CPU_KSTACK_TOP(%rip), %rsp
    xorl %ebp, %ebp
    call x86_syscall
    ud2
    .cfi_endproc
    .size x86_syscall_entry, . - x86_syscall_entry

/* The registers both returns to ring 3 load the same way, from the frame
 * at rdi (rcx, r11, rsp, rip, the flags and rdi itself differ). */
.macro LOAD_COMMON_REGS
    movq RAX(%rdi), %rax
    movq RSI(%rdi), %rsi
    movq RDX(%rdi), %rdx
    movq R10(%rdi), %r10
    movq R8(%rdi), %r8
    movq R9(%rdi), %r9
    movq R12(%rdi), %r12
    movq R13(%rdi), %r13
    movq R14(%rdi), %r14
    movq R15(%rdi), %r15
    movq RBX(%rdi), %rbx
    movq RBP(%rdi), %rbp
.endm

/* Zeroes the vector registers a system call may clobber, so that they do
 * not carry one thread's data to another. */
.macro CLEAR_XMM
    pxor %xmm0, %xmm0
    pxor %xmm1, %xmm1
    pxor %xmm2, %xmm2
    pxor %xmm3, %xmm3
    pxor %xmm4, %xmm4
    pxor %xmm5, %xmm5
    pxor %xmm6, %xmm6
    pxor %xmm7, %xmm7
    pxor %xmm8, %xmm8
    pxor %xmm9, %xmm9
    pxor %xmm10, %xmm10
    pxor %xmm11, %xmm11
    pxor %xmm12, %xmm12
    pxor %xmm13, %xmm13
    pxor %xmm14, %xmm14
    pxor %xmm15, %xmm15
.endm

/*
 * x86_clear_x87(): zeroes the x87 data registers through their MMX aliases
 * (an MMX write zeroes a register's mantissa and sets its exponent to all
 * ones), empties the stack again (emms) and drops the exception flags
 * (fnclex). fninit would only mark the registers empty: fxsave would still
 * show them. arch_return_to_user calls it when the address space changed,
 * so that no task sees another's x87 data.
 */
    .globl x86_clear_x87
    .type x86_clear_x87, @function
x86_clear_x87:
    pxor %mm0, %mm0
    pxor %mm1, %mm1
    pxor %mm2, %mm2
    pxor %mm3, %mm3
    pxor %mm4, %mm4
    pxor %mm5, %mm5
    pxor %mm6, %mm6
    pxor %mm7, %mm7
    emms
    fnclex
    ret
    .size x86_clear_x87, . - x86_clear_x87

/*
 * x86_enter_user(arch_regs_t *frame): loads the frame and sysretq's to ring 3.
 * The frame becomes the one the next system call saves into. As on the
 * simulated CPU, rcx carries the return address (rip) and r11 the flags, so
 * the frame's rcx and r11 slots are not restored. The caller has checked that
 * rip is canonical and sanitised rflags. The vector registers are the ABI's
 * to clobber, but MXCSR and the x87 control word are the thread's: they come
 * back from the frame. Interrupts stay off until sysretq
 * loads the user's flags, so nothing runs on the user stack in ring 0.
 */
    .globl x86_enter_user
    .type x86_enter_user, @function
x86_enter_user:
    cmpq %rdi, x86_cpu0+X86_CPU_USER_FRAME(%rip)
    je 1f
    CLEAR_XMM /* another thread's: its vector registers must not reach this one */
1:  movq %rdi, x86_cpu0+X86_CPU_USER_FRAME(%rip)
    ldmxcsr FPU+24(%rdi)            /* its own controls, not the last thread's */
    fldcw FPU(%rdi)
    LOAD_COMMON_REGS
    movq RIP(%rdi), %rcx
    movq RFLAGS(%rdi), %r11
    movq RSP(%rdi), %rsp
    movq RDI(%rdi), %rdi
    sysretq
    .size x86_enter_user, . - x86_enter_user

/*
 * x86_enter_user_full(arch_regs_t *frame): the iretq return to a thread an
 * interrupt took: the FPU state and every register from the frame, then an
 * interrupt frame (ss, rsp, rflags, cs, rip) popped by iretq.
 */
    .globl x86_enter_user_full
    .type x86_enter_user_full, @function
x86_enter_user_full:
    movq %rdi, x86_cpu0+X86_CPU_USER_FRAME(%rip)
    fxrstor FPU(%rdi)
    pushq $(X86_SEL_UDATA | 3)
    pushq RSP(%rdi)
    pushq RFLAGS(%rdi)
    pushq $(X86_SEL_UCODE | 3)
    pushq RIP(%rdi)
    LOAD_COMMON_REGS
    movq RCX(%rdi), %rcx
    movq R11(%rdi), %r11
    movq RDI(%rdi), %rdi
    iretq
    .size x86_enter_user_full, . - x86_enter_user_full

/* x86_restart(fn, a, b, c): calls fn(a, b, c) at the top of the kernel stack,
 * dropping whatever was on it; fn does not return. */
    .globl x86_restart
    .type x86_restart, @function
x86_restart:
    .cfi_startproc
    movq x86_cpu0+X86_CPU_KSTACK_TOP(%rip), %rsp
    .cfi_undefined rip
    movq %rdi, %rax
    movq %rsi, %rdi
    movq %rdx, %rsi
    movq %rcx, %rdx
    xorl %ebp, %ebp
    cld
    call *%rax
    ud2
    .cfi_endproc
    .size x86_restart, . - x86_restart

/*
 * The trap stubs, one per vector 0..47: push a zero where the CPU pushes no
 * error code, push the vector, and join x86_trap_common, which saves the
 * general registers (x86_trap_frame_t) and calls x86_trap. Exceptions from
 * ring 3 arrive on the kernel stack (TSS.rsp0); #DF and NMI on their own (IST1).
 */
    .macro trap_stub vec
    .align 16
trap_stub_\vec:
    .if (\vec == 8) || (\vec == 10) || (\vec == 11) || (\vec == 12) || (\vec == 13) || (\vec == 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp x86_trap_common
    .pushsection .rodata
    .quad trap_stub_\vec
    .popsection
    .endm

    .pushsection .rodata
    .align 8
    .globl x86_trap_stubs
x86_trap_stubs:
    .popsection
    .irp vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    trap_stub \vec
    .endr

x86_trap_common:
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, %rdi
    andq $-16, %rsp
    cld
    call x86_trap
    ud2

    .section .note.GNU-stack, "", @progbits
