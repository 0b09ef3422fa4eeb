/*
 * fs: the file system daemon: a hierarchical in-memory file system. The
 * tree and every decision are in fs_core.c; this is the IPC loop around it,
 * and the store that lets the file system outlive the daemon.
 *
 * The store holds two copies of the metadata (fs_t: the tree, the sizes,
 * every client's open files) and the files' data. A request is served on
 * the copy that is not current, freshly copied from the current one, and
 * commits by making it current: one aligned store, before the reply. A
 * daemon killed at any instruction therefore leaves the current copy as
 * the last committed request left it; a new daemon on the same store goes
 * on from there. A write puts its data in place before it commits, so a
 * write that was not acknowledged may have changed some of its bytes, as a
 * disk write cut short would; a committed one is never lost. See ms/fs.h.
 */
#include "ms/fs.h"

#include "fs_core.h"
#include "ms/names.h"
#include "ms/procman.h"
#include "ms/print.h"
#include "ms/rand.h"
#include "rt.h"

#define STORE_MAGIC 0x6d73667331ull /* "msfs1" */

/* The moments a planned crash may come at. */
enum crash_moment { CRASH_BEFORE_SERVING, CRASH_BEFORE_COMMIT, CRASH_BEFORE_REPLY, CRASH_MOMENTS };

typedef struct fs_store {
    uint64_t magic;   /* STORE_MAGIC once formatted */
    uint64_t current; /* which copy of the metadata is committed */
    uint64_t requests;                 /* received, by every daemon on this store */
    uint32_t crashes, crashed;         /* planned (FS_CRASH_TEST), and come */
    uint64_t crash_at[FS_CRASH_MAX];   /* request numbers, ascending */
    uint8_t crash_moment[FS_CRASH_MAX];
    fs_t meta[2];
    char data[FS_NODES][FS_FILE_MAX];
} fs_store_t;

_Static_assert(sizeof(fs_store_t) <= FS_STATE_KIB * 1024u, "FS_STATE_KIB holds the store");

/* Draws the crash points of FS_CRASH_TEST from the run's seed. */
static void plan_crashes(fs_store_t *st, const ms_start_t *start)
{
    uint64_t rng = start->seed, span = start->arg[2] ? start->arg[2] : 1;
    if (start->arg[1] == 0) { /* one crash, at request arg[2], before its reply */
        st->crashes = 1;
        st->crash_at[0] = span;
        st->crash_moment[0] = CRASH_BEFORE_REPLY;
        return;
    }
    st->crashes = start->arg[1] < FS_CRASH_MAX ? (uint32_t)start->arg[1] : FS_CRASH_MAX;
    for (unsigned i = 0; i < st->crashes; i++) {
        uint64_t at = 1 + ms_rand(&rng) % span;
        unsigned k = i;
        for (; k > 0 && st->crash_at[k - 1] > at; k--) {
            st->crash_at[k] = st->crash_at[k - 1];
            st->crash_moment[k] = st->crash_moment[k - 1];
        }
        st->crash_at[k] = at;
        st->crash_moment[k] = (uint8_t)(ms_rand(&rng) % CRASH_MOMENTS);
    }
}

/* The store: in the frames of FS_H_STATE (kept across restarts), or in the
 * heap. Formats it unless a daemon before this one did. */
static fs_store_t *open_store(const ms_start_t *start, int *resumed)
{
    fs_store_t *st = (fs_store_t *)(uintptr_t)start->heap_base;
    if (start->arg[0] & FS_KEEP_STATE) {
        st = (fs_store_t *)(uintptr_t)(start->mem_base + FS_STATE_OFFSET);
        uint64_t pages = (sizeof *st + MS_PAGE_SIZE - 1) / MS_PAGE_SIZE;
        if (ms_map(MS_HANDLE_SELF, (uintptr_t)st, FS_H_STATE, 0, pages, MS_RIGHT_READ | MS_RIGHT_WRITE) != MS_OK)
            return 0;
    } else if (start->heap_size < sizeof *st) {
        return 0;
    }
    *resumed = st->magic == STORE_MAGIC && st->current < 2;
    if (!*resumed) {
        st->current = st->requests = st->crashes = st->crashed = 0;
        fs_init(&st->meta[0], st->data);
        if (start->arg[0] & FS_CRASH_TEST)
            plan_crashes(st, start);
        st->magic = STORE_MAGIC;
    }
    return st;
}

/* The moment this request crashes the daemon at, or CRASH_MOMENTS. The
 * store counts the crash first, so that the next daemon goes on. */
static unsigned crash_moment(fs_store_t *st)
{
    st->requests++;
    if (st->crashed >= st->crashes || st->crash_at[st->crashed] > st->requests)
        return CRASH_MOMENTS;
    unsigned moment = st->crash_moment[st->crashed];
    while (st->crashed < st->crashes && st->crash_at[st->crashed] <= st->requests)
        st->crashed++; /* two points drawn on one request make one crash */
    return moment;
}

