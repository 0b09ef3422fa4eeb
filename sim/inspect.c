/* Instruction-level inspection: Capstone for the instruction, libdwfl for the function and source line. */
#include "inspect.h"

#include <capstone/capstone.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

struct sim_inspect {
    Dwfl *dwfl;
    csh capstone;
    cs_insn *decoded; /* Capstone's instruction buffer, reused by every decode */
    uintptr_t page_size;
    /* The module of the last lookup: consecutive steps stay in one module. */
    Dwfl_Module *last_module;
    Dwarf_Addr last_start, last_end;
    const char *last_name;
    struct func_table *last_funcs;
};

_Static_assert(sizeof(((sim_insn_t *)0)->mnemonic) >= sizeof(((cs_insn *)0)->mnemonic), "mnemonic fits");
_Static_assert(sizeof(((sim_insn_t *)0)->operands) >= sizeof(((cs_insn *)0)->op_str), "operands fit");

static int func_table_free(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg);

static _Thread_local char last_error[256];

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return -1;
}

const char *sim_inspect_error(void)
{
    return last_error;
}

/* Separate debug files would be looked up here (and, by libdwfl's standard
 * callback, on debuginfod servers over the network): we use only what the
 * mapped files hold, so lookups stay local and repeatable. */
static int no_separate_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname, Dwarf_Addr base,
                                 const char *file_name, const char *debuglink_file, GElf_Word debuglink_crc,
                                 char **debuginfo_file_name)
{
    (void)mod, (void)userdata, (void)modname, (void)base, (void)file_name, (void)debuglink_file;
    (void)debuglink_crc, (void)debuginfo_file_name;
    return -1;
}

static const Dwfl_Callbacks dwfl_callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = no_separate_debuginfo,
};

/* Reports every module mapped in this process, at its run-time address. */
static Dwfl *open_dwfl(void)
{
    Dwfl *dwfl = dwfl_begin(&dwfl_callbacks);
    if (!dwfl) {
        fail("libdwfl: %s", dwfl_errmsg(-1));
        return NULL;
    }
    dwfl_report_begin(dwfl);
    int rc = dwfl_linux_proc_report(dwfl, getpid());
    if (dwfl_report_end(dwfl, NULL, NULL) != 0 || rc != 0) {
        fail("libdwfl: cannot read this process's modules: %s", rc > 0 ? strerror(rc) : dwfl_errmsg(-1));
        dwfl_end(dwfl);
        return NULL;
    }
    return dwfl;
}

static int open_capstone(sim_inspect_t *in)
{
    cs_err err = cs_open(CS_ARCH_X86, CS_MODE_64, &in->capstone);
    if (err == CS_ERR_OK)
        err = cs_option(in->capstone, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    if (err != CS_ERR_OK)
        return fail("capstone: %s", cs_strerror(err));
    in->decoded = cs_malloc(in->capstone);
    return in->decoded ? 0 : fail("capstone: %s", cs_strerror(cs_errno(in->capstone)));
}

int sim_inspect_open(sim_inspect_t **out)
{
    *out = NULL;
    sim_inspect_t *in = calloc(1, sizeof *in);
    if (!in)
        return fail("out of memory");
    in->page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    in->dwfl = open_dwfl();
    if (!in->dwfl || open_capstone(in) != 0) {
        sim_inspect_close(in);
        return -1;
    }
    *out = in;
    return 0;
}

void sim_inspect_close(sim_inspect_t *in)
{
    if (!in)
        return;
    if (in->decoded)
        cs_free(in->decoded, 1);
    if (in->capstone)
        cs_close(&in->capstone);
    if (in->dwfl) {
        dwfl_getmodules(in->dwfl, func_table_free, NULL, 0);
        dwfl_end(in->dwfl);
    }
    free(in);
}

/* ---- instructions ---- */

/* Copies n bytes of this process's memory. Not instrumented: the window may
 * run past the object that holds the instruction (a code array in a test),
 * which is intended; volatile keeps the compiler from making it a memcpy call
 * the sanitizers would check. */
__attribute__((no_sanitize_address)) static void copy_code(uint8_t *dst, uintptr_t src, size_t n)
{
    const volatile uint8_t *p = (const volatile uint8_t *)src;
    for (size_t i = 0; i < n; i++)
        dst[i] = p[i];
}

/* Reads n bytes at src, the start of the page after the instruction's first
 * byte, which may not be mapped: 0 if read, -1 if not. Where the system call is
 * refused (a seccomp filter), trusts the caller that the bytes are mapped. */
static int read_next_page(uint8_t *dst, uintptr_t src, size_t n)
{
    struct iovec local = {dst, n}, remote = {(void *)src, n};
    if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)n)
        return 0;
    if (errno != ENOSYS && errno != EPERM)
        return -1;
    copy_code(dst, src, n);
    return 0;
}

