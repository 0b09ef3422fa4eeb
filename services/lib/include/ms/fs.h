/* The file system daemon's protocol: a hierarchical in-memory file system. */
#ifndef MS_FS_H
#define MS_FS_H

#include <stdint.h>

#include "ms/errors.h"
#include "ms/syscall.h"

/*
 * Requests are calls; every reply has w0 = MS_OK or an error. A path travels
 * as the payload: absolute, components of 1..FS_NAME_MAX printable bytes
 * other than '/', no empty component ("/", "/docs", "/docs/a.txt"). File
 * data travels as the payload too (up to 4096 bytes a call). The caller's
 * badge is its identity: open files are per client.
 *   FS_OPEN     payload path, w0 flags (FS_CREATE: make it if missing;
 *               FS_TRUNC: empty it): w1 a file number. E_NOTFOUND,
 *               E_INVAL (a directory, a bad path or flag), E_FULL
 *               (FS_OPEN_MAX per client, FS_CLIENTS clients with open
 *               files, or no node).
 *   FS_READ     w0 file, w1 bytes (<= 4096): the payload is what was read
 *               from the file's offset, which moves on (empty at the end).
 *   FS_WRITE    w0 file, payload data: written at the offset, which moves
 *               on; w1 the bytes written. E_RANGE past FS_FILE_MAX.
 *   FS_SEEK     w0 file, w1 offset (<= the file's size). E_RANGE.
 *   FS_CLOSE    w0 file.
 *   FS_STAT     payload path: w1 1 for a directory, w2 the size.
 *   FS_MKDIR    payload path: a new directory. E_EXISTS, E_NOTFOUND (no
 *               parent), E_FULL.
 *   FS_READDIR  payload path, w0 an index: the payload is the name of the
 *               index'th entry, w1 1 for a directory; E_NOTFOUND past the
 *               last.
 *   FS_UNLINK   payload path: a file, or an empty directory. E_BUSY (open,
 *               or a directory with entries).
 *   FS_RENAME   payload "old\0new": E_EXISTS (new is taken), E_INVAL (a
 *               directory into itself).
 *   FS_PREAD    w0 file, w1 offset, w2 bytes: as FS_READ, at offset (<= the
 *               size), and the file's offset stays.
 *   FS_PWRITE   w0 file, w1 offset, payload data: as FS_WRITE, at offset;
 *               the file's offset stays. FS_PREAD and FS_PWRITE are
 *               idempotent: the same request twice has the effect of once,
 *               so a client may send it again after the daemon died.
 *   anything else E_NOSYS; a wrong word count: E_INVAL.
 * A bad file number is E_BADHANDLE.
 */
#define FS_OPEN 0x66730001u
#define FS_READ 0x66730002u
#define FS_WRITE 0x66730003u
#define FS_SEEK 0x66730004u
#define FS_CLOSE 0x66730005u
#define FS_STAT 0x66730006u
#define FS_MKDIR 0x66730007u
#define FS_READDIR 0x66730008u
#define FS_UNLINK 0x66730009u
#define FS_RENAME 0x6673000au
#define FS_PREAD 0x6673000bu
#define FS_PWRITE 0x6673000cu

#define FS_CREATE 0x1u
#define FS_TRUNC 0x2u

#define FS_NAME_MAX 27u
#define FS_PATH_MAX 255u
#define FS_FILE_MAX (16u * 1024u)
#define FS_NODES 64u
#define FS_OPEN_MAX 8u
#define FS_CLIENTS 8u

/* Its handles: 1 the endpoint requests come on; with arg[0] FS_KEEP_STATE,
 * 2 frames (read, write; FS_STATE_KIB) that hold the whole file system,
 * which the daemon maps at mem_base + FS_STATE_OFFSET. Whoever keeps those
 * frames keeps the files across restarts of the daemon (procman keeps the
 * handles it gave); without them the file system lives in the daemon's
 * heap and ends with it. */
#define FS_H_ENDPOINT 1u
#define FS_H_STATE 2u
#define FS_KEEP_STATE 1u
/* Fault injection (arg[0] FS_CRASH_TEST): the daemon crashes itself, by a
 * page fault, at arg[1] (at most FS_CRASH_MAX) points drawn from the run's
 * seed among its first arg[2] requests, each at one of three moments:
 * before serving the request, after serving it but before committing, or
 * after committing but before replying. The plan lives in the store, so a
 * restarted daemon goes on with it. The restart scenario uses it. With
 * arg[1] 0, the daemon crashes once, at request arg[2], after committing it
 * but before replying (the demo scenario). */
#define FS_CRASH_TEST 2u
#define FS_CRASH_MAX 32u
#define FS_STATE_KIB 1088u
#define FS_STATE_OFFSET 0x400000u
/* The name it publishes (ms_names_publish) when it runs as a process: it
 * publishes FS_H_ENDPOINT, which then needs the send right too. */
#define FS_PATH "/svc/fs"
void fs_main(const ms_start_t *start);

/* A client's way to the daemon: its endpoint handle and the calling
 * thread's IPC buffer (paths and data travel there). Each returns MS_OK or
 * an error. */
typedef struct ms_fs {
    ms_handle_t ep;
    char *ipc_buffer;
    ms_handle_t names; /* a name server to find FS_PATH again after the daemon
                          died (0: none); then ep is replaced */
    unsigned retries;  /* requests the stubs sent again */
} ms_fs_t;

/* The stubs of idempotent requests (ms_fs_pread, ms_fs_pwrite, ms_fs_stat)
 * send the request again, up to FS_RETRIES times, when the
 * daemon died with it (E_DEAD): they look FS_PATH up again, yielding while
 * the new daemon has not published it yet. The others return E_DEAD: the
 * request may or may not have happened. */
#define FS_RETRIES 8u

uint64_t ms_fs_open(const ms_fs_t *f, const char *path, uint64_t flags, uint64_t *fd);
uint64_t ms_fs_write(const ms_fs_t *f, uint64_t fd, const void *data, unsigned len);
/* Reads up to size bytes into buf; *got is how many came (0 at the end). */
uint64_t ms_fs_read(const ms_fs_t *f, uint64_t fd, void *buf, unsigned size, unsigned *got);
uint64_t ms_fs_close(const ms_fs_t *f, uint64_t fd);
uint64_t ms_fs_pread(ms_fs_t *f, uint64_t fd, uint64_t offset, void *buf, unsigned size, unsigned *got);
uint64_t ms_fs_pwrite(ms_fs_t *f, uint64_t fd, uint64_t offset, const void *data, unsigned len);
/* *is_dir and *size of path. */
uint64_t ms_fs_stat(ms_fs_t *f, const char *path, int *is_dir, uint64_t *size);
uint64_t ms_fs_mkdir(const ms_fs_t *f, const char *path);
/* The name of directory path's index'th entry, NUL-terminated, in name
 * (FS_NAME_MAX + 1 bytes); *is_dir. E_NOTFOUND past the last. */
uint64_t ms_fs_readdir(const ms_fs_t *f, const char *path, unsigned index, char *name, int *is_dir);

#endif
