/* --trace-filter: parsing a SPEC and matching events and text lines against it. */
#include "trace_filter.h"

#include <stdio.h>
#include <string.h>

#include "trace_format.h"

/* Shown whatever the kind terms say, unless a -KIND term hides them. */
#define ALWAYS_SHOWN ((1u << K_EV_PRINT) | (1u << K_EV_KERNEL_HALT))

#define TERM_MAX 64

void sim_trace_filter_all(sim_trace_filter_t *f)
{
    *f = (sim_trace_filter_t){.kinds = K_TRACE_MASK_ALL};
}

/* The kinds a kind term names: the kind itself, or every PREFIX.* kind; 0 if none. */
static uint32_t kinds_named(const char *term)
{
    uint32_t kinds = 0;
    size_t n = strlen(term);
    for (unsigned k = 0; k < K_EV_COUNT; k++) {
        const char *name = trace_kind_name(k);
        if (strcmp(name, term) == 0 || (strncmp(name, term, n) == 0 && name[n] == '.'))
            kinds |= 1u << k;
    }
    return kinds;
}

/* One term; the kinds it shows or hides are ORed into show or hide. */
static int parse_term(const char *term, sim_trace_filter_t *f, uint32_t *show, uint32_t *hide, char *err, size_t size)
{
    if (term[0] == '@') {
        size_t n = strlen(term + 1);
        if (n == 0 || n >= K_NAME_LEN) {
            snprintf(err, size, "--trace-filter: '%s' needs a task name of 1 to %d characters, as in @shell", term,
                     K_NAME_LEN - 1);
            return -1;
        }
        if (f->ntasks == SIM_FILTER_TASKS_MAX) {
            snprintf(err, size, "--trace-filter takes at most %d @TASK terms", SIM_FILTER_TASKS_MAX);
            return -1;
        }
        memcpy(f->tasks[f->ntasks++], term + 1, n + 1);
        return 0;
    }
    if (strcmp(term, "all") == 0) {
        *show |= K_TRACE_MASK_ALL;
        return 0;
    }
    int hiding = term[0] == '-';
    uint32_t kinds = kinds_named(term + hiding);
    if (!kinds) {
        snprintf(err, size,
                 "--trace-filter: no event kind '%s'; give kinds (ipc.call) or prefixes (ipc), -KIND to hide, "
                 "@TASK or all (microsim --help lists the kinds)",
                 term + hiding);
        return -1;
    }
    *(hiding ? hide : show) |= kinds;
    return 0;
}

int sim_trace_filter_parse(const char *spec, sim_trace_filter_t *f, char *err, size_t size)
{
    *f = (sim_trace_filter_t){0};
    uint32_t show = 0, hide = 0;
    const char *p = spec;
    for (;;) {
        size_t n = strcspn(p, ",");
        char term[TERM_MAX];
        if (n == 0 || (n == 1 && p[0] == '-')) {
            snprintf(err, size,
                     "--trace-filter has an empty term in '%s'; separate kinds, -KIND, @TASK or all "
                     "with single commas",
                     spec);
            return -1;
        }
        snprintf(term, sizeof term, "%.*s", (int)n, p);
        if (parse_term(term, f, &show, &hide, err, size) != 0)
            return -1;
        if (!p[n])
            break;
        p += n + 1;
    }
    f->kinds = ((show ? show : K_TRACE_MASK_ALL) | ALWAYS_SHOWN) & ~hide;
    return 0;
}

int sim_trace_filter_choose(const char *given, const char *scenario, sim_trace_filter_t *f, char *err, size_t size)
{
    const char *spec = given ? given : scenario;
    if (!spec) {
        sim_trace_filter_all(f);
        return 0;
    }
    return sim_trace_filter_parse(spec, f, err, size);
}

int sim_trace_filter_is_all(const sim_trace_filter_t *f)
{
    return f->kinds == K_TRACE_MASK_ALL && f->ntasks == 0;
}

static int names_task(const sim_trace_filter_t *f, const char *name)
{
    if (!name)
        return 0;
    for (unsigned i = 0; i < f->ntasks; i++)
        if (strncmp(f->tasks[i], name, K_NAME_LEN) == 0)
            return 1;
    return 0;
}

int sim_trace_filter_shows(const sim_trace_filter_t *f, unsigned kind, const char *actor, const char *peer,
                           const char *named)
{
    if (kind >= K_EV_COUNT)
        return 1;
    if (!((f->kinds >> kind) & 1u))
        return 0;
    if (!f->ntasks || kind == K_EV_KERNEL_HALT)
        return 1;
    return names_task(f, actor) || names_task(f, peer) || names_task(f, named);
}

int sim_trace_filter_shows_event(const sim_trace_filter_t *f, const k_trace_event_t *ev)
{
    char actor[K_NAME_LEN], peer[K_NAME_LEN], named[K_NAME_LEN];
    snprintf(actor, sizeof actor, "%.*s", K_NAME_LEN - 1, ev->actor);
    snprintf(peer, sizeof peer, "%.*s", K_NAME_LEN - 1, ev->peer);
    /* task.restart: the name of the restarted task, in a3..a4 */
    snprintf(named, sizeof named, "%.*s", K_NAME_LEN - 1, (const char *)&ev->a[3]);
    return sim_trace_filter_shows(f, ev->kind, ev->actor_tid ? actor : NULL, ev->peer_tid ? peer : NULL,
                                  ev->kind == K_EV_TASK_RESTART ? named : NULL);
}

/* The task name of a party column, "name:tid", into out; NULL for idle or
 * kernel (no tid). */
static const char *party_name(const char *party, char *out, size_t size)
{
    const char *colon = strrchr(party, ':');
    if (!colon)
        return NULL;
    snprintf(out, size, "%.*s", (int)(colon - party), party);
    return out;
}

/* The name="..." field of a task.restart line into out, or NULL. */
static const char *restart_name(const char *line, char *out, size_t size)
{
    const char *p = strstr(line, " name=\"");
    if (!p)
        return NULL;
    p += 7;
    snprintf(out, size, "%.*s", (int)strcspn(p, "\""), p);
    return out;
}

int sim_trace_filter_shows_line(const sim_trace_filter_t *f, const char *line)
{
    char kind[32], actor[64], arrow[4] = "", peer[64] = "";
    if (sscanf(line, "%*s %*s %31s %63s %3s %63s", kind, actor, arrow, peer) < 2)
        return 1;
    unsigned k = 0;
    while (k < K_EV_COUNT && strcmp(trace_kind_name(k), kind) != 0)
        k++;
    char actor_name[64], peer_name[64], named[64];
    return sim_trace_filter_shows(f, k, party_name(actor, actor_name, sizeof actor_name),
                                  strcmp(arrow, "->") == 0 ? party_name(peer, peer_name, sizeof peer_name) : NULL,
                                  k == K_EV_TASK_RESTART ? restart_name(line, named, sizeof named) : NULL);
}
