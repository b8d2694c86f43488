/* Unit tests for lib/encoding.c: the fixtures of tests/files/good/enc/
 * (scripts/gen-enc-fixtures) decoded exactly, detection, hostile bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "extract.h"
#include "vnsearch/analyze.h"

#define DIR "tests/files/good/enc/"

static const char sentence[] =
    "Thông báo kết luận của Thường trực Tỉnh ủy về công tác phòng, chống "
    "dịch Covid-19, hoàn thành tiêm mũi 2 trước ngày 15/12/2021.";
static const char text[] =
    "THÔNG BÁO KẾT LUẬN\n"
    "Thông báo kết luận của Thường trực Tỉnh ủy về công tác phòng, chống "
    "dịch Covid-19, hoàn thành tiêm mũi 2 trước ngày 15/12/2021.\n";
static const char lower[] =
    "aáàảãạ ăắằẳẵặ âấầẩẫậ eéèẻẽẹ êếềểễệ iíìỉĩị oóòỏõọ ôốồổỗộ ơớờởỡợ "
    "uúùủũụ ưứừửữự yýỳỷỹỵ đ\n";
static const char upper[] =
    "AÁÀẢÃẠ ĂẮẰẲẴẶ ÂẤẦẨẪẬ EÉÈẺẼẸ ÊẾỀỂỄỆ IÍÌỈĨỊ OÓÒỎÕỌ ÔỐỒỔỖỘ ƠỚỜỞỠỢ "
    "UÚÙỦŨỤ ƯỨỪỬỮỰ YÝỲỶỸỴ Đ\n";

static char *slurp(const char *path, size_t *len)
{
    struct vns_blob b = {0};
    struct vns_err err = {0};

    if (vns_blob_read(path, 1u << 20, &b, &err) != VNS_OK)
        fail_msg("%s", err.msg);
    *len = b.len;
    return b.data;
}

/* Decode in e and make it NFC, as extraction does. */
static char *decode_nfc(enum vns_encoding e, const char *data, size_t len,
                        size_t *nbad)
{
    char *raw = NULL, *out = NULL;
    size_t rlen = 0, olen = 0;
    struct vns_err err = {0};

    if (vns_encoding_decode(e, data, len, &raw, &rlen, nbad, &err) != VNS_OK)
        fail_msg("decode %s: %s", vns_encoding_name(e), err.msg);
    assert_int_equal(vns_text_clean(raw, rlen, &out, &olen, NULL, &err),
                     VNS_OK);
    free(raw);
    return out;
}

/* Each fixture is told apart from the others with libmagic's useless
 * label, and reads back as the sentence it was made from. */
static void test_fixtures(void **state)
{
    static const struct {
        const char *file;
        enum vns_encoding enc;
    } cases[] = {
        {DIR "cp1258.txt", VNS_ENC_CP1258},
        {DIR "viscii.txt", VNS_ENC_VISCII},
        /* "THÔNG BáO KếT LUậN" in the file: capitals restored */
        {DIR "tcvn3.txt", VNS_ENC_TCVN3},
        {DIR "vni.txt", VNS_ENC_VNI},
        {DIR "utf16le.txt", VNS_ENC_UTF16LE},
        {DIR "utf16be.txt", VNS_ENC_UTF16BE},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_err err = {0};
        enum vns_encoding e;
        size_t len, bad = 99;
        char *data = slurp(cases[i].file, &len), *out;

        if (vns_encoding_detect(data, len, "iso-8859-1", &e, &err) != VNS_OK)
            fail_msg("%s: %s", cases[i].file, err.msg);
        if (e != cases[i].enc)
            fail_msg("%s: detected %s", cases[i].file, vns_encoding_name(e));
        out = decode_nfc(e, data, len, &bad);
        assert_string_equal(out, text);
        assert_int_equal(bad, 0);
        free(out);
        free(data);
    }
}

/* Every Vietnamese letter, both cases (TCVN3 has no toned capitals). */
static void test_alphabet(void **state)
{
    static const struct {
        const char *file;
        enum vns_encoding enc;
        bool capitals;
    } cases[] = {
        {DIR "alphabet-cp1258.txt", VNS_ENC_CP1258, true},
        {DIR "alphabet-viscii.txt", VNS_ENC_VISCII, true},
        {DIR "alphabet-tcvn3.txt", VNS_ENC_TCVN3, false},
        {DIR "alphabet-vni.txt", VNS_ENC_VNI, true},
    };
    char want[1024];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        char *data = slurp(cases[i].file, &len), *out;

        snprintf(want, sizeof(want), "%s%s", lower,
                 cases[i].capitals ? upper : "");
        out = decode_nfc(cases[i].enc, data, len, NULL);
        if (strcmp(out, want) != 0)
            fail_msg("%s:\n%s\nwant\n%s", cases[i].file, out, want);
        free(out);
        free(data);
    }
}

