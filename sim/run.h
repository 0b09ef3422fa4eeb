/* Running one scenario: boot it on the hosted machine and feed the trace to its sinks. */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include "options.h"

/* Runs opts->scenario with the options' trace settings; returns microsim's
 * exit status (0 ran to its end, 1 panic or failed check, 2 usage error). */
int sim_run(const sim_options_t *opts);

#endif