static int decode(sim_inspect_t *in, uintptr_t addr, const uint8_t *bytes, size_t n)
{
    const uint8_t *code = bytes;
    uint64_t address = addr;
    return cs_disasm_iter(in->capstone, &code, &n, &address, in->decoded) ? 0 : -1;
}

int sim_inspect_insn(sim_inspect_t *in, uintptr_t addr, sim_insn_t *out)
{
    uint8_t bytes[SIM_INSN_MAX_BYTES];
    size_t in_page = in->page_size - addr % in->page_size;
    size_t n = in_page < sizeof bytes ? in_page : sizeof bytes;
    copy_code(bytes, addr, n);
    int rc = decode(in, addr, bytes, n);
    if (rc != 0 && n < sizeof bytes && read_next_page(bytes + n, addr + n, sizeof bytes - n) == 0) {
        n = sizeof bytes;
        rc = decode(in, addr, bytes, n);
    }
    memset(out, 0, sizeof *out);
    out->addr = addr;
    if (rc != 0)
        return fail("no instruction at %#lx (bytes %02x %02x %02x ...)", (unsigned long)addr, bytes[0],
                    n > 1 ? bytes[1] : 0, n > 2 ? bytes[2] : 0);
    const cs_insn *d = in->decoded;
    out->len = d->size;
    memcpy(out->bytes, d->bytes, d->size);
    memcpy(out->mnemonic, d->mnemonic, sizeof d->mnemonic);
    memcpy(out->operands, d->op_str, sizeof d->op_str);
    return 0;
}

/* ---- functions and lines ---- */

/*
 * libdwfl finds the symbol around an address by a linear pass over the whole
 * symbol table (about 6 us for microsim's). Each module gets instead, on its
 * first lookup, a table of its code symbols sorted by address, searched by
 * bisection: one symbol per start address, spanning its size; a sizeless one
 * (an assembler label) spans to the end of its section, so in effect to the
 * next symbol. The table hangs on the module's libdwfl userdata.
 */
typedef struct func {
    Dwarf_Addr start, end;
    const char *name;
    int rank; /* which of several symbols at one address names it: lower wins */
} func_t;

typedef struct func_table {
    func_t *v;
    size_t n;
} func_table_t;

/* A symbol that names code: its rank, or -1 to leave it out. Ranks prefer a
 * symbol with a size, then global over weak over local bindings. */
static int code_symbol_rank(const GElf_Sym *sym, GElf_Word shndx, Elf *elf, GElf_Shdr *shdr)
{
    int type = GELF_ST_TYPE(sym->st_info), bind = GELF_ST_BIND(sym->st_info);
    if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
        return -1;
    if (shndx == SHN_UNDEF || shndx >= SHN_LORESERVE || !elf)
        return -1;
    Elf_Scn *scn = elf_getscn(elf, shndx);
    if (!scn || !gelf_getshdr(scn, shdr) || !(shdr->sh_flags & SHF_EXECINSTR))
        return -1;
    int by_bind = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
    return (sym->st_size ? 0 : 3) + by_bind;
}

static int func_order(const void *a, const void *b)
{
    const func_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank - y->rank;
    return strcmp(x->name, y->name); /* the same name whatever qsort's order */
}

/* Sorts by address and keeps the best-ranked symbol at each one. */
static void func_table_settle(func_table_t *t)
{
    qsort(t->v, t->n, sizeof t->v[0], func_order);
    size_t kept = 0;
    for (size_t i = 0; i < t->n; i++)
        if (kept == 0 || t->v[i].start != t->v[kept - 1].start)
            t->v[kept++] = t->v[i];
    t->n = kept;
}

static func_table_t *func_table_build(Dwfl_Module *mod)
{
    func_table_t *t = calloc(1, sizeof *t);
    int count = dwfl_module_getsymtab(mod);
    if (!t || count <= 0 || !(t->v = calloc((size_t)count, sizeof t->v[0])))
        return t;
    for (int i = 1; i < count; i++) {
        GElf_Sym sym;
        GElf_Addr addr;
        GElf_Word shndx;
        GElf_Shdr shdr;
        Elf *elf;
        Dwarf_Addr bias;
        const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr, &shndx, &elf, &bias);
        int rank = name && name[0] ? code_symbol_rank(&sym, shndx, elf, &shdr) : -1;
        if (rank < 0)
            continue;
        Dwarf_Addr end = sym.st_size ? addr + sym.st_size : shdr.sh_addr + bias + shdr.sh_size;
        t->v[t->n++] = (func_t){addr, end, name, rank};
    }
    func_table_settle(t);
    return t;
}