static void test_labels(void **state)
{
    static const struct {
        const char *label;
        bool ours;
        enum vns_encoding enc;
    } cases[] = {
        {"windows-1258", true, VNS_ENC_CP1258},
        {"CP1258", true, VNS_ENC_CP1258},
        {"VISCII", true, VNS_ENC_VISCII},
        {"TCVN5712-1", true, VNS_ENC_TCVN3},
        {"x-viet-vni", true, VNS_ENC_VNI},
        {"utf-16le", true, VNS_ENC_UTF16LE},
        {"UTF-16BE", true, VNS_ENC_UTF16BE},
        {"iso-8859-1", false, 0},
        {"unknown-8bit", false, 0},
        {"", false, 0},
        {NULL, false, 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum vns_encoding e = VNS_ENC_VNI;

        assert_int_equal(vns_encoding_from_label(cases[i].label, &e),
                         cases[i].ours);
        if (cases[i].ours)
            assert_int_equal(e, cases[i].enc);
    }
    /* a label of ours wins over the bytes */
    {
        enum vns_encoding e;

        assert_int_equal(vns_encoding_detect("abc", 3, "VISCII", &e, NULL),
                         VNS_OK);
        assert_int_equal(e, VNS_ENC_VISCII);
    }
}

/* What is refused, and how it is said. */
static void test_refused(void **state)
{
    static const char latin1[] = "Caf\xE9 cr\xE8me br\xFBl\xE9"
                                 "e, d\xE9j\xE0 vu, na\xEFve fa\xE7"
                                 "ade.\n";
    /* "tớm cỬn hỰn dịc" in VISCII, "tắm cẳn hạn dác" in TCVN3 */
    static const char both[] = "t\xBEm c\xBCn h\xB9n d\xB8"
                               "c";
    static const char nul[] = "Th\xAB\x00ng b\xB8o k\xD5t lu\xCBn c\xF1"
                              "a T\xD8nh \xF1y";
    static const struct {
        const char *data;
        size_t len;
        const char *label, *msg;
    } cases[] = {
        {"", 0, NULL, "unsupported text encoding (unknown)"},
        {latin1, sizeof(latin1) - 1, "iso-8859-1",
         "unsupported text encoding iso-8859-1"},
        {both, sizeof(both) - 1, "unknown-8bit",
         "unsupported text encoding (looks like viscii or tcvn3)"},
        /* TCVN3 but for a NUL: binary */
        {nul, sizeof(nul) - 1, "binary", "unsupported text encoding binary"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_err err = {0};
        enum vns_encoding e = VNS_ENC_VNI;

        assert_int_equal(vns_encoding_detect(cases[i].data, cases[i].len,
                                             cases[i].label, &e, &err),
                         VNS_EUNSUPPORTED);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(e, VNS_ENC_VNI); /* untouched */
    }
}

/* Broken UTF-16: odd length, lone surrogates, nothing after the BOM. */
static void test_utf16_broken(void **state)
{
    static const struct {
        const char *data;
        size_t len;
        enum vns_encoding enc;
        const char *want;
        size_t bad;
    } cases[] = {
        {"\xFF\xFE", 2, VNS_ENC_UTF16LE, "", 0},
        {"\xFF\xFE"
         "T\0h\0\xF4\0n\0g\0",
         12, VNS_ENC_UTF16LE, "Thông", 0},
        /* a byte short: the half code unit is U+FFFD */
        {"\xFE\xFF\0T\0h\0\xF4\0n\0", 11, VNS_ENC_UTF16BE, "Thôn\xEF\xBF\xBD",
         1},
        /* high surrogate without its low half, then a lone low one */
        {"\xFF\xFE\x3D\xD8x\0\x00\xDCy\0", 10, VNS_ENC_UTF16LE,
         "\xEF\xBF\xBDx\xEF\xBF\xBDy", 2},
        /* a pair at the very end, cut in half */
        {"\xFF\xFEx\0\x3D\xD8", 6, VNS_ENC_UTF16LE, "x\xEF\xBF\xBD", 1},
        /* a whole pair: U+1F600 */
        {"\xFF\xFE\x3D\xD8\x00\xDE", 6, VNS_ENC_UTF16LE, "\xF0\x9F\x98\x80", 0},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_err err = {0};
        enum vns_encoding e;
        char *out = NULL;
        size_t olen = 0, bad = 99;

        assert_int_equal(vns_encoding_detect(cases[i].data, cases[i].len,
                                             "binary", &e, &err),
                         VNS_OK);
        assert_int_equal(e, cases[i].enc);
        assert_int_equal(vns_encoding_decode(e, cases[i].data, cases[i].len,
                                             &out, &olen, &bad, &err),
                         VNS_OK);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(olen, strlen(cases[i].want));
        assert_int_equal(bad, cases[i].bad);
        free(out);
    }
}

/* Random bytes: refused (or decoded) without a crash, never mistaken for
 * Vietnamese; every encoding decodes them to valid UTF-8. */
static void test_random(void **state)
{
    static const size_t sizes[] = {1, 2, 3, 17, 256, 4096, 70000};
    static const enum vns_encoding all[] = {VNS_ENC_UTF16LE, VNS_ENC_UTF16BE,
                                            VNS_ENC_CP1258,  VNS_ENC_VISCII,
                                            VNS_ENC_TCVN3,   VNS_ENC_VNI};
    uint32_t x = 12345;

    (void)state;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (int round = 0; round < 4; round++) {
            size_t n = sizes[s];
            unsigned char *buf = malloc(n);
            enum vns_encoding e;

            assert_non_null(buf);
            for (size_t i = 0; i < n; i++) {
                x = x * 1103515245u + 12345u;
                buf[i] = (unsigned char)(x >> 16);
                /* round 1: no controls, so only the words can refuse it */
                if (round == 1 && buf[i] < 0x20)
                    buf[i] |= 0x40;
            }
            if (n > 1 && buf[0] == 0xFF)
                buf[0] = 0x41; /* no byte order mark by chance */
            assert_int_equal(
                vns_encoding_detect((char *)buf, n, "binary", &e, NULL),
                VNS_EUNSUPPORTED);
            for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++) {
                char *out = NULL, *clean = NULL;
                size_t olen = 0, clen = 0, bad = 0;

                assert_int_equal(vns_encoding_decode(all[k], (char *)buf, n,
                                                     &out, &olen, &bad, NULL),
                                 VNS_OK);
                /* valid UTF-8 already: cleaning finds nothing to replace */
                assert_int_equal(
                    vns_text_clean(out, olen, &clean, &clen, &bad, NULL),
                    VNS_OK);
                assert_int_equal(bad, 0);
                free(clean);
                free(out);
            }
            free(buf);
        }
    }
}

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

