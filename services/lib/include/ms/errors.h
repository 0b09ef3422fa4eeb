/* The one error table of user-space services: the kernel's codes, then the services' own. */
#ifndef MS_ERRORS_H
#define MS_ERRORS_H

#include "ms_abi.h"

/*
 * A service answers every request with w0 = MS_OK or an error code: one of
 * the kernel's (ms_abi.h: MS_E_INVAL for a malformed request, MS_E_NOSYS for
 * an unknown label, MS_E_RANGE for a length over a limit, MS_E_RIGHTS, ...)
 * or one of these, which only services return. They start at 64 so that the
 * two ranges never meet.
 */
enum ms_service_error {
    MS_E_NOTFOUND = 64, /* no such name, file or process */
    MS_E_EXISTS = 65,   /* the name is taken */
    MS_E_BUSY = 66,     /* the resource is in use */
    MS_E_TIMEOUT = 67,  /* the peer did not answer in time */
    MS_SERVICE_ERROR_END
};

/* "E_NOTFOUND", "E_INVAL", ...: the name of any code of either range. */
const char *ms_error_name(uint64_t err);

#endif
