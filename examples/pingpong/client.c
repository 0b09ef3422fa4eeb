/* pingpong client: calls the server arg[0] times with a changing payload and checks each reply. */
#include "ms/print.h"
#include "ms/syscall.h"
#include "pingpong.h"

void pingpong_client(const ms_start_t *start)
{
    uint64_t rounds = start->arg[0], good = 0;
    for (uint64_t i = 0; i < rounds; i++) {
        uint64_t payload = pingpong_payload(start->seed, i);
        ms_msg_t m = {.info = ms_info(PINGPONG_PING, 2, 0, 0), .w = {i, payload}};
        if (ms_call(PINGPONG_EP, &m) != MS_OK)
            break;
        if (ms_info_label(m.info) == PINGPONG_PING && m.w[0] == i && m.w[1] == pingpong_answer(payload))
            good++;
    }
    ms_msg_t done = {.info = ms_info(PINGPONG_DONE, 1, 0, 0), .w = {rounds}};
    uint64_t err = ms_send(PINGPONG_EP, &done);
    ms_printf("pingpong client: %llu of %llu round trips answered correctly\n", (unsigned long long)good,
              (unsigned long long)rounds);
    ms_exit(err == MS_OK && good == rounds ? 0 : 1);
}
