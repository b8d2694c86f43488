/* Unit tests for the libmagic detector (lib/detect.c): types and charsets
 * from bytes, never from names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "detect.h"

static int setup(void **state)
{
    struct vns_detector *d = NULL;

    if (vns_detector_new(&d, NULL) != VNS_OK)
        return -1;
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    vns_detector_free(*state);
    return 0;
}

static void test_sniff(void **state)
{
    static const struct {
        const char *data;
        size_t len; /* 0: strlen */
        const char *type, *charset;
    } cases[] = {
        {"Thông báo kết luận của Tỉnh ủy.\n", 0, "text/plain", "utf-8"},
        {"Xin chao\n", 0, "text/plain", "us-ascii"},
        {"Th\xF4ng b\xE1o\n", 0, "text/plain", "iso-8859-1"},
        {"<!DOCTYPE html><html><body><p>Chào</p></body></html>", 0, "text/html",
         "utf-8"},
        {"%PDF-1.4\n1 0 obj\n", 0, "application/pdf", "us-ascii"},
        {"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16, "image/png", "binary"},
        {"\x1F\x8B\x08\0\0\0\0\0\0\x03", 10, "application/gzip", "binary"},
        {"GIF89a\x01\0\x01\0\x80\0\0", 13, "image/gif", "binary"},
        {"\0\1\2\3\xFF\xFE\0\0", 8, "application/octet-stream", "binary"},
        {"", 0, "application/x-empty", "binary"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_mime mt;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].data);

        assert_int_equal(
            vns_detector_sniff(*state, cases[i].data, len, &mt, NULL), VNS_OK);
        assert_string_equal(mt.type, cases[i].type);
        assert_string_equal(mt.charset, cases[i].charset);
    }
}

/* Only the first megabyte is looked at: a big text stays text, fast. */
static void test_sniff_big(void **state)
{
    size_t n = 32u << 20;
    char *buf = malloc(n);
    struct vns_mime mt;

    assert_non_null(buf);
    for (size_t i = 0; i < n; i++)
        buf[i] = "Thong bao ket luan\n"[i % 19];
    assert_int_equal(vns_detector_sniff(*state, buf, n, &mt, NULL), VNS_OK);
    assert_string_equal(mt.type, "text/plain");
    assert_string_equal(mt.charset, "us-ascii");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_sniff_big),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
