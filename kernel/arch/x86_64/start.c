/* Boot on the real CPU: from the Multiboot loader's state to k_boot() with the scenario named on the command line. */
#include "boot.h"
#include "rt.h"
#include "scenarios.h"
#include "trace.h"
#include "trace_format.h"
#include "x86.h"
#include "x86_64.h"

/* The parts of the Multiboot 1 information structure the kernel reads. */
typedef struct __attribute__((packed)) multiboot_info {
    uint32_t flags;
    uint32_t mem_lower; /* KiB below 1 MiB */
    uint32_t mem_upper; /* KiB from 1 MiB up */
    uint32_t boot_device;
    uint32_t cmdline;   /* physical address of a NUL-terminated string */
} multiboot_info_t;

#define MB_INFO_MEMORY 0x1u
#define MB_INFO_CMDLINE 0x4u
#define CMDLINE_MAX 256

uint8_t x86_kstack[X86_KSTACK_SIZE] __attribute__((aligned(16)));
static uint8_t emergency_stack[8192] __attribute__((aligned(16)));
static k_boot_info_t boot;
static char cmdline[CMDLINE_MAX];

/* Copies the command line out before anything may reuse the loader's memory
 * (QEMU puts it right after the image, among the frames the kernel hands out);
 * returns the end of RAM (physical). */
static uintptr_t read_multiboot(uintptr_t mbi_phys)
{
    const multiboot_info_t *mbi = phys_to_virt(mbi_phys);
    if (mbi->flags & MB_INFO_CMDLINE)
        rt_strlcpy(cmdline, phys_to_virt(mbi->cmdline), sizeof cmdline);
    uintptr_t mem_end = 16u << 20;
    if (mbi->flags & MB_INFO_MEMORY)
        mem_end = (1u << 20) + (uintptr_t)mbi->mem_upper * 1024u;
    return mem_end;
}

/* A whole decimal number. */
static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* One word of the command line: "seed=N", "max-events=N", "fastpath=off",
 * "trace=none", "invariants=on", or the scenario's name. */
static int apply_word(char *w, const char **scenario, x86_run_options_t *o)
{
    if (rt_strcmp(w, "fastpath=off") == 0)
        boot.no_fastpath = 1;
    else if (rt_strcmp(w, "fastpath=on") == 0)
        boot.no_fastpath = 0;
    else if (rt_strcmp(w, "trace=none") == 0)
        boot.trace_mask = K_TRACE_MASK_QUIET;
    else if (rt_strcmp(w, "trace=text") == 0)
        boot.trace_mask = K_TRACE_MASK_ALL;
    else if (rt_strcmp(w, "invariants=on") == 0)
        boot.check_invariants = 1;
    else if (rt_strcmp(w, "invariants=off") == 0)
        boot.check_invariants = 0;
    else if (w[0] == 's' && rt_strlen(w) > 5 && rt_memcmp(w, "seed=", 5) == 0)
        return parse_u64(w + 5, &boot.seed);
    else if (rt_strlen(w) > 11 && rt_memcmp(w, "max-events=", 11) == 0)
        return parse_u64(w + 11, &o->max_events);
    else if (!*scenario)
        *scenario = w;
    else
        return -1;
    return 0;
}

/* "IMAGE SCENARIO [seed=N] [max-events=N] [fastpath=on|off] [trace=text|none]
 * [invariants=on|off]":
 * the loader puts the image's own path first (QEMU's -kernel, as GRUB does),
 * then the -append text. The scenario defaults to demo, as microsim's does. */
static const char *parse_cmdline(x86_run_options_t *o)
{
    const char *scenario = NULL;
    char *p = cmdline;
    while (*p && *p != ' ')
        p++;
    while (*p) {
        while (*p == ' ')
            p++;
        char *w = p;
        while (*p && *p != ' ')
            p++;
        if (*p)
            *p++ = '\0';
        if (*w && apply_word(w, &scenario, o) != 0) {
            x86_diag("microsim: x86_64: cannot read '%s' on the command line", w);
            arch_halt(2);
        }
    }
    return scenario ? scenario : "demo";
}

/* The user image seen through the direct map: the kernel runs in its own
 * space, where the image is not mapped (the core maps it into the tasks'
 * spaces only), so a loader reads it by physical address. */
static const char *image_string(const char *user)
{
    const char *s = image_user_kernel_ptr((uintptr_t)user, 1);
    for (size_t n = 1; s && image_user_kernel_ptr((uintptr_t)user, n); n++)
        if (!s[n - 1])
            return s;
    return NULL; /* not in the image, or not terminated inside it */
}

static ms_manifest_t manifest;

/* The scenario called name, copied out of the user image with its strings
 * (the manifest's, its tasks' names) pointing into the direct map; the
 * entry points stay user addresses. NULL if there is none. */
static const ms_manifest_t *load_manifest(const char *name)
{
    for (unsigned i = 0; scenarios[i]; i++) {
        const ms_manifest_t *m = image_user_kernel_ptr((uintptr_t)scenarios[i], sizeof *m);
        const char *mname = m ? image_string(m->name) : NULL;
        if (!mname || rt_strcmp(mname, name) != 0)
            continue;
        manifest = *m;
        manifest.name = mname;
        manifest.description = image_string(m->description);
        manifest.trace_filter = m->trace_filter ? image_string(m->trace_filter) : NULL;
        for (unsigned t = 0; t < MS_MANIFEST_TASKS_MAX; t++)
            manifest.tasks[t].name = image_string(m->tasks[t].name);
        return &manifest;
    }
    return NULL;
}

static void write_trace_header(void)
{
    char line[TRACE_LINE_MAX];
    trace_format_header(line, sizeof line);
    serial_puts(line);
    serial_write("\n", 1);
}

void x86_boot_main(uintptr_t mbi_phys)
{
    serial_init();
    uintptr_t mem_end = read_multiboot(mbi_phys);
    x86_cpu0.kstack_top = (uintptr_t)x86_kstack + sizeof x86_kstack;
    desc_init(x86_cpu0.kstack_top, (uintptr_t)emergency_stack + sizeof emergency_stack);
    /* The kernel programs the 8259s and the 8254 at boot (kernel/dev/), the
     * same code the hosted build runs against its models; until then
     * interrupts stay off. */
    x86_paging_init(mem_end);
    boot.seed = 1;
    boot.trace_mask = K_TRACE_MASK_ALL;
    x86_run_options_t opts = {0};
    const char *name = parse_cmdline(&opts);
    boot.manifest = load_manifest(name);
    if (!boot.manifest) {
        x86_diag("microsim: no scenario '%s'; microsim --list shows them", name);
        arch_halt(2);
    }
    x86_set_run_options(&opts);
    /* The core gives every task its memory and address space, and maps the
     * user image into each; nothing of the image lies outside page tables. */
    boot.nuser_image = image_user_parts(boot.user_image, ASPACE_IMAGE_REGIONS);
    boot.nimage = 0;
    if (!boot.nuser_image || boot.user_image[0].va != MS_USER_IMAGE_BASE) {
        x86_diag("microsim: x86_64: the user image is not linked at MS_USER_IMAGE_BASE (link.ld)");
        arch_halt(1);
    }
    if (boot.trace_mask == K_TRACE_MASK_ALL)
        write_trace_header();
    k_boot(&boot);
}
