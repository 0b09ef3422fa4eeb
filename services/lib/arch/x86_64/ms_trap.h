/* The system call instruction on real x86-64. */
#ifndef MS_TRAP_H
#define MS_TRAP_H

/* For inline assembly with operands. */
#define MS_TRAP_INSN "syscall"

#endif
