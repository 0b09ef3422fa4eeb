/*
 * restart: a stress test of restarts. A client sends 10,000 file system
 * requests (positioned writes, positioned reads and stats of one file, in
 * an order drawn from the seed) while the fs daemon crashes at 20 points
 * drawn from the seed (fs's fault injection, FS_CRASH_TEST), some in the
 * middle of a request. The process manager restarts it each time on the
 * same store and endpoint; the client stubs send the requests the daemon
 * died with again.
 *
 * The client keeps a model of the file from the writes that were
 * acknowledged, and checks every read and stat against it, and the whole
 * file at the end. It prints a summary, and exits 0 only if every request
 * had exactly one outcome (none lost, none failed) and the file is what the
 * acknowledged writes imply.
 */
#include "ms/print.h"
#include "ms/rand.h"
#include "os/os.h"
#include "rt.h"
#include "scenarios.h"

#define REQUESTS 10000u
#define CRASHES 20u
#define RECORD 16u
#define RECORDS 256u
#define FILE_BYTES (RECORD * RECORDS)

typedef struct stress {
    ms_fs_t fs;
    uint64_t fd;
    char model[FILE_BYTES];
    uint8_t known[RECORDS]; /* the model knows the record: no write to it failed since the last that worked */
    uint64_t size;          /* the file's size, as the acknowledged writes make it */
    unsigned answered, failed, wrong;
} stress_t;

static void fill(char *rec, unsigned i, unsigned r)
{
    rt_snprintf(rec, RECORD + 1, "%05u:%03u......", i, r);
}

static void do_write(stress_t *s, unsigned i, unsigned r)
{
    char rec[RECORD + 1];
    fill(rec, i, r);
    uint64_t err = ms_fs_pwrite(&s->fs, s->fd, (uint64_t)r * RECORD, rec, RECORD);
    if (err != MS_OK) {
        s->failed++;
        s->known[r] = 0;
        return;
    }
    s->answered++;
    rt_memcpy(&s->model[r * RECORD], rec, RECORD);
    s->known[r] = 1;
    if ((r + 1) * RECORD > s->size)
        s->size = (r + 1) * RECORD;
}

/* The bytes at [offset, offset + len) agree with the model where it knows them. */
static int agrees(const stress_t *s, const char *buf, uint64_t offset, unsigned len)
{
    for (unsigned k = 0; k < len; k++) {
        uint64_t at = offset + k;
        char want = s->known[at / RECORD] ? s->model[at] : buf[k];
        if (buf[k] != want)
            return 0;
    }
    return 1;
}

static void do_read(stress_t *s, unsigned r)
{
    char buf[RECORD];
    unsigned got = 0;
    uint64_t offset = (uint64_t)r * RECORD;
    uint64_t err = ms_fs_pread(&s->fs, s->fd, offset, buf, RECORD, &got);
    if (err == MS_E_DEAD) {
        s->failed++;
        return;
    }
    s->answered++;
    uint64_t want = offset > s->size ? 0 : (s->size - offset < RECORD ? s->size - offset : RECORD);
    int right = offset > s->size ? err == MS_E_RANGE : err == MS_OK && got == want && agrees(s, buf, offset, got);
    s->wrong += !right;
}

static void do_stat(stress_t *s)
{
    int is_dir;
    uint64_t size;
    uint64_t err = ms_fs_stat(&s->fs, "/stress", &is_dir, &size);
    if (err == MS_E_DEAD) {
        s->failed++;
        return;
    }
    s->answered++;
    s->wrong += err != MS_OK || is_dir || size != s->size;
}

/* The whole file, read back at the end, against the model. */
static int file_matches(stress_t *s)
{
    char buf[FILE_BYTES];
    unsigned got = 0;
    if (ms_fs_pread(&s->fs, s->fd, 0, buf, FILE_BYTES, &got) != MS_OK)
        return 0;
    return got == s->size && agrees(s, buf, 0, got);
}

static uint64_t open_file(stress_t *s)
{
    uint64_t err = ms_fs_open(&s->fs, "/stress", FS_CREATE | FS_TRUNC, &s->fd);
    for (unsigned i = 0; i < FS_RETRIES && err == MS_E_DEAD; i++) {
        ms_handle_t h; /* the daemon died with the open: find it again, open once more */
        if (ms_names_lookup(&(ms_names_t){.ep = s->fs.names, .ipc_buffer = s->fs.ipc_buffer}, FS_PATH, &h) ==
            MS_OK) {
            ms_handle_close(s->fs.ep);
            s->fs.ep = h;
        }
        err = ms_fs_open(&s->fs, "/stress", FS_CREATE, &s->fd);
    }
    return err;
}

static void stress(const ms_start_t *start)
{
    stress_t *s = (stress_t *)(uintptr_t)start->heap_base;
    ms_names_t n = ms_names_of(start);
    *s = (stress_t){.fs = {.ipc_buffer = n.ipc_buffer, .names = n.ep}};
    uint64_t err = ms_names_lookup(&n, FS_PATH, &s->fs.ep);
    if (err == MS_OK)
        err = open_file(s);
    if (err != MS_OK) {
        ms_printf("%s: cannot open /stress (%s)\n", start->name, ms_error_name(err));
        ms_exit(1);
    }
    uint64_t rng = start->seed ^ 0x7374726573730000ull;
    for (unsigned i = 0; i < REQUESTS; i++) {
        unsigned r = (unsigned)(ms_rand(&rng) % RECORDS), op = (unsigned)(ms_rand(&rng) % 10);
        if (op < 6)
            do_write(s, i, r);
        else if (op < 9)
            do_read(s, r);
        else
            do_stat(s);
    }
    int matches = file_matches(s);
    unsigned lost = REQUESTS - s->answered - s->failed;
    ms_printf("%s: %u requests: %u answered, %u failed, %u lost, %u wrong; %u sent again; the file (%lu bytes) %s\n",
              start->name, REQUESTS, s->answered, s->failed, lost, s->wrong, s->fs.retries, (unsigned long)s->size,
              matches ? "matches the acknowledged writes" : "DIFFERS from the acknowledged writes");
    ms_exit(s->failed || lost || s->wrong || !matches ? 1 : 0);
}

static const procman_program_t programs[] = {
    OS_PROGRAMS_BASE,
    OS_PROGRAM_FS(2 * CRASHES),
    {.name = "stress", .entry = stress, .mem_kib = 128, .prio = 10, .policy = PROCMAN_LEAVE_DEAD},
};

static const init_service_t boot[] = {
    OS_BOOT_NAMES,
    OS_BOOT_FS_ARGS(FS_KEEP_STATE | FS_CRASH_TEST, CRASHES, REQUESTS),
    {.program = "stress", .needs = {"fs"}, .wait = 1},
};

const ms_manifest_t scenario_restart = {
    .name = "restart",
    .description = "10,000 file system requests while fs crashes at 20 seeded points; nothing lost",
    OS_MANIFEST_OBJECTS,
    OS_MANIFEST_TASKS(boot, sizeof boot / sizeof boot[0], programs, sizeof programs / sizeof programs[0]),
};
