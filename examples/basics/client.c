/* demo client: waits for its service handle, then adds, shouts and asks for statistics. */
#include "demo.h"
#include "ms/print.h"
#include "ms/syscall.h"
#include "rt.h"

/* Shows that the kernel refuses what this task has no right to do. */
static void try_mistakes(const char *name, ms_handle_t service)
{
    ms_msg_t m = {0};
    uint64_t err = ms_recv(service, &m);
    ms_printf("%s: recv on a send-only handle -> error %llu (E_RIGHTS is %u)\n", name, (unsigned long long)err,
              MS_E_RIGHTS);
    err = ms_call(9, &m);
    ms_printf("%s: call on handle 9, never given -> error %llu (E_BADHANDLE is %u)\n", name,
              (unsigned long long)err, MS_E_BADHANDLE);
}

void demo_client(const ms_start_t *start)
{
    const char *name = start->name;
    char *ipc_buffer = (char *)(uintptr_t)start->ipc_buffer;
    ms_msg_t m = {0};
    if (ms_recv(DEMO_H_BOOT, &m) != MS_OK || !ms_info_has_handle(m.info))
        ms_exit(1);
    ms_handle_t service = (ms_handle_t)m.handle;

    uint64_t n = start->arg[1];
    m = (ms_msg_t){.info = ms_info(DEMO_ADD, 3, 0, 0), .w = {n, n + 1, n + 2}};
    uint64_t err = ms_call(service, &m);
    ms_printf("%s: %llu + %llu + %llu = %llu\n", name, (unsigned long long)n, (unsigned long long)n + 1,
              (unsigned long long)n + 2, (unsigned long long)m.w[0]);
    int ok = err == MS_OK && m.w[0] == 3 * n + 3;

    char text[32];
    unsigned len = (unsigned)rt_snprintf(text, sizeof text, "hello from %s", name);
    rt_memcpy(ipc_buffer, text, len);
    m = (ms_msg_t){.info = ms_info(DEMO_UPPER, 0, len, 0)};
    err = ms_call(service, &m);
    ms_printf("%s: server answered \"%.*s\"\n", name, (int)ms_info_payload(m.info), ipc_buffer);
    ok = ok && err == MS_OK && ms_info_payload(m.info) == len;

    if (start->arg[2])
        try_mistakes(name, service);

    m = (ms_msg_t){.info = ms_info(DEMO_STATS, 0, 0, 0)};
    err = ms_call(service, &m);
    ms_printf("%s: server has seen %llu calls from badge 1 and %llu from badge 2\n", name,
              (unsigned long long)m.w[0], (unsigned long long)m.w[1]);
    ms_exit(ok && err == MS_OK ? 0 : 1);
}
