/* The names of the shared error codes. */
#include "ms/errors.h"

static const char *const service_names[MS_SERVICE_ERROR_END - MS_E_NOTFOUND] = {
    [MS_E_NOTFOUND - MS_E_NOTFOUND] = "E_NOTFOUND",
    [MS_E_EXISTS - MS_E_NOTFOUND] = "E_EXISTS",
    [MS_E_BUSY - MS_E_NOTFOUND] = "E_BUSY",
    [MS_E_TIMEOUT - MS_E_NOTFOUND] = "E_TIMEOUT",
};

const char *ms_error_name(uint64_t err)
{
    if (err < MS_ERROR_COUNT)
        return ms_error_code_name(err);
    if (err >= MS_E_NOTFOUND && err < MS_SERVICE_ERROR_END)
        return service_names[err - MS_E_NOTFOUND];
    return "E_?";
}
