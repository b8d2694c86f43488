/* The JSON API without HTTP: parameter checks and parsing, percent
 * decoding, tokens, statuses, error JSON, and responses on a small index. */
#define _XOPEN_SOURCE 700 /* nftw, to clean the temporary folder */

#include "vnsearch/api.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char dir[] = "/tmp/vns-test-api-XXXXXX";
static char file[4200];
static struct vns_index *ix;

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static const char notice[] =
    "TỈNH ỦY NINH THUẬN\n"
    "Phan Rang - Tháp Chàm, ngày 29 tháng 11 năm 2021\n"
    "THÔNG BÁO KẾT LUẬN\n"
    "Tiêm mũi 2 cho người dân trước ngày 15/12/2021.\n";

/* One file indexed as "tb/a.txt" (an id with a slash), one text. */
static int setup(void **state)
{
    struct vns_err err = {0};
    FILE *f;

    (void)state;
    /* tests run from the top folder: the vocabularies are in data/ */
    if (setenv("VNSEARCH_DATA_DIR", "data", 0) != 0 || mkdtemp(dir) == NULL)
        return -1;
    snprintf(file, sizeof(file), "%s/a.txt", dir);
    f = fopen(file, "w");
    if (f == NULL || fputs(notice, f) < 0 || fclose(f) != 0)
        return -1;
    snprintf(file + strlen(dir), sizeof(file) - strlen(dir), "/db");
    if (vns_index_open(file, VNS_INDEX_WRITE, &ix, &err) != VNS_OK)
        return -1;
    snprintf(file, sizeof(file), "%s/a.txt", dir);
    if (vns_index_add_file(ix, file, "tb/a.txt", NULL, NULL, &err) != VNS_OK ||
        vns_index_add_text(ix, "b", "Covid", "Phòng chống covid.", 21, NULL,
                           &err) != VNS_OK)
        return -1;
    vns_index_close(ix);
    snprintf(file, sizeof(file), "%s/db", dir);
    if (vns_index_open(file, VNS_INDEX_READ, &ix, &err) != VNS_OK)
        return -1;
    snprintf(file, sizeof(file), "%s/a.txt", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vns_index_close(ix);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

/* Parameters from "k=v&k2=v2" (no decoding; values point into buf). */
static size_t params(char *buf, struct vns_param *p, size_t cap)
{
    size_t n = 0;

    for (char *s = strtok(buf, "&"); s && n < cap; s = strtok(NULL, "&")) {
        char *eq = strchr(s, '=');
        if (eq != NULL)
            *eq = '\0';
        p[n] = (struct vns_param){s, strlen(s), eq ? eq + 1 : NULL,
                                  eq ? strlen(eq + 1) : 0};
        n++;
    }
    return n;
}

static void test_text_ok(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        int ok;
    } cases[] = {
        {"tiêm mũi 2", 12, 1},
        {"", 0, 1},
        {"a\0b", 3, 0},             /* NUL */
        {"\xff", 1, 0},             /* never UTF-8 */
        {"\xc0\xaf", 2, 0},         /* overlong "/" */
        {"\xe0\x80\xaf", 3, 0},     /* overlong, 3 bytes */
        {"\xed\xa0\x80", 3, 0},     /* a UTF-16 surrogate */
        {"\xf4\x90\x80\x80", 4, 0}, /* past U+10FFFF */
        {"\xc3", 1, 0},             /* cut short */
        {"\xf0\x9f\x98\x80", 4, 1}, /* an emoji */
    };

    (void)state;
    for (size_t i = 0; i < N(cases); i++)
        assert_int_equal(vns_api_text_ok(cases[i].s, cases[i].len),
                         cases[i].ok);
}

static void test_unescape(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"ti%C3%AAm", "tiêm"}, {"a%2Fb", "a/b"},   {"100%", "100%"},
        {"%zz", "%zz"},        {"%4", "%4"},       {"a+b", "a+b"},
        {"%00", "\xc0"},       {"%e1%BB%A7", "ủ"},
    };
    char buf[64];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        strcpy(buf, cases[i].in);
        assert_int_equal(vns_api_unescape(buf), strlen(cases[i].out));
        assert_string_equal(buf, cases[i].out);
    }
    strcpy(buf, "a%00b");
    vns_api_unescape(buf);
    assert_false(vns_api_text_ok(buf, strlen(buf)));
}

