/* The file system's tree, files and open-file tables, apart from IPC (unit tests drive it). */
#ifndef FS_CORE_H
#define FS_CORE_H

#include <stdint.h>

#include "ms/fs.h"

typedef struct fs_node {
    uint8_t used, is_dir;
    uint8_t parent; /* node index; the root is its own parent */
    char name[FS_NAME_MAX + 1];
    uint32_t size; /* its data: fs_t.data[its index] */
} fs_node_t;

typedef struct fs_open {
    uint8_t used;
    uint8_t node;
    uint32_t offset;
} fs_open_t;

typedef struct fs_client {
    uint64_t badge;
    uint8_t used;
    fs_open_t files[FS_OPEN_MAX];
} fs_client_t;

/* The file system's metadata, a few KiB: the daemon keeps two copies and
 * commits a request by switching between them (fs.c). The files' data is
 * apart, in place: data[i] is node i's. */
typedef struct fs {
    fs_node_t nodes[FS_NODES]; /* node 0 is the root directory */
    fs_client_t clients[FS_CLIENTS];
    char (*data)[FS_FILE_MAX];
} fs_t;

/* A request: label, words, the caller's badge, the payload (path, data). */
typedef struct fs_request {
    uint32_t label;
    unsigned words;
    uint64_t w[3];
    uint64_t badge;
    const char *payload;
    unsigned len;
} fs_request_t;

/* The answer: w[0] the error, w[1..2] results, out[0..out_len) the payload. */
typedef struct fs_reply {
    uint64_t w[3];
    char *out; /* where the payload goes: MS_MSG_PAYLOAD_MAX bytes */
    unsigned out_len;
} fs_reply_t;

/* An empty file system whose files' data is data[0..FS_NODES). */
void fs_init(fs_t *fs, char (*data)[FS_FILE_MAX]);
/* Serves one request: the reply's w[0] is MS_OK or the error. A write
 * checks everything before it writes any data. */
void fs_serve(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp);
/* The badges of the clients that have a record (open files), into out;
 * how many. */
unsigned fs_clients(const fs_t *fs, uint64_t out[FS_CLIENTS]);
/* Drops the record of a client that is gone, and with it its open files. */
void fs_forget_client(fs_t *fs, uint64_t badge);

#endif
