/* Snippets led by a guide: the token checkpoints (tokmap.c) written and
 * read back, damaged values refused, a hit's passages found from the
 * words' positions instead of a screen of the whole text, and what the
 * hit shows already left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query.h"
#include "snippet.h"
#include "tokmap.h"
#include "vnsearch/analyze.h"

static struct vns_analyzer *an;

static int setup(void **state)
{
    (void)state;
    return vns_analyzer_new(&an, NULL) == VNS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    vns_analyzer_free(an);
    return 0;
}

/* Positions 0..99 at offsets 7 apart: checkpoints at 0, 16, ..., 96. */
static void test_tokmap_roundtrip(void **state)
{
    struct vns_tokmap_builder b = {0};
    uint32_t *offs = NULL;
    size_t count = 0;
    unsigned step = 0;

    (void)state;
    for (uint32_t p = 0; p < 100; p++)
        assert_int_equal(vns_tokmap_add(&b, p, 300 * (size_t)p, NULL), VNS_OK);
    assert_int_equal(
        vns_tokmap_read(b.buf, b.n, 30000, &offs, &count, &step, NULL), VNS_OK);
    assert_int_equal(step, VNS_TOKMAP_STEP);
    assert_int_equal(count, 7);
    for (size_t k = 0; k < count; k++)
        assert_int_equal(offs[k], 300 * VNS_TOKMAP_STEP * k);
    free(offs);
    /* a text shorter than the last checkpoint: damaged */
    assert_int_equal(
        vns_tokmap_read(b.buf, b.n, 28800, &offs, &count, &step, NULL),
        VNS_EINDEX);
    vns_tokmap_fini(&b);
}

static void test_tokmap_damaged(void **state)
{
    static const struct {
        const char *v;
        size_t n;
    } bad[] = {
        {"", 0},             /* empty */
        {"\x10", 1},         /* a step and nothing */
        {"\x00\x01", 2},     /* step 0 */
        {"\x10\x80", 2},     /* a number cut short */
        {"\x10\xff\xff", 3}, /* the same, longer */
        {"\x10\x00\x7f", 3}, /* 127 is past a 100-byte text */
        /* five continuation bytes: more than 32 bits */
        {"\x10\x80\x80\x80\x80\x80\x01", 7},
    };
    uint32_t *offs = NULL;
    size_t count = 0;
    unsigned step = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(vns_tokmap_read(bad[i].v, bad[i].n, 100, &offs, &count,
                                         &step, NULL),
                         VNS_EINDEX);
    assert_null(offs);
}

/* A text with the query's words twice: early (the screen's pick, the
 * first of equals) and deep. */
struct fixture {
    char *text;
    size_t len;
    struct vns_tokmap_builder tm;
    struct vns_wordpos wp[16];
    struct vns_hitwords words;
    struct vns_query q;
    size_t deep_at; /* where the deep line starts */
};

static int mark(const struct vns_token *t, void *arg)
{
    struct fixture *f = arg;
    static const char *const want[] = {"giai", "phong", "mat", "bang"};

    if (t->flags & VNS_TOK_COMPOUND)
        return 0;
    for (size_t i = 0; i < 4; i++)
        if (strcmp(t->folded, want[i]) == 0 && t->off >= f->deep_at &&
            f->words.n < 16)
            f->wp[f->words.n++] = (struct vns_wordpos){t->pos, (uint32_t)i};
    return vns_tokmap_add(&f->tm, t->pos, t->off, NULL);
}

static void fixture_init(struct fixture *f)
{
    size_t cap = 32 * 1024, len = 0;
    const char *qs = "giải phóng mặt bằng";

    memset(f, 0, sizeof(*f));
    f->text = malloc(cap);
    assert_non_null(f->text);
    for (int i = 0; i < 20; i++)
        len += (size_t)snprintf(f->text + len, cap - len,
                                "Đoạn %d nói về việc khác của tỉnh.\n", i);
    len += (size_t)snprintf(f->text + len, cap - len,
                            "Sớm giải phóng mặt bằng ở đầu.\n");
    for (int i = 0; i < 200; i++)
        len += (size_t)snprintf(f->text + len, cap - len,
                                "Đoạn %d nói về việc khác của huyện.\n", i);
    f->deep_at = len;
    len += (size_t)snprintf(f->text + len, cap - len,
                            "Khẩn trương giải phóng mặt bằng dự án.\n");
    f->len = len;
    f->words.v = f->wp;
    assert_int_equal(vns_analyze(an, f->text, f->len, mark, f, NULL), VNS_OK);
    assert_int_equal(f->words.n, 4);
    assert_int_equal(vns_query_parse(an, qs, strlen(qs), &f->q, NULL), VNS_OK);
}

static void fixture_fini(struct fixture *f)
{
    vns_tokmap_fini(&f->tm);
    free(f->text);
}

/* The one snippet made with guide g (or NULL). */
static char *one_snippet(struct fixture *f, const struct vns_snipguide *g)
{
    struct vns_snippet *sn = NULL;
    size_t nsn = 0;
    char *text;

    assert_int_equal(vns_snippets_make(an, f->text, f->len, &f->q, 1, 300, g,
                                       &sn, &nsn, NULL),
                     VNS_OK);
    assert_int_equal(nsn, 1);
    assert_true(sn[0].nhl >= 4); /* the four words lit */
    text = sn[0].text;
    sn[0].text = NULL;
    vns_snippet_fini(&sn[0]);
    free(sn);
    return text;
}

