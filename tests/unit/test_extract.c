/* Unit tests for extraction (lib/extract*.c): the corpus, HTML, Markdown,
 * encodings, hostile files. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The line of text that starts with start, or NULL; its length in *n. */
static const char *line_starting(const char *text, const char *start, size_t *n)
{
    size_t k = strlen(start);

    for (const char *p = text; p != NULL && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

        if (len >= k && memcmp(p, start, k) == 0) {
            *n = len;
            return p;
        }
        p = nl != NULL ? nl + 1 : NULL;
    }
    return NULL;
}

/* A paragraph is one whole line from start through end. */
static void assert_paragraph(const char *text, const char *start,
                             const char *end)
{
    size_t n = 0, k = strlen(end);
    const char *line = line_starting(text, start, &n);

    if (line == NULL)
        fail_msg("no line starts with \"%s\"", start);
    if (n < k || memcmp(line + n - k, end, k) != 0)
        fail_msg("line \"%.*s\" does not end with \"%s\"", (int)n, line, end);
}

static size_t count_lines(const char *text)
{
    size_t n = *text != '\0';

    for (; *text != '\0'; text++)
        n += *text == '\n';
    return n;
}

static void test_corpus(void **state)
{
    static const struct {
        const char *path, *format, *title, *start, *end;
    } cases[] = {
        {"corpus/ninh-thuan-2021-11-29-thong-bao-ket-luan.txt", "text",
         "THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY về công tác phòng, "
         "chống dịch bệnh Covid-19",
         "Cùng tham dự có đồng chí Lê Huyền", "Văn phòng Tỉnh ủy."},
        {"corpus/lai-chau-2021-11-08-thong-bao-ket-luan.txt", "text",
         "THÔNG BÁO Kết luận của đồng chí Trần Tiến Dũng - Phó Bí thư Tỉnh "
         "uỷ, Chủ tịch UBND tỉnh, Chỉ huy trưởng Trung tâm Chỉ huy tại cuộc "
         "họp giao ban trực tuyến toàn tỉnh về công tác phòng, chống dịch "
         "Covid-19",
         "1. Các cấp, các ngành thực hiện hiệu quả phương châm 5S (Sớm phát "
         "hiện - sớm báo cáo",
         "để thực hiện hiệu quả yêu cầu nhiệm vụ."},
        {"corpus/tra-vinh-2021-12-02-thong-bao-ket-luan.txt", "text",
         "THÔNG BÁO kết luận của Thường trực Tỉnh ủy",
         "- Tập trung chỉ đạo, uốn nắn các đơn vị",
         "biến thể Omicron xâm nhập vào địa bàn tỉnh."},
        {"corpus/thanh-hoa-2021-12-07-thong-bao-ket-luan.txt", "text",
         "THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY về lãnh đạo, chỉ đạo "
         "thực hiện công tác phòng, chống dịch Covid-19 trên địa bàn tỉnh",
         "3.2. Tập trung huy động tối đa nhân lực",
         "bảo đảm lộ trình tiêm chủng như sau:"},
        {"corpus/ninh-thuan-2021-08-31-thong-bao-ket-luan.md", "markdown",
         "THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY tại cuộc họp giao ban "
         "trực tuyến với Thường trực các huyện, thành ủy và đảng ủy xã, "
         "phường, thị trấn về công tác phòng, chống dịch bệnh Covid-19",
         "- Về kiến nghị giải quyết kinh phí phòng, chống dịch",
         "chỉ đạo xem xét giải quyết kịp thời."},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_text t = {0};
        struct vns_err err = {0};
        int rc = vns_extract_file(*state, cases[i].path, &t, &err);

        if (rc != VNS_OK)
            fail_msg("%s: %s", cases[i].path, err.msg);
        assert_string_equal(t.format, cases[i].format);
        assert_non_null(t.title);
        assert_string_equal(t.title, cases[i].title);
        assert_paragraph(t.text, cases[i].start, cases[i].end);
        assert_int_equal(strlen(t.text), t.len);
        assert_int_equal(t.bad_utf8, 0);
        /* one paragraph per line: no empty line, no trailing space */
        assert_null(strstr(t.text, "\n\n"));
        assert_null(strstr(t.text, " \n"));
        assert_null(strchr(t.text, '\r'));
        vns_text_fini(&t);
    }
}

