/* Metadata as a JSON object: what the index stores, prints and lets users
 * override (sidecar FILE.meta.json, --manifest). Extraction is meta*.c's. */
#ifndef VNSEARCH_LIB_META_JSON_H
#define VNSEARCH_LIB_META_JSON_H

#include <jansson.h>

#include "meta.h"

struct vns_gaz;
struct vns_bodies;

/* The fields of m as a new JSON object: date, number, doc_type,
 * issuing_body, province, province_2025, province_candidates, signer,
 * subject, deadlines [{date, text, off, len}], references [{number, date}],
 * evidence {field: line}. Empty fields are left out. text is the document
 * text the offsets point into. NULL when out of memory. */
json_t *vns_meta_to_json(const struct vns_meta *m, const char *text,
                         size_t len);

/* Merge the override object over meta (in place): each key replaces the
 * extracted value and is listed in meta's "overridden" array. Values are
 * checked and made canonical: dates (ISO or dd/mm/yyyy) to ISO, provinces
 * through the gazetteer (province_2025 follows a province given alone),
 * issuing bodies through the vocabulary, deadlines as [{date, text}] or
 * ["dd/mm/yyyy", ...]. An unknown key or a bad value is VNS_EINVAL with
 * "<what>: <key>: <reason>" in err; meta is then unchanged. */
int vns_meta_override(json_t *meta, json_t *over, const struct vns_gaz *gz,
                      const struct vns_bodies *bodies, const char *what,
                      struct vns_err *err);

/* "2021-12-05" or "5/12/2021" (also "05-12-2021", "05.12.2021") into
 * iso (11 bytes) as YYYY-MM-DD; -1 when it is not a valid date. */
int vns_date_parse(const char *s, char iso[11]);

#endif
