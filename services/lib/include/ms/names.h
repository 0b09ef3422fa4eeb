/* The name server's protocol: path-like names for endpoints, handed out with chosen rights. */
#ifndef MS_NAMES_H
#define MS_NAMES_H

#include <stdint.h>

#include "ms/errors.h"
#include "ms/syscall.h"

/*
 * Requests are calls on the name server's endpoint. A path travels as the
 * payload (1..NAMES_PATH_MAX bytes, no NUL): it starts with '/', and its
 * components are non-empty runs of printable characters other than '/'
 * ("/fs", "/net/host1"). The caller's badge is its identity: 0 may only look
 * up; names registered under badge B belong to B. Every reply has w0 = MS_OK
 * or an error (ms/errors.h); nothing a client sends stops the server.
 *
 *   NAMES_REGISTER   payload path, w0 the rights lookups get (a subset of
 *                    the handle's), the endpoint handle transferred
 *                    (MS_INFO_HANDLE, with the grant right on the call).
 *                    E_INVAL (bad path, no handle, not an endpoint, rights
 *                    the handle lacks), E_RANGE (path too long), E_RIGHTS
 *                    (badge 0), E_EXISTS, E_FULL (table full).
 *   NAMES_LOOKUP     payload path; the reply carries a handle to the
 *                    endpoint with the registered rights, badged with the
 *                    caller's own badge, so that the service learns who
 *                    calls (a process's badge is its pid's; the server's own
 *                    endpoint handle needs the grant right, as for any
 *                    reply that carries a handle). E_NOTFOUND.
 *   NAMES_UNREGISTER payload path; only its owner. E_NOTFOUND, E_RIGHTS.
 *   NAMES_FORGET     w0 an owner's badge: every name it registered goes
 *                    (the process manager, badge NAMES_ADMIN, when a task
 *                    dies). E_RIGHTS from anyone else.
 *   anything else    E_NOSYS; a wrong word count or payload: E_INVAL.
 */
#define NAMES_REGISTER 0x6e610001u
#define NAMES_LOOKUP 0x6e610002u
#define NAMES_UNREGISTER 0x6e610003u
#define NAMES_FORGET 0x6e610004u

#define NAMES_PATH_MAX 63u
#define NAMES_MAX 64u
#define NAMES_ADMIN 1u /* the badge of the process manager's handle */

/* The server: its endpoint is its handle 1. */
#define NAMES_H_ENDPOINT 1u
void names_main(const ms_start_t *start);

/* A client's way to the server: its endpoint handle and the calling
 * thread's IPC buffer (where paths travel). */
typedef struct ms_names {
    ms_handle_t ep;
    char *ipc_buffer;
} ms_names_t;

/* Registers endpoint handle h under path, handing out rights. MS_OK or an error. */
uint64_t ms_names_register(const ms_names_t *n, const char *path, ms_handle_t h, uint32_t rights);
/* A handle to the endpoint registered under path, in *out. */
uint64_t ms_names_lookup(const ms_names_t *n, const char *path, ms_handle_t *out);
uint64_t ms_names_unregister(const ms_names_t *n, const char *path);

/* The name server of a process of the process manager (its slot
 * PROCMAN_SLOT_NAMES), reached through the calling thread's IPC buffer. */
ms_names_t ms_names_of(const ms_start_t *start);
/* A service announces that it serves: registers its endpoint ep under path,
 * handing out send rights. A boot manifest's task (its arg[3], a process's
 * pid, is 0) has nobody to tell: MS_OK. */
uint64_t ms_names_publish(const ms_start_t *start, const char *path, ms_handle_t ep);

#endif