/* PDF wrapping repaired in the text files: page-wide facts. */
static void test_corpus_details(void **state)
{
    struct vns_text t = {0};
    struct vns_err err = {0};

    assert_int_equal(
        vns_extract_file(*state,
                         "corpus/lai-chau-2021-11-08-thong-bao-ket-luan.txt",
                         &t, &err),
        VNS_OK);
    /* "SARS-COV-" + "2" across a line break */
    assert_non_null(strstr(t.text, "dương tính với SARS-COV-2 tại xã"));
    assert_paragraph(t.text, "Nơi nhận:", "Nơi nhận:");
    assert_paragraph(t.text, "- Lưu: VT, VX1.", "- Lưu: VT, VX1.");
    vns_text_fini(&t);

    /* one paragraph per line already: the 45 non-blank lines stay 45 */
    assert_int_equal(
        vns_extract_file(*state,
                         "corpus/thanh-hoa-2021-12-07-thong-bao-ket-luan.txt",
                         &t, &err),
        VNS_OK);
    assert_int_equal(count_lines(t.text), 45);
    vns_text_fini(&t);

    /* Markdown markup is gone, its text is not */
    assert_int_equal(
        vns_extract_file(*state,
                         "corpus/ninh-thuan-2021-08-31-thong-bao-ket-luan.md",
                         &t, &err),
        VNS_OK);
    assert_null(strstr(t.text, "**"));
    assert_null(strstr(t.text, "##"));
    assert_paragraph(t.text, "4. Về các kiến nghị, đề xuất",
                     "4. Về các kiến nghị, đề xuất");
    assert_paragraph(t.text, "T/M BAN THƯỜNG VỤ", "T/M BAN THƯỜNG VỤ");
    vns_text_fini(&t);
}

static void test_html(void **state)
{
    struct vns_text t = {0};
    struct vns_err err = {0};
    static const char *const hidden[] = {
        "hiddenScriptText", "color: red", "Bật JavaScript", "mẫu ẩn",
        "ghi chú ẩn",       "&amp;",      "&nbsp;",
    };

    assert_int_equal(
        vns_extract_file(*state, "tests/files/good/notice.html", &t, &err),
        VNS_OK);
    assert_string_equal(t.format, "html");
    /* the document-type heading beats <title> */
    assert_string_equal(t.title, "THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH "
                                 "ỦY về công tác phòng, chống dịch bệnh "
                                 "Covid-19");
    assert_string_equal(
        t.text, "TỈNH ỦY NINH THUẬN\n"
                "Số 135-TB/TU\n"
                "THÔNG BÁO\n"
                "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\n"
                "về công tác phòng, chống dịch bệnh Covid-19\n"
                "-----\n"
                "Ngày 29/11/2021, Thường trực Tỉnh ủy họp nghe báo cáo và "
                "cho ý kiến về tình hình dịch bệnh & công tác tiêm chủng.\n"
                "- Sở Y tế;\n"
                "- Văn phòng Tỉnh ủy.\n"
                "Mũi 1 95%\n"
                "Mũi 2 80%\n"
                "dòng một\n"
                "dòng hai");
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
        assert_null(strstr(t.text, hidden[i]));
    vns_text_fini(&t);

    /* no document type: <title>, white space collapsed */
    assert_int_equal(
        vns_extract_file(*state, "tests/files/good/untitled.html", &t, &err),
        VNS_OK);
    assert_string_equal(t.title, "Kế hoạch tiêm chủng");
    assert_string_equal(
        t.text, "Các địa phương triển khai tiêm vắc xin theo kế hoạch.");
    vns_text_fini(&t);
}

