/* The name server's table and request handling, apart from IPC (so unit tests can drive it). */
#ifndef NAMES_CORE_H
#define NAMES_CORE_H

#include <stdint.h>

#include "ms/names.h"

typedef struct names_entry {
    char path[NAMES_PATH_MAX + 1];
    uint32_t handle; /* the server's own handle to the endpoint */
    uint32_t rights; /* what a lookup gets */
    uint64_t owner;  /* the registrant's badge */
    uint8_t used;
} names_entry_t;

typedef struct names {
    names_entry_t e[NAMES_MAX];
} names_t;

/* One request as it arrived. handle/handle_type/handle_rights: the handle
 * it carried (has_handle), as handle_info describes it. */
typedef struct names_request {
    uint32_t label;
    unsigned words;
    uint64_t w0;
    uint64_t badge;
    const char *path;
    unsigned path_len;
    int has_handle;
    uint32_t handle;
    uint64_t handle_type, handle_rights;
} names_request_t;

/* What to answer: err in w0; give a copy of handle give_handle with
 * give_rights if give; then close the handles in close[0..nclose). */
typedef struct names_reply {
    uint64_t err;
    int give;
    uint32_t give_handle, give_rights;
    uint32_t close[NAMES_MAX + 1];
    unsigned nclose;
} names_reply_t;

void names_init(names_t *s);
void names_serve(names_t *s, const names_request_t *rq, names_reply_t *rp);

/* 1 if path[0..len) is a valid name (see ms/names.h). */
int names_path_valid(const char *path, unsigned len);

#endif