static void test_parse_search(void **state)
{
    static const struct {
        const char *query;
        int rc;
        size_t offset, limit;
    } cases[] = {
        {"q=covid", VNS_OK, 0, 10},
        {"q=covid&page=3&size=20", VNS_OK, 40, 20},
        {"q=covid&size=100", VNS_OK, 0, 100},
        {"province=ninh thuan", VNS_OK, 0, 10},
        {"q=covid&province=&body=&sort=relevance", VNS_OK, 0, 10},
        {"q=covid&has_deadline=on&facets=0", VNS_OK, 0, 10},
        {"q=covid&size=101", VNS_EINVAL, 0, 0},
        {"q=covid&size=0", VNS_EINVAL, 0, 0},
        {"q=covid&page=0", VNS_EINVAL, 0, 0},
        {"q=covid&page=-1", VNS_EINVAL, 0, 0},
        {"q=covid&page=2x", VNS_EINVAL, 0, 0},
        {"q=covid&page=99999999999999999999999", VNS_EINVAL, 0, 0},
        {"q=covid&page=101&size=100", VNS_EINVAL, 0, 0},
        {"q=covid&sort=name", VNS_EINVAL, 0, 0},
        {"q=covid&has_deadline=maybe", VNS_EINVAL, 0, 0},
        {"q=covid&qq=1", VNS_EINVAL, 0, 0},
        {"q=covid&q=tiem", VNS_EINVAL, 0, 0},
        {"q=co\xffvid", VNS_EBADDATA, 0, 0},
        {"q\xff=covid", VNS_EBADDATA, 0, 0},
    };
    struct vns_param p[16];
    struct vns_api_search s;
    struct vns_err err;
    char buf[256];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        size_t n;
        strcpy(buf, cases[i].query);
        n = params(buf, p, N(p));
        vns_err_clear(&err);
        assert_int_equal(vns_api_parse_search(p, n, &s, &err), cases[i].rc);
        if (cases[i].rc != VNS_OK) {
            assert_true(err.msg[0] != '\0');
            continue;
        }
        assert_int_equal(s.opts.offset, cases[i].offset);
        assert_int_equal(s.opts.limit, cases[i].limit);
    }
    strcpy(buf, "q=covid&province=Tr\xc3\xa0 Vinh&sort=date&has_deadline=1"
                "&from=2021-12-01&facets=0");
    assert_int_equal(vns_api_parse_search(p, params(buf, p, N(p)), &s, &err),
                     VNS_OK);
    assert_string_equal(s.q, "covid");
    assert_string_equal(s.opts.province, "Trà Vinh");
    assert_string_equal(s.opts.date_from, "2021-12-01");
    assert_int_equal(s.opts.sort, VNS_SORT_DATE);
    assert_int_equal(s.opts.has_deadline, 1);
    assert_int_equal(s.opts.facets, 0);
}

static void test_parse_nul_and_long(void **state)
{
    char q[VNS_MAX_QUERY + 2];
    struct vns_param p = {"q", 1, "a\0b", 3};
    struct vns_api_search s;
    struct vns_err err;

    (void)state;
    assert_int_equal(vns_api_parse_search(&p, 1, &s, &err), VNS_EBADDATA);
    memset(q, 'a', sizeof(q) - 1);
    q[sizeof(q) - 1] = '\0';
    p = (struct vns_param){"q", 1, q, strlen(q)};
    assert_int_equal(vns_api_parse_search(&p, 1, &s, &err), VNS_ETOOBIG);
}

static void test_bearer(void **state)
{
    static const struct {
        const char *header;
        int ok;
    } cases[] = {
        {"Bearer s3cr3t", 1},
        {"bearer s3cr3t", 1},
        {"Bearer  s3cr3t ", 1},
        {"Bearer s3cr3", 0},
        {"Bearer s3cr3tt", 0},
        {"Bearer S3CR3T", 0},
        {"Basic s3cr3t", 0},
        {"s3cr3t", 0},
        {"Bearer ", 0},
        {"", 0},
        {NULL, 0},
    };

    (void)state;
    for (size_t i = 0; i < N(cases); i++)
        assert_int_equal(vns_api_bearer_ok(cases[i].header, "s3cr3t", 6),
                         cases[i].ok);
    assert_false(vns_api_bearer_ok("Bearer ", "", 0));
}

static void test_status(void **state)
{
    static const struct {
        int code, status;
    } cases[] = {
        {VNS_OK, 200},        {VNS_EINVAL, 400},    {VNS_EQUERY, 400},
        {VNS_EBADDATA, 400},  {VNS_ENOTFOUND, 404}, {VNS_ETOOBIG, 413},
        {VNS_EBUSY, 503},     {VNS_EINDEX, 500},    {VNS_ENOMEM, 500},
        {VNS_EINTERNAL, 500}, {VNS_EIO, 500},
    };

    (void)state;
    for (size_t i = 0; i < N(cases); i++)
        assert_int_equal(vns_api_status(cases[i].code), cases[i].status);
}

/* json_loads of text, and the string at key. */
static const char *field(json_t **o, const char *text, const char *key)
{
    *o = json_loads(text, 0, NULL);
    assert_non_null(*o);
    return json_string_value(json_object_get(*o, key));
}

static void test_error_json(void **state)
{
    static const struct {
        int status;
        const char *msg, *error, *want;
    } cases[] = {
        {400, "unknown province \"X\"", "bad_request",
         "unknown province \"X\""},
        {404, "nope", "not_found", "nope"},
        {413, "too long", "too_large", "too long"},
        {503, "busy", "unavailable", "busy"},
        /* internals stay in the log */
        {500, "/var/db: damaged", "internal",
         "internal error; the server log has the details"},
        /* a message cut inside "ậ" loses the broken bytes only */
        {400, "Thu\xe1\xba", "bad_request", "Thu"},
        {400, "a\xffz", "bad_request", "az"},
    };
    json_t *o;

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        char *s = vns_api_error_json(cases[i].status, cases[i].msg);
        assert_non_null(s);
        assert_string_equal(field(&o, s, "message"), cases[i].want);
        assert_string_equal(json_string_value(json_object_get(o, "error")),
                            cases[i].error);
        json_decref(o);
        free(s);
    }
}

