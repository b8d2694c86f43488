/* Unit tests for vns_paragraphs_repair (lib/paragraph.c): PDF-style hard
 * wrapping undone, structure kept, hostile shapes survived. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vnsearch/analyze.h"

static char *repair(const char *in, size_t len, size_t *outlen)
{
    char *out = NULL;
    struct vns_err err = {0};

    assert_int_equal(vns_paragraphs_repair(in, len, &out, outlen, &err),
                     VNS_OK);
    assert_non_null(out);
    assert_int_equal(out[*outlen], '\0');
    return out;
}

static void check(const char *in, const char *want)
{
    size_t n = 0;
    char *out = repair(in, strlen(in), &n);

    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
    free(out);
}

/* Hand-wrapped like the Lai Châu and Ninh Thuận PDFs: a blank line after
 * every line, trailing spaces, a page number inside a paragraph. */
static const char wrapped_in[] =
    "THÔNG BÁO\n\n"
    "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\n\n"
    "-----\n\n"
    "Ngày 08/11/2021, Ban Chỉ đạo tỉnh họp trực tuyến về công tác phòng, "
    "chống  \n\n"
    "dịch; trên địa bàn tỉnh đã ghi nhận 15 trường hợp dương tính với "
    "SARS-COV-\n\n"
    "2 tại xã Bản Giang, trong đó có 03 trường hợp thực hiện theo Chỉ thị "
    "16/CT-\n\n"
    "TTg của Thủ tướng Chính phủ và phương châm 5S (Sớm phát hiện - sớm báo "
    "cáo -\n\n"
    "sớm truy vết - sớm cách ly - sớm điều trị) trong công tác phòng, chống "
    "dịch,\n\n"
    "12\n\n"
    "100.000 người dân tại các huyện, thành phố đã được tiêm đủ hai mũi vắc "
    "xin.\n\n"
    "1. Các cấp, các ngành thực hiện hiệu quả phương châm 5S trong công tác "
    "phòng,\n\n"
    "chống dịch Covid-19.\n\n"
    "a) Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan triển khai "
    "ngay.\n\n"
    "II. NHIỆM VỤ TRỌNG TÂM\n\n"
    "- Thường trực Tỉnh ủy (b/c),\n\n"
    "+ Lưu Văn phòng Tỉnh ủy.\n\n";

static const char wrapped_want[] =
    "THÔNG BÁO\n"
    "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\n"
    "-----\n"
    /* joined with spaces; "SARS-COV-" + "2" and "16/CT-" + "TTg" without;
     * "báo cáo -" + "sớm" with one; page "12" gone */
    "Ngày 08/11/2021, Ban Chỉ đạo tỉnh họp trực tuyến về công tác phòng, "
    "chống dịch; trên địa bàn tỉnh đã ghi nhận 15 trường hợp dương tính với "
    "SARS-COV-2 tại xã Bản Giang, trong đó có 03 trường hợp thực hiện theo "
    "Chỉ thị 16/CT-TTg của Thủ tướng Chính phủ và phương châm 5S (Sớm phát "
    "hiện - sớm báo cáo - sớm truy vết - sớm cách ly - sớm điều trị) trong "
    "công tác phòng, chống dịch, 100.000 người dân tại các huyện, thành phố "
    "đã được tiêm đủ hai mũi vắc xin.\n"
    "1. Các cấp, các ngành thực hiện hiệu quả phương châm 5S trong công tác "
    "phòng, chống dịch Covid-19.\n"
    "a) Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan triển khai "
    "ngay.\n"
    "II. NHIỆM VỤ TRỌNG TÂM\n"
    "- Thường trực Tỉnh ủy (b/c),\n"
    "+ Lưu Văn phòng Tỉnh ủy.";

static void test_wrapped_pdf(void **state)
{
    (void)state;
    check(wrapped_in, wrapped_want);
}

