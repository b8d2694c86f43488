/* Unit tests of lib/meta*.c: each field and its printed variants, the five
 * real notices of corpus/, and hostile input that must not crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "meta.h"

static void extract(const char *text, struct vns_meta *m)
{
    struct vns_err err = {0};

    assert_int_equal(vns_meta_extract(text, strlen(text), NULL, m, &err),
                     VNS_OK);
}

static void test_number(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"TỈNH ỦY NINH THUẬN\nSố 135-TB/TU\nTHÔNG BÁO\n", "135-TB/TU"},
        {"VĂN PHÒNG UBND\nSố: 412/TB-VPUB\n", "412/TB-VPUB"},
        {"UBND\nSố:412/TB-UBND\n", "412/TB-UBND"},
        {"UBND\nSố : 412/TB-UBND\n", "412/TB-UBND"},
        {"UBND\nSố: 412 /QĐ-UBND     Hà Nội, ngày 1 tháng 2 năm 2022\n",
         "412/QĐ-UBND"},
        {"TỈNH ỦY\nSố: 135 - TB/TU\n", "135-TB/TU"},
        {"UBND\nSố 221/QĐ-UBND\n", "221/QĐ-UBND"},
        {"UBND\nSố: 01763/QĐ-UBND\n", "01763/QĐ-UBND"},
        {"UBND\nSố: 52/2025/QĐ-UBND\n", "52/2025/QĐ-UBND"},
        {"UBND\nSố: 2356/SYT - NVY\n", "2356/SYT-NVY"},
        {"| **TỈNH ỦY** | |\n| Số 395-TB/TU | S****óc Trăng, ngày 15 tháng 11 "
         "năm 2021 |\n",
         "395-TB/TU"},
        {"| Số: 1234/QĐ-\nUBND | Huế, ngày 2 tháng 3 năm 2024 |\n",
         "1234/QĐ-UBND"},
        /* a gazette header and body citations are not the number */
        {"CÔNG BÁO/Số 831/Ngày 17-5-2023\nTheo Quyết định số 2771/QĐ-UBND.\n",
         ""},
        {"Số người đã tiêm đủ 2 mũi là 372.165 người.\n", ""},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_meta m;
        extract(cases[i].in, &m);
        assert_string_equal(m.number, cases[i].want);
        if (cases[i].want[0] != '\0')
            assert_non_null(strstr(m.why.number, "line "));
        vns_meta_fini(&m);
    }
}

static void test_date(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Số 135-TB/TU\nPhan Rang-Tháp Chàm, ngày 29 tháng 11 năm 2021\n"
         "Ngày 27/11/2021, Thường trực Tỉnh ủy họp.\n",
         "2021-11-29"},
        {"Số: 2/TB-UBND\nHà Tĩnh ngày 01 tháng 12 năm 2025\n", "2025-12-01"},
        {"Số: 2/TB-UBND      Quảng Ngãi, ngày 16 tháng12 năm 2025\n",
         "2025-12-16"},
        {"*              Tây Ninh, ngày 03 tháng 8\nSố: 491-TB/TU        năm "
         "2022\nTHÔNG BÁO\n",
         "2022-08-03"},
        {"Số: 2589/QĐ-UBND\nBình Phước ngày 07\nSố: 2589/QĐ-UBND      tháng 02 "
         "năm 2020\n",
         "2020-02-07"},
        {"Số: 863 /UBND-VP      Móng Cái 3, ngày 26 tháng 9 năm 2025\n",
         "2025-09-26"},
        {"THÔNG BÁO\nNgày 29/11/2021, Thường trực Tỉnh ủy họp nghe báo cáo.\n",
         "2021-11-29"},
        {"THÔNG BÁO\nNgày 07 tháng 12 năm 2021, Thường trực Tỉnh ủy.\n",
         "2021-12-07"},
        {"THÔNG BÁO\nChiều ngày 22/05/2023, Thường trực Tỉnh ủy chủ trì.\n",
         "2023-05-22"},
        {"NGHỊ QUYẾT\nXét Tờ trình số 5/TTr-UBND ngày 01/07/2025;\nĐiều 3. "
         "Nghị quyết này được Hội đồng nhân dân tỉnh khóa X, kỳ họp thứ 26 "
         "thông qua ngày 10 tháng 7 năm 2025 và có hiệu lực từ ngày 31 tháng "
         "7 năm 2025./.\n",
         "2025-07-10"},
        {"Kính gửi:\n- Các sở.\nGIÁM ĐỐC\nDương Kim Khoa\nPhụ lục 01\nKẾT "
         "QUẢ\n(Kèm theo Công văn số 923/KSBT-KSDB ngày 14/11/2023 của Trung "
         "tâm Kiểm soát bệnh tật tỉnh Cao Bằng)\n",
         "2023-11-14"},
        /* stamps, portal dates and citations are no signing date */
        {"Thời gian ký: 23.06.2022 08:15:30 +07:00\nCÔNG BÁO/Số 447/Ngày "
         "25-6-2022\nNgày đăng: 18/11/2021 14:47\nCăn cứ Luật Tổ chức chính "
         "quyền địa phương ngày 19 tháng 6 năm 2015\n",
         ""},
        {"THÔNG BÁO\nNgày 99/99/9999, họp.\n", ""},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_meta m;
        extract(cases[i].in, &m);
        assert_string_equal(m.date, cases[i].want);
        vns_meta_fini(&m);
    }
}

