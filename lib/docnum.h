/* Document numbers as keys: "Số: 2771/QĐ-UBND", "2771 / QD-UBND" and
 * "02771/qđ-ubnd" are one number. The index files each notice under the
 * key of its own number (index_meta.c), a query that is a number looks it
 * up (search.c). */
#ifndef VNSEARCH_LIB_DOCNUM_H
#define VNSEARCH_LIB_DOCNUM_H

#include <stddef.h>

/* Longest key, with the NUL. */
#define VNS_DOCNUM_MAX 64

/* Write the key of (s, len) into out (VNS_DOCNUM_MAX bytes): folded,
 * without spaces, a leading "số"/"so" and ':' dropped, the leading zeros
 * of the first number dropped. Returns 1 when s is a document number
 * (digits first, then '/' or '-' and letters: "135-TB/TU",
 * "52/2025/QĐ-UBND"), else 0 and out is "". */
int vns_docnum_key(const char *s, size_t len, char *out);

#endif