/* Through the extractor: files, HTML undeclared or declared in a charset
 * libxml2 does not know, and text without diacritics. */
static void test_extract(void **state)
{
    static const struct {
        const char *file, *format, *text;
    } cases[] = {
        {DIR "cp1258.txt", "text", text},
        {DIR "viscii.txt", "text", text},
        {DIR "tcvn3.txt", "text", text},
        {DIR "vni.txt", "text", text},
        {DIR "utf16le.txt", "text", text},
        {DIR "utf16be.txt", "text", text},
        {DIR "tcvn3.html", "html", sentence},
        {DIR "vni.html", "html", sentence},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_text t = {0};
        struct vns_err err = {0};
        char want[512];

        if (vns_extract_file(*state, cases[i].file, &t, &err) != VNS_OK)
            fail_msg("%s", err.msg);
        assert_string_equal(t.format, cases[i].format);
        /* lines, without the last newline */
        snprintf(want, sizeof(want), "%s", cases[i].text);
        if (want[strlen(want) - 1] == '\n')
            want[strlen(want) - 1] = '\0';
        assert_string_equal(t.text, want);
        assert_int_equal(t.bad_utf8, 0);
        vns_text_fini(&t);
    }
}

static void test_extract_plain(void **state)
{
    static const char ascii[] = "Thong bao ket luan cua Thuong truc Tinh uy.";
    struct vns_text t = {0};
    struct vns_err err = {0};

    assert_int_equal(vns_extract_blob(*state, "khong-dau.txt", ascii,
                                      sizeof(ascii) - 1, &t, &err),
                     VNS_OK);
    assert_string_equal(t.text, ascii);
    vns_text_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_alphabet),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_utf16_broken),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_extract),
        cmocka_unit_test(test_extract_plain),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
