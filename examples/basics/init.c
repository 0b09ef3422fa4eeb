/* demo init: mints a badged, send-only handle to the service for each client and hands it over. */
#include "demo.h"
#include "ms/print.h"
#include "ms/syscall.h"

static uint64_t give_service(ms_handle_t boot_ep, uint64_t badge)
{
    ms_handle_t h;
    uint64_t err = ms_handle_copy(DEMO_H_SERVICE, MS_RIGHT_SEND, badge, &h);
    if (err != MS_OK)
        return err;
    ms_msg_t m = {.info = ms_info(0, 1, 0, 1), .w = {badge}, .handle = h};
    err = ms_send(boot_ep, &m);
    ms_handle_close(h); /* the client has its own copy now */
    return err;
}

void demo_init(const ms_start_t *start)
{
    (void)start;
    uint64_t err = give_service(DEMO_H_HI_BOOT, 1);
    if (err == MS_OK)
        err = give_service(DEMO_H_LO_BOOT, 2);
    ms_printf("init: service handles handed out (badges 1 and 2), error %llu\n", (unsigned long long)err);
    ms_exit(err == MS_OK ? 0 : 1);
}
