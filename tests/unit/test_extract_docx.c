/* Unit tests for DOCX and ODT (lib/extract_docx.c, lib/zip.c): the text of
 * known packages, and hostile ones refused with a clear reason. */
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
#include "zip.h"

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

/* Lines of the fixtures' text, in order, as tests/files/make-fixtures
 * writes them: the header table a row per line, runs joined, the tab a
 * space, the line break kept. */
static const char *const notice_lines[] = {
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TỈNH QUẢNG TRỊ Độc lập - Tự do - Hạnh phúc",
    "Số: 123/TB-UBND Quảng Trị, ngày 05 tháng 8 năm 2021",
    "THÔNG BÁO",
    "Kết luận về công tác phòng, chống dịch Covid-19",
    "Ngày 04/8/2021, Ủy ban nhân dân tỉnh họp nghe báo cáo tình hình dịch "
    "bệnh trên địa bàn huyện Hải Lăng và thành phố Đông Hà.",
    "1. Sở Y tế chủ trì, phối hợp với các địa phương tiêm vắc xin",
    "cho người từ 18 tuổi trở lên.",
    NULL,
};

static void assert_lines(const char *text, const char *const *want)
{
    const char *p = text;

    for (size_t i = 0; want[i] != NULL; i++) {
        size_t n = strcspn(p, "\n");

        if (n != strlen(want[i]) || memcmp(p, want[i], n) != 0)
            fail_msg("line %zu is \"%.*s\", want \"%s\"", i + 1, (int)n, p,
                     want[i]);
        p += n + (p[n] == '\n');
    }
    assert_string_equal(p, "");
}

static void test_documents(void **state)
{
    static const struct {
        const char *path, *format;
    } cases[] = {
        {"tests/files/good/notice.docx", "docx"},
        {"tests/files/good/notice.odt", "odt"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_text t = {0};
        struct vns_err err = {0};

        if (vns_extract_file(*state, cases[i].path, &t, &err) != VNS_OK)
            fail_msg("%s", err.msg);
        assert_string_equal(t.format, cases[i].format);
        assert_lines(t.text, notice_lines);
        assert_string_equal(
            t.title,
            "THÔNG BÁO Kết luận về công tác phòng, chống dịch Covid-19");
        vns_text_fini(&t);
    }
}

static void test_refused(void **state)
{
    static const struct {
        const char *path;
        int code;
        const char *msg;
    } cases[] = {
        {"tests/files/bad/badxml.docx", VNS_EBADDATA,
         "tests/files/bad/badxml.docx: word/document.xml: invalid XML at "
         "line 1: Opening and ending tag mismatch: t line 1 and p"},
        {"tests/files/bad/bomb.docx", VNS_ETOOBIG,
         "tests/files/bad/bomb.docx: word/document.xml: expands past 64 MiB "
         "(zip bomb?)"},
        {"tests/files/bad/truncated.docx", VNS_EBADDATA,
         "tests/files/bad/truncated.docx: not a zip archive (truncated?)"},
        {"tests/files/bad/archive.zip", VNS_EUNSUPPORTED,
         "tests/files/bad/archive.zip: zip archive holds no DOCX or ODT "
         "document"},
        {"tests/files/bad/legacy.doc", VNS_EUNSUPPORTED,
         "tests/files/bad/legacy.doc: legacy Word .doc (OLE) is not "
         "supported: save it as DOCX or PDF"},
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

/* Cases of XML need a package around them: a one-entry zip, stored
 * (uncompressed), written here byte by byte. */
static size_t put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)(v >> 8);
    return 2;
}

static size_t put32(unsigned char *p, unsigned long v)
{
    put16(p, (unsigned)(v & 0xFFFF));
    put16(p + 2, (unsigned)(v >> 16));
    return 4;
}

static unsigned long crc32_of(const char *s, size_t n)
{
    unsigned long c = 0xFFFFFFFFul;

    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320ul & (0ul - (c & 1)));
    }
    return c ^ 0xFFFFFFFFul;
}

