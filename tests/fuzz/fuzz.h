/* Helpers shared by the libFuzzer harnesses: checks that abort() on a
 * broken invariant, and the data directory. Each harness is one .c file. */
#ifndef VNSEARCH_TESTS_FUZZ_H
#define VNSEARCH_TESTS_FUZZ_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which and stop, so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF);
 * NUL bytes allowed. */
static inline bool fuzz_utf8_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i];
        size_t k;
        unsigned cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((p[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

/* Is off a code point boundary of s (n bytes)? n itself is one. */
static inline bool fuzz_utf8_boundary(const char *s, size_t n, size_t off)
{
    return off == n ||
           (off < n && (((const unsigned char *)s)[off] & 0xC0) != 0x80);
}

/* vns_datadir_find looks beside the program, which a harness is not:
 * point VNSEARCH_DATA_DIR at the repository's data/ when run from the
 * top of the tree and nobody set it. */
static inline void fuzz_datadir(void)
{
    char buf[PATH_MAX];

    if (getenv("VNSEARCH_DATA_DIR") != NULL)
        return;
    if (access("data/gazetteer.tsv", R_OK) == 0 &&
        realpath("data", buf) != NULL)
        setenv("VNSEARCH_DATA_DIR", buf, 0);
}

#endif