static void test_type(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {" THÔNG BÁO \nkết luận của Thường trực Tỉnh ủy\n", "Thông báo"},
        {"ỦY BAN NHÂN DÂN\nSố: 2772/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc ban hành Kế "
         "hoạch\n",
         "Quyết định"},
        {"## **KẾ HOẠCH**\n", "Kế hoạch"},
        {"UBND\nSố: 22/CĐ-UBND\n", "Công điện"},
        {"UBND\nSố: 2/CT-UBND\n", "Chỉ thị"},
        {"UBND\nSố: 98/2025/NQ-HĐND\n", "Nghị quyết"},
        {"SỞ Y TẾ\nSố: 55/HD-KSBT\n", "Hướng dẫn"},
        {"TỈNH ỦY\nSố 63-KH/TU\n", "Kế hoạch"},
        {"UBND\nSố: 7/BC-UBND\n", "Báo cáo"},
        {"UBND\nSố: 7/TTr-UBND\n", "Tờ trình"},
        {"SỞ Y TẾ\nSố : 4070/SYT-NVY\nV/v phòng, chống biến chủng Omicron\n",
         "Công văn"},
        {"TRUNG TÂM CHỈ HUY PHÒNG, CHỐNG DỊCH COVID-19 TỈNH điện:\n- Các sở.\n",
         "Công điện"},
        {"V/v tiêm vắc xin\nKính gửi:\n- Các sở.\n", "Công văn"},
        {"Kính gửi:\n- Các sở.\nGIÁM ĐỐC\nDương Kim Khoa\nPhụ lục 01\n(Kèm "
         "theo Công văn số 923/KSBT-KSDB ngày 14/11/2023 của Trung tâm)\n",
         "Công văn"},
        {"THONG BAO\nket luan cua Thuong truc Tinh uy\n", "Thông báo"},
        {"Hà Nội là thủ đô của Việt Nam.\n", ""},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_meta m;
        extract(cases[i].in, &m);
        assert_string_equal(m.doc_type, cases[i].want);
        vns_meta_fini(&m);
    }
}

