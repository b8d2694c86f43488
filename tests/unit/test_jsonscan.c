/* Unit tests for lib/jsonscan.c and the hit JSON that uses it: the scan
 * takes the compact JSON jansson writes and refuses what it cannot vouch
 * for; a hit's JSON copied from the metadata is byte for byte the one
 * jansson writes for a stored notice, and reads back equal otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonscan.h"
#include "vnsearch/search.h"

static int members_ok(const char *s)
{
    static const char *const k[] = {"date"};
    struct vns_jspan v[1];

    return vns_jscan_members(s, strlen(s), k, 1, v);
}

static void test_accepts(void **state)
{
    static const char *const ok[] = {
        "{}",
        " { \"date\" : \"2021-12-15\" } ",
        "{\"a\":[1,-2,0,3.25,-0.5,true,false,null,{}],\"b\":{\"c\":[]}}",
        "{\"s\":\"Thông báo \\\"số\\\" 2771\\/QĐ-UBND\\n\\u00e1\"}",
        "{\"n\":123456789012345678}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        assert_true(members_ok(ok[i]));
}

static void test_refuses(void **state)
{
    static const char *const bad[] = {
        "",
        "[]",                          /* not an object */
        "{\"date\":\"a\",}",           /* a trailing comma */
        "{\"date\":\"a\"} x",          /* something after it */
        "{\"n\":1234567890123456789}", /* 19 digits */
        "{\"n\":1e5}",                 /* an exponent */
        "{\"n\":01}",                  /* a leading zero */
        "{\"n\":1.}",                  /* no fraction digits */
        "{\"s\":\"\\u0000\"}",         /* NUL */
        "{\"s\":\"\\ud83d\\ude00\"}",  /* surrogates, even paired */
        "{\"s\":\"\\x\"}",             /* an unknown escape */
        "{\"s\":\"tab\there\"}",       /* a raw control character */
        "{\"s\":\"\xC3\"}",            /* cut UTF-8 */
        "{\"s\":\"\xC0\xAF\"}",        /* overlong */
        "{\"s\":\"\xED\xA0\x80\"}",    /* a surrogate in UTF-8 */
        "{\"d\\u0061te\":\"a\"}",      /* an escaped key */
        "{\"date\" \"a\"}",            /* no colon */
        "{\"t\":tru}",                 /* a cut literal */
    };
    char deep[200];
    size_t n = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(members_ok(bad[i]));
    n += (size_t)snprintf(deep, sizeof(deep), "{\"a\":");
    for (int i = 0; i < 40; i++)
        deep[n++] = '[';
    for (int i = 0; i < 40; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    assert_false(members_ok(deep)); /* nested past 32 */
}

/* The last of a key twice is the one kept, as a decoder keeps it. */
static void test_members(void **state)
{
    static const char *const k[] = {"date", "text", "none"};
    const char *s = "{\"date\":\"a\",\"x\":{\"date\":\"in\"},\"text\":[1,2],"
                    "\"date\":\"b\"}";
    struct vns_jspan v[3];

    (void)state;
    assert_true(vns_jscan_members(s, strlen(s), k, 3, v));
    assert_int_equal(v[0].n, 3);
    assert_memory_equal(v[0].p, "\"b\"", 3);
    assert_int_equal(v[1].n, 5);
    assert_memory_equal(v[1].p, "[1,2]", 5);
    assert_null(v[2].p);
}

static char *hit_with(const char *meta, char **parsed)
{
    static struct vns_highlight hl[2] = {{0, 4}, {5, 3}};
    static char text[] = "tiêm mũi 2 / \"x\"\t";
    static struct vns_snippet sn = {text, sizeof(text) - 1, hl, 2, 1, 0};
    static struct vns_hit_deadline md = {"2021-12-15", "hoàn thành trước"};
    struct vns_hit h = {7,
                        "000/vb-1.txt",
                        "Thông báo \"KL\"",
                        55.400931371420718,
                        &sn,
                        1,
                        (char *)meta,
                        &md,
                        1};

    *parsed = vns_hit_json_parsed(&h);
    return vns_hit_json(&h);
}

static void test_hit_json(void **state)
{
    const char *stored =
        "{\"date\":\"2024-03-18\",\"number\":\"170/SNV-XDCQ\",\"doc_type\":"
        "\"Công văn\",\"province\":\"Hà Nội\",\"signer\":null,"
        "\"deadlines\":[{\"date\":\"2024-03-29\",\"text\":\"Sở Nội vụ "
        "xong.\",\"off\":1232,\"len\":199}],\"recipients\":[\"Như trên\"],"
        "\"ocr\":true,\"ocr_confidence\":87,\"evidence\":{\"date\":\"l9\"}}";
    const char *odd = "{\"deadlines\":[1,{\"date\":2,\"text\":\"t\"}],"
                      "\"subject\":\"a\\/b\",\"ocr_confidence\":-0}";
    char *a, *b;
    json_t *ja, *jb;

    (void)state;
    /* as the indexer stores it: the same bytes */
    a = hit_with(stored, &b);
    assert_non_null(a);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, "\"deadlines\":[{\"date\":\"2024-03-29\","
                              "\"text\":\"Sở Nội vụ xong.\"}]"));
    assert_null(strstr(a, "evidence"));
    free(a);
    free(b);
    /* forms jansson writes otherwise: equal once read */
    a = hit_with(odd, &b);
    ja = json_loads(a, 0, NULL);
    jb = json_loads(b, 0, NULL);
    assert_non_null(ja);
    assert_true(json_equal(ja, jb));
    json_decref(ja);
    json_decref(jb);
    free(a);
    free(b);
    /* damaged metadata: jansson's answer (no fields, no deadlines) */
    a = hit_with("{\"date\":", &b);
    assert_string_equal(a, b);
    assert_null(strstr(a, "\"deadlines\""));
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_refuses),
        cmocka_unit_test(test_members),
        cmocka_unit_test(test_hit_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
