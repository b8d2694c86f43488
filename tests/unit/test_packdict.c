/* Packing dictionaries (textpack.h, packdict.h). Alone: a dictionary
 * trained on notices packs a notice far smaller, and a part packed with
 * it unpacks only once it is registered; one id never stands for two
 * dictionaries; damaged bytes are an index error. In an index: 60
 * notices written by a writer that learns from its first 30
 * (VNSEARCH_PACK_TRAIN) keep their dictionaries in the metadata, every
 * notice's text and JSON are packed with them (the first 30 packed
 * again; the words in order stay as they are), the stored records are those of
 * an index that never learnt, searches answer the same (hits, scores, snippets,
 * metadata, deadlines), and the records take far less room. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "docrec.h"
#include "index_impl.h"
#include "packdict.h"
#include "textpack.h"
#include "vnsearch/index.h"
#include "vnsearch/maintain.h"
#include "vnsearch/search.h"

#define NDOCS 60 /* the writer learns from the first 30 */

static const char *const lines[] = {
    "Sở Y tế chủ trì, phối hợp với UBND các huyện triển khai tiêm mũi 2 "
    "cho người dân, hoàn thành trước ngày %d/12/2021.",
    "Công an tỉnh tăng cường truy vết F0, khoanh vùng ổ dịch tại xã %s.",
    "Sở Giáo dục và Đào tạo hướng dẫn các trường học tổ chức dạy học trực "
    "tuyến, báo cáo kết quả trước ngày %d/01/2022.",
    "Ủy ban nhân dân huyện %s chỉ đạo các lực lượng chức năng kiểm soát "
    "chặt chẽ người ra vào địa bàn.",
    "Giao Sở Tài chính tham mưu bố trí kinh phí mua sắm trang thiết bị y "
    "tế, sinh phẩm xét nghiệm.",
    "Văn phòng UBND tỉnh thông báo để các cơ quan, đơn vị, địa phương biết, "
    "thực hiện.",
};
static const char *const places[] = {"Lạng Giang", "Yên Dũng", "Tân Yên",
                                     "Hiệp Hòa",   "Lục Nam",  "Sơn Động"};

/* Notice d: a heading, then 60 of the lines above, chosen and filled by
 * d (formulaic, as notices are). */
static char *notice(int d, size_t *len)
{
    size_t cap = 16384, n = 0;
    char *t = malloc(cap);

    assert_non_null(t);
    n += (size_t)snprintf(t + n, cap - n,
                          "THÔNG BÁO Kết luận của Chủ tịch UBND tỉnh tại cuộc "
                          "họp số %d về công tác phòng, chống dịch\n",
                          d);
    for (int i = 0; i < 60; i++) {
        int k = (d * 7 + i * 3) % 6;
        char line[512];
        if (k == 0 || k == 2)
            snprintf(line, sizeof(line), lines[k], (d + i) % 28 + 1);
        else if (k == 1 || k == 3)
            snprintf(line, sizeof(line), lines[k], places[(d + i) % 6]);
        else
            snprintf(line, sizeof(line), "%s", lines[k]);
        n += (size_t)snprintf(t + n, cap - n, "%s\n", line);
    }
    *len = n;
    return t;
}

static char packed_dir[] = "/tmp/vns-test-pack-XXXXXX";
static char plain_dir[] = "/tmp/vns-test-plain-XXXXXX";

static int build(const char *dir, const char *train)
{
    struct vns_index *w = NULL;
    struct vns_err err = {0};
    char id[16];
    int rc;

    if (train != NULL)
        setenv("VNSEARCH_PACK_TRAIN", train, 1);
    else
        unsetenv("VNSEARCH_PACK_TRAIN");
    rc = vns_index_open(dir, VNS_INDEX_WRITE, &w, &err);
    for (int d = 0; d < NDOCS && rc == VNS_OK; d++) {
        size_t len;
        char *t = notice(d, &len);
        snprintf(id, sizeof(id), "tb-%02d", d);
        rc = vns_index_add_text(w, id, NULL, t, len, NULL, &err);
        free(t);
        if (rc == VNS_OK && d == NDOCS / 2)
            rc = vns_index_commit(w, &err); /* a commit on the way */
    }
    if (rc == VNS_OK)
        rc = vns_index_commit(w, &err);
    vns_index_close(w);
    unsetenv("VNSEARCH_PACK_TRAIN");
    if (rc != VNS_OK)
        fprintf(stderr, "build %s: %s\n", dir, err.msg);
    return rc;
}

