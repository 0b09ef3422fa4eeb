/* pingpong server: checks every ping against the seeded sequence and answers it. */
#include "ms/print.h"
#include "ms/syscall.h"
#include "pingpong.h"

void pingpong_server(const ms_start_t *start)
{
    uint64_t checked = 0, wrong = 0;
    ms_msg_t m;
    uint64_t err = ms_recv(PINGPONG_EP, &m);
    while (err == MS_OK && ms_info_label(m.info) == PINGPONG_PING) {
        int ok = ms_info_words(m.info) == 2 && m.w[0] == checked + wrong &&
                 m.w[1] == pingpong_payload(start->seed, m.w[0]);
        ok ? checked++ : wrong++;
        m.info = ms_info(ok ? PINGPONG_PING : PINGPONG_WRONG, 2, 0, 0);
        m.w[1] = pingpong_answer(m.w[1]);
        err = ms_reply_recv(PINGPONG_EP, &m);
    }
    int done = err == MS_OK && ms_info_label(m.info) == PINGPONG_DONE && m.w[0] == checked + wrong;
    ms_printf("pingpong server: %llu pings checked, %llu wrong%s\n", (unsigned long long)checked,
              (unsigned long long)wrong, done ? "" : ", and no proper end");
    ms_exit(done && !wrong ? 0 : 1);
}
