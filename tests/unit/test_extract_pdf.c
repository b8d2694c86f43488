/* Unit tests for PDF (lib/extract_pdf.c through pdftotext): the repaired
 * text of a known PDF, and scans, encrypted and corrupt files refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "extract_formats.h"

static int setup(void **state)
{
    struct vns_extractor *ex = NULL;
    struct vns_err err = {0};

    if (vns_extractor_new(&ex, &err) != VNS_OK) {
        fprintf(stderr, "extractor: %s\n", err.msg);
        return -1;
    }
    *state = ex;
    return 0;
}

static int teardown(void **state)
{
    vns_extractor_free(*state);
    return 0;
}

static bool has_line(const char *text, const char *want)
{
    size_t k = strlen(want);

    for (const char *p = text; *p != '\0';) {
        size_t n = strcspn(p, "\n");

        if (n == k && memcmp(p, want, k) == 0)
            return true;
        p += n + (p[n] == '\n');
    }
    return false;
}

/* tests/files/good/notice.pdf: two pages laid out by make-fixtures. */
static void test_text(void **state)
{
    static const char *const lines[] = {
        /* three wrapped lines make one paragraph */
        "Ngày 04/8/2021, Ủy ban nhân dân tỉnh họp nghe báo cáo tình hình dịch "
        "bệnh trên địa bàn huyện Hải Lăng và thành phố Đông Hà. Sau khi nghe "
        "các sở, ngành báo cáo, đồng chí Chủ tịch Ủy ban nhân dân tỉnh kết "
        "luận như sau:",
        /* a list item across the page break, the page number gone */
        "1. Sở Y tế chủ trì, phối hợp với các địa phương tiêm vắc xin cho "
        "người từ 18 tuổi trở lên, hoàn thành trước ngày 30/9/2021 theo kế "
        "hoạch của tỉnh.",
        "2. Công an tỉnh bảo đảm an ninh trật tự tại các khu cách ly tập "
        "trung.",
        "THÔNG BÁO",
        "Kết luận về công tác phòng, chống dịch Covid-19",
    };
    struct vns_text t = {0};
    struct vns_err err = {0};

    if (vns_extract_file(*state, "tests/files/good/notice.pdf", &t, &err) !=
        VNS_OK)
        fail_msg("%s", err.msg);
    assert_string_equal(t.format, "pdf");
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
        if (!has_line(t.text, lines[i]))
            fail_msg("no line \"%s\" in:\n%s", lines[i], t.text);
    assert_false(has_line(t.text, "1"));
    /* -layout keeps the header's two columns side by side */
    assert_non_null(strstr(t.text, "ỦY BAN NHÂN DÂN"));
    assert_non_null(strstr(t.text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert_string_equal(
        t.title, "THÔNG BÁO Kết luận về công tác phòng, chống dịch Covid-19");
    vns_text_fini(&t);
}

static void test_refused(void **state)
{
    static const struct {
        const char *path;
        int code;
        const char *msg;
    } cases[] = {
        {"tests/files/bad/scanned.pdf", VNS_EUNSUPPORTED,
         "tests/files/bad/scanned.pdf: no text layer (scanned?)"},
        {"tests/files/bad/encrypted.pdf", VNS_EUNSUPPORTED,
         "tests/files/bad/encrypted.pdf: PDF is encrypted"},
        {"tests/files/bad/corrupt.pdf", VNS_EBADDATA,
         "tests/files/bad/corrupt.pdf: PDF cannot be read: Couldn't read "
         "xref table"},
        {"tests/files/bad/header.pdf", VNS_EBADDATA,
         "tests/files/bad/header.pdf: PDF cannot be read: Couldn't read "
         "xref table"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_text t = {.len = 42};
        struct vns_err err = {0};

        assert_int_equal(vns_extract_file(*state, cases[i].path, &t, &err),
                         cases[i].code);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(t.len, 42); /* untouched on failure */
        assert_null(t.text);
    }
}

/* Straight to the extractor: what a blank page or a half file gives. */
static void test_blobs(void **state)
{
    static const char blank[] =
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\n"
        "endobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    static const struct {
        const char *data;
        size_t len;
        int code;
        const char *msg;
    } cases[] = {
        /* no xref at all: poppler rebuilds it, finds one empty page */
        {blank, sizeof(blank) - 1, VNS_EUNSUPPORTED,
         "no text layer (scanned?)"},
        {"%PDF-1.7\n", 9, VNS_EBADDATA,
         "PDF cannot be read: Couldn't read xref table"},
    };
    char *out = NULL;
    size_t outlen = 0;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_err err = {0};

        assert_int_equal(vns_pdf_extract(cases[i].data, cases[i].len, &out,
                                         &outlen, NULL, &err),
                         cases[i].code);
        assert_string_equal(err.msg, cases[i].msg);
        assert_null(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_blobs),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
