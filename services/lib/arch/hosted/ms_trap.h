/* The system call instruction on the simulated PC. */
#ifndef MS_TRAP_H
#define MS_TRAP_H

/* Behaves like x86-64 `syscall`: the return address goes to rcx and control
 * enters the kernel (hwmodel's hw_cpu_syscall_entry, the simulated
 * IA32_LSTAR). It does not touch the user stack, so the red zone is safe.
 * For inline assembly with operands (hence the doubled %). */
#define MS_TRAP_INSN "lea 1f(%%rip), %%rcx\n\tjmp hw_cpu_syscall_entry\n1:"

#endif
