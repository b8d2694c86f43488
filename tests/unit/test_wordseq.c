/* The body's words in order (wordseq.c): built, found back at the same
 * positions as given, a word typed twice, the cap, skipped positions, and
 * damaged values refused without reading past them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wordseq.h"

struct found {
    uint32_t pos[4096], word[4096];
    size_t n;
};

static int collect(uint32_t pos, uint32_t w, void *ctx)
{
    struct found *f = ctx;

    assert_true(f->n < 4096);
    f->pos[f->n] = pos;
    f->word[f->n++] = w;
    return 0;
}

static void build(const char *const *words, size_t n, char **v, size_t *len)
{
    struct vns_wordseq_builder b = {0};
    struct vns_err err = {0};

    for (size_t i = 0; i < n; i++)
        assert_int_equal(vns_wordseq_add(&b, (uint32_t)i, words[i], &err),
                         VNS_OK);
    assert_int_equal(vns_wordseq_value(&b, v, len, &err), VNS_OK);
    vns_wordseq_fini(&b);
}

/* Every token of a text with 300 distinct words (numbers past one byte)
 * is found at its position, the frequent words as the rare. */
static void test_roundtrip(void **state)
{
    static const char *const want[] = {"w7", "tiem", "w299", "absent"};
    const char *words[2000];
    char names[300][8], *v = NULL;
    struct found *f = calloc(1, sizeof(*f));
    struct vns_err err = {0};
    size_t len = 0, k = 0;

    (void)state;
    assert_non_null(f);
    for (size_t i = 0; i < 300; i++)
        snprintf(names[i], sizeof(names[i]), "w%zu", i);
    for (size_t i = 0; i < 2000; i++)
        words[i] = i % 10 == 3 ? "tiem" : names[(i * 7) % 300];
    build(words, 2000, &v, &len);
    assert_non_null(v);
    assert_int_equal(vns_wordseq_find(v, len, want, 4, 4096, collect, f, &err),
                     VNS_OK);
    for (size_t i = 0; i < 2000; i++)
        for (uint32_t w = 0; w < 4; w++)
            if (strcmp(words[i], want[w]) == 0) {
                assert_true(k < f->n);
                assert_int_equal(f->pos[k], i);
                assert_int_equal(f->word[k], w);
                k++;
            }
    assert_int_equal(k, f->n);
    assert_true(k > 200);
    free(v);
    free(f);
}

/* A word typed twice is found for both; the cap counts each apart. */
static void test_twice_and_cap(void **state)
{
    static const char *const words[] = {"mui", "2", "mui", "3", "mui"};
    static const char *const want[] = {"mui", "3", "mui"};
    struct found *f = calloc(1, sizeof(*f));
    struct vns_err err = {0};
    char *v = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(f);
    build(words, 5, &v, &len);
    assert_int_equal(vns_wordseq_find(v, len, want, 3, 4096, collect, f, &err),
                     VNS_OK);
    assert_int_equal(f->n, 7); /* 3 + 1 + 3 */
    assert_int_equal(f->pos[0], 0);
    assert_int_equal(f->word[0], 0);
    assert_int_equal(f->word[1], 2);
    assert_int_equal(f->pos[4], 3);
    assert_int_equal(f->word[4], 1);
    f->n = 0;
    assert_int_equal(vns_wordseq_find(v, len, want, 3, 2, collect, f, &err),
                     VNS_OK);
    assert_int_equal(f->n, 5); /* 2 + 1 + 2 */
    assert_int_equal(f->pos[4], 3);
    free(v);
    free(f);
}

/* Positions no token took (a compound's) hold none; a position given
 * twice or going back keeps the first; past the cap nothing is kept. */
