/* The file system's tree, files and open-file tables, apart from IPC. */
#include "fs_core.h"

#define NONE 0xffu

void fs_init(fs_t *fs, char (*data)[FS_FILE_MAX])
{
    fs->data = data;
    for (unsigned i = 0; i < FS_NODES; i++)
        fs->nodes[i].used = 0;
    for (unsigned i = 0; i < FS_CLIENTS; i++)
        fs->clients[i].used = 0;
    fs->nodes[0] = (fs_node_t){.used = 1, .is_dir = 1, .parent = 0};
}

static int same_name(const fs_node_t *n, const char *name, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        if (n->name[i] != name[i])
            return 0;
    return n->name[len] == '\0';
}

static unsigned child(const fs_t *fs, unsigned dir, const char *name, unsigned len)
{
    for (unsigned i = 1; i < FS_NODES; i++)
        if (fs->nodes[i].used && fs->nodes[i].parent == dir && same_name(&fs->nodes[i], name, len))
            return i;
    return NONE;
}

/*
 * Walks path[0..len): MS_OK with *node the node it names; or, if only the
 * last component is missing, MS_E_NOTFOUND with *parent its directory and
 * the missing name in *last, *last_len bytes (so that a creation knows where).
 */
/* MS_OK if path[0..len) is well formed: MS_E_INVAL for an empty component,
 * a byte that is not printable or no leading '/', MS_E_RANGE for a
 * component over FS_NAME_MAX or a path over FS_PATH_MAX. */
static uint64_t check_path(const char *path, unsigned len)
{
    if (len == 0 || path[0] != '/')
        return MS_E_INVAL;
    if (len > FS_PATH_MAX)
        return MS_E_RANGE;
    if (len == 1)
        return MS_OK;
    unsigned run = 0;
    for (unsigned i = 1; i <= len; i++) {
        if (i == len || path[i] == '/') {
            if (run == 0)
                return MS_E_INVAL;
            if (run > FS_NAME_MAX)
                return MS_E_RANGE;
            run = 0;
        } else if (path[i] < 0x21 || path[i] > 0x7e) {
            return MS_E_INVAL;
        } else {
            run++;
        }
    }
    return MS_OK;
}

static uint64_t walk(const fs_t *fs, const char *path, unsigned len, unsigned *node, unsigned *parent,
                     const char **last, unsigned *last_len)
{
    uint64_t err = check_path(path, len);
    if (err != MS_OK)
        return err;
    unsigned at = 0, i = 1;
    *parent = NONE;
    if (len == 1) {
        *node = 0;
        return MS_OK;
    }
    while (i <= len) {
        unsigned start = i;
        while (i < len && path[i] != '/')
            i++;
        unsigned n = i - start;
        if (!fs->nodes[at].is_dir)
            return MS_E_NOTFOUND;
        unsigned next = child(fs, at, path + start, n);
        if (next == NONE) {
            if (i < len)
                return MS_E_NOTFOUND;
            *parent = at;
            *last = path + start;
            *last_len = n;
            return MS_E_NOTFOUND;
        }
        at = next;
        i++;
    }
    *node = at;
    return MS_OK;
}

static uint64_t make(fs_t *fs, unsigned parent, const char *name, unsigned len, int is_dir, unsigned *out)
{
    for (unsigned i = 1; i < FS_NODES; i++) {
        fs_node_t *n = &fs->nodes[i];
        if (n->used)
            continue;
        n->used = 1;
        n->is_dir = (uint8_t)is_dir;
        n->parent = (uint8_t)parent;
        n->size = 0;
        for (unsigned k = 0; k < len; k++)
            n->name[k] = name[k];
        n->name[len] = '\0';
        *out = i;
        return MS_OK;
    }
    return MS_E_FULL;
}

/* The client record of badge (made if new and make), or NULL. */
static fs_client_t *client_of(fs_t *fs, uint64_t badge, int make_it)
{
    for (unsigned i = 0; i < FS_CLIENTS; i++)
        if (fs->clients[i].used && fs->clients[i].badge == badge)
            return &fs->clients[i];
    for (unsigned i = 0; make_it && i < FS_CLIENTS; i++) {
        if (fs->clients[i].used)
            continue;
        fs->clients[i] = (fs_client_t){.badge = badge, .used = 1};
        return &fs->clients[i];
    }
    return 0;
}