static int setup(void **state)
{
    (void)state;
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 ||
        mkdtemp(packed_dir) == NULL || mkdtemp(plain_dir) == NULL)
        return -1;
    if (build(packed_dir, "30") != VNS_OK || build(plain_dir, NULL) != VNS_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[256];

    (void)state;
    if (getenv("KEEP"))
        return 0;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", packed_dir, plain_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The samples of kind TEXT: NDOCS notices. */
static void samples(char **buf, size_t **sizes, size_t n)
{
    size_t total = 0;

    *buf = NULL;
    *sizes = malloc(n * sizeof(size_t));
    assert_non_null(*sizes);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *t = notice((int)i + 100, &len);
        *buf = realloc(*buf, total + len);
        assert_non_null(*buf);
        memcpy(*buf + total, t, len);
        total += len;
        (*sizes)[i] = len;
        free(t);
    }
}

static void test_dictionary_alone(void **state)
{
    char *buf, *dict = NULL, *z = NULL, *plain = NULL, *back, *t;
    size_t *sizes, dlen = 0, zlen = 0, plen = 0, len, blen;
    struct vns_packdicts *pd = NULL;
    const char *dk[VNS_PACK_KINDS] = {0};
    size_t dl[VNS_PACK_KINDS] = {0};
    struct vns_err err = {0};
    uint32_t id;

    (void)state;
    samples(&buf, &sizes, 40);
    assert_int_equal(
        vns_pack_train(VNS_PACK_TEXT, buf, sizes, 40, &dict, &dlen, &err),
        VNS_OK);
    assert_non_null(dict);
    id = vns_pack_dict_id(dict, dlen);
    assert_true(id != 0);
    dk[VNS_PACK_TEXT] = dict;
    dl[VNS_PACK_TEXT] = dlen;
    assert_int_equal(vns_packdicts_new(dk, dl, &pd, &err), VNS_OK);
    assert_int_equal(vns_packdicts_id(pd, VNS_PACK_TEXT), id);
    assert_int_equal(vns_packdicts_id(pd, VNS_PACK_JSON), 0);

    t = notice(7, &len); /* not among the samples */
    assert_int_equal(vns_pack(pd, VNS_PACK_TEXT, t, len, &z, &zlen, &err),
                     VNS_OK);
    assert_int_equal(vns_text_pack(t, len, &plain, &plen, &err), VNS_OK);
    assert_true(vns_is_packed(z, zlen));
    assert_true(zlen * 2 < plen); /* the dictionary halves it at least */

    /* not registered yet: an index error naming the dictionary */
    back = malloc(zlen + 1);
    assert_non_null(back);
    memcpy(back, z, zlen);
    blen = zlen;
    assert_int_equal(vns_unpack(&back, &blen, &err), VNS_EINDEX);
    assert_non_null(strstr(err.msg, "dictionary"));
    assert_int_equal(vns_pack_register(dict, dlen, &err), VNS_OK);
    assert_int_equal(vns_pack_register(dict, dlen, &err), VNS_OK); /* again */
    assert_int_equal(vns_unpack(&back, &blen, &err), VNS_OK);
    assert_int_equal(blen, len);
    assert_memory_equal(back, t, len);
    free(back);

    /* another dictionary under the same id: refused */
    dict[dlen - 1] ^= 0x55;
    assert_int_equal(vns_pack_dict_id(dict, dlen), id);
    assert_int_equal(vns_pack_register(dict, dlen, &err), VNS_EINDEX);
    /* bytes that are no dictionary */
    assert_int_equal(vns_pack_register("not a dictionary", 16, &err),
                     VNS_EINDEX);

    /* JSON without a dictionary stays as it is */
    vns_packdicts_free(pd);
    free(z);
    z = NULL;
    assert_int_equal(
        vns_pack(NULL, VNS_PACK_JSON, "{\"a\":1}", 7, &z, &zlen, &err), VNS_OK);
    assert_int_equal(zlen, 7);
    assert_memory_equal(z, "{\"a\":1}", 7);

    /* too little to learn from: no dictionary, no error */
    free(dict);
    dict = NULL;
    assert_int_equal(
        vns_pack_train(VNS_PACK_TEXT, buf, sizes, 2, &dict, &dlen, &err),
        VNS_OK);
    assert_null(dict);
    free(z);
    free(plain);
    free(t);
    free(buf);
    free(sizes);
}

