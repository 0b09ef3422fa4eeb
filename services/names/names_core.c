/* The name server's table and request handling, apart from IPC. */
#include "names_core.h"

void names_init(names_t *s)
{
    for (unsigned i = 0; i < NAMES_MAX; i++)
        s->e[i].used = 0;
}

int names_path_valid(const char *path, unsigned len)
{
    if (len < 2 || len > NAMES_PATH_MAX || path[0] != '/' || path[len - 1] == '/')
        return 0;
    for (unsigned i = 0; i < len; i++) {
        char c = path[i];
        if (c < 0x21 || c > 0x7e || (c == '/' && i > 0 && path[i - 1] == '/'))
            return 0;
    }
    return 1;
}

static int same(const names_entry_t *e, const char *path, unsigned len)
{
    for (unsigned i = 0; i < len; i++)
        if (e->path[i] != path[i])
            return 0;
    return e->path[len] == '\0';
}

static names_entry_t *find(names_t *s, const char *path, unsigned len)
{
    for (unsigned i = 0; i < NAMES_MAX; i++)
        if (s->e[i].used && same(&s->e[i], path, len))
            return &s->e[i];
    return 0;
}

static void drop(names_entry_t *e, names_reply_t *rp)
{
    rp->close[rp->nclose++] = e->handle;
    e->used = 0;
}

static uint64_t do_register(names_t *s, const names_request_t *rq, names_reply_t *rp)
{
    if (rq->badge == 0)
        return MS_E_RIGHTS;
    if (!rq->has_handle || rq->handle_type != MS_OBJ_ENDPOINT || (rq->w0 & ~rq->handle_rights) || rq->w0 == 0)
        return MS_E_INVAL;
    if (find(s, rq->path, rq->path_len))
        return MS_E_EXISTS;
    for (unsigned i = 0; i < NAMES_MAX; i++) {
        names_entry_t *e = &s->e[i];
        if (e->used)
            continue;
        for (unsigned k = 0; k < rq->path_len; k++)
            e->path[k] = rq->path[k];
        e->path[rq->path_len] = '\0';
        e->handle = rq->handle;
        e->rights = (uint32_t)rq->w0;
        e->owner = rq->badge;
        e->used = 1;
        rp->nclose = 0; /* the server keeps the handle */
        return MS_OK;
    }
    return MS_E_FULL;
}

static uint64_t do_lookup(names_t *s, const names_request_t *rq, names_reply_t *rp)
{
    names_entry_t *e = find(s, rq->path, rq->path_len);
    if (!e)
        return MS_E_NOTFOUND;
    rp->give = 1;
    rp->give_handle = e->handle;
    rp->give_rights = e->rights;
    return MS_OK;
}

static uint64_t do_unregister(names_t *s, const names_request_t *rq, names_reply_t *rp)
{
    names_entry_t *e = find(s, rq->path, rq->path_len);
    if (!e)
        return MS_E_NOTFOUND;
    if (e->owner != rq->badge)
        return MS_E_RIGHTS;
    drop(e, rp);
    return MS_OK;
}

static uint64_t do_forget(names_t *s, const names_request_t *rq, names_reply_t *rp)
{
    if (rq->badge != NAMES_ADMIN)
        return MS_E_RIGHTS;
    for (unsigned i = 0; i < NAMES_MAX; i++)
        if (s->e[i].used && s->e[i].owner == rq->w0)
            drop(&s->e[i], rp);
    return MS_OK;
}

/* The request's shape: words and payload as its label wants. */
static uint64_t check_shape(const names_request_t *rq)
{
    int wants_path = rq->label != NAMES_FORGET;
    unsigned words = rq->label == NAMES_REGISTER || rq->label == NAMES_FORGET ? 1 : 0;
    if (rq->words != words)
        return MS_E_INVAL;
    if (!wants_path)
        return rq->path_len ? MS_E_INVAL : MS_OK;
    if (rq->path_len > NAMES_PATH_MAX)
        return MS_E_RANGE;
    return names_path_valid(rq->path, rq->path_len) ? MS_OK : MS_E_INVAL;
}

void names_serve(names_t *s, const names_request_t *rq, names_reply_t *rp)
{
    rp->give = 0;
    rp->nclose = 0;
    if (rq->has_handle) /* a handle that arrives and is not kept goes again */
        rp->close[rp->nclose++] = rq->handle;
    uint32_t l = rq->label;
    if (l != NAMES_REGISTER && l != NAMES_LOOKUP && l != NAMES_UNREGISTER && l != NAMES_FORGET) {
        rp->err = MS_E_NOSYS;
        return;
    }
    uint64_t err = check_shape(rq);
    if (err == MS_OK) {
        if (l == NAMES_REGISTER)
            err = do_register(s, rq, rp);
        else if (l == NAMES_LOOKUP)
            err = do_lookup(s, rq, rp);
        else if (l == NAMES_UNREGISTER)
            err = do_unregister(s, rq, rp);
        else
            err = do_forget(s, rq, rp);
    }
    rp->err = err;
}
