/* Client stubs of the process manager's protocol (ms/procman.h). */
#include "ms/procman.h"

#include "ms/init.h"
#include "ms/names.h"

int ms_procman_client_gone(const ms_start_t *start, ms_handle_t *procman, uint64_t badge)
{
    uint64_t pid = PROCMAN_PID_OF_BADGE(badge);
    ms_names_t names = ms_names_of(start);
    if (!pid || !PROCMAN_PID(start))
        return 0; /* not a process's badge, or the caller is no process: nobody to ask */
    if (!*procman && ms_names_lookup(&names, INIT_PROCMAN_PATH, procman) != MS_OK)
        return 0;
    ms_msg_t m = {.info = ms_info(PROCMAN_STATUS, 1, 0, 0), .w = {pid}};
    return ms_call(*procman, &m) == MS_OK && m.w[0] == MS_OK && m.w[1] != PROCMAN_STATE_HELD &&
           m.w[1] != PROCMAN_STATE_RUNNING;
}