static fs_open_t *file_of(fs_t *fs, uint64_t badge, uint64_t fd)
{
    fs_client_t *c = client_of(fs, badge, 0);
    if (!c || fd >= FS_OPEN_MAX || !c->files[fd].used)
        return 0;
    return &c->files[fd];
}

static int is_open(const fs_t *fs, unsigned node)
{
    for (unsigned i = 0; i < FS_CLIENTS; i++)
        for (unsigned k = 0; fs->clients[i].used && k < FS_OPEN_MAX; k++)
            if (fs->clients[i].files[k].used && fs->clients[i].files[k].node == node)
                return 1;
    return 0;
}

static uint64_t do_open(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    uint64_t flags = rq->w[0];
    if (flags & ~(uint64_t)(FS_CREATE | FS_TRUNC))
        return MS_E_INVAL;
    unsigned node, parent, name_len;
    const char *name;
    uint64_t err = walk(fs, rq->payload, rq->len, &node, &parent, &name, &name_len);
    if (err == MS_E_NOTFOUND && parent != NONE && (flags & FS_CREATE))
        err = make(fs, parent, name, name_len, 0, &node);
    if (err != MS_OK)
        return err;
    if (fs->nodes[node].is_dir)
        return MS_E_INVAL;
    fs_client_t *c = client_of(fs, rq->badge, 1);
    if (!c)
        return MS_E_FULL;
    for (unsigned fd = 0; fd < FS_OPEN_MAX; fd++) {
        if (c->files[fd].used)
            continue;
        c->files[fd] = (fs_open_t){.used = 1, .node = (uint8_t)node};
        if (flags & FS_TRUNC)
            fs->nodes[node].size = 0;
        rp->w[1] = fd;
        return MS_OK;
    }
    return MS_E_FULL;
}

/* Reads up to want bytes at offset of the open file f into the reply. */
static uint64_t read_at(fs_t *fs, const fs_open_t *f, uint64_t offset, uint64_t want, fs_reply_t *rp)
{
    const fs_node_t *n = &fs->nodes[f->node];
    if (want > MS_MSG_PAYLOAD_MAX || offset > n->size)
        return MS_E_RANGE;
    unsigned left = n->size - (unsigned)offset;
    unsigned len = want < left ? (unsigned)want : left;
    for (unsigned i = 0; i < len; i++)
        rp->out[i] = fs->data[f->node][offset + i];
    rp->out_len = len;
    return MS_OK;
}

/* Writes the request's payload at offset of the open file f. */
static uint64_t write_at(fs_t *fs, const fs_open_t *f, uint64_t offset, const fs_request_t *rq, fs_reply_t *rp)
{
    fs_node_t *n = &fs->nodes[f->node];
    if (offset > FS_FILE_MAX || rq->len > FS_FILE_MAX - offset)
        return MS_E_RANGE;
    for (uint64_t i = n->size; i < offset; i++)
        fs->data[f->node][i] = 0; /* a hole reads as zeros, not as an old file's bytes */
    for (unsigned i = 0; i < rq->len; i++)
        fs->data[f->node][offset + i] = rq->payload[i];
    if (offset + rq->len > n->size)
        n->size = (uint32_t)(offset + rq->len);
    rp->w[1] = rq->len;
    return MS_OK;
}

static uint64_t do_read(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    fs_open_t *f = file_of(fs, rq->badge, rq->w[0]);
    if (!f)
        return MS_E_BADHANDLE;
    uint64_t err = read_at(fs, f, f->offset, rq->w[1], rp);
    if (err == MS_OK)
        f->offset += rp->out_len;
    return err;
}