/* Legacy encodings declared in <meta>, sniffed by libmagic as Latin-1. */
static void test_html_charsets(void **state)
{
    struct vns_text t = {0};
    struct vns_err err = {0};

    /* Windows-1258 writes tones as combining marks: NFC composes them */
    assert_int_equal(
        vns_extract_file(*state, "tests/files/good/cp1258.html", &t, &err),
        VNS_OK);
    assert_string_equal(t.text, "Thông báo kết luận của Tỉnh ủy.");
    /* no document-type line in capitals: <title> is the title */
    assert_string_equal(t.title, "Thông báo");
    vns_text_fini(&t);

    assert_int_equal(
        vns_extract_file(*state, "tests/files/good/latin1.html", &t, &err),
        VNS_OK);
    assert_string_equal(t.text, "Café crème brûlée");
    vns_text_fini(&t);
}

static void test_markdown(void **state)
{
    struct vns_text t = {0};
    struct vns_err err = {0};

    assert_int_equal(
        vns_extract_file(*state, "tests/files/good/notice.md", &t, &err),
        VNS_OK);
    assert_string_equal(t.format, "markdown");
    assert_string_equal(t.title, "THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY");
    assert_string_equal(t.text,
                        "THÔNG BÁO\n"
                        "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\n"
                        "-----\n"
                        /* soft break: a space */
                        "Ngày 31/8/2021, Thường trực Tỉnh ủy họp giao ban "
                        "trực tuyến với các huyện, thành ủy.\n"
                        "- Sở Y tế báo cáo;\n"
                        "- Xem hướng dẫn mới.\n"
                        /* ordered lists keep their numbers */
                        "3. Tăng cường xét nghiệm;\n"
                        "4. Tiêm vắc xin.\n"
                        /* pipe table rows stay rows */
                        "| Mũi | Tỷ lệ |\n"
                        "|-----|-------|\n"
                        "| 1 | 95% |\n"
                        /* code keeps its lines */
                        "mã_nguồn giữ nguyên\n"
                        "dòng 2\n"
                        /* hard break: a new line */
                        "T/M BAN THƯỜNG VỤ\n"
                        "BÍ THƯ");
    vns_text_fini(&t);
}

