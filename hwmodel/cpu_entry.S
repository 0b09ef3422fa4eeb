/* The simulated CPU's mode switches: system call entry, return to user, and the
 * switch between the host (the simulator) and the machine's kernel stack. */
#include "cpu_layout.h"

#define SLOT(r) (HW_REG_##r * 8)

/* The registers both returns to user mode load the same way, from the frame
 * at rdi (rcx, r11, rsp, rip, the flags and rdi itself differ). */
.macro LOAD_COMMON_REGS
    movq SLOT(RAX)(%rdi), %rax
    movq SLOT(RSI)(%rdi), %rsi
    movq SLOT(RDX)(%rdi), %rdx
    movq SLOT(R10)(%rdi), %r10
    movq SLOT(R8)(%rdi), %r8
    movq SLOT(R9)(%rdi), %r9
    movq SLOT(R12)(%rdi), %r12
    movq SLOT(R13)(%rdi), %r13
    movq SLOT(R14)(%rdi), %r14
    movq SLOT(R15)(%rdi), %r15
    movq SLOT(RBX)(%rdi), %rbx
    movq SLOT(RBP)(%rdi), %rbp
.endm

/* The vector registers a system call left are the ABI's to clobber, but
 * they must not carry one thread's data to another: zeroed when the CPU
 * returns to a different thread than the one that entered. (The x87 data
 * registers are cleared when the address space changes: clear_x87() in
 * kernel/arch/hosted/arch_hosted.c.) */
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

    .text
    .globl hw_cpu_entry_text_start
hw_cpu_entry_text_start:        /* mode switches: never user code, see cpu_trap.c */

/*
 * hw_cpu_syscall_entry: where the simulated `syscall` instruction lands (its
 * IA32_LSTAR). On entry rcx holds the user return address, as after a real
 * syscall, and r11 is free (the ABI clobbers it). Saves every user register
 * into the current frame, switches to the kernel stack and calls the kernel's
 * system call vector, which never returns. No host system call on this path.
 * Real hardware also saves RFLAGS into r11 and masks it by IA32_FMASK; the
 * simulated CPU has no flags the kernel needs, so rflags is recorded as 0x202.
 */
    .globl hw_cpu_syscall_entry
    .type hw_cpu_syscall_entry, @function
hw_cpu_syscall_entry:
    .cfi_startproc
    .cfi_undefined rip      /* the outermost kernel frame: debuggers stop here */
    movq $HW_MODE_KERNEL, hw_cpu0+HW_CPU_MODE(%rip)
    movq hw_cpu0+HW_CPU_USER_FRAME(%rip), %r11
    movq %rax, SLOT(RAX)(%r11)
    movq %rdi, SLOT(RDI)(%r11)
    movq %rsi, SLOT(RSI)(%r11)
    movq %rdx, SLOT(RDX)(%r11)
    movq %r10, SLOT(R10)(%r11)
    movq %r8, SLOT(R8)(%r11)
    movq %r9, SLOT(R9)(%r11)
    movq %r12, SLOT(R12)(%r11)
    movq %r13, SLOT(R13)(%r11)
    movq %r14, SLOT(R14)(%r11)
    movq %r15, SLOT(R15)(%r11)
    movq %rbx, SLOT(RBX)(%r11)
    movq %rbp, SLOT(RBP)(%r11)
    movq %rcx, SLOT(RCX)(%r11)
    movq %rcx, SLOT(RIP)(%r11)
    movq %rsp, SLOT(RSP)(%r11)
    movq $0x202, SLOT(RFLAGS)(%r11)
    movq $0, HW_FRAME_FULL(%r11)
    stmxcsr HW_FRAME_MXCSR(%r11)
    fnstcw HW_FRAME_FCW(%r11)
    cmpl $HW_MXCSR_DEFAULT, HW_FRAME_MXCSR(%r11)
    jne syscall_fpu_controls
    cmpw $HW_FCW_DEFAULT, HW_FRAME_FCW(%r11)
    jne syscall_fpu_controls
