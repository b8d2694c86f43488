/* Unit tests for lib/meta_json.c and lib/manifest.c: dates, overrides
 * checked and made canonical, manifests and sidecars. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazetteer.h"
#include "meta.h"
#include "meta_json.h"
#include "vnsearch/manifest.h"

struct fixture {
    struct vns_gaz *gz;
    struct vns_bodies *bodies;
    char dir[64];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    assert_int_equal(vns_gaz_open("data/gazetteer.tsv", &f->gz, NULL), VNS_OK);
    assert_int_equal(vns_bodies_open("data/bodies.tsv", &f->bodies, NULL),
                     VNS_OK);
    strcpy(f->dir, "/tmp/vns-meta-json-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
    vns_gaz_free(f->gz);
    vns_bodies_free(f->bodies);
    free(f);
    return 0;
}

static void test_dates(void **state)
{
    static const struct {
        const char *in, *want; /* want NULL: refused */
    } cases[] = {
        {"2021-12-05", "2021-12-05"},
        {"5/12/2021", "2021-12-05"},
        {"05-12-2021", "2021-12-05"},
        {"05.12.2021", "2021-12-05"},
        {"29/02/2024", "2024-02-29"},
        {"29/02/2023", NULL},
        {"31/04/2021", NULL},
        {"2021-13-01", NULL},
        {"5/12/21", NULL},
        {"", NULL},
        {"2021-12-05x", NULL},
        {"05/12-2021", NULL},
        {"99/99/9999", NULL},
    };
    char iso[11];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = vns_date_parse(cases[i].in, iso);
        if (cases[i].want == NULL) {
            if (rc == 0)
                fail_msg("%s: accepted as %s", cases[i].in, iso);
        } else {
            assert_int_equal(rc, 0);
            assert_string_equal(iso, cases[i].want);
        }
    }
}

/* Overrides replace fields, canonical; bad ones are refused whole. */
static void test_override(void **state)
{
    static const struct {
        const char *over;
        const char *key, *want; /* after merging; want NULL: refused */
        const char *msg;        /* part of the error */
    } cases[] = {
        {"{\"province\": \"tra vinh\"}", "province", "Trà Vinh", NULL},
        {"{\"province\": \"tra vinh\"}", "province_2025", "Vĩnh Long", NULL},
        {"{\"province\": \"Quảng Bình\"}", "province_2025", "Quảng Trị", NULL},
        {"{\"province_2025\": \"khanh hoa\"}", "province_2025", "Khánh Hòa",
         NULL},
        {"{\"date\": \"2/12/2021\"}", "date", "2021-12-02", NULL},
        {"{\"number\": \"135-TB/TU\"}", "number", "135-TB/TU", NULL},
        {"{\"issuing_body\": \"UBND tỉnh\"}", "issuing_body",
         "Ủy ban nhân dân tỉnh", NULL},
        {"{\"province\": \"Ninh Thuann\"}", "province", NULL,
         "did you mean Ninh Thuận?"},
        {"{\"provnce\": \"Trà Vinh\"}", "province", NULL, "unknown field"},
        {"{\"date\": \"hôm qua\"}", "date", NULL, "not a date"},
        {"{\"number\": 12}", "number", NULL, "non-empty string"},
        {"{\"deadlines\": \"x\"}", "deadlines", NULL, "not a list"},
        {"[1]", "province", NULL, "not a JSON object"},
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *meta = json_pack("{s:s, s:s}", "province", "Ninh Thuận", "date",
                                 "2021-11-29");
        json_t *over = json_loads(cases[i].over, 0, NULL);
        struct vns_err err = {0};
        int rc = vns_meta_override(meta, over, f->gz, f->bodies, "x.meta.json",
                                   &err);
        if (cases[i].want != NULL) {
            if (rc != VNS_OK)
                fail_msg("%s: %s", cases[i].over, err.msg);
            assert_string_equal(
                json_string_value(json_object_get(meta, cases[i].key)),
                cases[i].want);
            assert_true(json_array_size(json_object_get(meta, "overridden")) >
                        0);
        } else {
            assert_int_equal(rc, VNS_EINVAL);
            if (strstr(err.msg, cases[i].msg) == NULL ||
                strstr(err.msg, "x.meta.json") == NULL)
                fail_msg("%s: message \"%s\"", cases[i].over, err.msg);
            /* refused whole: the extracted values stay */
            assert_string_equal(
                json_string_value(json_object_get(meta, "province")),
                "Ninh Thuận");
            assert_null(json_object_get(meta, "overridden"));
        }
        json_decref(meta);
        json_decref(over);
    }
}

static void test_deadline_override(void **state)
{
    struct fixture *f = *state;
    json_t *meta = json_object();
    json_t *over = json_loads(
        "{\"deadlines\": [\"15/12/2021\", {\"date\": \"2021-12-31\", "
        "\"text\": \"Hoàn thành\"}]}",
        0, NULL);
    json_t *dl;

    assert_int_equal(
        vns_meta_override(meta, over, f->gz, f->bodies, "m.csv", NULL), VNS_OK);
    dl = json_object_get(meta, "deadlines");
    assert_int_equal(json_array_size(dl), 2);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(dl, 0), "date")),
        "2021-12-15");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(dl, 1), "text")),
        "Hoàn thành");
    json_decref(meta);
    json_decref(over);
}

