/* Unit tests for lib/docrec.c: a record's value holds the record,
 * metadata, checkpoints, text and words and reads back whole; an older
 * record (the JSON alone, the rest in value slots) still reads; damaged
 * parts are an index error, never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docrec.h"
#include "index_impl.h"
#include "rerank.h"
#include "textpack.h"
#include "xapian.h"

static char dir[] = "/tmp/vns-docrec-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    char cmd[64];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char text[] =
    "THÔNG BÁO KẾT LUẬN\nSở Y tế hoàn thành tiêm mũi 2 trước ngày "
    "15/12/2021.\nỦy ban nhân dân các huyện phối hợp thực hiện.\n";
static const char meta[] = "{\"province\":\"Bắc Giang\",\"deadlines\":[]}";
static const char tokmap[] = {1, 16, 0, 40};
static const char words[] = {1, 1, 3, 'x', 'y', 'z', 2, 1, 1};

/* Write doc under idterm and open the index for reading. */
static struct vns_xdb *write_one(const char *idterm, struct vns_xdoc *doc,
                                 uint32_t *docid)
{
    struct vns_xdb *w = NULL, *r = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_xdb_open(dir, VNS_XDB_WRITE, &w, &err), VNS_OK);
    assert_int_equal(vns_xdb_replace(w, idterm, doc, docid, &err), VNS_OK);
    assert_int_equal(vns_xdb_commit(w, &err), VNS_OK);
    vns_xdb_close(w);
    vns_xdoc_free(doc);
    assert_int_equal(vns_xdb_open(dir, VNS_XDB_READ, &r, &err), VNS_OK);
    return r;
}

static void test_whole_record(void **state)
{
    struct vns_docrec in = {.id = "a/1.txt",
                            .title = "Thông báo",
                            .format = "text",
                            .path = "/srv/a/1.txt",
                            .text = (char *)text,
                            .text_len = sizeof(text) - 1,
                            .meta = (char *)meta,
                            .tokmap = (char *)tokmap,
                            .tokmap_len = sizeof(tokmap),
                            .words = words,
                            .words_len = sizeof(words)};
    struct vns_parts pt;
    struct vns_docrec out = {0};
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};
    struct vns_xdb *r;
    uint32_t docid = 0;
    char *v = NULL;
    size_t vl = 0;

    (void)state;
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_docrec_store(&in, NULL, doc, &err), VNS_OK);
    r = write_one("Qa/1.txt", doc, &docid);
    /* with the metadata: the parts come in one value, the text packed */
    assert_int_equal(vns_docrec_read(r, docid, VNS_REC_META, &out, &err),
                     VNS_OK);
    assert_true(out.whole);
    assert_string_equal(out.id, "a/1.txt");
    assert_string_equal(out.title, "Thông báo");
    assert_string_equal(out.path, "/srv/a/1.txt");
    assert_string_equal(out.meta, meta);
    assert_int_equal(out.tokmap_len, sizeof(tokmap));
    assert_memory_equal(out.tokmap, tokmap, sizeof(tokmap));
    assert_null(out.text);
    assert_int_equal(vns_docrec_read_text(r, docid, &out, &err), VNS_OK);
    assert_int_equal(out.text_len, sizeof(text) - 1);
    assert_string_equal(out.text, text);
    assert_int_equal(vns_docrec_read_tokmap(r, docid, &out, &err), VNS_OK);
    assert_memory_equal(out.tokmap, tokmap, sizeof(tokmap));
    vns_docrec_fini(&out);
    /* the value alone: record, words and all (what the re-rank hands on) */
    assert_int_equal(vns_xdb_get_value(r, docid, VNS_SLOT_SHOWN, &v, &vl, &err),
                     VNS_OK);
    assert_int_equal(vns_parts_split(v, vl, &pt, &err), VNS_OK);
    assert_int_equal(pt.len[VNS_PART_WORDS], sizeof(words));
    assert_memory_equal(pt.p[VNS_PART_WORDS], words, sizeof(words));
    assert_int_equal(vns_docrec_parts(v, vl, &out, &err), VNS_OK);
    assert_string_equal(out.id, "a/1.txt");
    assert_string_equal(out.title, "Thông báo");
    assert_string_equal(out.meta, meta);
    vns_docrec_fini(&out);
    free(v);
    v = NULL;
    /* the record alone reads the text on demand, from the parts */
    assert_int_equal(vns_docrec_read(r, docid, 0, &out, &err), VNS_OK);
    assert_false(out.whole);
    assert_int_equal(vns_docrec_read_text(r, docid, &out, &err), VNS_OK);
    assert_true(out.whole);
    assert_string_equal(out.text, text);
    vns_docrec_fini(&out);
    /* nothing in the value slots of old */
    assert_int_equal(vns_xdb_get_value(r, docid, VNS_SLOT_META, &v, &vl, &err),
                     VNS_OK);
    assert_int_equal(vl, 0);
    free(v);
    vns_xdb_close(r);
}