static void test_deadlines(void **state)
{
    static const struct {
        const char *in, *want, *sentence;
    } cases[] = {
        {"Sở Y tế hoàn thành trước ngày 11/12/2021.", "2021-12-11",
         "Sở Y tế hoàn thành trước ngày 11/12/2021."},
        {"Đến ngày 15/12/2021: Hoàn thành tiêm mũi 2.", "2021-12-15",
         "Đến ngày 15/12/2021: Hoàn thành tiêm mũi 2."},
        {"Báo cáo chậm nhất ngày 5/12/2021.", "2021-12-05", NULL},
        {"Các xã hoàn thành trước 30/11. Tiếp tục theo dõi.", "2021-11-30",
         "Các xã hoàn thành trước 30/11."},
        {"Trong tháng 01/2022, Sở Y tế tiêm mũi 3.", "2022-01-31", NULL},
        {"Tiêm từ ngày 06/12/2021 đến ngày 20/12/2021.", "2021-12-20", NULL},
        {"Tiêm cho học sinh đến ngày 05/12 cho cơ bản xong.", "2021-12-05",
         NULL},
        {"Báo cáo về Văn phòng (trước ngày 11/12/2021).", "2021-12-11", NULL},
        {"Hoàn thành chậm nhất ngày 05 tháng 12 năm 2021.", "2021-12-05", NULL},
        {"Báo cáo với Thường trực Tỉnh ủy vào chiều ngày thứ hai "
         "(06/12/2021).",
         "2021-12-06", NULL},
        /* a date without year before the notice is the next year's */
        {"Hoàn thành trước ngày 10/01.", "2022-01-10", NULL},
        {"Hoàn thành trong tháng 2.", "2022-02-28", NULL},
        {"Hoàn thành xong trước ngày\n14/01/2022 báo cáo kết quả.",
         "2022-01-14", NULL},
    };
    static const char *const none[] = {
        "Tính đến ngày 30/11/2021, toàn tỉnh đã tiêm 80%.",
        "Thực hiện Công văn số 5432/BYT-DP ngày 12/10/2021 của Bộ Y tế.",
        "Có hiệu lực từ ngày 01/01/2022.",
        "Kết quả thực hiện trước ngày 01/7/2021 của tỉnh cũ.",
        "Hoàn thành trước ngày 99/99/9999.",
        "Hoàn thành trước ngày 31/02/2022.",
        "Họp vào sáng ngày (07/12/2021).",
        "Hoàn thành trước ngày 1234567890123/5/2021.",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512];
        struct vns_meta m;
        size_t head;
        snprintf(text, sizeof(text), "THÔNG BÁO\nNgày 29/11/2021, họp.\n%s",
                 cases[i].in);
        head = strlen(text) - strlen(cases[i].in);
        extract(text, &m);
        assert_int_equal(m.n_deadlines, 1);
        assert_string_equal(m.deadlines[0].date, cases[i].want);
        assert_true(m.deadlines[0].off >= head);
        assert_true(m.deadlines[0].off + m.deadlines[0].len <= strlen(text));
        if (cases[i].sentence != NULL) {
            assert_int_equal(m.deadlines[0].len, strlen(cases[i].sentence));
            assert_memory_equal(text + m.deadlines[0].off, cases[i].sentence,
                                m.deadlines[0].len);
        }
        vns_meta_fini(&m);
    }
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        char text[512];
        struct vns_meta m;
        snprintf(text, sizeof(text), "THÔNG BÁO\nNgày 29/11/2021, họp.\n%s",
                 none[i]);
        extract(text, &m);
        assert_int_equal(m.n_deadlines, 0);
        vns_meta_fini(&m);
    }
}