/* A planned crash: a page fault at va, which nothing maps (the page below
 * FS_STATE_OFFSET), and which the process manager answers by killing and
 * restarting the daemon. */
static void crash_if(uintptr_t va, unsigned planned, unsigned moment)
{
    if (planned == moment)
        *(volatile uint64_t *)va = moment;
}

/* The copy of the metadata a change is made on: the committed one's. */
static fs_t *begin(fs_store_t *st)
{
    uint64_t next = st->current ^ 1;
    rt_memcpy(&st->meta[next], &st->meta[st->current], sizeof st->meta[next]);
    return &st->meta[next];
}

/* Makes the copy begin() gave the committed one: one aligned store. */
static void commit(fs_store_t *st)
{
    __atomic_store_n(&st->current, st->current ^ 1, __ATOMIC_RELEASE);
}

/* Serves rq on a copy of the committed metadata; commits it if it worked. */
static void serve(fs_store_t *st, uintptr_t crash_va, const fs_request_t *rq, fs_reply_t *rp)
{
    unsigned planned = crash_moment(st);
    crash_if(crash_va, planned, CRASH_BEFORE_SERVING);
    fs_serve(begin(st), rq, rp);
    crash_if(crash_va, planned, CRASH_BEFORE_COMMIT);
    if (rp->w[0] == MS_OK)
        commit(st);
    crash_if(crash_va, planned, CRASH_BEFORE_REPLY);
}

/* The file system is out of client records: those of processes that the
 * process manager says are gone (a process that died with files open) are
 * dropped, in a commit of their own. Returns how many. (fs calls procman;
 * procman never calls fs, so neither can wait for the other.) */
static unsigned reap_clients(fs_store_t *st, const ms_start_t *start, ms_handle_t *procman)
{
    uint64_t badges[FS_CLIENTS];
    unsigned n = fs_clients(&st->meta[st->current], badges), gone = 0;
    fs_t *next = begin(st);
    for (unsigned i = 0; i < n; i++) {
        if (ms_procman_client_gone(start, procman, badges[i])) {
            fs_forget_client(next, badges[i]);
            gone++;
        }
    }
    if (gone)
        commit(st);
    return gone;
}

void fs_main(const ms_start_t *start)
{
    int resumed = 0;
    fs_store_t *st = open_store(start, &resumed);
    if (!st) {
        ms_printf("%s: no room for its store (%lu KiB)\n", start->name, (unsigned long)(sizeof *st / 1024 + 1));
        ms_exit(1);
    }
    if (resumed)
        ms_printf("%s: resumed its file system\n", start->name);
    uint64_t err = ms_names_publish(start, FS_PATH, FS_H_ENDPOINT);
    if (err != MS_OK)
        ms_printf("%s: cannot publish %s (%s)\n", start->name, FS_PATH, ms_error_name(err));
    char *buf = (char *)(uintptr_t)start->ipc_buffer;
    char out[MS_MSG_PAYLOAD_MAX], path[FS_PATH_MAX + 1];
    ms_handle_t procman = 0; /* found when first needed */
    ms_msg_t m;
    err = ms_recv(FS_H_ENDPOINT, &m);
    while (err == MS_OK) {
        fs_request_t rq = {.label = ms_info_label(m.info), .words = ms_info_words(m.info),
                           .w = {m.w[0], m.w[1], m.w[2]}, .badge = m.badge, .payload = buf,
                           .len = ms_info_payload(m.info)};
        fs_reply_t rp = {.out = out};
        serve(st, start->mem_base + FS_STATE_OFFSET - MS_PAGE_SIZE, &rq, &rp);
        if (rp.w[0] == MS_E_FULL && rq.label == FS_OPEN && rq.len <= FS_PATH_MAX) {
            rt_memcpy(path, buf, rq.len); /* the calls to come use the IPC buffer */
            rq.payload = path;
            if (reap_clients(st, start, &procman)) { /* room again: the open, once more */
                fs_serve(begin(st), &rq, &rp);
                if (rp.w[0] == MS_OK)
                    commit(st);
            }
        }
        if (ms_info_has_handle(m.info))
            ms_handle_close((ms_handle_t)m.handle);
        rt_memcpy(buf, out, rp.out_len);
        m = (ms_msg_t){.info = ms_info(0, 3, rp.out_len, 0), .w = {rp.w[0], rp.w[1], rp.w[2]}};
        err = ms_reply_recv(FS_H_ENDPOINT, &m);
    }
    ms_printf("%s: receive failed (%s)\n", start->name, ms_error_name(err));
    ms_exit(1);
}
