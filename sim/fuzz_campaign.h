/* microsim fuzz: a seeded random system call campaign with the invariant checker on. */
#ifndef SIM_FUZZ_CAMPAIGN_H
#define SIM_FUZZ_CAMPAIGN_H

#include "options.h"

/* Runs opts->calls system calls by opts->tasks fuzz tasks, seeded by
 * opts->seed, in as many rounds (fresh boots) as it takes; prints the summary
 * and returns microsim's exit status (1 if the kernel panicked). */
int sim_fuzz(const sim_options_t *opts);

#endif
