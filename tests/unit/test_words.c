/* The words table (words.h) against the index it was read from: every
 * word of letters alone with the index's own document frequency, none
 * other (numbers, codes, prefixed terms, pairs); a word's edits found
 * through it are the edits found term by term; a reader reads it only
 * once asked a few times, a writer never. */
#include "words.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "index_impl.h"
#include "spell.h"
#include "vnsearch/index.h"

#define NWORDS 3000 /* past the table's first size (4096 slots, half full) */

static char dir[] = "/tmp/vns-test-words-XXXXXX";
static struct vns_index *ix; /* a reader */

/* Made-up word i: "b" then i in base 26, letters a-z. */
static void word(int i, char *out)
{
    size_t n = 0;

    out[n++] = 'b';
    do {
        out[n++] = (char)('a' + i % 26);
        i /= 26;
    } while (i > 0);
    out[n] = '\0';
}

/* Notice d of 300 holds made-up words d, d + 300, ... and real text,
 * some of it in every notice, some in every third; a notice of its own
 * holds word d again for d under 299. */
static int setup(void **state)
{
    struct vns_index *w = NULL;
    struct vns_err err = {0};
    char id[16], text[512], wd[16];
    int rc;

    (void)state;
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 || mkdtemp(dir) == NULL)
        return -1;
    rc = vns_index_open(dir, VNS_INDEX_WRITE, &w, &err);
    for (int d = 0; d < 300 && rc == VNS_OK; d++) {
        size_t n = (size_t)snprintf(
            text, sizeof(text),
            "Tiêm mũi 2 vaccine COVID-19 cho F0 tại huyện Lạng Giang, mã "
            "ABC%d.%s\n",
            d, d % 3 == 0 ? " Truy vết khẩn cấp, thời hạn 15/3/2021." : "");
        for (int i = d; i < NWORDS && n + 16 < sizeof(text); i += 300) {
            word(i, wd);
            n += (size_t)snprintf(text + n, sizeof(text) - n, " %s", wd);
        }
        snprintf(id, sizeof(id), "n%d", d);
        rc = vns_index_add_text(w, id, NULL, text, strlen(text), NULL, &err);
        if (rc == VNS_OK && d > 0) { /* word d - 1 again, alone */
            word(d - 1, wd);
            snprintf(id, sizeof(id), "x%d", d);
            rc = vns_index_add_text(w, id, NULL, wd, strlen(wd), NULL, &err);
        }
    }
    if (rc == VNS_OK)
        rc = vns_index_commit(w, &err);
    vns_index_close(w);
    if (rc == VNS_OK)
        rc = vns_index_open(dir, VNS_INDEX_READ, &ix, &err);
    if (rc == VNS_OK)
        return 0;
    fprintf(stderr, "setup: %s\n", err.msg);
    return -1;
}

static int teardown(void **state)
{
    char cmd[64];

    (void)state;
    vns_index_close(ix);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static uint64_t termfreq(const char *t)
{
    struct vns_err err = {0};
    uint64_t df = 0;

    assert_int_equal(vns_xdb_termfreq(ix->db, t, strlen(t), &df, &err), VNS_OK);
    return df;
}

/* Every made-up word, and the real words folded, with the index's own
 * frequency; words no notice holds with 0; anything but letters a-z is
 * left to the index. */
static void test_frequencies(void **state)
{
    static const char *real[] = {
        "tiem",  "mui", "vaccine", "covid", "cho",  "tai", "huyen", "lang",
        "giang", "ma",  "truy",    "vet",   "khan", "cap", "thoi",  "han"};
    static const char *absent[] = {"tiemm", "zzz", "a", "bzzzzz", "covix"};
    static const char *other[] = {"f0",    "abc12", "2", "15/3/2021",
                                  "Etiêm", "Tiem",  "",  "mũi"};
    struct vns_words *w = NULL;
    struct vns_err err = {0};
    char wd[16];
    uint64_t df;

    (void)state;
    assert_int_equal(vns_words_new(ix->db, &w, &err), VNS_OK);
    for (int i = 0; i < NWORDS; i++) {
        word(i, wd);
        df = 99;
        assert_true(vns_words_df(w, wd, &df));
        assert_int_equal(df, termfreq(wd));
        assert_true(df >= 1 && df <= 3);
    }
    for (size_t i = 0; i < sizeof(real) / sizeof(real[0]); i++) {
        assert_true(vns_words_df(w, real[i], &df));
        assert_int_equal(df, termfreq(real[i]));
        assert_true(df >= 100);
    }
    for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
        df = 99;
        assert_true(vns_words_df(w, absent[i], &df));
        assert_int_equal(df, 0);
        assert_int_equal(termfreq(absent[i]), 0);
    }
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        df = 99;
        assert_false(vns_words_df(w, other[i], &df));
        assert_int_equal(df, 99);
    }
    assert_true(termfreq("f0") > 0); /* in the index, not in the table */
    /* the made-up words, the real ones and a few more ("cac", "xa"...),
     * nothing of the thousands of pairs and exact forms */
    assert_true(vns_words_count(w) >= NWORDS + 16);
    assert_true(vns_words_count(w) < NWORDS + 40);
    vns_words_free(w);
    vns_words_free(NULL);
    assert_false(vns_words_df(NULL, "tiem", &df));
}

