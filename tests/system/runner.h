/* Runs the microsim binary for system tests and captures what it prints. */
#ifndef TEST_RUNNER_H
#define TEST_RUNNER_H

#include <stddef.h>

typedef struct run_result {
    int status;   /* exit status, or -1 if it did not exit normally */
    char *out;    /* standard output, NUL-terminated */
    size_t out_len;
    char *err;    /* standard error */
    size_t err_len;
} run_result_t;

/* Runs microsim with the NULL-terminated arguments (not counting argv[0]),
 * with NO_COLOR set. Aborts the test if it cannot be started. */
void run_microsim(run_result_t *r, const char *const *args);
void run_free(run_result_t *r);

/* Number of lines in s (a final line without '\n' counts). */
size_t count_lines(const char *s);

/* The whole content of a file, NUL-terminated (abort on error). */
char *read_file(const char *path, size_t *len);

#endif
