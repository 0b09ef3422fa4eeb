/* Where the linker put the user image: symbols of link.ld, read with 64-bit immediates. */
#include "x86_64.h"

/* The user image lies at 0x400000, beyond the +-2 GiB that -mcmodel=kernel
 * code reaches with RIP-relative addressing: take its symbols' values whole. */
#define LINKER_SYMBOL(name)                                   \
    ({                                                        \
        uintptr_t v_;                                         \
        __asm__("movabsq $" #name ", %0" : "=r"(v_));         \
        v_;                                                   \
    })

uintptr_t image_user_start(void) { return LINKER_SYMBOL(__user_image_start); }
uintptr_t image_user_end(void) { return LINKER_SYMBOL(__user_image_end); }
uintptr_t image_user_phys(void) { return LINKER_SYMBOL(__user_image_phys); }
uintptr_t image_phys_end(void) { return LINKER_SYMBOL(__image_phys_end); }
