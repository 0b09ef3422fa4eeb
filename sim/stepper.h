/* microsim --step: an interactive stepper over a scenario. */
#ifndef SIM_STEPPER_H
#define SIM_STEPPER_H

#include "options.h"

/*
 * Boots opts->scenario and stops before its first user instruction; then
 * reads commands (line editing on a terminal, plain lines from a pipe):
 * next, stepi [N], continue, break ipc|irq|exception|task=NAME|ep=N, tasks,
 * regs, trace [N], quit. The trace is printed as the machine runs. The end
 * of input quits. Returns microsim's exit status (0 after quit).
 */
int sim_stepper_run(const sim_options_t *opts);

#endif