syscall_on_kernel_stack:
    movq hw_cpu0+HW_CPU_KSTACK_TOP(%rip), %rsp
    cld
    xorl %ebp, %ebp
    call *hw_cpu0+HW_CPU_SYSCALL_VECTOR(%rip)
    ud2
/* The thread changed its rounding or exception masks: the kernel and the
 * simulator run with the power-on ones (a task must not make them trap). */
syscall_fpu_controls:
    ldmxcsr fpu_defaults+4(%rip)
    fldcw fpu_defaults(%rip)
    jmp syscall_on_kernel_stack
    .cfi_endproc
    .size hw_cpu_syscall_entry, . - hw_cpu_syscall_entry

/*
 * hw_cpu_enter_user(uint64_t *frame): loads a user context and jumps to it.
 * The frame becomes the one the next system call saves into. A frame saved by
 * a system call returns as sysret does: rcx carries the return address and
 * r11 is not restored. A full frame (an interrupt or an exception saved it)
 * returns as iretq does: every register, the flags and the FPU state.
 */
    .globl hw_cpu_enter_user
    .type hw_cpu_enter_user, @function
hw_cpu_enter_user:
    cmpq $0, HW_FRAME_FULL(%rdi)
    jne enter_user_full
    cmpq %rdi, hw_cpu0+HW_CPU_USER_FRAME(%rip)
    je sysret_same_thread
    CLEAR_XMM
sysret_same_thread:
    movq %rdi, hw_cpu0+HW_CPU_USER_FRAME(%rip)
    cmpl $HW_MXCSR_DEFAULT, HW_FRAME_MXCSR(%rdi)
    jne sysret_fpu_controls
    cmpw $HW_FCW_DEFAULT, HW_FRAME_FCW(%rdi)
    jne sysret_fpu_controls
sysret_registers:
    LOAD_COMMON_REGS
    movq SLOT(RIP)(%rdi), %rcx
    movq SLOT(RSP)(%rdi), %rsp
    movq SLOT(RDI)(%rdi), %rdi
    movq $HW_MODE_USER, hw_cpu0+HW_CPU_MODE(%rip)
    jmp *%rcx
/* The thread's own control words, kept across its system call. */
sysret_fpu_controls:
    ldmxcsr HW_FRAME_MXCSR(%rdi)
    fldcw HW_FRAME_FCW(%rdi)
    jmp sysret_registers

/*
 * The iretq path. The flags, the return address and the stack pointer go to
 * hw_cpu_iret (the simulator's memory, never the user stack, which the MMU
 * may not have mapped), so that with every register loaded popfq restores
 * the flags from there, then rsp and rip come back without touching a
 * register. Real hardware pops all three from the kernel stack in one iretq.
 * With the trap flag set, the #DB after the load of rsp lands in this code;
 * cpu_trap.c lets it pass.
 */
enter_user_full:
    movq %rdi, hw_cpu0+HW_CPU_USER_FRAME(%rip)
    fxrstor HW_FRAME_FPU(%rdi)
    movq SLOT(RFLAGS)(%rdi), %rcx
    movq %rcx, hw_cpu_iret(%rip)
    movq SLOT(RIP)(%rdi), %rcx
    movq %rcx, hw_cpu_iret+8(%rip)
    movq SLOT(RSP)(%rdi), %rcx
    movq %rcx, hw_cpu_iret+16(%rip)
    leaq hw_cpu_iret(%rip), %rsp
    LOAD_COMMON_REGS
    movq SLOT(RCX)(%rdi), %rcx
    movq SLOT(R11)(%rdi), %r11
    movq SLOT(RDI)(%rdi), %rdi
    movq $HW_MODE_USER, hw_cpu0+HW_CPU_MODE(%rip)
    popfq
    movq hw_cpu_iret+16(%rip), %rsp
    jmp *hw_cpu_iret+8(%rip)
    .size hw_cpu_enter_user, . - hw_cpu_enter_user

/*
 * hw_cpu_restart(void (*fn)(void *), void *arg): abandons whatever is on the
 * kernel stack and calls fn(arg) from its top: a new kernel entry, for an
 * interrupt taken where the kernel was about to return to user mode.
 */
    .globl hw_cpu_restart
    .type hw_cpu_restart, @function