static void test_cases(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        /* wrapped without blank lines, CRLF: a blank line is a paragraph
         * break even after a full line and before a lower-case word */
        {"Ngày 02/12/2021, Thường trực Tỉnh ủy tổ chức họp báo tuần thường "
         "kỳ, qua\r\n"
         "báo cáo và ý kiến thảo luận của đại biểu, đồng chí Ngô Chí Cường, "
         "Ủy viên\r\n"
         "Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy kết luận các nội dung "
         "sau\r\n"
         "\r\n"
         "tiếp tục theo dõi tình hình dịch bệnh, chuẩn bị phương án cách ly "
         "tập trung\r\n"
         "cho các trường hợp F1 tại các huyện, thị xã, thành phố trên địa bàn "
         "tỉnh.\r\n",
         "Ngày 02/12/2021, Thường trực Tỉnh ủy tổ chức họp báo tuần thường "
         "kỳ, qua báo cáo và ý kiến thảo luận của đại biểu, đồng chí Ngô Chí "
         "Cường, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy kết "
         "luận các nội dung sau\n"
         "tiếp tục theo dõi tình hình dịch bệnh, chuẩn bị phương án cách ly "
         "tập trung cho các trường hợp F1 tại các huyện, thị xã, thành phố "
         "trên địa bàn tỉnh."},
        /* a full line ending a sentence, then a capital: new paragraph;
         * "TP." is an abbreviation and does not end one */
        {"Ủy ban nhân dân tỉnh rà soát, đánh giá và kịp thời khen thưởng các "
         "địa\n"
         "phương triển khai thực hiện sớm đạt tỷ lệ tiêm chủng theo kế hoạch "
         "(như\n"
         "huyện Ninh Hải, Ninh Sơn); đồng thời đôn đốc, nhắc nhở và phê bình "
         "các\n"
         "địa phương có tiến độ tiêm chủng nhanh, phê bình các địa phương còn "
         "chậm.\n"
         "Tập trung đẩy nhanh hoàn thành tiêm mũi 2 cho người dân tại các xã "
         "TP.\n"
         "Phan Rang-Tháp Chàm và các huyện lân cận trong tỉnh theo kế hoạch "
         "đề ra.\n",
         "Ủy ban nhân dân tỉnh rà soát, đánh giá và kịp thời khen thưởng các "
         "địa phương triển khai thực hiện sớm đạt tỷ lệ tiêm chủng theo kế "
         "hoạch (như huyện Ninh Hải, Ninh Sơn); đồng thời đôn đốc, nhắc nhở và "
         "phê bình các địa phương có tiến độ tiêm chủng nhanh, phê bình các "
         "địa "
         "phương còn chậm.\n"
         "Tập trung đẩy nhanh hoàn thành tiêm mũi 2 cho người dân tại các xã "
         "TP. Phan Rang-Tháp Chàm và các huyện lân cận trong tỉnh theo kế "
         "hoạch đề ra."},
        /* short lines only: nothing is wrapped, lines stay */
        {"Nơi nhận:\n\n- Sở Y tế,\n\n  - Lưu VT.  \n",
         "Nơi nhận:\n- Sở Y tế,\n- Lưu VT."},
        /* one paragraph per long line (Thanh Hóa): unchanged, and a page
         * number is kept since nothing is wrapped */
        {"THÔNG BÁO\n\nNgày 07 tháng 12 năm 2021, Thường trực Tỉnh ủy, "
         "Thường trực Ban Chỉ đạo phòng, chống dịch Covid-19 tỉnh tổ chức Hội "
         "nghị trực tuyến toàn tỉnh để đánh giá tình hình thực hiện công tác "
         "phòng, chống dịch Covid-19.\n\n12\n\nSau khi nghe Sở Y tế báo cáo "
         "tình hình và công tác phòng, chống dịch Covid-19 trên địa bàn tỉnh, "
         "trọng tâm là công tác tiêm chủng vắc xin, công tác truy vết, cách "
         "ly, điều trị.\n",
         "THÔNG BÁO\nNgày 07 tháng 12 năm 2021, Thường trực Tỉnh ủy, Thường "
         "trực Ban Chỉ đạo phòng, chống dịch Covid-19 tỉnh tổ chức Hội nghị "
         "trực tuyến toàn tỉnh để đánh giá tình hình thực hiện công tác "
         "phòng, chống dịch Covid-19.\n12\nSau khi nghe Sở Y tế báo cáo tình "
         "hình và công tác phòng, chống dịch Covid-19 trên địa bàn tỉnh, "
         "trọng tâm là công tác tiêm chủng vắc xin, công tác truy vết, cách "
         "ly, điều trị."},
        /* edges */
        {"", ""},
        {"\n\n\n", ""},
        {"  \t \n \xC2\xA0\n", ""},
        {"\r\r\r", ""},
        {"một dòng", "một dòng"},
        {"  một dòng  \n", "một dòng"},
        {"\xC2\xA0\xC2\xA0 có khoảng trắng không ngắt\xC2\xA0",
         "có khoảng trắng không ngắt"},
        {"a\rb\r\nc\n\n\nd", "a\nb\nc\nd"},
        {"12\n\n34", "12\n34"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check(cases[i].in, cases[i].want);
}

/* Paragraphs of a notice, hard-wrapped by a greedy word wrapper at
 * several widths and in three layouts, come back exactly. */
static const char *const notice[] = {
    "1. Ủy ban nhân dân tỉnh cụ thể hóa Chỉ thị của Ban Thường vụ Tỉnh ủy "
    "về công tác phòng, chống dịch Covid-19 trong điều kiện bình thường "
    "mới. Sở Y tế tham mưu Ủy ban nhân dân tỉnh kiện toàn nhân lực ngành y "
    "tế; nhất là ưu tiên củng cố, kiện toàn nhân lực y tế tuyến cơ sở.",
    "- Tập trung chỉ đạo, uốn nắn các đơn vị, địa phương trong việc thực "
    "hiện chưa nghiêm túc Quyết định số 2771/QĐ-UBND, ngày 26/11/2021 của "
    "Ủy ban nhân dân tỉnh về việc ban hành Kế hoạch “Thích ứng an toàn, "
    "linh hoạt, kiểm soát hiệu quả dịch Covid-19” trên địa bàn tỉnh.",
    "2. Sở Y tế đẩy nhanh tiến độ tiêm vắc xin phòng Covid-19, bảo đảm kịp "
    "thời, hiệu quả theo chỉ đạo của Bộ Y tế để sớm đạt được miễn dịch "
    "cộng đồng, thích ứng điều kiện bình thường mới.",
    "Văn phòng Tỉnh ủy thông báo và đề nghị các ngành, địa phương có liên "
    "quan khi triển khai thực hiện báo cáo kết quả về Văn phòng Tỉnh ủy để "
    "tổng hợp, báo cáo Thường trực Tỉnh ủy nắm, chỉ đạo.",
    "Trong đó, cần phối hợp với ngành y tế phải có phương án cụ thể xử lý "
    "trong trường hợp nếu có F0, F1 xảy ra tại các cơ sở giáo dục và đào "
    "tạo thì biện pháp xử lý như thế nào.",
};

static size_t cps(const char *s, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* layout 0: one blank line after every line and between paragraphs (the
 * corpus); 1: no blank lines inside, one between; 2: one blank inside,
 * three between. */
static size_t wrap(char *out, size_t width, int layout)
{
    const char *inside = layout == 1 ? "\n" : "\n\n";
    const char *between = layout == 0   ? "\n\n"
                          : layout == 1 ? "\n\n"
                                        : "\n\n\n\n";
    size_t o = 0;

    for (size_t p = 0; p < sizeof(notice) / sizeof(notice[0]); p++) {
        const char *s = notice[p];
        size_t col = 0;

        if (p > 0)
            o += (size_t)sprintf(out + o, "%s", between);
        while (*s != '\0') {
            size_t w = strcspn(s, " ");

            if (col > 0 && col + 1 + cps(s, w) > width) {
                o += (size_t)sprintf(out + o, "%s", inside);
                col = 0;
            } else if (col > 0) {
                out[o++] = ' ';
                col++;
            }
            memcpy(out + o, s, w);
            o += w;
            col += cps(s, w);
            s += w;
            s += *s == ' ';
        }
    }
    out[o] = '\0';
    return o;
}

static void test_roundtrip(void **state)
{
    static const size_t widths[] = {64, 72, 80, 90, 100, 120};
    char want[4096], in[8192];
    size_t w = 0;

    (void)state;
    for (size_t p = 0; p < sizeof(notice) / sizeof(notice[0]); p++)
        w += (size_t)sprintf(want + w, "%s%s", p > 0 ? "\n" : "", notice[p]);
    for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
        for (int layout = 0; layout < 3; layout++) {
            wrap(in, widths[i], layout);
            check(in, want);
        }
    }
}

static void test_args(void **state)
{
    char *out = NULL;
    size_t n = 3;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_paragraphs_repair(NULL, 0, &out, &n, &err), VNS_OK);
    assert_string_equal(out, "");
    assert_int_equal(n, 0);
    free(out);
    out = NULL;
    assert_int_equal(vns_paragraphs_repair("x", 1, NULL, &n, &err), VNS_EINVAL);
    assert_int_equal(vns_paragraphs_repair(NULL, 4, &out, &n, &err),
                     VNS_EINVAL);
    assert_int_equal(
        vns_paragraphs_repair("x", VNS_MAX_TEXT + 1u, &out, &n, &err),
        VNS_ETOOBIG);
    assert_int_equal(err.code, VNS_ETOOBIG);
    assert_null(out);
}

