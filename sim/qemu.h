/* microsim --machine=qemu: boot the x86-64 image of a scenario in qemu-system-x86_64. */
#ifndef SIM_QEMU_H
#define SIM_QEMU_H

#include "options.h"

/* Runs opts->scenario in QEMU (headless, serial on a pipe) and prints its
 * text trace as the hosted run does; the guest's exit status (isa-debug-exit)
 * becomes the return value (0, 1, or 2 for a usage error such as a missing
 * QEMU or image, or an option the QEMU machine cannot honour). */
int sim_qemu_run(const sim_options_t *opts);

#endif
