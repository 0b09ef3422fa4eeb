/* The Multiboot 1 header and the 32-bit entry: build the first page tables, enter long mode (with NX), jump to the higher half. */
#include "x86_64.h"

#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x00000003        /* page-align modules, give memory info */
#define MB_BOOT_MAGIC 0x2badb002   /* in eax from the loader */

#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_PS 0x80                /* a 2 MiB page in a page directory */

#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define MSR_EFER 0xc0000080

/* QEMU's -kernel reads this in the first 8 KiB of the (32-bit ELF) image. */
    .section .multiboot, "a"
    .align 4
    .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

/*
 * x86_multiboot_entry: the loader enters here in 32-bit protected mode, paging
 * off, eax = MB_BOOT_MAGIC, ebx = the physical address of the Multiboot info.
 * Everything here runs at its physical (load) address. The page tables map
 * the first GiB twice with 2 MiB pages: at 0 (so this code keeps running when
 * paging comes on) and at X86_KERNEL_BASE (where the kernel is linked). The
 * kernel replaces them with its own space (paging.c) before anything else
 * uses memory past the image.
 */
    .section .boot.text, "ax"
    .code32
    .globl x86_multiboot_entry
    .type x86_multiboot_entry, @function
x86_multiboot_entry:
    cli
    cld
    movl $boot_stack_top, %esp
    movl %ebx, %edi                 /* the Multiboot info, first argument of x86_boot_main */
    cmpl $MB_BOOT_MAGIC, %eax
    jne not_multiboot
    /* Long mode is CPUID 0x80000001 EDX bit 29; no-execute pages (the NX
     * bit the kernel sets on every user page that is not code) bit 20. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb no_long_mode
    movl $0x80000001, %eax
    cpuid
    btl $29, %edx
    jnc no_long_mode
    btl $20, %edx
    jnc no_nx

    /* Zero the four table pages, then link PML4 -> PDPTs -> one PD. */
    movl $boot_pml4, %ebx
    movl %edi, %ebp
    movl %ebx, %edi
    xorl %eax, %eax
    movl $(4 * 4096 / 4), %ecx
    rep stosl
    movl %ebp, %edi
    movl $(boot_pdpt_low + PTE_P + PTE_W), boot_pml4
    movl $(boot_pdpt_high + PTE_P + PTE_W), boot_pml4 + 511 * 8
    movl $(boot_pd + PTE_P + PTE_W), boot_pdpt_low
    movl $(boot_pd + PTE_P + PTE_W), boot_pdpt_high + 510 * 8
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_P + PTE_W + PTE_PS), %eax
    movl %eax, boot_pd(, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jne 1b

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $(EFER_LME + EFER_NXE), %eax  /* without NXE, bit 63 of an entry is reserved: #PF */
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG + CR0_WP + CR0_PE), %eax
    movl %eax, %cr0
    lgdt boot_gdt_ptr
    ljmp $X86_SEL_KCODE, $boot64

/* Not started by a Multiboot loader, or no 64-bit CPU: say so on COM1 and
 * stop QEMU (isa-debug-exit) with status 1. */
not_multiboot:
    movl $msg_not_multiboot, %esi
    jmp boot_fail
no_long_mode:
    movl $msg_no_long_mode, %esi
    jmp boot_fail
no_nx:
    movl $msg_no_nx, %esi
boot_fail:
    movw $0x3f8, %dx
2:  lodsb
    testb %al, %al
    jz 3f
    outb %al, %dx
    jmp 2b
3:  movb $1, %al
    outb %al, $0xf4
4:  hlt
    jmp 4b

    .code64
boot64:
    movw $X86_SEL_KDATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorl %eax, %eax
    movw %ax, %fs
    movw %ax, %gs
    movl %edi, %edi                 /* zero-extend the Multiboot info address */
    movabsq $(x86_kstack + X86_KSTACK_SIZE), %rsp
    xorl %ebp, %ebp
    movabsq $x86_boot_main, %rax
    call *%rax
    ud2
    .size x86_multiboot_entry, . - x86_multiboot_entry

    .section .boot.data, "a"
    .align 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* X86_SEL_KCODE: 64-bit code, ring 0 */
    .quad 0x00cf92000000ffff        /* X86_SEL_KDATA */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
msg_not_multiboot:
    .asciz "!microsim: the x86-64 image must be booted by a Multiboot loader (qemu-system-x86_64 -kernel)\n"
msg_no_long_mode:
    .asciz "!microsim: this CPU has no 64-bit long mode\n"
msg_no_nx:
    .asciz "!microsim: this CPU has no no-execute pages (NX)\n"

    .section .boot.bss, "aw", @nobits
    .align 4096
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4096
boot_stack:
    .skip 1024
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