static double seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 5 MB in one line, 5 MB of newlines, 5 MB of wrapped text: linear time,
 * no line table, output never longer than input. */
static void test_big(void **state)
{
    const size_t big = 5u << 20;
    char *in = malloc(big + 1), *out;
    size_t n = 0, unit = sizeof(wrapped_in) - 1, reps = big / unit;
    double t;

    (void)state;
    assert_non_null(in);
    memset(in, 'a', big);
    in[big] = '\0';
    t = seconds();
    out = repair(in, big, &n);
    assert_int_equal(n, big);
    assert_memory_equal(out, in, big);
    free(out);

    memset(in, '\n', big);
    out = repair(in, big, &n);
    assert_int_equal(n, 0);
    free(out);

    for (size_t i = 0; i < reps; i++)
        memcpy(in + i * unit, wrapped_in, unit);
    out = repair(in, reps * unit, &n);
    assert_true(n < reps * unit);
    /* the page number never survives, the sentence always joins */
    assert_null(strstr(out, "\n12\n"));
    assert_non_null(strstr(out, "SARS-COV-2 tại xã"));
    free(out);
    /* generous: sanitizer builds are ~10x slower */
    assert_true(seconds() - t < 10.0);
    free(in);
}

/* Random bytes: no crash, no empty line, nothing longer than the input. */
static void test_garbage(void **state)
{
    char buf[64 * 1024], *out;
    size_t n = 0;
    unsigned seed = 12345;

    (void)state;
    for (int round = 0; round < 8; round++) {
        for (size_t i = 0; i < sizeof(buf); i++) {
            seed = seed * 1103515245u + 12345u;
            /* plenty of line ends and spaces so lines have shapes */
            buf[i] = (seed >> 16) % 7 == 0   ? '\n'
                     : (seed >> 16) % 5 == 0 ? ' '
                                             : (char)(seed >> 20);
        }
        out = repair(buf, sizeof(buf), &n);
        assert_true(n <= sizeof(buf));
        assert_null(strstr(out, "\n\n"));
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrapped_pdf), cmocka_unit_test(test_cases),
        cmocka_unit_test(test_roundtrip),   cmocka_unit_test(test_args),
        cmocka_unit_test(test_big),         cmocka_unit_test(test_garbage),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