static void test_signer_subject_refs(void **state)
{
    static const char text[] =
        "TỈNH ỦY NINH THUẬN\nSố 135-TB/TU\n"
        "Phan Rang-Tháp Chàm, ngày 29 tháng 11 năm 2021\nTHÔNG BÁO\n"
        "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY\nvề công tác phòng, chống dịch\n"
        "trên địa bàn tỉnh\n-----\n"
        "Thực hiện Công văn số 5432/BYT-DP ngày 12/10/2021 của Bộ Y tế và "
        "Chỉ thị 16/CT-TTg, theo Quyết định số 2771/QĐ-UBND, ngày 26/11/2021.\n"
        "Nơi nhận:\n- Lưu VT.\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n(Đã ký)\n"
        "Nguyễn Đức Thanh\n";
    struct vns_meta m;

    (void)state;
    extract(text, &m);
    assert_string_equal(m.signer, "Nguyễn Đức Thanh");
    assert_string_equal(m.subject,
                        "về công tác phòng, chống dịch trên địa bàn tỉnh");
    assert_string_equal(m.number, "135-TB/TU");
    assert_int_equal(m.n_refs, 3);
    assert_string_equal(m.refs[0].number, "5432/BYT-DP");
    assert_string_equal(m.refs[0].date, "2021-10-12");
    assert_string_equal(m.refs[1].number, "16/CT-TTg");
    assert_string_equal(m.refs[2].number, "2771/QĐ-UBND");
    assert_string_equal(m.refs[2].date, "2021-11-26");
    assert_non_null(strstr(m.why.date, "line 3"));
    assert_non_null(strstr(m.why.signer, "Nguyễn Đức Thanh"));
    vns_meta_fini(&m);

    extract("SỞ Y TẾ\nSố: 4070/SYT-NVY\nV/v phòng, chống biến chủng Omicron "
            "     Hà Tĩnh, ngày 29 tháng 9 năm 2022\nKính gửi:\n",
            &m);
    assert_string_equal(m.subject, "về phòng, chống biến chủng Omicron");
    assert_string_equal(m.date, "2022-09-29");
    vns_meta_fini(&m);
}

static int has_deadline(const struct vns_meta *m, const char *date)
{
    for (size_t k = 0; k < m->n_deadlines; k++)
        if (strcmp(m->deadlines[k].date, date) == 0)
            return 1;
    return 0;
}

static int has_ref(const struct vns_meta *m, const char *number)
{
    for (size_t k = 0; k < m->n_refs; k++)
        if (strcmp(m->refs[k].number, number) == 0)
            return 1;
    return 0;
}

/* The five real notices, as the extractor gives them. */
static void test_corpus(void **state)
{
    static const struct {
        const char *file, *date, *signer, *deadline, *ref;
    } cases[] = {
        {"ninh-thuan-2021-11-29-thong-bao-ket-luan.txt", "2021-11-29",
         "Nguyễn Đức Thanh", "2021-12-15", NULL},
        {"ninh-thuan-2021-08-31-thong-bao-ket-luan.md", "2021-08-31",
         "Nguyễn Đức Thanh", NULL, "10-TB/VPTW"},
        {"thanh-hoa-2021-12-07-thong-bao-ket-luan.txt", "2021-12-07",
         "Trần Văn Tuấn", NULL, NULL},
        {"lai-chau-2021-11-08-thong-bao-ket-luan.txt", "2021-11-08",
         "Nguyễn Thị Hồng Tuyến", NULL, NULL},
        {"tra-vinh-2021-12-02-thong-bao-ket-luan.txt", "2021-12-02", "",
         "2021-12-05", "2771/QĐ-UBND"},
    };
    struct vns_extractor *ex = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_extractor_new(&ex, &err), VNS_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[256];
        struct vns_text txt = {0};
        struct vns_meta m;

        snprintf(path, sizeof(path), "corpus/%s", cases[i].file);
        assert_int_equal(vns_extract_file(ex, path, &txt, &err), VNS_OK);
        assert_int_equal(
            vns_meta_extract(txt.text, txt.len, txt.title, &m, &err), VNS_OK);
        assert_string_equal(m.date, cases[i].date);
        assert_string_equal(m.doc_type, "Thông báo");
        assert_string_equal(m.number, "");
        assert_string_equal(m.signer, cases[i].signer);
        if (cases[i].deadline != NULL)
            assert_true(has_deadline(&m, cases[i].deadline));
        if (cases[i].ref != NULL)
            assert_true(has_ref(&m, cases[i].ref));
        if (i == 4) /* "... vào chiều ngày thứ hai (06/12/2021)" */
            assert_true(has_deadline(&m, "2021-12-06"));
        vns_meta_fini(&m);
        vns_text_fini(&txt);
    }
    vns_extractor_free(ex);
}

/* The "Nơi nhận" list: items, a wrapped item joined back, the list ends
 * at the signature's capitals. */
