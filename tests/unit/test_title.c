/* Unit tests for vns_title_guess (lib/title.c): where the heading block
 * starts and stops, fallbacks, and the length cut. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "title.h"

static void test_title_cases(void **state)
{
    static const struct {
        const char *text, *fallback, *want; /* want NULL: no title */
    } cases[] = {
        /* letterhead first, then the document type opens the title */
        {"TỈNH ỦY NINH THUẬN\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 135-TB/TU\n"
         "Phan Rang-Tháp Chàm, ngày 29 tháng 11 năm 2021\nTHÔNG BÁO\n"
         "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\n"
         "về công tác phòng, chống dịch bệnh Covid-19\n-----\n"
         "Ngày 29/11/2021, Thường trực Tỉnh ủy họp.",
         NULL,
         "THÔNG BÁO KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY về công tác phòng, "
         "chống dịch bệnh Covid-19"},
        /* each stop: "Ngày", "Căn cứ", "Kính gửi", empty line, a numbered
         * point, a sentence, a long paragraph */
        {"THÔNG BÁO\nkết luận của Thường trực Tỉnh ủy\nNgày 02/12/2021, họp",
         NULL, "THÔNG BÁO kết luận của Thường trực Tỉnh ủy"},
        {"QUYẾT ĐỊNH\nVề việc ban hành Kế hoạch\nCăn cứ Luật Tổ chức", NULL,
         "QUYẾT ĐỊNH Về việc ban hành Kế hoạch"},
        {"CÔNG VĂN\nV/v triển khai tiêm chủng\nKính gửi: Các sở", NULL,
         "CÔNG VĂN V/v triển khai tiêm chủng"},
        {"CHỈ THỊ\nVề tăng cường\n\nmột dòng khác", NULL,
         "CHỈ THỊ Về tăng cường"},
        {"HƯỚNG DẪN\n1. Mục đích", NULL, "HƯỚNG DẪN"},
        {"KẾ HOẠCH\nTIÊM CHỦNG NĂM 2022\nCác địa phương thực hiện.", NULL,
         "KẾ HOẠCH TIÊM CHỦNG NĂM 2022"},
        /* the type line may say more */
        {"CÔNG ĐIỆN KHẨN\nVề phòng, chống dịch", NULL,
         "CÔNG ĐIỆN KHẨN Về phòng, chống dịch"},
        /* white space inside lines collapses */
        {"  BÁO CÁO   \t tuần  \nsố   12", NULL, "BÁO CÁO tuần số 12"},
        /* no document type: an HTML <title> ... */
        {"Nội dung chính của trang.\nThêm nội dung.", "  Trang   tin  ",
         "Trang tin"},
        /* ... else the first line, letterhead and separators skipped */
        {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
         "-----\nHà Nội, ngày 1 tháng 2 năm 2022\n"
         "Lịch nghỉ Tết Nhâm Dần\nCác cơ quan nghỉ từ ngày 29/1.",
         NULL, "Lịch nghỉ Tết Nhâm Dần"},
        {"# Tiêu đề\ntrích dẫn", NULL, "Tiêu đề"},
        /* a web page's trail copied with it is no title */
        {"[Cổng thông tin điện tử tỉnh Quảng Nam](/) > [Văn bản](/van-ban) "
         "> Công văn\n\n# Công văn về chuyển đổi số\n\nNgày đăng: 03/03/2025",
         NULL, "Công văn về chuyển đổi số"},
        /* a letter with no subject line: not its salutation nor its
         * addressees, but the first clause of what it opens with */
        {"Số: 1988/VPUB-KGVX\nKiên Giang, ngày 7 tháng 9 năm 2021\n\n"
         "Kính gửi:\n- Ủy ban nhân dân các huyện;\n- Các sở.\n"
         "Thực hiện Thông báo số 84-TB/TU của Tỉnh ủy về cách ly F0, F1; "
         "để triển khai, đề nghị: ...",
         NULL, "Thực hiện Thông báo số 84-TB/TU của Tỉnh ủy về cách ly F0, F1"},
        {"Kính gửi: Sở Y tế\nNgày 2/12/2021, Tỉnh ủy họp: nghe báo cáo.", NULL,
         "Ngày 2/12/2021, Tỉnh ủy họp"},
        {"Kính gửi: Sở Y tế\n- Tài liệu: kèm theo", NULL, NULL},
        /* a letter's subject line, under its letterhead or beside its
         * number, when no document type opens a title */
        {"ỦY BAN NHÂN DÂN\nTỈNH BẮC KẠN\n-------\nSố: 2873/UBND-VHXH\n"
         "V/v cách ly F0, F1\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
         "Kính gửi: Các sở",
         NULL, "V/v cách ly F0, F1"},
        {"SỞ Y TẾ\nSố: 12/SYT-NVY   V/v triển khai tiêm mũi 3\n"
         "cho người từ 18 tuổi\n\nKính gửi: Các huyện",
         NULL, "V/v triển khai tiêm mũi 3 cho người từ 18 tuổi"},
        /* the place and date beside it left out */
        {"V/v chuyển đổi số Hải Phòng, ngày 10 tháng 9 năm 2021\nKính gửi:",
         NULL, "V/v chuyển đổi số"},
        {"V/v xét nghiệm SARS-CoV-2 Hồ Chí Minh, ngày 15 tháng 12 năm 2021",
         NULL, "V/v xét nghiệm SARS-CoV-2"},
        {"V/v sắp xếp đơn vị hành chính Nam Định ngày 11 tháng 8 năm 2024",
         NULL, "V/v sắp xếp đơn vị hành chính"},
        {"V/v truy vết các trường hợp tiếp xúc Quảng Nam, ngày 2 tháng7 năm "
         "2021",
         NULL, "V/v truy vết các trường hợp tiếp xúc"},
        {"V/v bàn giao trụ sở Cư M’gar, ngày 07 tháng 7 năm 2025", NULL,
         "V/v bàn giao trụ sở"},
        {"V/v báo cáo số liệu, ngày 15 tháng 12 năm 2021", NULL,
         "V/v báo cáo số liệu, ngày 15 tháng 12 năm 2021"},
        /* the opening of a long paragraph: its first sentence, or its
         * first words */
        {"Lợi tức là một khái niệm trong kinh tế học. Trong các trường hợp "
         "khác nhau, thì lợi tức được hiểu theo những cách khác nhau: lợi "
         "tức của người cho vay, lợi tức của người đi vay, lợi tức của nhà "
         "đầu tư vào doanh nghiệp, vào trái phiếu, vào cổ phiếu và các loại "
         "chứng khoán khác trên thị trường.",
         NULL, "Lợi tức là một khái niệm trong kinh tế học"},
        /* the clause of a paragraph too long to be a title line */
        {"Kính gửi: Sở Y tế\nThực hiện Công điện số 13; đề nghị các đơn vị "
         "thực hiện một số nội dung như sau: rà soát, thống kê đầy đủ, chính "
         "xác tổng số người từ vùng có dịch trở về địa phương; cách ly tập "
         "trung; xét nghiệm; theo dõi sức khỏe tại nhà; báo cáo kết quả về "
         "Sở Y tế trước 17 giờ hằng ngày để tổng hợp, báo cáo Ban Chỉ đạo.",
         NULL, "Thực hiện Công điện số 13"},
        /* headings in capitals run on */
        {"LỊCH CÔNG TÁC\nTUẦN 12\nThứ hai: họp giao ban.", NULL,
         "LỊCH CÔNG TÁC TUẦN 12"},
        /* "Thông báo" in lower case is not a document type; "THÔNG BÁOX"
         * is not one either */
        {"Thông báo về việc nghỉ Tết\nCác cơ quan nghỉ.", NULL,
         "Thông báo về việc nghỉ Tết"},
        {"THÔNG BÁOX\nabc", NULL, "THÔNG BÁOX"},
        /* nothing usable */
        {"", NULL, NULL},
        {"\n\n-----\n12 / 34\n", NULL, NULL},
        {"", "", NULL},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *title = (char *)"unset";
        struct vns_err err = {0};

        assert_int_equal(vns_title_guess(cases[i].text, strlen(cases[i].text),
                                         cases[i].fallback, &title, &err),
                         VNS_OK);
        if (cases[i].want == NULL) {
            if (title != NULL)
                fail_msg("case %zu: want no title, got \"%s\"", i, title);
            continue;
        }
        if (title == NULL)
            fail_msg("case %zu: want \"%s\", got none", i, cases[i].want);
        assert_string_equal(title, cases[i].want);
        free(title);
    }
}

