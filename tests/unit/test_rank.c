/* Ranking pieces: pair terms, word order from positions, the snippet's
 * line screen and the folding behind it, on a small index built here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "docrec.h"
#include "fixes.h"
#include "fold.h"
#include "index_impl.h"
#include "rerank.h"
#include "spell.h"
#include "tokmap.h"
#include "vnsearch/analyze.h"
#include "vnsearch/index.h"
#include "vnsearch/search.h"
#include "wordseq.h"

static char dir[] = "/tmp/vns-test-rank-XXXXXX";
static struct vns_index *ix;

/* Four notices sharing words; "order" holds them in the order the tests
 * type them, "pairs" holds each adjacent pair but not the whole run. */
static const struct {
    const char *id, *text;
} docs[] = {
    {"order", "Các huyện khẩn trương tổ chức tiêm mũi 2 cho người dân.\n"},
    {"apart", "Tổ chức tiêm cho người dân trong huyện; mũi 2 và mũi 3 sau "
              "khi khẩn trương rà soát.\n"},
    {"other", "Thông báo kết luận về phòng, chống dịch bệnh.\n"},
    {"pairs", "Tổ chức tiêm.\nTiêm mũi 2 ở xã khẩn trương nhất.\n"},
};

static int setup(void **state)
{
    struct vns_err err = {0};

    (void)state;
    /* tests run from the source tree: data/ holds the gazetteer */
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 || mkdtemp(dir) == NULL)
        return -1;
    if (vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err) != VNS_OK)
        goto fail;
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        if (vns_index_add_text(ix, docs[i].id, NULL, docs[i].text,
                               strlen(docs[i].text), NULL, &err) != VNS_OK)
            goto fail;
    if (vns_index_commit(ix, &err) == VNS_OK)
        return 0;
fail:
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

static uint64_t freq(const char *term)
{
    struct vns_err err = {0};
    uint64_t n = 0;

    assert_int_equal(vns_xdb_termfreq(ix->db, term, strlen(term), &n, &err),
                     VNS_OK);
    return n;
}

/* Adjacent syllables become one folded term; none spans a paragraph. */
static void test_pair_terms(void **state)
{
    (void)state;
    assert_int_equal(freq("Btiem mui"), 2);
    assert_int_equal(freq("Bmui 2"), 3);
    assert_int_equal(freq("Bkhan truong"), 3);
    assert_int_equal(freq("Bchuc tiem"), 3);
    assert_int_equal(freq("Btiem tiem"), 0); /* a line break between */
    /* the exact form of a syllable with diacritics */
    assert_int_equal(freq("Emũi"), 3);
}

static uint32_t docid_of(const char *id)
{
    struct vns_err err = {0};
    char term[64];
    uint32_t did = 0;

    snprintf(term, sizeof(term), "Q%s", id);
    assert_int_equal(vns_xdb_find(ix->db, term, &did, &err), VNS_OK);
    return did;
}

static size_t aligned(const char *id, const char *const *seq, size_t n)
{
    struct vns_err err = {0};
    size_t al = 99;

    assert_int_equal(
        vns_rerank_aligned(ix->db, docid_of(id), seq, n, &al, NULL, &err),
        VNS_OK);
    return al;
}

static int put_pos(uint32_t pos, uint32_t w, void *ctx)
{
    uint32_t *at = ctx;

    (void)w;
    at[++at[0]] = pos;
    return 0;
}

struct expect {
    const char *word;
    uint32_t *at; /* at[0] positions follow */
};

static int expect_token(const struct vns_token *t, void *ctx)
{
    struct expect *e = ctx;

    if (!(t->flags & VNS_TOK_COMPOUND) && strcmp(t->folded, e->word) == 0)
        e->at[++e->at[0]] = t->pos;
    return 0;
}

/* The words' value of document id (indexed from text) gives each of
 * words the positions the analyzer gives its syllables: the re-rank and
 * the snippets see the text as it was analyzed. */
static void expect_words(const char *id, const char *text,
                         const char *const *words, size_t n)
{
    struct vns_analyzer *an = NULL;
    struct vns_err err = {0};
    uint32_t *at = calloc(20001, sizeof(*at)), *want = calloc(20001, 4);
    struct vns_parts pt;
    const char *v;
    char *shown = NULL;
    size_t vl = 0, sl = 0;

    assert_true(at != NULL && want != NULL);
    assert_int_equal(vns_analyzer_new(&an, &err), VNS_OK);
    /* among the parts of the value the re-rank reads */
    assert_int_equal(vns_xdb_get_value(ix->db, docid_of(id), VNS_SLOT_SHOWN,
                                       &shown, &sl, &err),
                     VNS_OK);
    assert_int_equal(vns_parts_split(shown, sl, &pt, &err), VNS_OK);
    v = pt.p[VNS_PART_WORDS];
    vl = pt.len[VNS_PART_WORDS];
    assert_non_null(v);
    assert_true(vl > 0);
    for (size_t i = 0; i < n; i++) {
        struct expect e = {words[i], want};
        at[0] = want[0] = 0;
        assert_int_equal(
            vns_wordseq_find(v, vl, &words[i], 1, 20000, put_pos, at, &err),
            VNS_OK);
        assert_int_equal(
            vns_analyze(an, text, strlen(text), expect_token, &e, &err),
            VNS_OK);
        assert_int_equal(at[0], want[0]);
        for (size_t k = 1; k <= want[0]; k++)
            assert_int_equal(at[k], want[k]);
    }
    vns_analyzer_free(an);
    free(shown);
    free(at);
    free(want);
}

