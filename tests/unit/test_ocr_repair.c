/* Unit tests for lib/ocr_repair.c: what Tesseract prints (pages ended by a
 * form feed) becomes clean text; split tone marks, noise lines, NFC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ocr.h"

static void test_repair(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        /* a tone mark printed as a word of its own joins its letter */
        {"Quyê \xcc\x81t đi \xcc\xa3nh số 12\f", "Quyết định số 12"},
        /* ... after several blanks too, and across the whole line */
        {"Thông ba  \xcc\x81o kê \xcc\x81t qua \xcc\x89\f",
         "Thông báo kết quả"},
        /* a mark at the start of a line has no letter to join */
        {"\xcc\x81 ok\f", "\xcc\x81 ok"},
        /* decomposed letters come out composed (NFC) */
        {"Tie\xcc\x82\xcc\x81ng Vie\xcc\xa3\xcc\x82t\f", "Tiếng Việt"},
        /* stamp and signature noise goes, words stay */
        {"THÔNG BÁO\n| ~ . /\nNội dung chính\n", "THÔNG BÁO\nNội dung chính"},
        {"Ệ ả . Z ~ ị\nNơi nhận:\n- Lưu: VT.\n\f", "Nơi nhận:\n- Lưu: VT."},
        {"—— ___ ***\n12/TB-UBND\n\f", "12/TB-UBND"},
        /* numbers and list items are not noise */
        {"1.\n2. Điều khoản\n\f", "1.\n2. Điều khoản"},
        /* each page's lines, in order */
        {"Trang một\fTrang hai\f", "Trang một\nTrang hai"},
        /* the number line: "Số" misread, codes that lost their Đ */
        {"S6 579 - TB/DU Pleiku, ngay 15\f", "Số: 579 - TB/ĐU Pleiku, ngay 15"},
        {"S6:34/CD-UBND Phú Yên\f", "Số: 34/CĐ-UBND Phú Yên"},
        {"Số: 24/2021/NQ-HDND\f", "Số: 24/2021/NQ-HĐND"},
        {"So 12/HD-BCD DANG CONG SAN\f", "Số: 12/HD-BCĐ DANG CONG SAN"},
        /* not a number line: as it is */
        {"So sánh 12/CD\f", "So sánh 12/CD"},
        {"S634/CD-UBND\f", "S634/CD-UBND"},
        /* nothing recognized: empty text, no error */
        {"\f\f", ""},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_err err = {0};
        char *out = NULL;
        size_t len = 0;

        assert_int_equal(
            vns_ocr_repair(cases[i].in, strlen(cases[i].in), &out, &len, &err),
            VNS_OK);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(len, strlen(cases[i].want));
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repair),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