static void test_markdown_sniff(void **state)
{
    static const struct {
        const char *text;
        bool md;
    } cases[] = {
        {"# Thông báo\n\nNội dung.", true},
        {"Văn bản\n\n```\nmã\n```\n", true},
        {"Xem [văn bản](https://example.org).", true},
        {"| a | b |\n|---|:-:|\n| 1 | 2 |\n", true},
        {"**a** **b** **c** **d** **e** **f**", true},
        /* plain notices: lists, one bold run, hashtags, "-----" */
        {"THÔNG BÁO\n-----\n- Sở Y tế,\n+ Lưu VT.\n1. Một.\n", false},
        {"2. **Đẩy mạnh công tác tuyên truyền;** mỗi người dân", false},
        {"#Covid19 #5K\n", false},
        {"Giá 5 * 3 = 15\n", false},
        {"", false},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (vns_text_is_markdown(cases[i].text, strlen(cases[i].text)) !=
            cases[i].md)
            fail_msg("case %zu: \"%s\" should%s be Markdown", i, cases[i].text,
                     cases[i].md ? "" : " not");
}

/* Blobs in memory: what is refused, and how it is said. */
static void test_refused(void **state)
{
    static const char pdf[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"
                              "<< /Type /Catalog >>\nendobj\n";
    static const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR";
    static const char binary[] = "\x00\x01\x02\x03\xFF\xFE\x00\x00\x80\x81";
    static const char latin1[] = "Th\xF4ng b\xE1o k\xEA\xCC\x81t lu\xE2\xA3n "
                                 "c\xF1"
                                 "a t\xECnh \xF1y v\xEA\xCC\x80 vi\xEA\xCC\xA3"
                                 "c ph\xF2ng ch\xF4\xCC\x81ng d\xEC"
                                 "ch.\n";
    static const char digits[] = "12345 67890\n-----\n2021 / 2022\n";
    static const struct {
        const char *name, *data;
        size_t len;
        int code;
        const char *msg;
    } cases[] = {
        {"tb.pdf", pdf, sizeof(pdf) - 1, VNS_EBADDATA,
         "tb.pdf: PDF cannot be read: Couldn't read xref table"},
        {"anh.png", png, sizeof(png) - 1, VNS_EUNSUPPORTED,
         "anh.png: unsupported type image/png"},
        {"blob.bin", binary, sizeof(binary) - 1, VNS_EUNSUPPORTED,
         "blob.bin: unsupported type application/octet-stream"},
        {"cu.txt", latin1, sizeof(latin1) - 1, VNS_EUNSUPPORTED,
         "cu.txt: unsupported text encoding unknown-8bit"},
        {"rong.txt", "", 0, VNS_EBADDATA, "rong.txt: empty file"},
        {"so.txt", digits, sizeof(digits) - 1, VNS_EBADDATA, "so.txt: no text"},
        {"trang.html", "<html><body><p> </p></body></html>", 34, VNS_EBADDATA,
         "trang.html: no text"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_text t = {.len = 42};
        struct vns_err err = {0};

        assert_int_equal(vns_extract_blob(*state, cases[i].name, cases[i].data,
                                          cases[i].len, &t, &err),
                         cases[i].code);
        assert_int_equal(err.code, cases[i].code);
        assert_string_equal(err.msg, cases[i].msg);
        /* out-params untouched on failure */
        assert_int_equal(t.len, 42);
        assert_null(t.text);
    }
}

/* The same refusals, from files on disk. */
static void test_refused_files(void **state)
{
    static const struct {
        const char *path;
        int code;
        const char *msg;
    } cases[] = {
        {"tests/files/bad/header.pdf", VNS_EBADDATA,
         "tests/files/bad/header.pdf: PDF cannot be read: Couldn't read xref "
         "table"},
        {"tests/files/bad/random.bin", VNS_EUNSUPPORTED,
         "tests/files/bad/random.bin: unsupported type "
         "application/octet-stream"},
        {"tests/files/bad/latin1.txt", VNS_EUNSUPPORTED,
         "tests/files/bad/latin1.txt: unsupported text encoding "
         "unknown-8bit"},
        {"tests/files/bad/empty.txt", VNS_EBADDATA,
         "tests/files/bad/empty.txt: empty file"},
        {"tests/files/bad/no-letters.txt", VNS_EBADDATA,
         "tests/files/bad/no-letters.txt: no text"},
        {"tests/files/bad", VNS_EIO, "tests/files/bad: Is a directory"},
        {"tests/files/bad/khong-co.txt", VNS_ENOTFOUND,
         "tests/files/bad/khong-co.txt: No such file or directory"},
        {"tests/files/bad/empty.txt/x", VNS_ENOTFOUND,
         "tests/files/bad/empty.txt/x: Not a directory"},
        {"/dev/null", VNS_EIO, "/dev/null: not a regular file"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_text t = {0};
        struct vns_err err = {0};

        assert_int_equal(vns_extract_file(*state, cases[i].path, &t, &err),
                         cases[i].code);
        assert_string_equal(err.msg, cases[i].msg);
        assert_null(t.text);
    }
}

/* Text that is almost right is read, and its faults counted. */
static void test_accepted_blobs(void **state)
{
    static const struct {
        const char *data;
        size_t len;
        const char *format, *text;
        size_t bad;
    } cases[] = {
        /* a BOM and CRLF */
        {"\xEF\xBB\xBFXin ch\xC3\xA0o\r\nb\xE1\xBA\xA1n\r\n", 0, "text",
         "Xin chào\nbạn", 0},
        /* UTF-8 with two stray Latin-1 bytes: libmagic says unknown-8bit */
        {"Th\xC3\xB4ng b\xC3\xA1o k\xE1\xBA\xBFt lu\xE1\xBA\xADn c\xE1\xBB\xA7"
         "a T\xE1\xBB\x89nh \xE1\xBB\xA7y v\xE1\xBB\x81 vi\xE1\xBB\x87"
         "c ph\xC3\xB2ng ch\xE1\xBB\x91ng d\xE1\xBB\x8B"
         "ch \xE9 v\xC3\xA0 ti\xC3\xAAm v\xE1\xBA\xAF"
         "c xin \xF4 to\xC3\xA0n t\xE1\xBB\x89nh.",
         0, "text",
         "Thông báo kết luận của Tỉnh ủy về việc phòng chống dịch \xEF\xBF\xBD "
         "và tiêm vắc xin \xEF\xBF\xBD toàn tỉnh.",
         2},
        /* UTF-16 with a byte order mark (more in test_encoding.c) */
        {"\xFF\xFET\0h\0\xF4\0n\0g\0 \0b\0\xE1\0o\0\n\0", 22, "text",
         "Thông báo", 0},
        /* decomposed (NFD) input comes out composed */
        {"Tho\xCC\x82ng ba\xCC\x81o", 0, "text", "Thông báo", 0},
        /* XHTML with an XML prolog is "text/xml" to libmagic */
        {"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>T"
         "</title></head><body><p>Quy&#7871;t &#273;&#7883;nh</p></body>"
         "</html>",
         0, "html", "Quyết định", 0},
        /* prose that libmagic calls text/troff: a first line with a dot */
        {".Bd l\xC3\xA0 t\xC3\xAAn mi\xE1\xBB\x81n Internet qu\xE1\xBB\x91"
         "c gia.\n",
         0, "text", ".Bd là tên miền Internet quốc gia.", 0},
        /* prose that libmagic calls audio/x-mp4a-latm */
        {"V\xE1\xBB\xA5 Watergate l\xC3\xA0 m\xE1\xBB\x99t v\xE1\xBB\xA5 "
         "b\xC3\xAA b\xE1\xBB\x91i.\n",
         0, "text", "Vụ Watergate là một vụ bê bối.", 0},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_text t = {0};
        struct vns_err err = {0};
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].data);

        if (vns_extract_blob(*state, "x", cases[i].data, len, &t, &err) !=
            VNS_OK)
            fail_msg("case %zu: %s", i, err.msg);
        assert_string_equal(t.format, cases[i].format);
        assert_string_equal(t.text, cases[i].text);
        assert_int_equal(t.bad_utf8, cases[i].bad);
        vns_text_fini(&t);
    }
}

/* A stray NUL makes libmagic call the file binary; the text is still
 * text, and the NUL goes. */
static void test_nul_in_text(void **state)
{
    char buf[512];
    struct vns_text t = {0};
    struct vns_err err = {0};
    int n;

    n = snprintf(buf, sizeof(buf),
                 "Thường trực Tỉnh ủy họp nghe báo cáo và cho ý kiến về "
                 "tình hình, kết quả thực hiện công tác phòng, chống dịch "
                 "Covid-19 trên địa bàn tỉnh.%cCùng tham dự có đồng chí Lê "
                 "Huyền, Tỉnh ủy viên.",
                 'X');
    buf[strchr(buf, 'X') - buf] = '\0';
    assert_int_equal(
        vns_extract_blob(*state, "nul.txt", buf, (size_t)n, &t, &err), VNS_OK);
    assert_null(memchr(t.text, '\0', t.len));
    assert_non_null(strstr(t.text, "tỉnh.Cùng tham dự"));
    vns_text_fini(&t);
}

static double seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100,000 nested <div>: no stack overflow, done in well under a second.
 * libxml2 gives up at depth 256 without HTML_PARSE_HUGE and keeps what
 * it parsed so far; our walk is iterative either way. */
static void test_deep_html(void **state)
{
    const size_t depth = 100000;
    size_t cap = depth * 11 + 128, o = 0;
    char *html = malloc(cap);
    struct vns_text t = {0};
    struct vns_err err = {0};
    double t0;

    assert_non_null(html);
    o += (size_t)snprintf(html, cap,
                          "<!DOCTYPE html><html><body><p>Đầu trang</p>");
    for (size_t i = 0; i < depth; i++, o += 5)
        memcpy(html + o, "<div>", 5);
    o += (size_t)snprintf(html + o, cap - o, "sâu");
    for (size_t i = 0; i < depth; i++, o += 6)
        memcpy(html + o, "</div>", 6);
    t0 = seconds();
    assert_int_equal(vns_extract_blob(*state, "deep.html", html, o, &t, &err),
                     VNS_OK);
    assert_true(seconds() - t0 < 5.0); /* sanitizers included */
    assert_string_equal(t.format, "html");
    assert_string_equal(t.text, "Đầu trang");
    vns_text_fini(&t);
    free(html);
}

/* Deep Markdown nesting: cmark's iterator, not recursion. */
static void test_deep_markdown(void **state)
{
    const size_t depth = 50000;
    char *md = malloc(depth * 2 + 64);
    struct vns_text t = {0};
    struct vns_err err = {0};
    size_t o = 0;

    assert_non_null(md);
    o += (size_t)sprintf(md, "# Tiêu đề\n\n");
    for (size_t i = 0; i < depth; i++, o += 2)
        memcpy(md + o, "> ", 2);
    o += (size_t)sprintf(md + o, "trích dẫn\n");
    assert_int_equal(vns_extract_blob(*state, "deep.md", md, o, &t, &err),
                     VNS_OK);
    assert_string_equal(t.format, "markdown");
    assert_string_equal(t.text, "Tiêu đề\ntrích dẫn");
    vns_text_fini(&t);
    free(md);
}

static void test_blob_read(void **state)
{
    struct vns_blob b = {0};
    struct vns_err err = {0};
    const char *path = "corpus/tra-vinh-2021-12-02-thong-bao-ket-luan.txt";

    (void)state;
    assert_int_equal(vns_blob_read(path, VNS_MAX_FILE, &b, &err), VNS_OK);
    assert_int_equal(b.len, 6055);
    assert_int_equal(b.data[b.len], '\0');
    vns_blob_fini(&b);
    vns_blob_fini(&b); /* twice is fine */
    assert_int_equal(vns_blob_read(path, 6054, &b, &err), VNS_ETOOBIG);
    assert_string_equal(err.msg, "corpus/tra-vinh-2021-12-02-thong-bao-ket-"
                                 "luan.txt: file is 6055 bytes, over 6054");
    assert_null(b.data);
    assert_int_equal(vns_blob_read(path, 6055, &b, &err), VNS_OK);
    vns_blob_fini(&b);
    /* /proc files say size 0 and still have bytes */
    assert_int_equal(vns_blob_read("/proc/self/status", 1u << 20, &b, &err),
                     VNS_OK);
    assert_true(b.len > 0);
    vns_blob_fini(&b);
    assert_int_equal(vns_blob_read("/proc/self/status", 8, &b, &err),
                     VNS_ETOOBIG);
    assert_null(b.data);
}

static void test_args(void **state)
{
    struct vns_extractor *ex = NULL;
    struct vns_text t = {0};
    struct vns_err err = {0};

    assert_int_equal(vns_extract_blob(NULL, "x", "a", 1, &t, &err), VNS_EINVAL);
    assert_int_equal(vns_extract_blob(*state, "x", NULL, 3, &t, &err),
                     VNS_EINVAL);
    assert_int_equal(vns_extract_blob(*state, NULL, "", 0, &t, &err),
                     VNS_EBADDATA);
    assert_string_equal(err.msg, "(buffer): empty file");
    /* err may be NULL */
    assert_int_equal(vns_extract_blob(*state, "x", "", 0, &t, NULL),
                     VNS_EBADDATA);
    vns_text_fini(NULL);
    vns_extractor_free(NULL);
    /* a second extractor lives beside the first */
    assert_int_equal(vns_extractor_new(&ex, &err), VNS_OK);
    assert_int_equal(vns_extract_blob(ex, "x", "Xin chào", 9, &t, &err),
                     VNS_OK);
    assert_string_equal(t.text, "Xin chào");
    assert_string_equal(t.title, "Xin chào");
    vns_text_fini(&t);
    vns_extractor_free(ex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_corpus_details),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_html_charsets),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_markdown_sniff),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_refused_files),
        cmocka_unit_test(test_accepted_blobs),
        cmocka_unit_test(test_nul_in_text),
        cmocka_unit_test(test_deep_html),
        cmocka_unit_test(test_deep_markdown),
        cmocka_unit_test(test_blob_read),
        cmocka_unit_test(test_args),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
