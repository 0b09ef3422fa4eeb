/* System call statistics. */
#include "stats.h"

#include "invariants.h"
#include "panic.h"
#include "rt.h"
#include "syscall.h"

static k_syscall_stats_t *stats;
int k_stats_active;

void stats_init(k_syscall_stats_t *where)
{
    stats = where;
    if (stats)
        rt_memset(stats, 0, sizeof *stats);
    k_stats_active = stats != NULL || invariants_enabled();
}

static unsigned outcome_of(const thread_t *t)
{
    switch (t->state) {
    case THREAD_DEAD:
        return K_OUTCOME_ENDED;
    case THREAD_BLOCKED_SEND:
    case THREAD_BLOCKED_RECV:
    case THREAD_BLOCKED_REPLY:
    case THREAD_BLOCKED_NOTIFY:
        return K_OUTCOME_BLOCKED;
    default:
        return t->regs.rax < MS_ERROR_COUNT ? (unsigned)t->regs.rax : K_OUTCOME_ENDED + 1;
    }
}

void stats_record_call(uint64_t nr, const thread_t *t)
{
    unsigned outcome = outcome_of(t);
    if (invariants_enabled() && outcome < MS_ERROR_COUNT && !(ms_syscall_results(nr) & (1u << outcome)))
        k_panic("invariant syscall-result: %s returned %s, which the ABI does not list for it", syscall_name(nr),
                syscall_error_name(outcome));
    if (invariants_enabled() && outcome > K_OUTCOME_ENDED)
        k_panic("invariant syscall-result: %s left %llu in rax, not an error code", syscall_name(nr),
                (unsigned long long)t->regs.rax);
    if (stats && outcome < K_OUTCOMES)
        stats->calls[nr < MS_SYS_COUNT ? nr : MS_SYS_COUNT][outcome]++;
}

void stats_record_wake_call(int err)
{
    if (stats && err >= 0 && err < MS_ERROR_COUNT)
        stats->wakes[err]++;
}

void stats_note_check(void)
{
    if (stats)
        stats->invariant_checks++;
}
