/* The names of the shared error codes. */
#include "ms/errors.h"

static const char *const kernel_names[MS_ERROR_COUNT] = {
    [MS_OK] = "OK",
    [MS_E_NOSYS] = "E_NOSYS",
    [MS_E_INVAL] = "E_INVAL",
    [MS_E_BADHANDLE] = "E_BADHANDLE",
    [MS_E_RIGHTS] = "E_RIGHTS",
    [MS_E_RANGE] = "E_RANGE",
    [MS_E_FAULT] = "E_FAULT",
    [MS_E_WOULDBLOCK] = "E_WOULDBLOCK",
    [MS_E_NOMEM] = "E_NOMEM",
    [MS_E_FULL] = "E_FULL",
    [MS_E_NOREPLY] = "E_NOREPLY",
    [MS_E_DEAD] = "E_DEAD",
    [MS_E_ABORTED] = "E_ABORTED",
};

static const char *const service_names[MS_SERVICE_ERROR_END - MS_E_NOTFOUND] = {
    [MS_E_NOTFOUND - MS_E_NOTFOUND] = "E_NOTFOUND",
    [MS_E_EXISTS - MS_E_NOTFOUND] = "E_EXISTS",
    [MS_E_BUSY - MS_E_NOTFOUND] = "E_BUSY",
    [MS_E_TIMEOUT - MS_E_NOTFOUND] = "E_TIMEOUT",
};

const char *ms_error_name(uint64_t err)
{
    if (err < MS_ERROR_COUNT)
        return kernel_names[err];
    if (err >= MS_E_NOTFOUND && err < MS_SERVICE_ERROR_END)
        return service_names[err - MS_E_NOTFOUND];
    return "E_?";
}