static int count_dict(const char *key, size_t len, uint64_t tf, void *ctx)
{
    char kind = key[strlen(VNS_PACK_KEY)];

    (void)len;
    (void)tf;
    ((unsigned *)ctx)[kind == 't' ? 0 : kind == 'j' ? 1 : 2]++;
    return 0;
}

struct firsts {
    struct vns_xdb *db;
    uint32_t id[3];
};

static int first_ids(const char *key, size_t len, uint64_t tf, void *ctx)
{
    struct firsts *f = ctx;
    char kind = key[strlen(VNS_PACK_KEY)], *v = NULL;
    size_t n = 0;
    int k = kind == 't' ? 0 : kind == 'j' ? 1 : 2;

    (void)len;
    (void)tf;
    assert_int_equal(vns_xdb_get_metadata_bytes(f->db, key, &v, &n, NULL),
                     VNS_OK);
    f->id[k] = vns_pack_dict_id(v, n);
    free(v);
    return 0;
}

static void test_index_keeps_and_uses_them(void **state)
{
    struct vns_index *ix = NULL, *px = NULL;
    struct vns_err err = {0};
    unsigned kinds[3] = {0}, none[3] = {0};
    struct firsts f = {0};
    uint64_t shown = 0, plain_shown = 0;

    (void)state;
    assert_int_equal(vns_index_open(packed_dir, VNS_INDEX_READ, &ix, &err),
                     VNS_OK);
    assert_int_equal(vns_index_open(plain_dir, VNS_INDEX_READ, &px, &err),
                     VNS_OK);
    assert_int_equal(
        vns_xdb_metadata_keys(ix->db, VNS_PACK_KEY, count_dict, kinds, &err),
        VNS_OK);
    assert_int_equal(kinds[0], 1); /* text */
    assert_int_equal(kinds[1], 1); /* JSON */
    assert_int_equal(kinds[2], 0); /* no other */
    assert_int_equal(
        vns_xdb_metadata_keys(px->db, VNS_PACK_KEY, count_dict, none, &err),
        VNS_OK);
    assert_int_equal(none[0] + none[1] + none[2], 0);
    f.db = ix->db;
    assert_int_equal(
        vns_xdb_metadata_keys(ix->db, VNS_PACK_KEY, first_ids, &f, &err),
        VNS_OK);

    for (uint32_t d = 1; d <= NDOCS; d++) {
        char *v = NULL, *pv = NULL;
        size_t vl = 0, pvl = 0;
        struct vns_parts pt;
        assert_int_equal(
            vns_xdb_get_value(ix->db, d, VNS_SLOT_SHOWN, &v, &vl, &err),
            VNS_OK);
        assert_int_equal(
            vns_xdb_get_value(px->db, d, VNS_SLOT_SHOWN, &pv, &pvl, &err),
            VNS_OK);
        assert_int_equal(vns_parts_split(v, vl, &pt, &err), VNS_OK);
        /* the first TRAIN packed again, the rest packed as written */
        assert_int_equal(
            vns_packed_dict(pt.p[VNS_PART_TEXT], pt.len[VNS_PART_TEXT]),
            f.id[0]);
        assert_int_equal(
            vns_packed_dict(pt.p[VNS_PART_META], pt.len[VNS_PART_META]),
            f.id[1]);
        assert_int_equal(
            vns_packed_dict(pt.p[VNS_PART_RECORD], pt.len[VNS_PART_RECORD]),
            f.id[1]);
        assert_false(
            vns_is_packed(pt.p[VNS_PART_WORDS], pt.len[VNS_PART_WORDS]));
        shown += vl;
        plain_shown += pvl;
        free(v);
        free(pv);
    }
    /* formulaic notices: the records take far less room */
    assert_true(shown * 2 < plain_shown);

    /* every record reads back as the one never packed with them */
    for (int d = 0; d < NDOCS; d++) {
        struct vns_doc a = {0}, b = {0};
        char id[16];
        snprintf(id, sizeof(id), "tb-%02d", d);
        assert_int_equal(vns_index_doc(ix, id, &a, &err), VNS_OK);
        assert_int_equal(vns_index_doc(px, id, &b, &err), VNS_OK);
        assert_string_equal(a.title, b.title);
        assert_int_equal(a.text_len, b.text_len);
        assert_memory_equal(a.text, b.text, a.text_len);
        assert_string_equal(a.meta, b.meta);
        vns_doc_fini(&a);
        vns_doc_fini(&b);
    }
    vns_index_close(ix);
    vns_index_close(px);
}