static void test_recipients(void **state)
{
    static const struct {
        const char *text;
        const char *want; /* items joined by " | " */
    } cases[] = {
        {"THÔNG BÁO\nNội dung.\nNơi nhận:\n- Thường trực Tỉnh ủy (b/c),\n"
         "- Các sở: Y tế,\nGiáo dục và Đào tạo,\n- Lưu Văn phòng Tỉnh ủy.\n"
         "T/M BAN THƯỜNG VỤ\nBÍ THƯ\nNguyễn Văn A\n",
         "Thường trực Tỉnh ủy (b/c) | Các sở: Y tế, Giáo dục và Đào tạo | "
         "Lưu Văn phòng Tỉnh ủy"},
        {"Nơi nhận: - Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\n",
         "Như trên | Lưu: VT"},
        {"#### Nơi nhận\n-   Sở Y tế;\n", "Sở Y tế"},
        {"Không có danh sách.\n", ""},
        {"Nơi nhận:\n", ""},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_meta m = {0};
        char got[512] = "";
        assert_int_equal(vns_meta_extract(cases[i].text, strlen(cases[i].text),
                                          NULL, &m, NULL),
                         VNS_OK);
        for (size_t k = 0; k < m.n_recipients; k++) {
            if (k > 0)
                strcat(got, " | ");
            strcat(got, m.recipients[k]);
        }
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("case %zu: got \"%s\"", i, got);
        vns_meta_fini(&m);
    }
}

static void test_hostile(void **state)
{
    static const char *const cases[] = {
        "",
        "Số: 99999999999999999999999999999999999999999999999999999999999999"
        "99999/TB-UBND\n",
        "Hà Nội, ngày 99 tháng 99 năm 9999\nngày 99/99/9999\n",
        "Số",
        "Số:",
        "Số: 12/",
        "Hà Nội, ngày 1 tháng",
        "trước ngày 5/",
        "trong tháng",
        "THÔNG BÁO\nNgày 29/11/2021\xE1\xBB", /* cut inside "ạ" */
        "\xC3\x28\xFF\xFE\xE2\x82",
        "+-+-+-+=\n|||***\\\\\\\n(((((1",
        "Kính gửi:\nPhụ lục\n(Kèm theo Công văn số",
    };
    struct vns_meta m;
    struct vns_err err = {0};
    static const char dl[] = "trước ngày 5/12/2021 ", num[] = "Số 1/TB-X\n";
    size_t big = 1024 * 1024;
    char *line;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        extract(cases[i], &m);
        assert_true(strlen(m.number) < sizeof(m.number));
        vns_meta_fini(&m);
    }
    assert_int_equal(vns_meta_extract(NULL, 0, NULL, &m, &err), VNS_OK);
    vns_meta_fini(&m);
    assert_int_equal(vns_meta_extract(NULL, 5, NULL, &m, &err), VNS_EINVAL);
    assert_int_equal(vns_meta_extract("x", 1, NULL, NULL, &err), VNS_EINVAL);

    /* a 1 MB line, unterminated (no NUL read past len), of deadlines */
    line = malloc(big);
    assert_non_null(line);
    for (size_t i = 0; i < big; i++)
        line[i] = dl[i % strlen(dl)];
    assert_int_equal(vns_meta_extract(line, big, NULL, &m, &err), VNS_OK);
    assert_true(m.n_deadlines <= VNS_META_MAX_DEADLINES);
    vns_meta_fini(&m);
    memset(line, 'S', big);
    assert_int_equal(vns_meta_extract(line, big, NULL, &m, &err), VNS_OK);
    vns_meta_fini(&m);
    for (size_t i = 0; i < big; i++)
        line[i] = num[i % strlen(num)];
    assert_int_equal(vns_meta_extract(line, big, NULL, &m, &err), VNS_OK);
    assert_string_equal(m.number, "1/TB-X");
    assert_true(m.n_refs <= VNS_META_MAX_REFS);
    vns_meta_fini(&m);
    free(line);
    vns_meta_fini(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number),
        cmocka_unit_test(test_date),
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_signer_subject_refs),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_recipients),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
