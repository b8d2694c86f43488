/* The words table (words.h) against the index it was read from: every
 * term starting with a letter a-z and every exact form with the index's
 * own document frequency, none other (numbers, pairs, other prefixes); its
 * walks by prefix are the index's, term for term; a word's edits found through
 * it are the edits found term by term, and the search box's completions through
 * it (and the spelling's written forms) those through the index; a reader reads
 * it only once asked a few times, a writer never. */
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
#include "vnsearch/suggest.h"

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
    static const char *coded[] = {"f0", "abc12", "abc299", /* a-z first */
                                  "Etiêm", "Elạng"};
    static const char *other[] = {"2",         "15/3/2021", "Tiem", "",
                                  "Btiem mui", "Ctiêm mũi", "đ",    "Qn1"};
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
    for (size_t i = 0; i < sizeof(coded) / sizeof(coded[0]); i++) {
        assert_true(vns_words_df(w, coded[i], &df));
        assert_int_equal(df, termfreq(coded[i]));
        assert_true(df >= 1);
    }
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        df = 99;
        assert_false(vns_words_cover(w, other[i]));
        assert_false(vns_words_df(w, other[i], &df));
        assert_int_equal(df, 99);
    }
    assert_true(termfreq("2") > 0); /* in the index, not in the table */
    /* the made-up words, the real ones, 300 codes "abcN", "f0", a few
     * more ("covid-19"...) and the dozen exact forms, nothing of the
     * thousands of pairs */
    assert_true(vns_words_count(w) >= NWORDS + 16 + 300 + 10);
    assert_true(vns_words_count(w) < NWORDS + 16 + 300 + 50);
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

struct seen {
    char terms[4000][48];
    uint64_t df[4000];
    size_t n, stop; /* stop after this many (0: never) */
};

static int note(const char *term, size_t len, uint64_t df, void *arg)
{
    struct seen *s = arg;

    if (s->n < 4000 && len < 48) {
        memcpy(s->terms[s->n], term, len);
        s->terms[s->n][len] = '\0';
        s->df[s->n] = df;
    }
    s->n++;
    return s->stop != 0 && s->n == s->stop ? 7 : 0;
}

/* The walk by prefix is the index's: the same terms, in the same order,
 * with the same frequencies, and it stops where the callback says. */
static void test_prefix(void **state)
{
    static const char *prefixes[] = {
        "a",     "b",   "ba",    "bz",   "bab",   "c",      "co", "covid",
        "f",     "f0",  "abc",   "abc1", "abc29", "t",      "ti", "tiem",
        "tiemm", "l",   "la",    "lang", "h",     "hu",     "g",  "gi",
        "m",     "mu",  "x",     "z",    "zz",    "bzzzzz", "v",  "E",
        "Et",    "Eti", "Etiêm", "El",   "Elạ",   "Ez"};
    static struct seen a, b;
    struct vns_words *w = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_words_new(ix->db, &w, &err), VNS_OK);
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        for (size_t stop = 0; stop < 3; stop += 2) {
            a.n = b.n = 0;
            a.stop = b.stop = stop;
            assert_true(vns_words_cover(w, prefixes[i]));
            int ra = vns_words_prefix(w, prefixes[i], note, &a);
            int rb = vns_xdb_terms(ix->db, prefixes[i], note, &b, &err);
            assert_int_equal(ra, rb);
            if (a.n != b.n)
                fail_msg("'%s': %zu words from the table, %zu from the index",
                         prefixes[i], a.n, b.n);
            for (size_t k = 0; k < a.n && k < 4000; k++) {
                assert_string_equal(a.terms[k], b.terms[k]);
                assert_int_equal(a.df[k], b.df[k]);
            }
        }
    }
    a.n = 0;
    a.stop = 0;
    assert_false(vns_words_cover(w, ""));
    assert_false(vns_words_cover(NULL, "a"));
    assert_int_equal(vns_words_prefix(w, "", note, &a), 0);
    assert_int_equal(vns_words_prefix(w, "2", note, &a), 0);
    assert_int_equal(a.n, 0);
    vns_words_free(w);
}

/* The search box's completions from a reader with the table (and its
 * spelling's written forms) are those of one without: words, texts and
 * counts, in order. */
static void test_suggest_same(void **state)
{
    static const char *typed[] = {
        "t",       "ti", "tie", "tiem", "tiem m", "mu", "l",      "la",
        "lang gi", "g",  "gi",  "tr",   "truy v", "th", "kh",     "c",
        "ca",      "co", "b",   "ba",   "bz",     "v",  "h",      "huy",
        "f",       "f0", "a",   "abc1", "x",      "q",  "tiêm m", "Lạ"};
    struct vns_index *warm = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_index_open(dir, VNS_INDEX_READ, &warm, &err), VNS_OK);
    for (int i = 0; i < 20 && vns_index_words(warm) == NULL; i++)
        ;
    assert_non_null(vns_index_words(warm));
    for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
        struct vns_index *cold = NULL;
        struct vns_suggestions a = {0}, b = {0};
        const char *q = typed[i];
        assert_int_equal(vns_index_open(dir, VNS_INDEX_READ, &cold, &err),
                         VNS_OK);
        assert_int_equal(vns_suggest(cold, q, strlen(q), 0, &a, &err), VNS_OK);
        assert_null(cold->words); /* the index's walks */
        assert_int_equal(vns_suggest(warm, q, strlen(q), 0, &b, &err), VNS_OK);
        if (a.n != b.n)
            fail_msg("'%s': %zu completions from the index, %zu from the table",
                     q, a.n, b.n);
        for (size_t k = 0; k < a.n; k++) {
            assert_string_equal(a.items[k].word, b.items[k].word);
            assert_string_equal(a.items[k].text, b.items[k].text);
            assert_int_equal(a.items[k].count, b.items[k].count);
        }
        if (strcmp(q, "tie") == 0) { /* and the forms are restored */
            assert_true(a.n >= 1);
            assert_string_equal(a.items[0].word, "tiêm");
        }
        vns_suggestions_fini(&a);
        vns_suggestions_fini(&b);
        vns_index_close(cold);
    }
    vns_index_close(warm);
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
        cmocka_unit_test(test_frequencies), cmocka_unit_test(test_edits_same),
        cmocka_unit_test(test_prefix),      cmocka_unit_test(test_suggest_same),
        cmocka_unit_test(test_asked),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