static void test_same_answers(void **state)
{
    static const char *const queries[] = {
        "tiêm mũi 2",          "truy vet F0 Lang Giang",
        "tiem mui 2 deadline", "\"dạy học trực tuyến\"",
        "kinh phí -trường",    "Yen Dung"};
    struct vns_index *ix = NULL, *px = NULL;
    struct vns_err err = {0};
    struct vns_search_opts o = {.limit = 20, .facets = 1};

    (void)state;
    assert_int_equal(vns_index_open(packed_dir, VNS_INDEX_READ, &ix, &err),
                     VNS_OK);
    assert_int_equal(vns_index_open(plain_dir, VNS_INDEX_READ, &px, &err),
                     VNS_OK);
    for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
        struct vns_results a = {0}, b = {0};
        assert_int_equal(
            vns_search(ix, queries[q], strlen(queries[q]), &o, &a, &err),
            VNS_OK);
        assert_int_equal(
            vns_search(px, queries[q], strlen(queries[q]), &o, &b, &err),
            VNS_OK);
        assert_true(a.n > 0);
        assert_int_equal(a.n, b.n);
        for (size_t i = 0; i < a.n; i++) {
            char *ja = vns_hit_json(&a.hits[i]), *jb = vns_hit_json(&b.hits[i]);
            assert_non_null(ja);
            assert_non_null(jb);
            assert_string_equal(ja, jb); /* id, score, snippets, deadlines */
            free(ja);
            free(jb);
        }
        char *fa = vns_results_facets_json(&a),
             *fb = vns_results_facets_json(&b);
        assert_string_equal(fa, fb);
        free(fa);
        free(fb);
        vns_results_fini(&a);
        vns_results_fini(&b);
    }
    vns_index_close(ix);
    vns_index_close(px);
}

/* Under the sanitizers (build-debug): Xapian 1.4.22's own check
 * (Database::check, which vns_index_check runs first) deletes a table
 * cursor through a pointer to its base class, a size mismatch ASan
 * reports in Xapian, not here. */
__attribute__((visibility("default"))) const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "new_delete_type_mismatch=0";
}

static void note(int fault, const char *line, void *ctx)
{
    if (fault && strstr(line, "vnsearch.dict.t00000001") != NULL)
        ++*(int *)ctx;
}

static void test_damaged_dictionary(void **state)
{
    char dir[] = "/tmp/vns-test-baddict-XXXXXX", cmd[128];
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    struct vns_doc d = {0};
    uint64_t faults = 0;
    int named = 0;
    size_t len;
    char *t = notice(3, &len);

    (void)state;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err), VNS_OK);
    assert_int_equal(vns_index_add_text(ix, "tb-1", NULL, t, len, NULL, &err),
                     VNS_OK);
    assert_int_equal(
        vns_xdb_set_metadata_bytes(ix->db, VNS_PACK_KEY "t00000001",
                                   "\x37\xa4\x30\xec\x01", 5, &err),
        VNS_OK);
    assert_int_equal(vns_index_commit(ix, &err), VNS_OK);
    vns_index_close(ix);

    /* the index opens and reads; the dictionary is named as damaged */
    assert_int_equal(vns_index_open(dir, VNS_INDEX_READ, &ix, &err), VNS_OK);
    assert_int_equal(vns_index_doc(ix, "tb-1", &d, &err), VNS_OK);
    assert_non_null(strstr(d.text, "THÔNG BÁO Kết luận"));
    vns_doc_fini(&d);
    assert_int_equal(vns_packdict_register_db(ix->db, &err), VNS_EINDEX);
    assert_non_null(strstr(err.msg, "vnsearch.dict.t00000001"));
    vns_index_close(ix);
    /* a writer too, packing without it */
    assert_int_equal(vns_index_open(dir, VNS_INDEX_WRITE, &ix, &err), VNS_OK);
    assert_null(vns_packdict_of(ix, 0));
    vns_index_close(ix);
    assert_int_equal(vns_index_check(dir, note, &named, &faults, &err), VNS_OK);
    assert_true(faults >= 1);
    assert_int_equal(named, 1);
    free(t);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dictionary_alone),
        cmocka_unit_test(test_index_keeps_and_uses_them),
        cmocka_unit_test(test_same_answers),
        cmocka_unit_test(test_damaged_dictionary),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