static void same_edits(const struct vns_words *w, const char *typed)
{
    struct vns_spell_edit a[12], b[12];
    struct vns_err err = {0};
    size_t na = 0, nb = 0;

    assert_int_equal(vns_spell_edits(ix->db, w, typed, a, 12, &na, &err),
                     VNS_OK);
    assert_int_equal(vns_spell_edits(ix->db, NULL, typed, b, 12, &nb, &err),
                     VNS_OK);
    if (na != nb)
        fail_msg("'%s': %zu edits through the table, %zu without", typed, na,
                 nb);
    for (size_t i = 0; i < na; i++) {
        assert_string_equal(a[i].word, b[i].word);
        assert_int_equal(a[i].df, b[i].df);
    }
}

/* A word's edits through the table are those found term by term, in the
 * same order: made-up words with a letter changed, dropped or added,
 * real words misspelled, and words with digits (their edits with digits
 * asked of the index, those without from the table). */
static void test_edits_same(void **state)
{
    static const char *typed[] = {"tiemm", "tim", "vacine",  "covd", "giag",
                                  "truyy", "f0x", "covid19", "bx",   "kan"};
    struct vns_words *w = NULL;
    struct vns_spell_edit e[4];
    struct vns_err err = {0};
    char wd[20];
    size_t n = 0;

    (void)state;
    assert_int_equal(vns_words_new(ix->db, &w, &err), VNS_OK);
    for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++)
        same_edits(w, typed[i]);
    for (int i = 0; i < NWORDS; i += 37) {
        word(i, wd);
        same_edits(w, wd);
        wd[1] = wd[1] == 'z' ? 'y' : 'z'; /* a letter changed */
        same_edits(w, wd);
        memmove(wd + 1, wd + 2, strlen(wd + 1)); /* one dropped */
        same_edits(w, wd);
    }
    /* and they are words: "tiemm" is "tiem" */
    assert_int_equal(vns_spell_edits(ix->db, w, "tiemm", e, 4, &n, &err),
                     VNS_OK);
    assert_true(n >= 1);
    assert_string_equal(e[0].word, "tiem");
    assert_int_equal(e[0].df, 300);
    vns_words_free(w);
}

/* A reader reads the table once it has been asked a few times, then keeps
 * it; a writer never does (its terms move with every document). */
static void test_asked(void **state)
{
    struct vns_index *wr = NULL;
    struct vns_err err = {0};
    const struct vns_words *w = NULL;
    int asks = 0;

    (void)state;
    assert_null(vns_index_words(ix)); /* a one-shot query never reads it */
    for (asks = 1; asks < 100 && (w = vns_index_words(ix)) == NULL; asks++)
        ;
    assert_non_null(w);
    assert_true(asks >= 3);
    assert_ptr_equal(vns_index_words(ix), w);
    assert_true(vns_words_count(w) >= NWORDS);

    assert_int_equal(vns_index_open(dir, VNS_INDEX_WRITE, &wr, &err), VNS_OK);
    for (int i = 0; i < 100; i++)
        assert_null(vns_index_words(wr));
    vns_index_close(wr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frequencies),
        cmocka_unit_test(test_edits_same),
        cmocka_unit_test(test_asked),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
