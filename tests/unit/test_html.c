/* HTML escaping: markup in documents and queries comes out as text, the
 * rest (Vietnamese included) byte for byte; a short buffer is refused. */
#include "html.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_escape(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"", ""},
        {"Quảng Trị", "Quảng Trị"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"\"><img src=x onerror=alert(1)>",
         "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"},
        {"a & b 'c'", "a &amp; b &#39;c&#39;"},
        {"&amp;", "&amp;amp;"},
    };
    char out[128];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        size_t len = strlen(cases[i].in);
        assert_int_equal(vns_html_escape(cases[i].in, len, out, sizeof(out)),
                         strlen(cases[i].want));
        assert_string_equal(out, cases[i].want);
        assert_int_equal(vns_html_escaped_len(cases[i].in, len),
                         strlen(cases[i].want));
    }
}

static void test_escape_bytes(void **state)
{
    /* a NUL inside the length is copied, not an end */
    static const char in[] = {'a', '\0', '<'};
    char out[16];

    (void)state;
    assert_int_equal(vns_html_escape(in, sizeof(in), out, sizeof(out)), 6);
    assert_memory_equal(out, "a\0&lt;", 6);
}

static void test_escape_short(void **state)
{
    char out[8] = "xxxxxxx";

    (void)state;
    /* "&lt;" does not fit after "abcd" with its NUL */
    assert_int_equal(vns_html_escape("abcd<", 5, out, 8), (size_t)-1);
    assert_string_equal(out, "");
    assert_int_equal(vns_html_escape("abc", 3, out, 3), (size_t)-1);
    assert_int_equal(vns_html_escape("abc", 3, out, 4), 3);
    assert_int_equal(vns_html_escape("x", 1, out, 0), (size_t)-1);
}

static void test_escape_dup(void **state)
{
    char *s = vns_html_escape_dup("<b>Đà Nẵng</b>", strlen("<b>Đà Nẵng</b>"));

    (void)state;
    assert_non_null(s);
    assert_string_equal(s, "&lt;b&gt;Đà Nẵng&lt;/b&gt;");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_escape_bytes),
        cmocka_unit_test(test_escape_short),
        cmocka_unit_test(test_escape_dup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