/* One stored entry "word/document.xml" holding xml; returns the size. */
static size_t stored_docx(const char *xml, unsigned char *buf, size_t cap)
{
    static const char name[] = "word/document.xml";
    size_t n = strlen(xml), nl = sizeof(name) - 1, p = 0, cd;
    unsigned long crc = crc32_of(xml, n);

    assert_true(n + 2 * nl + 200 < cap);
    p += put32(buf + p, 0x04034b50ul);
    p += put16(buf + p, 20);
    p += put16(buf + p, 0);
    p += put16(buf + p, 0); /* stored */
    p += put32(buf + p, 0);
    p += put32(buf + p, crc);
    p += put32(buf + p, n);
    p += put32(buf + p, n);
    p += put16(buf + p, (unsigned)nl);
    p += put16(buf + p, 0);
    memcpy(buf + p, name, nl);
    p += nl;
    memcpy(buf + p, xml, n);
    p += n;
    cd = p;
    p += put32(buf + p, 0x02014b50ul);
    p += put16(buf + p, 20);
    p += put16(buf + p, 20);
    p += put16(buf + p, 0);
    p += put16(buf + p, 0);
    p += put32(buf + p, 0);
    p += put32(buf + p, crc);
    p += put32(buf + p, n);
    p += put32(buf + p, n);
    p += put16(buf + p, (unsigned)nl);
    p += put16(buf + p, 0);
    p += put16(buf + p, 0);
    p += put16(buf + p, 0);
    p += put16(buf + p, 0);
    p += put32(buf + p, 0);
    p += put32(buf + p, 0); /* local header at 0 */
    memcpy(buf + p, name, nl);
    p += nl;
    p += put32(buf + p, 0x06054b50ul);
    p += put16(buf + p, 0);
    p += put16(buf + p, 0);
    p += put16(buf + p, 1);
    p += put16(buf + p, 1);
    p += put32(buf + p, p - cd - 12);
    p += put32(buf + p, cd);
    p += put16(buf + p, 0);
    return p;
}

#define DOC_OPEN                                                               \
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"                 \
    "wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats."   \
    "org/markup-compatibility/2006\"><w:body>"
#define DOC_CLOSE "</w:body></w:document>"

static void test_xml(void **state)
{
    static const struct {
        const char *xml;
        int code;
        const char *want; /* the text, or the error message */
    } cases[] = {
        {DOC_OPEN "<w:p><w:r><w:t>Quyết </w:t></w:r><w:r><w:t xml:space="
                  "\"preserve\"> </w:t></w:r><w:r><w:t>định</w:t></w:r>"
                  "</w:p>" DOC_CLOSE,
         VNS_OK, "Quyết định"},
        /* deleted text, field codes and drawing fallbacks are not shown */
        {DOC_OPEN "<w:p><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del>"
                  "<w:r><w:instrText>PAGE</w:instrText><w:t xml:space="
                  "\"preserve\">mới </w:t></w:r>"
                  "<mc:AlternateContent><mc:Choice><w:t>hộp</w:t></mc:Choice>"
                  "<mc:Fallback><w:t>hộp</w:t></mc:Fallback>"
                  "</mc:AlternateContent></w:p>" DOC_CLOSE,
         VNS_OK, "mới hộp"},
        /* a table row per line, paragraphs of a cell on it */
        {DOC_OPEN "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p>"
                  "<w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>"
                  "<w:t>C</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p>"
                  "<w:r><w:t>D</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p>"
                  "<w:r><w:t>E</w:t><w:noBreakHyphen/><w:t>F</w:t></w:r>"
                  "</w:p>" DOC_CLOSE,
         VNS_OK, "A B C\nD\nE-F"},
        {DOC_OPEN "<w:p><w:r><w:t>x</w:r></w:p>" DOC_CLOSE, VNS_EBADDATA,
         "word/document.xml: invalid XML at line 1: Opening and ending tag "
         "mismatch: t line 1 and r"},
        {DOC_OPEN "<w:p><w:r><w:t>x &undefined; y</w:t></w:r></w:p>" DOC_CLOSE,
         VNS_EBADDATA,
         "word/document.xml: invalid XML at line 1: Entity 'undefined' not "
         "defined"},
        {"Thông báo", VNS_EBADDATA,
         "word/document.xml: invalid XML at line 1: Document is empty"},
    };
    static unsigned char buf[4096];
    char *out = NULL;
    size_t outlen = 0;
    const char *fmt = NULL;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_err err = {0};
        size_t n = stored_docx(cases[i].xml, buf, sizeof(buf));
        int rc =
            vns_office_extract((const char *)buf, n, &out, &outlen, &fmt, &err);

        if (rc != cases[i].code)
            fail_msg("case %zu: %d (%s)", i, rc, err.msg);
        if (rc == VNS_OK) {
            assert_string_equal(fmt, "docx");
            assert_string_equal(out, cases[i].want);
            free(out);
            out = NULL;
        } else {
            assert_string_equal(err.msg, cases[i].want);
        }
    }
}