static const func_t *func_table_find(const func_table_t *t, Dwarf_Addr addr)
{
    if (!t || t->n == 0 || addr < t->v[0].start)
        return NULL;
    size_t lo = 0, hi = t->n; /* v[lo].start <= addr < v[hi].start */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->v[mid].start <= addr)
            lo = mid;
        else
            hi = mid;
    }
    return addr < t->v[lo].end ? &t->v[lo] : NULL;
}

static int func_table_free(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start, void *arg)
{
    (void)mod, (void)name, (void)start, (void)arg;
    func_table_t *t = *userdata;
    if (t)
        free(t->v);
    free(t);
    *userdata = NULL;
    return DWARF_CB_OK;
}

static Dwfl_Module *module_at(sim_inspect_t *in, uintptr_t addr)
{
    if (in->last_module && addr >= in->last_start && addr < in->last_end)
        return in->last_module;
    /* libdwfl 0.188 answers the highest module for any address above all
     * modules (the stack): keep only a module that really spans addr. */
    Dwfl_Module *mod = dwfl_addrmodule(in->dwfl, addr);
    void **userdata;
    Dwarf_Addr start, end;
    const char *name = mod ? dwfl_module_info(mod, &userdata, &start, &end, NULL, NULL, NULL, NULL) : NULL;
    if (!mod || addr < start || addr >= end)
        return NULL;
    if (!*userdata)
        *userdata = func_table_build(mod);
    in->last_module = mod;
    in->last_start = start;
    in->last_end = end;
    in->last_name = name;
    in->last_funcs = *userdata;
    return mod;
}

static const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int sim_inspect_line(sim_inspect_t *in, uintptr_t addr, sim_line_t *out)
{
    memset(out, 0, sizeof *out);
    Dwfl_Module *mod = module_at(in, addr);
    if (!mod)
        return fail("%#lx is in no mapped file", (unsigned long)addr);
    out->module = in->last_name;

    const func_t *func = func_table_find(in->last_funcs, addr);
    if (func) {
        out->function = func->name;
        out->offset = addr - func->start;
    }
    Dwfl_Line *line = dwfl_module_getsrc(mod, addr);
    int lineno = 0;
    const char *path = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
    if (path && lineno > 0) {
        out->path = path;
        out->file = basename_of(path);
        out->line = lineno;
    }
    if (!out->function && !out->path)
        return fail("%#lx in %s has no symbol and no line information", (unsigned long)addr, out->module);
    return 0;
}

/* ---- the stepper's line ---- */

/* Appends to a bounded buffer, keeping the length of the whole output. */
typedef struct line_buf {
    char *buf;
    size_t size, len;
} line_buf_t;

__attribute__((format(printf, 2, 3))) static void put(line_buf_t *lb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = lb->len < lb->size ? lb->size - lb->len : 0;
    int n = vsnprintf(room ? lb->buf + lb->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        lb->len += (size_t)n;
}

static void put_location(line_buf_t *lb, const sim_line_t *where)
{
    size_t start = lb->len;
    if (where->function)
        put(lb, "%s+0x%lx", where->function, (unsigned long)where->offset);
    else
        put(lb, "??");
    if (where->path)
        put(lb, " (%s:%d)", where->file, where->line);
    size_t width = lb->len - start;
    if (width < SIM_INSPECT_LOCATION_WIDTH)
        put(lb, "%*s", (int)(SIM_INSPECT_LOCATION_WIDTH - width), "");
}

size_t sim_inspect_format(sim_inspect_t *in, uintptr_t addr, char *buf, size_t size)
{
    line_buf_t lb = {buf, size, 0};
    sim_line_t where;
    sim_inspect_line(in, addr, &where); /* unknown parts are NULL */
    sim_insn_t insn;
    int decoded = sim_inspect_insn(in, addr, &insn) == 0;

    put(&lb, "0x%016lx  ", (unsigned long)addr);
    put_location(&lb, &where);
    if (!decoded)
        put(&lb, "  (bad)");
    else if (insn.operands[0])
        put(&lb, "  %-6s %s", insn.mnemonic, insn.operands);
    else
        put(&lb, "  %s", insn.mnemonic);
    return lb.len;
}
