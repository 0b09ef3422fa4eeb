/* The shell: an interactive command line on the console service. */
#ifndef MS_SHELL_H
#define MS_SHELL_H

#include "ms/syscall.h"

/*
 * Commands: echo TEXT [> FILE], cat FILE, ls [DIR], mkdir DIR, rm PATH,
 * ps, spawn PROGRAM, kill PID, send ADDRESS PORT TEXT, help, exit. A line is split at blanks, and a
 * '>' is a word of its own; an error is one line; nothing typed can crash
 * the shell. It prompts with "$ " and ends with exit (status 0).
 *
 * Its handles, in a boot manifest: 1 the console service, 2 the file
 * system daemon, 3 the process manager. A process of the process manager
 * looks them up by name instead (CONSOLE_PATH, FS_PATH, INIT_PROCMAN_PATH),
 * and its host's network daemon too if arg[0] is the host's address.
 */
#define SHELL_H_CONSOLE 1u
#define SHELL_H_FS 2u
#define SHELL_H_PROCMAN 3u
void shell_main(const ms_start_t *start);

#endif