static uint64_t do_write(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    fs_open_t *f = file_of(fs, rq->badge, rq->w[0]);
    if (!f)
        return MS_E_BADHANDLE;
    uint64_t err = write_at(fs, f, f->offset, rq, rp);
    if (err == MS_OK)
        f->offset += rq->len;
    return err;
}

/* FS_PREAD and FS_PWRITE: at an offset the request names; the file's own
 * offset stays, so that the same request twice has the effect of once. */
static uint64_t do_pread(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    const fs_open_t *f = file_of(fs, rq->badge, rq->w[0]);
    return f ? read_at(fs, f, rq->w[1], rq->w[2], rp) : MS_E_BADHANDLE;
}

static uint64_t do_pwrite(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    const fs_open_t *f = file_of(fs, rq->badge, rq->w[0]);
    return f ? write_at(fs, f, rq->w[1], rq, rp) : MS_E_BADHANDLE;
}

static uint64_t do_seek(fs_t *fs, const fs_request_t *rq)
{
    fs_open_t *f = file_of(fs, rq->badge, rq->w[0]);
    if (!f)
        return MS_E_BADHANDLE;
    if (rq->w[1] > fs->nodes[f->node].size)
        return MS_E_RANGE;
    f->offset = (uint32_t)rq->w[1];
    return MS_OK;
}

static uint64_t do_close(fs_t *fs, const fs_request_t *rq)
{
    fs_open_t *f = file_of(fs, rq->badge, rq->w[0]);
    if (!f)
        return MS_E_BADHANDLE;
    f->used = 0;
    fs_client_t *c = client_of(fs, rq->badge, 0);
    unsigned open = 0;
    for (unsigned k = 0; k < FS_OPEN_MAX; k++)
        open += c->files[k].used;
    if (!open)
        c->used = 0; /* a client's record is its open files: with none, its slot serves another */
    return MS_OK;
}

static uint64_t do_stat(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    unsigned node, parent, name_len;
    const char *name;
    uint64_t err = walk(fs, rq->payload, rq->len, &node, &parent, &name, &name_len);
    if (err == MS_OK) {
        rp->w[1] = fs->nodes[node].is_dir;
        rp->w[2] = fs->nodes[node].size;
    }
    return err;
}

static uint64_t do_mkdir(fs_t *fs, const fs_request_t *rq)
{
    unsigned node, parent, name_len;
    const char *name;
    uint64_t err = walk(fs, rq->payload, rq->len, &node, &parent, &name, &name_len);
    if (err == MS_OK)
        return MS_E_EXISTS;
    if (err == MS_E_NOTFOUND && parent != NONE)
        return make(fs, parent, name, name_len, 1, &node);
    return err;
}

static uint64_t do_readdir(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    unsigned dir, parent, name_len;
    const char *name;
    uint64_t err = walk(fs, rq->payload, rq->len, &dir, &parent, &name, &name_len);
    if (err != MS_OK)
        return err;
    if (!fs->nodes[dir].is_dir)
        return MS_E_INVAL;
    uint64_t index = rq->w[0];
    for (unsigned i = 1; i < FS_NODES; i++) {
        const fs_node_t *n = &fs->nodes[i];
        if (!n->used || n->parent != dir || index--)
            continue;
        unsigned len = 0;
        while (n->name[len]) {
            rp->out[len] = n->name[len];
            len++;
        }
        rp->out_len = len;
        rp->w[1] = n->is_dir;
        return MS_OK;
    }
    return MS_E_NOTFOUND;
}

static int has_children(const fs_t *fs, unsigned dir)
{
    for (unsigned i = 1; i < FS_NODES; i++)
        if (fs->nodes[i].used && fs->nodes[i].parent == dir)
            return 1;
    return 0;
}

static uint64_t do_unlink(fs_t *fs, const fs_request_t *rq)
{
    unsigned node, parent, name_len;
    const char *name;
    uint64_t err = walk(fs, rq->payload, rq->len, &node, &parent, &name, &name_len);
    if (err != MS_OK)
        return err;
    if (node == 0)
        return MS_E_INVAL; /* the root stays */
    if (is_open(fs, node) || (fs->nodes[node].is_dir && has_children(fs, node)))
        return MS_E_BUSY;
    fs->nodes[node].used = 0;
    return MS_OK;
}