static void write_file(const char *path, const char *s)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(s, fp);
    fclose(fp);
}

static void test_manifest(void **state)
{
    static const struct {
        const char *content;
        const char *id, *want; /* overrides for id; want NULL: none */
        const char *err;       /* error part; NULL: opens */
    } cases[] = {
        {"id,province,date\na.txt,Trà Vinh,02/12/2021\n\"b, c.txt\",\"Huế\","
         "\n",
         "a.txt",
         "{\"id\": \"a.txt\", \"province\": \"Trà Vinh\", \"date\": "
         "\"02/12/2021\"}",
         NULL},
        {"id,province\r\n\"b, c.txt\",\"Thừa \"\"Thiên\"\" Huế\"\r\n",
         "b, c.txt",
         "{\"id\": \"b, c.txt\", \"province\": \"Thừa \\\"Thiên\\\" Huế\"}",
         NULL},
        {"{\"id\": \"a.txt\", \"province\": \"Trà Vinh\"}\n\n{\"id\": "
         "\"d.txt\"}\n",
         "a.txt", "{\"id\": \"a.txt\", \"province\": \"Trà Vinh\"}", NULL},
        {"id,province\na.txt,Trà Vinh\n", "zzz.txt", NULL, NULL},
        {"province,id\nTrà Vinh,a.txt\n", NULL, NULL, ":1: the header"},
        {"id,province\na.txt,Trà Vinh,extra\n", NULL, NULL,
         ":2: 3 fields, the header has 2"},
        {"{\"id\": \"a.txt\"}\n{\"province\": \"x\"}\n", NULL, NULL,
         ":2: no \"id\""},
        {"{\"id\": \"a.txt\"}\n{broken\n", NULL, NULL, ":2: "},
        {"id,province\n\"a.txt,Trà Vinh\n", NULL, NULL, ":2: "},
    };
    struct fixture *f = *state;
    char path[128];

    snprintf(path, sizeof(path), "%s/manifest", f->dir);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_manifest *m = NULL;
        struct vns_err err = {0};
        char *got = NULL;
        write_file(path, cases[i].content);
        int rc = vns_manifest_open(path, &m, &err);
        if (cases[i].err != NULL) {
            assert_int_not_equal(rc, VNS_OK);
            if (strstr(err.msg, cases[i].err) == NULL ||
                strstr(err.msg, path) == NULL)
                fail_msg("case %zu: message \"%s\"", i, err.msg);
            continue;
        }
        if (rc != VNS_OK)
            fail_msg("case %zu: %s", i, err.msg);
        assert_int_equal(vns_overrides_for(m, cases[i].id, NULL, &got, &err),
                         VNS_OK);
        if (cases[i].want == NULL) {
            assert_null(got);
        } else {
            json_t *a = json_loads(got, 0, NULL),
                   *b = json_loads(cases[i].want, 0, NULL);
            if (!json_equal(a, b))
                fail_msg("case %zu: got %s", i, got);
            json_decref(a);
            json_decref(b);
        }
        free(got);
        vns_manifest_free(m);
    }
}

/* A sidecar wins over the manifest, key by key. */
static void test_sidecar(void **state)
{
    struct fixture *f = *state;
    struct vns_manifest *m = NULL;
    char doc[128], side[160], man[128], *got = NULL;
    struct vns_err err = {0};
    json_t *o;

    snprintf(doc, sizeof(doc), "%s/a.txt", f->dir);
    snprintf(side, sizeof(side), "%s.meta.json", doc);
    snprintf(man, sizeof(man), "%s/m.csv", f->dir);
    write_file(man, "id,province,number\na.txt,Huế,12/TB\n");
    write_file(side, "{\"province\": \"Trà Vinh\"}");
    assert_int_equal(vns_manifest_open(man, &m, NULL), VNS_OK);
    assert_int_equal(vns_overrides_for(m, "a.txt", doc, &got, NULL), VNS_OK);
    o = json_loads(got, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(o, "province")),
                        "Trà Vinh");
    assert_string_equal(json_string_value(json_object_get(o, "number")),
                        "12/TB");
    json_decref(o);
    free(got);
    write_file(side, "{\"province\": ");
    assert_int_equal(vns_overrides_for(m, "a.txt", doc, &got, &err),
                     VNS_EINVAL);
    assert_non_null(strstr(err.msg, side));
    vns_manifest_free(m);
    assert_true(vns_is_sidecar("x.txt.meta.json"));
    assert_false(vns_is_sidecar(".meta.json"));
    assert_false(vns_is_sidecar("x.txt"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_override),
        cmocka_unit_test(test_deadline_override),
        cmocka_unit_test(test_manifest),
        cmocka_unit_test(test_sidecar),
    };
    return cmocka_run_group_tests_name("meta_json", tests, setup, teardown);
}
