/* SHA-256 (FIPS 180-4), for keys that must not collide by design: the OCR
 * cache names an entry by its file's content. */
#ifndef VNSEARCH_LIB_SHA256_H
#define VNSEARCH_LIB_SHA256_H

#include <stddef.h>

/* The digest of data[0..len) as 64 lower-case hex digits and a NUL. */
void vns_sha256_hex(const void *data, size_t len, char out[65]);

#endif