/* Nesting past the limit is refused before libxml2's own limit. */
static void test_deep(void **state)
{
    enum {
        LEVELS = 220
    };
    static unsigned char buf[16384];
    char *xml = malloc(LEVELS * 16 + 256), *p, *out = NULL;
    size_t outlen, n;
    const char *fmt;
    struct vns_err err = {0};

    (void)state;
    assert_non_null(xml);
    p = xml + sprintf(xml, "%s", DOC_OPEN);
    for (int i = 0; i < LEVELS; i++)
        p += sprintf(p, "<w:sdt>");
    for (int i = 0; i < LEVELS; i++)
        p += sprintf(p, "</w:sdt>");
    sprintf(p, "%s", DOC_CLOSE);
    n = stored_docx(xml, buf, sizeof(buf));
    assert_int_equal(
        vns_office_extract((const char *)buf, n, &out, &outlen, &fmt, &err),
        VNS_EBADDATA);
    assert_string_equal(err.msg,
                        "word/document.xml: XML nested deeper than 200");
    assert_null(out);
    free(xml);
}

/* zip.c alone: entries by name, the ceiling counted while inflating. */
static void test_zip(void **state)
{
    struct vns_blob raw = {0};
    struct vns_zip *z = NULL;
    struct vns_err err = {0};
    char *out = NULL;
    size_t n = 0;

    (void)state;
    assert_int_equal(
        vns_blob_read("tests/files/good/notice.odt", 1 << 20, &raw, &err),
        VNS_OK);
    assert_int_equal(vns_zip_open(raw.data, raw.len, &z, &err), VNS_OK);
    assert_true(vns_zip_has(z, "content.xml"));
    assert_false(vns_zip_has(z, "word/document.xml"));
    assert_int_equal(vns_zip_read(z, "mimetype", 100, &out, &n, &err), VNS_OK);
    assert_string_equal(out, "application/vnd.oasis.opendocument.text");
    assert_int_equal(n, strlen(out));
    free(out);
    out = NULL;
    assert_int_equal(vns_zip_read(z, "content.xml", 100, &out, &n, &err),
                     VNS_ETOOBIG);
    assert_string_equal(err.msg, "content.xml: expands past 100 bytes "
                                 "(zip bomb?)");
    assert_null(out);
    assert_int_equal(vns_zip_read(z, "styles.xml", 100, &out, &n, &err),
                     VNS_ENOTFOUND);
    assert_string_equal(err.msg, "styles.xml: not in the archive");
    vns_zip_close(z);
    assert_int_equal(vns_zip_open("PK\3\4 not really", 15, &z, &err),
                     VNS_EBADDATA);
    vns_blob_fini(&raw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documents), cmocka_unit_test(test_refused),
        cmocka_unit_test(test_xml),       cmocka_unit_test(test_deep),
        cmocka_unit_test(test_zip),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
