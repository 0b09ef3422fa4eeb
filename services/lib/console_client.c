/* Client stubs of the console service's protocol (ms/console.h). */
#include "ms/console.h"

uint64_t ms_console_write(const ms_console_t *c, const char *text, unsigned len)
{
    if (len > MS_MSG_PAYLOAD_MAX)
        len = MS_MSG_PAYLOAD_MAX;
    for (unsigned i = 0; i < len; i++)
        c->ipc_buffer[i] = text[i];
    ms_msg_t m = {.info = ms_info(CONSOLE_WRITE, 0, len, 0)};
    uint64_t err = ms_call(c->ep, &m);
    return err == MS_OK ? m.w[0] : err;
}

uint64_t ms_console_read(const ms_console_t *c, char *line, unsigned size)
{
    ms_msg_t m = {.info = ms_info(CONSOLE_READ, 0, 0, 0)};
    uint64_t err = ms_call(c->ep, &m);
    if (err == MS_OK)
        err = m.w[0];
    unsigned n = err == MS_OK ? ms_info_payload(m.info) : 0;
    if (size == 0)
        return err;
    if (n > size - 1)
        n = size - 1;
    for (unsigned i = 0; i < n; i++)
        line[i] = c->ipc_buffer[i];
    line[n] = '\0';
    return err;
}