/* 1 if node a is b or lies under it. */
static int under(const fs_t *fs, unsigned a, unsigned b)
{
    for (unsigned hops = 0; hops < FS_NODES; hops++) {
        if (a == b)
            return 1;
        if (a == 0)
            return 0;
        a = fs->nodes[a].parent;
    }
    return 0;
}

static uint64_t do_rename(fs_t *fs, const fs_request_t *rq)
{
    unsigned split = 0;
    while (split < rq->len && rq->payload[split])
        split++;
    if (split == rq->len)
        return MS_E_INVAL; /* "old\0new" */
    unsigned from, to, parent, name_len, ignored;
    const char *name, *unused;
    uint64_t err = walk(fs, rq->payload, split, &from, &ignored, &unused, &name_len);
    if (err != MS_OK)
        return err;
    err = walk(fs, rq->payload + split + 1, rq->len - split - 1, &to, &parent, &name, &name_len);
    if (err == MS_OK)
        return MS_E_EXISTS;
    if (err != MS_E_NOTFOUND || parent == NONE)
        return err;
    if (from == 0 || under(fs, parent, from))
        return MS_E_INVAL; /* the root, or a directory into itself */
    fs_node_t *n = &fs->nodes[from];
    n->parent = (uint8_t)parent;
    for (unsigned k = 0; k < name_len; k++)
        n->name[k] = name[k];
    n->name[name_len] = '\0';
    return MS_OK;
}

/* The words each request takes. */
static int shape_ok(const fs_request_t *rq)
{
    switch (rq->label) {
    case FS_OPEN:
    case FS_CLOSE:
    case FS_READDIR:
        return rq->words == 1;
    case FS_READ:
    case FS_SEEK:
        return rq->words == 2 && rq->len == 0;
    case FS_PREAD:
        return rq->words == 3 && rq->len == 0;
    case FS_WRITE:
        return rq->words == 1;
    case FS_PWRITE:
        return rq->words == 2;
    default:
        return rq->words == 0;
    }
}

void fs_serve(fs_t *fs, const fs_request_t *rq, fs_reply_t *rp)
{
    rp->w[0] = rp->w[1] = rp->w[2] = 0;
    rp->out_len = 0;
    uint64_t err;
    if (rq->label < FS_OPEN || rq->label > FS_PWRITE)
        err = MS_E_NOSYS;
    else if (!shape_ok(rq))
        err = MS_E_INVAL;
    else if (rq->label == FS_OPEN)
        err = do_open(fs, rq, rp);
    else if (rq->label == FS_READ)
        err = do_read(fs, rq, rp);
    else if (rq->label == FS_WRITE)
        err = do_write(fs, rq, rp);
    else if (rq->label == FS_SEEK)
        err = do_seek(fs, rq);
    else if (rq->label == FS_CLOSE)
        err = do_close(fs, rq);
    else if (rq->label == FS_STAT)
        err = do_stat(fs, rq, rp);
    else if (rq->label == FS_MKDIR)
        err = do_mkdir(fs, rq);
    else if (rq->label == FS_READDIR)
        err = do_readdir(fs, rq, rp);
    else if (rq->label == FS_UNLINK)
        err = do_unlink(fs, rq);
    else if (rq->label == FS_PREAD)
        err = do_pread(fs, rq, rp);
    else if (rq->label == FS_PWRITE)
        err = do_pwrite(fs, rq, rp);
    else
        err = do_rename(fs, rq);
    rp->w[0] = err;
}

unsigned fs_clients(const fs_t *fs, uint64_t out[FS_CLIENTS])
{
    unsigned n = 0;
    for (unsigned i = 0; i < FS_CLIENTS; i++)
        if (fs->clients[i].used)
            out[n++] = fs->clients[i].badge;
    return n;
}

void fs_forget_client(fs_t *fs, uint64_t badge)
{
    fs_client_t *c = client_of(fs, badge, 0);
    if (c)
        *c = (fs_client_t){0};
}
