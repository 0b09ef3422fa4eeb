/* Where the linker put the user image: symbols of link.ld, read with 64-bit immediates. */
#include "boot.h"
#include "ms_abi.h"
#include "x86_64.h"

/* The user image lies at MS_USER_IMAGE_BASE (0x48000000), beyond the +-2 GiB
 * that -mcmodel=kernel code reaches with RIP-relative addressing: take its
 * symbols' values whole. */
#define LINKER_SYMBOL(name)                                   \
    ({                                                        \
        uint64_t v_;                                          \
        __asm__("movabsq $" #name ", %0" : "=r"(v_));         \
        v_;                                                   \
    })

/* One part of the user image: [va, va + size) at physical pa. */
typedef struct image_part {
    uint64_t va, size, pa;
    unsigned rights;
} image_part_t;

#define IMAGE_PARTS 2

/* Code, then constants, each on its own pages (link.ld aligns them). */
static void read_parts(image_part_t part[IMAGE_PARTS])
{
    part[0] = (image_part_t){.va = LINKER_SYMBOL(__user_text_start),
                             .size = LINKER_SYMBOL(__user_text_end) - LINKER_SYMBOL(__user_text_start),
                             .pa = LINKER_SYMBOL(__user_text_phys),
                             .rights = MS_RIGHT_READ | MS_RIGHT_EXEC};
    part[1] = (image_part_t){.va = LINKER_SYMBOL(__user_rodata_start),
                             .size = LINKER_SYMBOL(__user_rodata_end) - LINKER_SYMBOL(__user_rodata_start),
                             .pa = LINKER_SYMBOL(__user_rodata_phys),
                             .rights = MS_RIGHT_READ};
}

unsigned image_user_parts(k_boot_image_t *parts, unsigned max)
{
    image_part_t part[IMAGE_PARTS];
    read_parts(part);
    unsigned n = 0;
    for (unsigned i = 0; i < IMAGE_PARTS && n < max; i++)
        if (part[i].size)
            parts[n++] =
                (k_boot_image_t){.va = part[i].va, .pa = part[i].pa, .size = part[i].size, .rights = part[i].rights};
    return n;
}

const void *image_user_kernel_ptr(uintptr_t va, size_t len)
{
    image_part_t part[IMAGE_PARTS];
    read_parts(part);
    for (unsigned i = 0; i < IMAGE_PARTS; i++)
        if (va >= part[i].va && va - part[i].va <= part[i].size && len <= part[i].size - (va - part[i].va))
            return phys_to_virt(part[i].pa + (va - part[i].va));
    return NULL;
}

uint64_t image_phys_end(void)
{
    return LINKER_SYMBOL(__image_phys_end);
}
