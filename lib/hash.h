/* A fast 64-bit hash (FNV-1a) for change detection and long names; not
 * for security. */
#ifndef VNSEARCH_LIB_HASH_H
#define VNSEARCH_LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Hash len bytes of data, continuing from seed (0 to start). */
uint64_t vns_hash64(const void *data, size_t len, uint64_t seed);

#endif
