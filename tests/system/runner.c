/* Runs the microsim binary for system tests. */
#include "runner.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void run_microsim(run_result_t *r, const char *const *args)
{
    char out_path[] = "/tmp/microsim-test-outXXXXXX", err_path[] = "/tmp/microsim-test-errXXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    ck_assert(out_fd >= 0 && err_fd >= 0);
    const char *argv[32] = {MICROSIM_PATH};
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        setenv("NO_COLOR", "1", 1);
        execv(MICROSIM_PATH, (char *const *)argv);
        _exit(127);
    }
    int ws;
    waitpid(pid, &ws, 0);
    close(out_fd);
    close(err_fd);
    r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    r->out = read_file(out_path, &r->out_len);
    r->err = read_file(err_path, &r->err_len);
    unlink(out_path);
    unlink(err_path);
}

void run_free(run_result_t *r)
{
    free(r->out);
    free(r->err);
}

size_t count_lines(const char *s)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n')
            n++;
    return n + (len > 0 && s[len - 1] != '\n');
}
