/* FNV-1a, 64 bits: one multiply per byte, enough to tell whether a file
 * changed; a collision only costs a missed re-index of that file. */
#include "hash.h"

uint64_t vns_hash64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ? seed : 14695981039346656037ull;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}