static void test_guide_leads(void **state)
{
    struct fixture f;
    char *a, *b;

    (void)state;
    fixture_init(&f);
    struct vns_snipguide g = {&f.words, f.tm.buf, f.tm.n, NULL, 0};
    a = one_snippet(&f, NULL);
    b = one_snippet(&f, &g);
    assert_non_null(strstr(a, "ở đầu")); /* the screen: the first of two */
    assert_non_null(strstr(b, "Khẩn trương giải phóng mặt bằng dự án"));
    free(a);
    free(b);
    fixture_fini(&f);
}

/* A damaged checkpoint value, or no words, and the whole text is screened
 * as if there were no guide. */
static void test_guide_ignored(void **state)
{
    struct fixture f;
    struct vns_hitwords none = {NULL, 0};
    char past[8];

    (void)state;
    fixture_init(&f);
    /* one offset, far past the text */
    memcpy(past, "\x10\xff\xff\xff\x07", 5);
    const struct vns_snipguide bad[] = {
        {&f.words, "\x10\x80", 2, NULL, 0},
        {&f.words, past, 5, NULL, 0},
        {&f.words, NULL, 0, NULL, 0},
        {&none, f.tm.buf, f.tm.n, NULL, 0},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *s = one_snippet(&f, &bad[i]);
        assert_non_null(strstr(s, "ở đầu"));
        free(s);
    }
    fixture_fini(&f);
}

/* The line of f's text starting with what. */
static struct vns_span line_of(const struct fixture *f, const char *what)
{
    const char *p = strstr(f->text, what);

    assert_non_null(p);
    return (struct vns_span){(size_t)(p - f->text),
                             (size_t)(strchr(p, '\n') - p)};
}

/* What the hit shows already (a deadline question's answer) makes no
 * snippet: the next best passage does, or none when every match is
 * shown. */
static void test_shown_left_out(void **state)
{
    struct fixture f;
    struct vns_hitwords none = {NULL, 0};
    struct vns_snippet *sn = NULL;
    struct vns_span both[2], past;
    size_t nsn = 0;
    char *s;

    (void)state;
    fixture_init(&f);
    both[0] = line_of(&f, "Sớm giải phóng");
    both[1] = line_of(&f, "Khẩn trương");
    struct vns_snipguide g = {&none, NULL, 0, both, 1};
    s = one_snippet(&f, &g);
    assert_non_null(strstr(s, "Khẩn trương giải phóng mặt bằng dự án"));
    free(s);
    /* a stretch said to run past the text ends with it */
    past = (struct vns_span){both[1].off, SIZE_MAX};
    g.shown = &past;
    s = one_snippet(&f, &g);
    assert_non_null(strstr(s, "ở đầu"));
    free(s);
    g.shown = both;
    g.nshown = 2;
    assert_int_equal(
        vns_snippets_make(an, f.text, f.len, &f.q, 2, 300, &g, &sn, &nsn, NULL),
        VNS_OK);
    assert_int_equal(nsn, 0);
    free(sn);
    fixture_fini(&f);
}

/* A snippet opens at the sentence that holds its first match when that
 * starts close enough, else a little before the match. */
static void test_sentence_start(void **state)
{
    static const struct {
        const char *text, *want; /* what the snippet starts with */
    } cases[] = {
        {"Các lớp học trực tiếp từ ngày 05/12 cho cơ bản xong. Sở Giáo dục "
         "và Đào tạo rà soát nắm chắc số liệu học sinh lớp 6 chưa được tiêm "
         "vắc xin do chưa tròn tháng tuổi.",
         "Sở Giáo dục"},
        /* the sentence opens too far back (over 150 bytes) */
        {"Một câu ngắn. Sở Giáo dục và Đào tạo rà soát nắm chắc số liệu học "
         "sinh các lớp 6, lớp 7, lớp 8 và lớp 9 ở các huyện miền núi, vùng "
         "sâu, vùng xa và các xã đảo chưa được tiêm vắc xin do chưa tròn "
         "tháng tuổi.",
         "vùng sâu, vùng xa"},
    };
    const char *qs = "tiêm";
    struct vns_query q;

    (void)state;
    assert_int_equal(vns_query_parse(an, qs, strlen(qs), &q, NULL), VNS_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_snippet *sn = NULL;
        size_t nsn = 0;
        assert_int_equal(vns_snippets_make(an, cases[i].text,
                                           strlen(cases[i].text), &q, 1, 300,
                                           NULL, &sn, &nsn, NULL),
                         VNS_OK);
        assert_int_equal(nsn, 1);
        if (strncmp(sn[0].text, cases[i].want, strlen(cases[i].want)) != 0)
            fail_msg("case %zu: snippet \"%s\"", i, sn[0].text);
        assert_int_equal(sn[0].nhl, 1);
        vns_snippet_fini(&sn[0]);
        free(sn);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokmap_roundtrip),
        cmocka_unit_test(test_tokmap_damaged),
        cmocka_unit_test(test_guide_leads),
        cmocka_unit_test(test_guide_ignored),
        cmocka_unit_test(test_shown_left_out),
        cmocka_unit_test(test_sentence_start),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
