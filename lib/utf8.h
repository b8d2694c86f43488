/* Byte-level helpers for checking text read from outside: one UTF-8
 * character's length, one hex digit's value (api.c's URL escapes,
 * jsonscan.c's \u escapes). */
#ifndef VNSEARCH_LIB_UTF8_H
#define VNSEARCH_LIB_UTF8_H

#include <stddef.h>

/* The bytes of the UTF-8 character at p (avail bytes there, at least
 * one), or 0 when it is not valid: overlong, a UTF-16 surrogate, past
 * U+10FFFF, or cut short. */
static inline size_t vns_utf8_len(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    size_t n;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    if (avail < n)
        return 0;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

/* 0-15, or -1 when c is not a hex digit. */
static inline int vns_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
