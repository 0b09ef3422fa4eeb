/* Instruction-level inspection of microsim's own code: disassembly and function/source line of an address. */
#ifndef SIM_INSPECT_H
#define SIM_INSPECT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The layer a single-stepper prints with. User tasks run as code of the
 * microsim executable itself, so one session over this process answers for
 * every thread. Disassembly is Capstone's x86-64 decoder in AT&T syntax (the
 * syntax gdb and objdump print by default; Capstone's spelling differs in
 * details: "movq %rax, 8(%rsp)" where gdb says "mov %rax,0x8(%rsp)").
 * Functions and lines come from libdwfl over the modules mapped in this
 * process (read from /proc/self/maps when the session opens), so the load
 * bias of the PIE executable and of each shared library is applied by libdwfl:
 * addresses in and out are plain run-time addresses. Only debug information
 * inside the mapped files is used: no separate debug files, no debuginfod.
 *
 * The modules are those mapped when the session opens (a library loaded later
 * is unknown to it). A session is not thread-safe: use it from one thread.
 * Opening it takes well under a millisecond, and the first lookup in a module
 * loads that module's symbols and DWARF; later lookups reuse all of that
 * (about 0.1 us for a function and line, 1 us for a formatted line).
 * Nothing is opened until sim_inspect_open is called.
 */
typedef struct sim_inspect sim_inspect_t;

#define SIM_INSN_MAX_BYTES 15 /* the longest x86-64 instruction */

/* One decoded instruction. */
typedef struct sim_insn {
    uintptr_t addr;
    unsigned len;                      /* bytes, 1..SIM_INSN_MAX_BYTES */
    uint8_t bytes[SIM_INSN_MAX_BYTES]; /* the first len are the instruction */
    char mnemonic[32];                 /* "movq", "retq", "inb" */
    char operands[160];                /* "%rax, 8(%rsp)"; empty if none */
} sim_insn_t;

/* What debug information says about one address. Strings belong to the
 * session and stay valid until sim_inspect_close. */
typedef struct sim_line {
    const char *module;   /* the mapped file containing the address (absolute path), NULL if none */
    const char *function; /* the code symbol (function or assembler label) containing the address, NULL if
                             none; data symbols are not functions */
    uintptr_t offset;     /* address - the symbol's start; 0 without a symbol */
    const char *path;     /* source file as the line table names it (absolute if the compile directory is
                             known), NULL without line information */
    const char *file;     /* the last component of path, NULL without line information */
    int line;             /* source line, 0 without line information */
} sim_line_t;

/* Opens a session over this process: libdwfl over its mapped modules and a
 * Capstone x86-64 AT&T decoder. Returns 0 and *out, or -1 (and *out NULL)
 * with the reason in sim_inspect_error(). */
int sim_inspect_open(sim_inspect_t **out);

/* Frees the session and everything its lookups returned; NULL is a no-op. */
void sim_inspect_close(sim_inspect_t *in);

/* The reason for the last failed sim_inspect_ call in this thread ("" if
 * none); valid until the next failing call. */
const char *sim_inspect_error(void);

/* Decodes the instruction at addr of this process. The caller guarantees the
 * instruction's bytes are mapped and readable; at most 15 bytes are read, and
 * never past the end of addr's page unless the instruction continues into the
 * next one (that page is then read with process_vm_readv, which fails cleanly
 * if it is not mapped). Returns 0, or -1 for bytes that are no instruction. */
int sim_inspect_insn(sim_inspect_t *in, uintptr_t addr, sim_insn_t *out);

/* Looks up the function (symbol and offset) and the source file and line of
 * addr. Returns 0 when either is known (the other part may be absent: code of
 * a library without debug information has a symbol but no line), -1 when
 * neither is (addr in no mapped file, or in one with no symbol around it).
 * Every field of *out is set either way. Never dereferences addr. For inlined
 * code, function is the out-of-line function the code was inlined into (as in
 * gdb's `x/i`) and the line is the inlined code's own (a header's, say). */
int sim_inspect_line(sim_inspect_t *in, uintptr_t addr, sim_line_t *out);

/*
 * The one-line form a stepper prints for the instruction at addr (no
 * newline), in three columns separated by two spaces:
 *
 *   0x0000555555563c68  pingpong_server+0x18 (server.c:7)         movq   %rdi, 0x18(%rsp)
 *   |- address ------|  |- location, padded to 40 -------------|  |- instruction
 *
 * - address: "0x" and 16 lowercase hex digits;
 * - location: "FUNCTION+0xOFFSET (FILE:LINE)", or "FUNCTION+0xOFFSET" without
 *   line information, "?? (FILE:LINE)" without a symbol, "??" without
 *   either; FILE is the basename. Padded with spaces to
 *   SIM_INSPECT_LOCATION_WIDTH; a longer one is not cut, it pushes the
 *   instruction right;
 * - instruction: the mnemonic padded to 6, a space and the operands (just the
 *   mnemonic if there are none), or "(bad)" if the bytes do not decode.
 *
 * The instruction at addr must be readable, as for sim_inspect_insn. Writes
 * at most size bytes, NUL included (nothing if size is 0), and returns the
 * length of the whole line, as snprintf does.
 */
#define SIM_INSPECT_LOCATION_WIDTH 40
size_t sim_inspect_format(sim_inspect_t *in, uintptr_t addr, char *buf, size_t size);

#endif