static void test_gaps(void **state)
{
    static const char *const want[] = {"b"};
    struct vns_wordseq_builder b = {0};
    struct found *f = calloc(1, sizeof(*f));
    struct vns_err err = {0};
    char *v = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(f);
    assert_int_equal(vns_wordseq_value(&b, &v, &len, &err), VNS_OK);
    assert_null(v); /* nothing added: no value */
    assert_int_equal(len, 0);
    assert_int_equal(vns_wordseq_add(&b, 0, "a", &err), VNS_OK);
    assert_int_equal(vns_wordseq_add(&b, 5, "b", &err), VNS_OK);
    assert_int_equal(vns_wordseq_add(&b, 5, "b", &err), VNS_OK);
    assert_int_equal(vns_wordseq_add(&b, 2, "b", &err), VNS_OK);
    assert_int_equal(vns_wordseq_add(&b, VNS_WORDSEQ_MAX, "b", &err), VNS_OK);
    assert_int_equal(vns_wordseq_add(&b, 9, "b", &err), VNS_OK);
    assert_int_equal(vns_wordseq_value(&b, &v, &len, &err), VNS_OK);
    vns_wordseq_fini(&b);
    assert_int_equal(vns_wordseq_find(v, len, want, 1, 4096, collect, f, &err),
                     VNS_OK);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->pos[0], 5);
    assert_int_equal(f->pos[1], 9);
    free(v);
    free(f);
}

/* Every cut, every flipped byte and a trailing one: VNS_EINDEX or an
 * answer, never a read past the value (run under ASan by make
 * check-debug). */
static void test_damaged(void **state)
{
    static const char *const words[] = {"tiem", "mui", "2", "tiem", "chung"};
    static const char *const want[] = {"tiem", "2"};
    struct found *f = calloc(1, sizeof(*f));
    struct vns_err err = {0};
    char *v = NULL, *c;
    size_t len = 0;

    (void)state;
    assert_non_null(f);
    build(words, 5, &v, &len);
    for (size_t cut = 0; cut < len; cut++) {
        c = malloc(cut + 1);
        assert_non_null(c);
        memcpy(c, v, cut);
        f->n = 0;
        assert_int_equal(
            vns_wordseq_find(c, cut, want, 2, 4096, collect, f, &err),
            VNS_EINDEX);
        free(c);
    }
    c = malloc(len + 1);
    assert_non_null(c);
    memcpy(c, v, len);
    c[len] = 0;
    f->n = 0;
    assert_int_equal(
        vns_wordseq_find(c, len + 1, want, 2, 4096, collect, f, &err),
        VNS_EINDEX);
    for (size_t at = 0; at < len; at++) {
        for (unsigned bit = 0; bit < 8; bit++) {
            memcpy(c, v, len);
            c[at] = (char)(c[at] ^ (1u << bit));
            f->n = 0;
            int rc = vns_wordseq_find(c, len, want, 2, 4096, collect, f, &err);
            assert_true(rc == VNS_OK || rc == VNS_EINDEX);
        }
    }
    c[0] = 9; /* an encoding this build does not know */
    assert_int_equal(vns_wordseq_find(c, len, want, 2, 4096, collect, f, &err),
                     VNS_EINDEX);
    free(c);
    free(v);
    free(f);
}

/* Long runs of one-byte tokens (scanned a byte at a time): a wanted word at
 * either end of a run and at the value's end is found, and a number past
 * the words inside a run is damage. */
static void test_long_runs(void **state)
{
    static const char *const want[] = {"dich"};
    static const uint32_t at[] = {0, 7, 8, 15, 16, 517, 998, 999};
    char names[10][4], *v = NULL;
    const char *words[1000];
    struct found *f = calloc(1, sizeof(*f));
    struct vns_err err = {0};
    size_t len = 0;

    (void)state;
    assert_non_null(f);
    for (size_t i = 0; i < 10; i++)
        snprintf(names[i], sizeof(names[i]), "w%zu", i);
    for (size_t i = 0; i < 1000; i++)
        words[i] = names[i % 10];
    for (size_t i = 0; i < sizeof(at) / sizeof(*at); i++)
        words[at[i]] = "dich";
    build(words, 1000, &v, &len);
    assert_int_equal(vns_wordseq_find(v, len, want, 1, 4096, collect, f, &err),
                     VNS_OK);
    assert_int_equal(f->n, sizeof(at) / sizeof(*at));
    for (size_t i = 0; i < f->n; i++)
        assert_int_equal(f->pos[i], at[i]);
    v[len - 1000 + 300] = 12; /* 11 words: the tokens are the last bytes */
    f->n = 0;
    assert_int_equal(vns_wordseq_find(v, len, want, 1, 4096, collect, f, &err),
                     VNS_EINDEX);
    free(v);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip), cmocka_unit_test(test_twice_and_cap),
        cmocka_unit_test(test_gaps),      cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_long_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
