/* Content sniffing: a buffer's MIME type and charset, from its bytes only
 * (never its name). The one place that includes <magic.h>. */
#ifndef VNSEARCH_LIB_DETECT_H
#define VNSEARCH_LIB_DETECT_H

#include <stddef.h>

#include "vnsearch/err.h"

/* What libmagic says, lower case: "text/plain" and "utf-8". */
struct vns_mime {
    char type[80];    /* "text/html", "application/pdf"... */
    char charset[40]; /* "utf-8", "us-ascii", "iso-8859-1", "binary"... */
};

/* Holds a libmagic cookie: one per thread. */
struct vns_detector;

/* Returns VNS_OK, VNS_ENOMEM, or VNS_EINTERNAL when the magic database
 * cannot be loaded. Free with vns_detector_free (NULL is fine). */
int vns_detector_new(struct vns_detector **out, struct vns_err *err);
void vns_detector_free(struct vns_detector *d);

/* Sniff data[0..len) into *out. Only the first megabyte is looked at.
 * Returns VNS_OK or VNS_EINTERNAL (err has libmagic's reason). */
int vns_detector_sniff(struct vns_detector *d, const char *data, size_t len,
                       struct vns_mime *out, struct vns_err *err);

#endif