static void test_describe(void **state)
{
    json_t *o = json_loads(vns_api_describe(), 0, NULL);

    (void)state;
    assert_non_null(o);
    assert_true(json_array_size(json_object_get(o, "endpoints")) >= 5);
    json_decref(o);
}

static void test_search(void **state)
{
    char buf[64] = "q=tiem mui&size=5";
    struct vns_param p[4];
    struct vns_err err = {0};
    json_t *o, *hit;
    char *out = NULL;

    (void)state;
    assert_int_equal(vns_api_search(ix, p, params(buf, p, N(p)), 0, &out, &err),
                     VNS_OK);
    o = json_loads(out, 0, NULL);
    assert_non_null(o);
    assert_int_equal(json_integer_value(json_object_get(o, "total")), 1);
    assert_true(json_is_boolean(json_object_get(o, "total_exact")));
    assert_true(json_is_number(json_object_get(o, "took_ms")));
    assert_non_null(json_object_get(json_object_get(o, "facets"), "province"));
    hit = json_array_get(json_object_get(o, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(hit, "id")),
                        "tb/a.txt");
    assert_non_null(json_object_get(hit, "snippets"));
    json_decref(o);
    free(out);

    strcpy(buf, "q=covid&province=Ninh Thuann");
    out = NULL;
    assert_int_equal(vns_api_search(ix, p, params(buf, p, N(p)), 0, &out, &err),
                     VNS_EQUERY);
    assert_null(out);
    assert_non_null(strstr(err.msg, "did you mean Ninh Thuận"));
}

static void test_doc(void **state)
{
    struct vns_err err = {0};
    json_t *o;
    char *out = NULL;

    (void)state;
    assert_int_equal(vns_api_doc(ix, "tb/a.txt", 8, &out, &err), VNS_OK);
    assert_string_equal(field(&o, out, "id"), "tb/a.txt");
    assert_string_equal(json_string_value(json_object_get(o, "filename")),
                        "a.txt");
    assert_non_null(
        strstr(json_string_value(json_object_get(o, "text")), "Tiêm mũi 2"));
    /* the server's folders stay private */
    assert_null(strstr(out, dir));
    json_decref(o);
    free(out);
    assert_int_equal(vns_api_doc(ix, "nope", 4, &out, &err), VNS_ENOTFOUND);
    assert_int_equal(vns_api_doc(ix, "a\xff", 2, &out, &err), VNS_EBADDATA);
    assert_int_equal(vns_api_doc(ix, "", 0, &out, &err), VNS_ENOTFOUND);
}

static void test_raw(void **state)
{
    struct vns_api_file f = {.fd = -1};
    struct vns_err err = {0};
    char got[sizeof(notice)];

    (void)state;
    assert_int_equal(vns_api_raw(ix, "tb/a.txt", 8, &f, &err), VNS_OK);
    assert_int_equal(f.size, strlen(notice));
    assert_int_equal(read(f.fd, got, sizeof(got)), (ssize_t)strlen(notice));
    assert_memory_equal(got, notice, strlen(notice));
    assert_string_equal(f.mime, "text/plain; charset=utf-8");
    assert_non_null(strstr(f.filename, "filename=\"a.txt\""));
    vns_api_file_fini(&f);
    assert_int_equal(f.fd, -1);
    /* text added without a file has no original */
    assert_int_equal(vns_api_raw(ix, "b", 1, &f, &err), VNS_ENOTFOUND);
    assert_int_equal(unlink(file), 0);
    assert_int_equal(vns_api_raw(ix, "tb/a.txt", 8, &f, &err), VNS_ENOTFOUND);
}

static void test_suggest(void **state)
{
    char buf[32] = "q=tiem";
    struct vns_param p[4];
    struct vns_err err = {0};
    json_t *o, *first;
    char *out = NULL;

    (void)state;
    assert_int_equal(vns_api_suggest(ix, p, params(buf, p, N(p)), &out, &err),
                     VNS_OK);
    o = json_loads(out, 0, NULL);
    first = json_array_get(json_object_get(o, "suggestions"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "text")),
                        "tiêm");
    assert_int_equal(json_integer_value(json_object_get(first, "count")), 1);
    json_decref(o);
    free(out);
    strcpy(buf, "x=tiem");
    assert_int_equal(vns_api_suggest(ix, p, params(buf, p, N(p)), &out, &err),
                     VNS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_ok),
        cmocka_unit_test(test_unescape),
        cmocka_unit_test(test_parse_search),
        cmocka_unit_test(test_parse_nul_and_long),
        cmocka_unit_test(test_bearer),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_error_json),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_doc),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_raw), /* last: it removes the file */
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
