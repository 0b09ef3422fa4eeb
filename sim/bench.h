/* microsim bench: the IPC round trip, timed against host baselines in the same run. */
#ifndef SIM_BENCH_H
#define SIM_BENCH_H

/* Runs every measurement (or only the one named by only: ipc, ordinary,
 * traced, pipe, futex), prints a table (or one JSON object if json) and
 * returns microsim's exit status. */
int sim_bench(int json, const char *only);

#endif
