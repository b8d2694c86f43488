/* Zip archives in memory (DOCX, ODT), read one entry at a time with a
 * ceiling checked while inflating. The one place that includes <zip.h>. */
#ifndef VNSEARCH_LIB_ZIP_H
#define VNSEARCH_LIB_ZIP_H

#include <stdbool.h>
#include <stddef.h>

#include "vnsearch/err.h"

/* Archives with more entries than this are refused, whatever they hold. */
#define VNS_ZIP_MAX_ENTRIES 10000u

struct vns_zip; /* borrows the bytes it was opened on */

/* Open the archive in data[0..len), which must outlive it. Returns VNS_OK,
 * VNS_EBADDATA ("not a zip archive (truncated?)", "damaged zip archive:
 * <reason>"), VNS_ETOOBIG (too many entries) or VNS_ENOMEM. Close it with
 * vns_zip_close (NULL is fine). */
int vns_zip_open(const char *data, size_t len, struct vns_zip **out,
                 struct vns_err *err);
void vns_zip_close(struct vns_zip *z);

/* Whether the archive holds an entry of that exact name. */
bool vns_zip_has(struct vns_zip *z, const char *name);

/* Inflate entry name into *out (malloc'd, NUL-terminated, free it), its
 * length in *outlen. The size in the archive's headers is not trusted:
 * inflating stops at max bytes. Errors start with name: VNS_ENOTFOUND
 * (no such entry), VNS_ETOOBIG ("expands past N MiB"), VNS_EUNSUPPORTED
 * (encrypted entry, unknown compression), VNS_EBADDATA (CRC or inflate
 * error), VNS_ENOMEM. */
int vns_zip_read(struct vns_zip *z, const char *name, size_t max, char **out,
                 size_t *outlen, struct vns_err *err);

#endif
