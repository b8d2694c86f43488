/* The error record: formatting messages and naming codes.
 * Callers decide what to print; nothing here writes to a stream. */
#define VNS_ERR_IMPL /* the function itself, not the analyzer's macro */
#include "vnsearch/err.h"

#include <stdarg.h>
#include <stdio.h>

int vns_err_set(struct vns_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void vns_err_clear(struct vns_err *err)
{
    if (err == NULL)
        return;
    err->code = VNS_OK;
    err->msg[0] = '\0';
}

const char *vns_strerror(int code)
{
    switch (code) {
    case VNS_OK:
        return "success";
    case VNS_EINVAL:
        return "invalid argument";
    case VNS_ENOMEM:
        return "out of memory";
    case VNS_EIO:
        return "input/output error";
    case VNS_ENOTFOUND:
        return "not found";
    case VNS_EUNSUPPORTED:
        return "unsupported";
    case VNS_ETOOBIG:
        return "too big";
    case VNS_EBADDATA:
        return "malformed input";
    case VNS_EQUERY:
        return "bad query";
    case VNS_EINDEX:
        return "index error";
    case VNS_EBUSY:
        return "index is locked";
    case VNS_EINTERNAL:
        return "internal error";
    case VNS_EREMOTE:
        return "a remote shard did not answer";
    }
    return "unknown error";
}