hw_cpu_restart:
    .cfi_startproc
    movq $HW_MODE_KERNEL, hw_cpu0+HW_CPU_MODE(%rip)
    movq hw_cpu0+HW_CPU_KSTACK_TOP(%rip), %rsp
    .cfi_undefined rip
    movq %rdi, %rax
    movq %rsi, %rdi
    xorl %ebp, %ebp
    cld
    call *%rax
    ud2
    .cfi_endproc
    .size hw_cpu_restart, . - hw_cpu_restart

/*
 * hw_cpu_switch_to_kernel(void (*fn)(void *), void *arg): saves the host's
 * callee-saved registers and stack, and calls fn(arg) on the kernel stack.
 * Returns when the machine calls hw_cpu_switch_to_host().
 */
    .globl hw_cpu_switch_to_kernel
    .type hw_cpu_switch_to_kernel, @function
hw_cpu_switch_to_kernel:
    .cfi_startproc
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, hw_cpu0+HW_CPU_HOST_RSP(%rip)
    movq $HW_MODE_KERNEL, hw_cpu0+HW_CPU_MODE(%rip)
    movq hw_cpu0+HW_CPU_KSTACK_TOP(%rip), %rsp
    .cfi_undefined rip
    movq %rdi, %rax
    movq %rsi, %rdi
    xorl %ebp, %ebp
    call *%rax
    ud2
    .cfi_endproc
    .size hw_cpu_switch_to_kernel, . - hw_cpu_switch_to_kernel

/* hw_cpu_switch_to_host(void): back to the host context saved by
 * hw_cpu_switch_to_kernel, which then returns. */
    .globl hw_cpu_switch_to_host
    .type hw_cpu_switch_to_host, @function
hw_cpu_switch_to_host:
    movq $HW_MODE_HOST, hw_cpu0+HW_CPU_MODE(%rip)
    movq hw_cpu0+HW_CPU_HOST_RSP(%rip), %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size hw_cpu_switch_to_host, . - hw_cpu_switch_to_host

/*
 * hw_cpu_trap_entry: where a trap from user code continues once the signal
 * handler has saved the user state and pointed rsp at the kernel stack's top,
 * with the vector, error code and address in rdi, rsi and rdx.
 */
    .globl hw_cpu_trap_entry
    .type hw_cpu_trap_entry, @function
hw_cpu_trap_entry:
    .cfi_startproc
    .cfi_undefined rip
    cld
    xorl %ebp, %ebp
    call *hw_cpu0+HW_CPU_TRAP_VECTOR(%rip)
    ud2
    .cfi_endproc
    .size hw_cpu_trap_entry, . - hw_cpu_trap_entry

/*
 * hw_cpu_intr_entry: where an interrupt taken in user mode, or the end of a
 * single-step budget, continues on the kernel stack, the user state saved.
 */
    .globl hw_cpu_intr_entry
    .type hw_cpu_intr_entry, @function
hw_cpu_intr_entry:
    .cfi_startproc
    .cfi_undefined rip
    cld
    xorl %ebp, %ebp
    call *hw_cpu0+HW_CPU_INTR_VECTOR(%rip)
    ud2
    .cfi_endproc
    .size hw_cpu_intr_entry, . - hw_cpu_intr_entry

/* hw_cpu_save_fpu(void *area): FXSAVE of the CPU's FPU state into area. */
    .globl hw_cpu_save_fpu
    .type hw_cpu_save_fpu, @function
hw_cpu_save_fpu:
    fxsave (%rdi)
    ret
    .size hw_cpu_save_fpu, . - hw_cpu_save_fpu

    .globl hw_cpu_entry_text_end
hw_cpu_entry_text_end:

    .section .rodata
    .balign 8
fpu_defaults:                   /* the x87 control word, then MXCSR */
    .long HW_FCW_DEFAULT
    .long HW_MXCSR_DEFAULT

    .section .note.GNU-stack, "", @progbits