static const char *text_of(const char *id)
{
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
        if (strcmp(docs[i].id, id) == 0)
            return docs[i].text;
    return NULL;
}

/* Compounds ("2771/qd-ubnd") share their first part's position and are
 * not in the words' value; their parts are. The index keeps no position
 * lists: where words stand is the value's. */
static void test_words_value(void **state)
{
    static const char *const w[] = {"tiem", "mui", "2",    "2771",  "qd",
                                    "ubnd", "to",  "chuc", "huyen", "vang"};
    static const char *const text =
        "Quyết định 2771/QĐ-UBND về tổ chức tiêm mũi 2.\n"
        "Huyện tổ chức tiêm mũi 2, mũi 3 theo 135-TB/TU.\n";
    struct vns_err err = {0};
    uint32_t *p = NULL;
    size_t np = 9;

    (void)state;
    expect_words("order", text_of("order"), w, 10);
    expect_words("apart", text_of("apart"), w, 10);
    expect_words("pairs", text_of("pairs"), w, 10);
    assert_int_equal(vns_index_add_text(ix, "compound", NULL, text,
                                        strlen(text), NULL, &err),
                     VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
    expect_words("compound", text, w, 10);
    assert_int_equal(vns_xdb_positions(ix->db, docid_of("compound"), "tiem", 4,
                                       &p, &np, &err),
                     VNS_OK);
    assert_int_equal(np, 0);
    assert_int_equal(vns_index_delete(ix, "compound", &err), VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
}

/* How many query words stand where the typed order puts them. */
static void test_aligned(void **state)
{
    static const char *const q[] = {"to", "chuc", "tiem", "mui", "2"};
    static const char *const typo[] = {"to", "chuc", "tiemm", "mui", "2"};

    (void)state;
    assert_int_equal(aligned("order", q, 5), 5);
    assert_int_equal(aligned("pairs", q, 5), 3);
    assert_int_equal(aligned("apart", q, 5), 3); /* "tổ chức tiêm" */
    assert_int_equal(aligned("other", q, 5), 0);
    /* one misspelled word: the four others still line up */
    assert_int_equal(aligned("order", typo, 5), 4);
}

static char *first_of(const char *q, const struct vns_search_opts *o)
{
    struct vns_results res = {0};
    struct vns_err err = {0};
    char *id;

    assert_int_equal(vns_search(ix, q, strlen(q), o, &res, &err), VNS_OK);
    assert_true(res.n > 0);
    id = strdup(res.hits[0].id);
    vns_results_fini(&res);
    return id;
}

static char *top_id(const char *q)
{
    return first_of(q, NULL);
}

/* The first hit of q is want. */
static void expect_top(const char *q, const char *want)
{
    char *id = top_id(q);

    if (strcmp(id, want) != 0)
        fail_msg("'%s': '%s' first, not '%s'", q, id, want);
    free(id);
}

static void add_all(const char *const *ids, const char *const *texts, size_t n)
{
    struct vns_err err = {0};

    for (size_t i = 0; i < n; i++)
        assert_int_equal(vns_index_add_text(ix, ids[i], NULL, texts[i],
                                            strlen(texts[i]), NULL, &err),
                         VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
}

static void delete_all(const char *const *ids, size_t n)
{
    struct vns_err err = {0};

    for (size_t i = 0; i < n; i++)
        assert_int_equal(vns_index_delete(ix, ids[i], &err), VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
}

/* The words in the order typed outrank the same words apart; a wrong
 * letter in one of them keeps that order. */
static void test_order_ranks_first(void **state)
{
    (void)state;
    expect_top("tổ chức tiêm mũi 2 cho người dân", "order");
    expect_top("to chuc tiemm mui 2 cho nguoi dan", "order");
}

static int holds(const struct vns_results *res, const char *id)
{
    for (size_t i = 0; i < res->n; i++)
        if (strcmp(res->hits[i].id, id) == 0)
            return 1;
    return 0;
}

/* The shim's membership walk: which of a few documents hold a term. */
static void test_holding(void **state)
{
    const char *ids[] = {"order", "apart", "other", "pairs"};
    uint32_t did[4];
    uint8_t has[4];
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < 4; i++) /* written in this order: ascending */
        did[i] = docid_of(ids[i]);
    assert_int_equal(vns_xdb_holding(ix->db, "Bmui 2", 6, did, 4, has, &err),
                     VNS_OK);
    assert_memory_equal(has, ((uint8_t[]){1, 1, 0, 1}), 4);
    assert_int_equal(vns_xdb_holding(ix->db, "Bmui 9", 6, did, 4, has, &err),
                     VNS_OK);
    assert_memory_equal(has, ((uint8_t[]){0, 0, 0, 0}), 4);
    did[3] = did[2] + 1000; /* no such document */
    assert_int_equal(
        vns_xdb_holding(ix->db, "Bthong bao", 10, did, 4, has, &err), VNS_OK);
    assert_memory_equal(has, ((uint8_t[]){0, 0, 1, 0}), 4);
}

/* Word order is read from pair terms first and from positions only for
 * the hits that could be shown: a notice holding every pair in different
 * places does not pass one holding the words in order, even across a
 * paragraph break (no pair there, positions run on), and the first hit
 * is the same however many are asked for. */
static void test_order_from_pairs(void **state)
{
    static const char *const ids[] = {"broken", "scattered", "most"};
    static const char *const texts[] = {
        "Đề nghị Sở Tài chính hoàn\n\nthành chuyển đổi số trong các cơ "
        "quan nhà nước.\n",
        "Hoàn thành chuyển.\nChính hoàn thành.\nTài chính hoàn.\nNghị sở "
        "tài.\nĐề nghị sở.\n",
        "Đề nghị Sở Tài chính hoàn thành báo cáo.\n"};
    static const char *const seq[] = {"de",    "nghi", "so",    "tai",
                                      "chinh", "hoan", "thanh", "chuyen"};
    static const char *const queries[] = {
        "đề nghị sở tài chính hoàn thành chuyển",
        "de nghi so tai chinh hoan thanh chuyen", "sở tài chính hoàn thành",
        "tài chính hoàn thành báo cáo"};
    struct vns_search_opts one = {.limit = 1}, ten = {.limit = 10},
                           shown = {.limit = 10, .snippet_hits = 1};
    char *a, *b, *c;

    (void)state;
    add_all(ids, texts, 3);
    assert_int_equal(freq("Bhoan thanh"), 2); /* not "broken" */
    assert_int_equal(aligned("broken", seq, 8), 8);
    assert_int_equal(aligned("scattered", seq, 8), 3);
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        a = first_of(queries[i], &one);
        b = first_of(queries[i], &ten);
        c = first_of(queries[i], &shown);
        assert_string_equal(a, b);
        assert_string_equal(b, c);
        if (i < 2)
            assert_string_equal(a, "broken");
        free(a);
        free(b);
        free(c);
    }
    delete_all(ids, 3);
}

/* A misspelled word is read as the word one edit away that documents
 * write beside its neighbours, not as the most frequent one ("cxi" after
 * "thành": "cải", not "chi", "coi" or "cui"), and a word some document
 * holds but never beside its neighbours is read so too ("xã nm đà":
 * "nam"). */
static void test_fixes_in_context(void **state)
{
    static const char *const ids[] = {"fix-cai", "fix-f1", "fix-f2", "fix-f3",
                                      "fix-nam", "fix-nm", "fix-xa", "fix-xa2"};
    static const char *const texts[] = {
        "Hoàn thành cải cách hành chính trong năm.\n",
        "Hoàn thành kế hoạch năm.\nChi tiêu, coi sóc, cui cút.\n",
        "Hoàn thành kế hoạch quý.\nChi tiêu, coi sóc, cui cút.\n",
        "Hoàn thành kế hoạch tháng.\nChi tiêu, coi sóc, cui cút.\n",
        "Xã Nam Đà có 12 hộ nghèo.\n",
        "Bước sóng 5 nm.\n",
        "Xã Yên Đà, xã Yên Đà, xã Yên Đà.\n",
        "Xã Hòa Đà, xã Hòa Đà.\n"};

    (void)state;
    add_all(ids, texts, sizeof(ids) / sizeof(ids[0]));
    expect_top("hoàn thành cxi cách", "fix-cai");
    expect_top("hoàn thành cxi", "fix-cai");
    expect_top("xã nm đà", "fix-nam");
    delete_all(ids, sizeof(ids) / sizeof(ids[0]));
}

/* The whole query as typed beats the same sentence with one word changed,
 * even in a notice that holds more of the words. */
static void test_whole_phrase(void **state)
{
    static const char *const ids[] = {"whole", "near"};
    static const char *const texts[] = {
        "Đến ngày 30/01/2025: Hoàn thành hỗ trợ người dân bị thiệt "
        "hại do bão, lũ khôi phục sản xuất.\nCác sở, ban, ngành và "
        "địa phương phối hợp chặt chẽ trong quá trình triển khai, "
        "kịp thời phản ánh khó khăn, vướng mắc. Các đơn vị báo cáo "
        "kết quả thực hiện về Văn phòng để tổng hợp, theo dõi và đôn "
        "đốc. Các đơn vị báo cáo kết quả thực hiện về Văn phòng để "
        "tổng hợp, theo dõi và đôn đốc. Các đơn vị báo cáo kết quả "
        "thực hiện về Văn phòng để tổng hợp, theo dõi và đôn đốc.\n",
        "Đến ngày 19/01/2025: Hoàn thành hỗ trợ người dân bị thiệt "
        "hại do bão, lũ khôi phục sản xuất.\nĐến ngày 30/01/2025: "
        "Hoàn thành tái cấu trúc quy trình.\nHoàn thành hỗ trợ người "
        "dân vùng lũ.\nHỗ trợ người dân đến ngày 30/01/2025.\n"};

    (void)state;
    add_all(ids, texts, 2);
    expect_top("đến ngày 30/01/2025 hoàn thành hỗ trợ người", "whole");
    expect_top("ĐẾN NGÀY 30/01/2025 HOÀN THÀNH HỖ TRỢ NGƯỜI", "whole");
    delete_all(ids, 2);
}

/* The ids a query finds, sorted, joined by spaces. */
static void found_ids(const char *q, char *out, size_t cap)
{
    struct vns_results res = {0};
    struct vns_err err = {0};
    const char *ids[16];
    size_t n = 0, len = 0;

    assert_int_equal(vns_search(ix, q, strlen(q), NULL, &res, &err), VNS_OK);
    for (size_t i = 0; i < res.n && n < 16; i++)
        ids[n++] = res.hits[i].id;
    for (size_t i = 1; i < n; i++) /* insertion: a handful */
        for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            const char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "",
                                ids[i]);
    vns_results_fini(&res);
}

/* A quoted phrase matches its words side by side in one paragraph, from
 * the pair terms (no positions are kept): "apart" holds the words but not
 * together, "pairs" holds "tổ chức tiêm" and "tiêm mũi" in two lines. */
static void test_quoted_phrase(void **state)
{
    char got[256];

    (void)state;
    found_ids("\"tiêm mũi 2\"", got, sizeof(got));
    assert_string_equal(got, "order pairs");
    found_ids("\"khẩn trương tổ chức\"", got, sizeof(got));
    assert_string_equal(got, "order");
    found_ids("\"chức tiêm cho\"", got, sizeof(got));
    assert_string_equal(got, "apart");
    found_ids("\"tiêm tiêm\"", got, sizeof(got)); /* across a line break */
    assert_string_equal(got, "");
    found_ids("tiêm -\"tiêm mũi\"", got, sizeof(got));
    assert_string_equal(got, "apart");
    /* three words or more: the pairs may stand apart ("pairs"); the
     * phrase as typed comes first */
    found_ids("\"tổ chức tiêm mũi\"", got, sizeof(got));
    assert_string_equal(got, "order pairs");
    char *top = first_of("\"tổ chức tiêm mũi\"", NULL);
    assert_string_equal(top, "order");
    free(top);
}

/* Documents prefix-0 .. prefix-(n - 1), each fmt with its number, added
 * (and committed by the caller) or, with add 0, deleted and committed. */
static void fillers(const char *prefix, const char *fmt, int n, int add)
{
    struct vns_err err = {0};
    char id[32], text[128];

    for (int i = 0; i < n; i++) {
        snprintf(id, sizeof(id), "%s-%d", prefix, i);
        if (!add) {
            assert_int_equal(vns_index_delete(ix, id, &err), VNS_OK);
            continue;
        }
        snprintf(text, sizeof(text), fmt, i);
        assert_int_equal(
            vns_index_add_text(ix, id, NULL, text, strlen(text), NULL, &err),
            VNS_OK);
    }
    if (!add)
        assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
}

/* In an index of 100 notices or more, words in more than half of them
 * count only beside their neighbours in a query of three words or more;
 * a query that finds nothing so finds them alone. */
static void test_common_words(void **state)
{
    static const char side[] = "khẩn trương tổ chức",
                      apart[] = "trương khẩn chức tổ";
    struct vns_search_opts all = {.limit = 200};
    struct vns_results res = {0};
    struct vns_err err = {0};

    (void)state;
    /* "khẩn trương" and "tổ chức" in all of these, never side by side */
    fillers("filler", "Khẩn trương rà soát hồ sơ số %d.\nTổ chức họp ngay.\n",
            120, 1);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
    assert_int_equal(vns_search(ix, side, strlen(side), NULL, &res, &err),
                     VNS_OK);
    assert_int_equal(res.n, 1); /* only "order" has "trương tổ" */
    assert_string_equal(res.hits[0].id, "order");
    vns_results_fini(&res);
    /* no pair of these is in any notice: every word alone, once more */
    assert_int_equal(vns_search(ix, apart, strlen(apart), &all, &res, &err),
                     VNS_OK);
    assert_int_equal(res.n, 123); /* the fillers, order, apart, pairs */
    assert_true(holds(&res, "order") && holds(&res, "apart") &&
                holds(&res, "pairs"));
    assert_false(holds(&res, "other"));
    vns_results_fini(&res);
    fillers("filler", NULL, 120, 0);
}

/* Document id's score after vns_rerank of qs among the hits, with word k
 * fixed to fix (NULL: no fix); every hit scored 10 by the match. */
static double reranked(const char *qs, size_t k, const char *fix,
                       const char *id, const char *const *ids, size_t n)
{
    struct vns_xhit hits[4] = {0};
    struct vns_xresults xr = {.hits = hits, .n = n};
    struct vns_fixes *fx = calloc(1, sizeof(*fx));
    struct vns_query *q = malloc(sizeof(*q));
    struct vns_ranked order[4];
    struct vns_err err = {0};
    double score = -1;

    assert_true(n <= 4);
    assert_non_null(fx);
    assert_non_null(q);
    for (size_t i = 0; i < n; i++)
        hits[i] = (struct vns_xhit){.docid = docid_of(ids[i]), .score = 10};
    assert_int_equal(vns_query_parse(ix->w.an, qs, strlen(qs), q, &err),
                     VNS_OK);
    if (fix != NULL) {
        fx->n[k] = 1;
        snprintf(fx->e[k][0].word, sizeof(fx->e[k][0].word), "%s", fix);
    }
    assert_int_equal(
        vns_rerank(ix->db, q, NULL, 0, fx, 0, &xr, 0, order, NULL, &err),
        VNS_OK);
    for (size_t r = 0; r < n; r++)
        if (strcmp(ids[order[r].i], id) == 0)
            score = order[r].score;
    free(q);
    free(fx);
    return score;
}

/* A misspelled first word that is itself a word in most notices ("qua"
 * for "quan"): its fix stands in for it in the word order, so the notice
 * holding the fix before the rest comes before a shorter one holding the
 * rest alone. */
static void test_fix_at_edge(void **state)
{
    static const char q7[] = "qua khẩn trương quét mã QR tại";
    static const char *const ids[] = {"edge-fixed", "edge-rest"};
    static const char *const texts[] = {
        "Các đơn vị liên quan khẩn trương quét mã QR tại trụ sở cơ quan.\n",
        "Khẩn trương quét mã QR tại chỗ, quét mã QR tại nhà, khẩn trương.\n"};

    (void)state;
    /* "qua" and "quan" in most notices, never before "khẩn" */
    fillers("qua", "Thông qua báo cáo số %d.\nHồ sơ liên quan.\n", 120, 1);
    add_all(ids, texts, 2); /* commits the fillers too */
    expect_top(q7, "edge-fixed");
    expect_top("khẩn trương quét mã QR tại", "edge-rest"); /* as typed */
    /* the re-rank alone, the two scored alike by the match: a fix at the
     * query's edge counts in the order (half a word: below the phrase as
     * typed); inside it, the words around it already agree */
    double before = reranked(q7, 0, NULL, "edge-fixed", ids, 2),
           fixed = reranked(q7, 0, "quan", "edge-fixed", ids, 2),
           rest = reranked(q7, 0, "quan", "edge-rest", ids, 2);
    assert_true(fixed > before && fixed > rest);
    assert_true(
        reranked("liên qua khẩn trương", 1, "quan", "edge-fixed", ids, 2) ==
        reranked("liên qua khẩn trương", 1, NULL, "edge-fixed", ids, 2));
    delete_all(ids, 2);
    fillers("qua", NULL, 120, 0);
}

/* A sentence whole but for its misspelled first word, which stands
 * there through its fix, counts as the sentence whole: as much as the
 * sentence typed right, more than the sentence with one word changed. */
static void test_fix_whole_sentence(void **state)
{
    static const char typo[] = "Trng tháng 08/2022 Sở Y tế";
    static const char *const ids[] = {"fix-whole", "fix-near"};
    static const char *const texts[] = {
        "Trong tháng 08/2022, Sở Y tế thực hiện tiêm đủ mũi 2.\n",
        "Trong tháng 09/2022, Sở Y tế triển khai tiêm mũi 2.\n"};

    (void)state;
    add_all(ids, texts, 2);
    double whole = reranked(typo, 0, "trong", "fix-whole", ids, 2),
           right = reranked("Trong tháng 08/2022 Sở Y tế", 0, NULL, "fix-whole",
                            ids, 2),
           near = reranked(typo, 0, "trong", "fix-near", ids, 2);
    assert_true(whole == right);
    assert_true(whole > 1.2 * near);
    delete_all(ids, 2);
}

/* A deadline question's cue words ("đến ngày") are left out of its
 * match but count in its word order, half a word each: the notice
 * holding the sentence as typed comes before one holding the other
 * words and a deadline of its own. */
static void test_cue_in_order(void **state)
{
    static const char *const ids[] = {"cue-whole", "cue-rest"};
    static const char *const texts[] = {
        "Các huyện tổ chức lấy mẫu xét nghiệm cho người dân tại khu vực "
        "phong tỏa đến ngày 30/08/2021 thì hoàn thành.\n",
        "Khu vực phong tỏa lấy mẫu xong trước ngày 30/08/2021.\n"};

    (void)state;
    add_all(ids, texts, 2);
    expect_top("khu vực phong toả đến ngày", "cue-whole");
    delete_all(ids, 2);
}

/* A sentence quoted whole, its cue words too ("chậm nhất" at its end),
 * is no deadline question's near miss: it comes before a notice saying
 * the other words twice over, with a deadline of its own. */
static void test_cue_whole_sentence(void **state)
{
    static const char *const ids[] = {"cue-sentence", "cue-often"};
    static const char *const texts[] = {
        "Các cơ quan, doanh nghiệp, cơ sở kinh doanh chậm nhất ngày "
        "07/04/2022 báo cáo kết quả về Ban Chỉ đạo.\n",
        "Quét mã QR tại cơ quan, doanh nghiệp, cơ sở kinh doanh. Lắp mã QR "
        "tại doanh nghiệp, cơ sở kinh doanh; hoàn thành trước ngày "
        "26/11/2021.\n"};

    (void)state;
    add_all(ids, texts, 2);
    expect_top("doanh nghiep co so kinh doanh cham nhat", "cue-sentence");
    delete_all(ids, 2);
}

/* The checkpoints a document's record should hold for a text: where
 * every VNS_TOKMAP_STEP-th token starts. */
struct marks {
    uint32_t off[4096];
    size_t n;
};

static int mark_token(const struct vns_token *t, void *arg)
{
    struct marks *m = arg;

    if (!(t->flags & VNS_TOK_COMPOUND) && t->pos % VNS_TOKMAP_STEP == 0 &&
        m->n < 4096)
        m->off[m->n++] = (uint32_t)t->off;
    return 0;
}

/* The stored checkpoints of document id are where its tokens start. */
static void expect_checkpoints(const char *id, const char *text, size_t len)
{
    struct vns_analyzer *an = NULL;
    struct marks *m = calloc(1, sizeof(*m));
    struct vns_err err = {0};
    struct vns_docrec rec = {0};
    uint32_t *offs = NULL;
    size_t count = 0;
    unsigned step = 0;

    assert_non_null(m);
    assert_int_equal(vns_analyzer_new(&an, &err), VNS_OK);
    assert_int_equal(vns_analyze(an, text, len, mark_token, m, &err), VNS_OK);
    /* with the metadata and text, in the one value a shown hit reads */
    assert_int_equal(
        vns_docrec_read(ix->db, docid_of(id), VNS_REC_META, &rec, &err),
        VNS_OK);
    assert_true(rec.whole);
    assert_non_null(rec.tokmap);
    assert_int_equal(vns_tokmap_read(rec.tokmap, rec.tokmap_len, len, &offs,
                                     &count, &step, &err),
                     VNS_OK);
    assert_int_equal(step, VNS_TOKMAP_STEP);
    assert_true(count > 100);
    assert_int_equal(count, m->n);
    for (size_t k = 0; k < count; k++)
        assert_int_equal(offs[k], m->off[k]);
    free(offs);
    vns_docrec_fini(&rec);
    free(m);
    vns_analyzer_free(an);
}

/* The snippet of a long text shows the line that holds the words, found
 * without analyzing the lines before it. */
static void test_snippet_deep_line(void **state)
{
    struct vns_results res = {0};
    struct vns_err err = {0};
    size_t cap = 64 * 1024, len = 0;
    char *text = malloc(cap);
    const char *q = "giải phóng mặt bằng";

    (void)state;
    assert_non_null(text);
    while (len + 200 < cap - 400)
        len += (size_t)snprintf(text + len, cap - len,
                                "Đoạn %zu nói về việc khác của tỉnh.\n", len);
    len += (size_t)snprintf(text + len, cap - len,
                            "Khẩn trương Giải phóng mặt bằng dự án.\n");
    assert_int_equal(
        vns_index_add_text(ix, "long", "Dài", text, len, NULL, &err), VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
    /* the snippet is led there by the re-rank's positions: the stored
     * text's checkpoints must be its tokens' starts */
    expect_checkpoints("long", text, len);
    {
        static const char *const w[] = {"doan",  "noi", "cua",  "giai",
                                        "phong", "mat", "bang", "khan"};
        expect_words("long", text, w, 8);
    }
    assert_int_equal(vns_search(ix, q, strlen(q), NULL, &res, &err), VNS_OK);
    assert_true(res.n >= 1);
    assert_string_equal(res.hits[0].id, "long");
    assert_true(res.hits[0].nsnippets >= 1);
    assert_non_null(
        strstr(res.hits[0].snippets[0].text, "Giải phóng mặt bằng"));
    assert_true(res.hits[0].snippets[0].nhl >= 1);
    vns_results_fini(&res);
    assert_int_equal(vns_index_delete(ix, "long", &err), VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
    free(text);
}

/* A query that is a document number finds the notice with that number
 * above one citing it, however the number is typed. */
static void test_own_number(void **state)
{
    static const char own[] =
        "ỦY BAN NHÂN DÂN\nTỈNH TRÀ VINH\nSố: 01763/QĐ-UBND\n"
        "Trà Vinh, ngày 26 tháng 11 năm 2021\nQUYẾT ĐỊNH\n"
        "Về việc phê duyệt phương án bảo đảm an toàn.\n";
    static const char cites[] =
        "Thực hiện Quyết định số 1763/QĐ-UBND của Ủy ban nhân dân tỉnh. "
        "Theo Quyết định số 1763/QĐ-UBND, các đơn vị báo cáo.\n";
    static const char *const queries[] = {"1763/QĐ-UBND", "Số: 01763/QD-UBND",
                                          "1763 / qđ-ubnd"};
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(
        vns_index_add_text(ix, "own", NULL, own, strlen(own), NULL, &err),
        VNS_OK);
    assert_int_equal(
        vns_index_add_text(ix, "cites", NULL, cites, strlen(cites), NULL, &err),
        VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        char *id = top_id(queries[i]);
        if (strcmp(id, "own") != 0)
            fail_msg("'%s': '%s' first", queries[i], id);
        free(id);
    }
    assert_int_equal(vns_index_delete(ix, "own", &err), VNS_OK);
    assert_int_equal(vns_index_delete(ix, "cites", &err), VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
}

/* A deep list (a TREC run) names the hits past snippet_hits from the id
 * cache: the same ids, in the same order, as a list of full hits. */
static void test_deep_ids(void **state)
{
    struct vns_search_opts full = {.limit = 10},
                           deep = {.limit = 10, .snippet_hits = 1};
    struct vns_results a = {0}, b = {0};
    struct vns_err err = {0};
    const char *q = "tổ chức tiêm cho người dân";

    (void)state;
    assert_int_equal(vns_search(ix, q, strlen(q), &full, &a, &err), VNS_OK);
    assert_int_equal(vns_search(ix, q, strlen(q), &deep, &b, &err), VNS_OK);
    assert_true(a.n >= 3);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_string_equal(a.hits[i].id, b.hits[i].id);
        assert_true(i == 0 || b.hits[i].meta == NULL);
    }
    vns_results_fini(&a);
    vns_results_fini(&b);
}

/* Equal scores come in id order, not the order the documents were
 * written: the whole run on one page, a page that cuts it, a page after
 * the first. */
static void test_ties_by_id(void **state)
{
    static const struct {
        size_t offset, limit;
        const char *want;
    } pages[] = {{0, 10, "abcde"}, {0, 3, "abc"}, {2, 2, "cd"}, {0, 1, "a"}};
    static const char text[] = "Báo cáo xylophon.\n",
                      *const ids[] = {"tie-c", "tie-a", "tie-e", "tie-b",
                                      "tie-d"}; /* out of id order */
    const char *q = "xylophon";
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(vns_index_add_text(ix, ids[i], NULL, text,
                                            strlen(text), NULL, &err),
                         VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
    for (size_t p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
        struct vns_search_opts o = {.offset = pages[p].offset,
                                    .limit = pages[p].limit};
        struct vns_results res = {0};
        assert_int_equal(vns_search(ix, q, strlen(q), &o, &res, &err), VNS_OK);
        assert_int_equal(res.n, strlen(pages[p].want));
        for (size_t i = 0; i < res.n; i++) {
            char id[8];
            snprintf(id, sizeof(id), "tie-%c", pages[p].want[i]);
            assert_string_equal(res.hits[i].id, id);
            assert_true(res.hits[i].score == res.hits[0].score);
        }
        vns_results_fini(&res);
    }
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(vns_index_delete(ix, ids[i], &err), VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
}

static char *suggestion(const char *q)
{
    struct vns_results res = {0};
    struct vns_err err = {0};
    char *s;

    assert_int_equal(vns_search(ix, q, strlen(q), NULL, &res, &err), VNS_OK);
    s = res.suggestion ? strdup(res.suggestion) : NULL;
    vns_results_fini(&res);
    return s;
}

struct suggested {
    const char *q, *want; /* want NULL: no suggestion */
};

static void expect_suggestions(const struct suggested *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *s = suggestion(cases[i].q);
        if (cases[i].want == NULL) {
            if (s != NULL)
                fail_msg("'%s': suggested '%s'", cases[i].q, s);
        } else {
            if (s == NULL)
                fail_msg("'%s': no suggestion", cases[i].q);
            assert_string_equal(s, cases[i].want);
        }
        free(s);
    }
}

/* "Did you mean" restores diacritics from the written pairs, fixes a
 * wrong tone or letter, keeps the typed capitals, and stays quiet when
 * the query is written as the documents write it. */
static void test_suggestion(void **state)
{
    static const struct suggested cases[] = {
        {"tiem mui 2", "tiêm mũi 2"},
        {"tiêm mủi 2", "tiêm mũi 2"},
        {"tiêm muii 2", "tiêm mũi 2"},
        {"TIEM MUI 2", "TIÊM MŨI 2"},
        {"Khan truong to chuc", "Khẩn trương tổ chức"},
        {"\"tiem mui\" 2", NULL}, /* quoted: as typed */
        {"tiêm mũi 2", NULL},
        {"khẩn trương tổ chức", NULL},
    };

    (void)state;
    expect_suggestions(cases, sizeof(cases) / sizeof(cases[0]));
}

/* A deadline question's cue words, left out of its match, are restored
 * in "Did you mean" with the rest. */
static void test_suggestion_cue_words(void **state)
{
    static const char *const ids[] = {"cue-suggest"};
    static const char *const texts[] = {
        "Các huyện hoàn thành tiêm mũi 2 trước ngày 15/12/2021.\n"};
    char *s;

    (void)state;
    add_all(ids, texts, 1);
    s = suggestion("tiem mui 2 truoc ngay");
    assert_non_null(s);
    assert_string_equal(s, "tiêm mũi 2 trước ngày");
    free(s);
    delete_all(ids, 1);
}

/* Place names from the gazetteer where the index cannot spell them, once
 * a suggestion is made: with their type word, a province before a
 * district of another spelling (Thạnh Hóa, Long An); as the index writes
 * the words where it does ("hai phòng"); not for a place alone. */
static void test_suggestion_places(void **state)
{
    static const char *const ids[] = {"places-suggest"};
    static const char *const texts[] = {
        "Bố trí hai phòng cách ly cho người về từ vùng dịch.\n"};
    static const struct suggested cases[] = {
        {"tiem mui 2 tinh ninh thuan", "tiêm mũi 2 tỉnh Ninh Thuận"},
        {"Tinh Ninh Thuan tiem mui 2", "Tỉnh Ninh Thuận tiêm mũi 2"},
        {"thanh hoa tiem mui 2", "Thanh Hóa tiêm mũi 2"},
        {"tiem mui 2 Ba Ria Vung Tau", "tiêm mũi 2 Bà Rịa Vũng Tàu"},
        {"tiem mui 2 huyen ninh hai", "tiêm mũi 2 huyện Ninh Hải"},
        {"hai phong tiem mui 2", "hai phòng tiêm mũi 2"},
        {"tiêm mũi 2 ninh thuan", NULL},
        /* five long bare words: too long for a place name's buffer */
        {"tiem mui 2 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
         "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb "
         "cccccccccccccccccccccccccccccccccccccccccccccccccc "
         "dddddddddddddddddddddddddddddddddddddddddddddddddd "
         "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
         "tiêm mũi 2 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
         "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb "
         "cccccccccccccccccccccccccccccccccccccccccccccccccc "
         "dddddddddddddddddddddddddddddddddddddddddddddddddd "
         "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"},
    };

    (void)state;
    add_all(ids, texts, 1);
    expect_suggestions(cases, sizeof(cases) / sizeof(cases[0]));
    delete_all(ids, 1);
}

/* A written form is dominant when the index writes its syllable no other
 * way (then the query searches it folded alone). */
static void test_dominant(void **state)
{
    struct vns_spell *sp = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_spell_new(ix->db, &sp, &err), VNS_OK);
    assert_true(vns_spell_dominant(sp, "mui", "mũi"));
    assert_false(vns_spell_dominant(sp, "mui", "mùi")); /* not written so */
    assert_false(vns_spell_dominant(sp, "xyz", "xyz")); /* unknown */
    vns_spell_free(sp);
}

static void test_fold_text(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Tiêm MŨI 2", "tiem mui 2"},
        {"ĐỒNG NAI, Đắk Lắk", "dong nai, dak lak"},
        {"2771/QĐ-UBND", "2771/qd-ubnd"},
        {"Tie\xcc\x82m", "tiem"}, /* combining marks dropped */
        {"x\xff"
         "y",
         "xy"},                 /* invalid bytes dropped */
        {"日本 ok", "日本 ok"}, /* other scripts copied */
        /* runs of eight ASCII bytes: A-Z lowered, @ [ ` { left */
        {"THONG BAO KET LUAN @[`{ AZaz 0123456789 Ban Chỉ Đạo XYZ",
         "thong bao ket luan @[`{ azaz 0123456789 ban chi dao xyz"},
    };
    char out[96];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = vns_fold_text(cases[i].in, strlen(cases[i].in), out);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_terms),
        cmocka_unit_test(test_aligned),
        cmocka_unit_test(test_words_value),
        cmocka_unit_test(test_order_ranks_first),
        cmocka_unit_test(test_holding),
        cmocka_unit_test(test_order_from_pairs),
        cmocka_unit_test(test_fixes_in_context),
        cmocka_unit_test(test_whole_phrase),
        cmocka_unit_test(test_quoted_phrase),
        cmocka_unit_test(test_common_words),
        cmocka_unit_test(test_fix_at_edge),
        cmocka_unit_test(test_fix_whole_sentence),
        cmocka_unit_test(test_cue_in_order),
        cmocka_unit_test(test_cue_whole_sentence),
        cmocka_unit_test(test_snippet_deep_line),
        cmocka_unit_test(test_suggestion),
        cmocka_unit_test(test_suggestion_cue_words),
        cmocka_unit_test(test_suggestion_places),
        cmocka_unit_test(test_own_number),
        cmocka_unit_test(test_deep_ids),
        cmocka_unit_test(test_ties_by_id),
        cmocka_unit_test(test_dominant),
        cmocka_unit_test(test_fold_text),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
