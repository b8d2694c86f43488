/* Metadata overrides given by users: a manifest for many files (JSON Lines
 * or CSV, an id plus any fields) and sidecar FILE.meta.json files. */
#ifndef VNSEARCH_MANIFEST_H
#define VNSEARCH_MANIFEST_H

#include <stddef.h>

#include "vnsearch/err.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vns_manifest;

/* Read a manifest: JSON Lines (one object per line, with "id") or CSV with
 * a header row whose first column is id ("id,province,date"). Errors name
 * the file and line: "m.csv:7: 3 fields, the header has 2". */
VNS_API int vns_manifest_open(const char *path, struct vns_manifest **out,
                              struct vns_err *err);
VNS_API void vns_manifest_free(struct vns_manifest *m);
/* Entries read. */
VNS_API size_t vns_manifest_count(const struct vns_manifest *m);

/* The overrides for the file at path with document id: the manifest's
 * entry for id (m may be NULL), with path's sidecar "path.meta.json" (if
 * there is one) on top. On VNS_OK *out is a malloc'd JSON object text (free
 * it), or NULL when there is nothing to override. Errors name the sidecar
 * or the manifest. */
VNS_API int vns_overrides_for(const struct vns_manifest *m, const char *id,
                              const char *path, char **out,
                              struct vns_err *err);

/* Is name a sidecar ("x.txt.meta.json")? Sidecars are not documents. */
VNS_API int vns_is_sidecar(const char *name);

#ifdef __cplusplus
}
#endif

#endif