/* A record written before the parts: JSON data, the rest in slots. */
static void test_older_record(void **state)
{
    static const char json[] = "{\"id\":\"b/2.txt\",\"title\":\"T\","
                               "\"format\":\"text\",\"path\":\"\"}";
    struct vns_docrec out = {0};
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};
    struct vns_xdb *r;
    uint32_t docid = 0;
    char *z = NULL;
    size_t zl = 0;

    (void)state;
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_set_data(doc, json, sizeof(json) - 1, &err),
                     VNS_OK);
    assert_int_equal(vns_text_pack(text, sizeof(text) - 1, &z, &zl, &err),
                     VNS_OK);
    assert_int_equal(vns_xdoc_set_value(doc, VNS_SLOT_TEXT, z, zl, &err),
                     VNS_OK);
    assert_int_equal(
        vns_xdoc_set_value(doc, VNS_SLOT_META, meta, sizeof(meta) - 1, &err),
        VNS_OK);
    assert_int_equal(
        vns_xdoc_set_value(doc, VNS_SLOT_TOKMAP, tokmap, sizeof(tokmap), &err),
        VNS_OK);
    free(z);
    r = write_one("Qb/2.txt", doc, &docid);
    assert_int_equal(
        vns_docrec_read(r, docid, VNS_REC_META | VNS_REC_TEXT, &out, &err),
        VNS_OK);
    assert_false(out.whole);
    assert_string_equal(out.id, "b/2.txt");
    assert_string_equal(out.meta, meta);
    assert_string_equal(out.text, text);
    assert_null(out.tokmap);
    assert_int_equal(vns_docrec_read_tokmap(r, docid, &out, &err), VNS_OK);
    assert_int_equal(out.tokmap_len, sizeof(tokmap));
    assert_memory_equal(out.tokmap, tokmap, sizeof(tokmap));
    vns_docrec_fini(&out);
    vns_xdb_close(r);
}

/* A value cut inside a part, a length that runs past its end, an unknown
 * layout and a part twice are VNS_EINDEX; a cut between parts is a value
 * with fewer; a part this vnsearch does not know is passed over; the
 * empty value is an older document. */
static void test_damaged_parts(void **state)
{
    char v[64];
    size_t n = 0, full, bounds[4], nb = 0;
    struct vns_docrec out = {0};
    struct vns_err err = {0};
    struct vns_parts pt;

    (void)state;
    v[n++] = VNS_PARTS_V1;
    bounds[nb++] = n;
    v[n++] = 'm', v[n++] = 2, v[n++] = '{', v[n++] = '}';
    bounds[nb++] = n;
    v[n++] = 'x', v[n++] = 1, v[n++] = '?'; /* a part of a later vnsearch */
    bounds[nb++] = n;
    v[n++] = 't', v[n++] = 3, v[n++] = 'a', v[n++] = 'b', v[n++] = 'c';
    bounds[nb++] = n;
    full = n;
    assert_int_equal(vns_docrec_parts(v, full, &out, &err), VNS_OK);
    assert_true(out.whole);
    assert_null(out.id); /* no record among them */
    assert_string_equal(out.meta, "{}");
    assert_null(out.tokmap);
    assert_int_equal(out.packed_len, 3);
    assert_int_equal(vns_docrec_read_text(NULL, 1, &out, &err), VNS_OK);
    assert_string_equal(out.text, "abc");
    vns_docrec_fini(&out);
    assert_int_equal(vns_docrec_parts(v, 0, &out, &err), VNS_OK);
    assert_false(out.whole);
    assert_true(out.older);
    vns_docrec_fini(&out);
    for (size_t cut = 1; cut < full; cut++) {
        int between = 0;
        for (size_t b = 0; b < nb; b++)
            between |= cut == bounds[b];
        assert_int_equal(vns_parts_split(v, cut, &pt, &err),
                         between ? VNS_OK : VNS_EINDEX);
    }
    v[full - 4] = 0x7f; /* the text's length past the end */
    assert_int_equal(vns_parts_split(v, full, &pt, &err), VNS_EINDEX);
    assert_null(pt.p[VNS_PART_META]);
    v[full - 4] = 3;
    v[0] = 9; /* a layout this vnsearch does not know */
    assert_int_equal(vns_docrec_parts(v, full, &out, &err), VNS_EINDEX);
    assert_non_null(strstr(err.msg, "--check"));
    vns_docrec_fini(&out);
    v[0] = VNS_PARTS_V1;
    memcpy(v + full, "m\0", 2); /* the metadata again */
    assert_int_equal(vns_parts_split(v, full + 2, &pt, &err), VNS_EINDEX);
}

/* A damaged value: the re-rank finds none of the words but goes on,
 * and hands the value on; the hit's record then says it is damaged. */
static void test_damaged_in_rerank(void **state)
{
    static const char bad[] = {VNS_PARTS_V1, 'w', 0x7f, 1, 2};
    const char *const seq[] = {"tiem", "mui", "hai"};
    struct vns_checked found = {0};
    struct vns_docrec rec = {0};
    struct vns_xdoc *doc = NULL;
    struct vns_err err = {0};
    struct vns_xdb *r;
    uint32_t docid = 0;
    size_t al = 9;

    (void)state;
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_set_data(doc, "{\"id\":\"d\"}", 10, &err),
                     VNS_OK);
    assert_int_equal(
        vns_xdoc_set_value(doc, VNS_SLOT_SHOWN, bad, sizeof(bad), &err),
        VNS_OK);
    r = write_one("Qd", doc, &docid);
    assert_int_equal(vns_rerank_aligned(r, docid, seq, 3, &al, &found, &err),
                     VNS_OK);
    assert_int_equal(al, 0);
    assert_non_null(found.shown);
    assert_int_equal(vns_docrec_parts(found.shown, found.shown_len, &rec, &err),
                     VNS_EINDEX);
    assert_non_null(strstr(err.msg, "--check"));
    vns_docrec_fini(&rec);
    vns_checked_fini(&found);
    vns_xdb_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_record),
        cmocka_unit_test(test_older_record),
        cmocka_unit_test(test_damaged_parts),
        cmocka_unit_test(test_damaged_in_rerank),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