/* The document type must show up within the first 40 lines. */
static void test_title_depth(void **state)
{
    char text[4096];
    char *title = NULL;
    size_t o = 0;

    (void)state;
    for (int i = 0; i < 40; i++)
        o += (size_t)snprintf(text + o, sizeof(text) - o, "dòng %d\n", i);
    snprintf(text + o, sizeof(text) - o, "THÔNG BÁO\nabc");
    assert_int_equal(vns_title_guess(text, strlen(text), NULL, &title, NULL),
                     VNS_OK);
    assert_string_equal(title, "dòng 0");
    free(title);
}

static bool valid_utf8(const char *s)
{
    int32_t i = 0, n = (int32_t)strlen(s);
    UChar32 c;

    while (i < n) {
        U8_NEXT((const uint8_t *)s, i, n, c);
        if (c < 0)
            return false;
    }
    return true;
}

/* At most VNS_TITLE_MAX bytes: cut at a space, or inside one huge word at
 * a code point boundary. */
static void test_title_cut(void **state)
{
    char text[4096], fallback[1024];
    char *title = NULL;
    size_t o;

    (void)state;
    /* a 235-code-point line is still a title line, but 340 bytes */
    o = (size_t)snprintf(text, sizeof(text), "THÔNG BÁO\n");
    while (o < 340)
        o += (size_t)snprintf(text + o, sizeof(text) - o, "kết luận ");
    assert_int_equal(vns_title_guess(text, o, NULL, &title, NULL), VNS_OK);
    assert_true(strlen(title) <= VNS_TITLE_MAX);
    assert_true(strlen(title) > VNS_TITLE_MAX - 20);
    assert_true(valid_utf8(title));
    /* a prefix of the joined lines, cut before a space */
    text[strlen("THÔNG BÁO")] = ' ';
    assert_memory_equal(title, text, strlen(title));
    assert_int_equal(text[strlen(title)], ' ');
    free(title);

    o = 0;
    for (int i = 0; i < 300; i++, o += 3)
        memcpy(fallback + o, "ệ", 3);
    fallback[o] = '\0';
    assert_int_equal(vns_title_guess("", 0, fallback, &title, NULL), VNS_OK);
    assert_int_equal(strlen(title), 300);
    assert_true(valid_utf8(title));
    free(title);

    /* one byte less room: the cut backs off to the code point before */
    memmove(fallback + 1, fallback, o + 1);
    fallback[0] = 'x';
    assert_int_equal(vns_title_guess("", 0, fallback, &title, NULL), VNS_OK);
    assert_int_equal(strlen(title), 298);
    assert_true(valid_utf8(title));
    free(title);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_cases),
        cmocka_unit_test(test_title_depth),
        cmocka_unit_test(test_title_cut),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
