/* Layout of the simulated CPU's state, shared by cpu.c and the assembly in cpu_entry.S. */
#ifndef HW_CPU_LAYOUT_H
#define HW_CPU_LAYOUT_H

/* The register file of a user context, as 64-bit slots in this order. The
 * order puts the eight message registers of the system call ABI (rdx, r10,
 * r8, r9, r12..r15) side by side. */
#define HW_REG_RAX 0
#define HW_REG_RDI 1
#define HW_REG_RSI 2
#define HW_REG_RDX 3
#define HW_REG_R10 4
#define HW_REG_R8 5
#define HW_REG_R9 6
#define HW_REG_R12 7
#define HW_REG_R13 8
#define HW_REG_R14 9
#define HW_REG_R15 10
#define HW_REG_RBX 11
#define HW_REG_RBP 12
#define HW_REG_RCX 13
#define HW_REG_R11 14
#define HW_REG_RIP 15
#define HW_REG_RSP 16
#define HW_REG_RFLAGS 17
#define HW_NREGS 18
/* After the registers: whether the frame is full (saved by an interrupt or
 * an exception: restore everything) and the FXSAVE area. */
#define HW_FRAME_FULL (HW_NREGS * 8)
#define HW_FRAME_FPU 160
/* In the FXSAVE area: the x87 control word and MXCSR, which a frame saved by
 * a system call keeps too (the rest of its FPU state is the ABI's to
 * clobber), and their power-on values, which the kernel runs with. */
#define HW_FRAME_FCW (HW_FRAME_FPU + 0)
#define HW_FRAME_MXCSR (HW_FRAME_FPU + 24)
#define HW_FCW_DEFAULT 0x37f
#define HW_MXCSR_DEFAULT 0x1f80

/* Byte offsets in hw_cpu_t of the fields the assembly touches. */
#define HW_CPU_USER_FRAME 0
#define HW_CPU_KSTACK_TOP 8
#define HW_CPU_SYSCALL_VECTOR 16
#define HW_CPU_HOST_RSP 24
#define HW_CPU_MODE 32
#define HW_CPU_TRAP_VECTOR 40
#define HW_CPU_INTR_VECTOR 128

/* What the CPU is running (hw_cpu_t.mode): a signal handler decides by it
 * whether a trap came from user code, from the kernel, or from the host. */
#define HW_MODE_HOST 0
#define HW_MODE_KERNEL 1
#define HW_MODE_USER 2

#endif
