/* LEB128 numbers in stored values (tokmap.c, wordseq.c): seven bits a
 * byte, the low ones first, the top bit set on every byte but the last. */
#ifndef VNSEARCH_LIB_LEB128_H
#define VNSEARCH_LIB_LEB128_H

#include <stddef.h>
#include <stdint.h>

/* Write v at p (room for 10 bytes); returns the bytes written. */
static inline size_t vns_leb128_put(unsigned char *p, uint64_t v)
{
    size_t n = 0;

    for (; v >= 0x80; v >>= 7)
        p[n++] = (unsigned char)(0x80 | (v & 0x7f));
    p[n++] = (unsigned char)v;
    return n;
}

/* Read a number at *p (before end) into *out and move *p past it; 0 when
 * it is cut short or over 32 bits. */
static inline int vns_leb128_get(const unsigned char **p,
                                 const unsigned char *end, uint32_t *out)
{
    uint64_t v = 0;

    for (unsigned shift = 0; *p < end && shift < 35; shift += 7) {
        unsigned char c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            if (v > UINT32_MAX)
                return 0;
            *out = (uint32_t)v;
            return 1;
        }
    }
    return 0;
}

#endif
