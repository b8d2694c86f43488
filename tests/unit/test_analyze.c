/* Unit tests for lib/analyze.c and lib/fold.c: every Vietnamese letter
 * form, tone placement, NFD, đ, compounds, invalid UTF-8, offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "fold.h"
#include "vnsearch/analyze.h"

/* The 12 vowels with their 6 tones, lower and upper case, and their base. */
static const struct {
    const char *lower, *upper, *base;
} vowels[] = {
    {"a à á ả ã ạ", "A À Á Ả Ã Ạ", "a"}, {"ă ằ ắ ẳ ẵ ặ", "Ă Ằ Ắ Ẳ Ẵ Ặ", "a"},
    {"â ầ ấ ẩ ẫ ậ", "Â Ầ Ấ Ẩ Ẫ Ậ", "a"}, {"e è é ẻ ẽ ẹ", "E È É Ẻ Ẽ Ẹ", "e"},
    {"ê ề ế ể ễ ệ", "Ê Ề Ế Ể Ễ Ệ", "e"}, {"i ì í ỉ ĩ ị", "I Ì Í Ỉ Ĩ Ị", "i"},
    {"o ò ó ỏ õ ọ", "O Ò Ó Ỏ Õ Ọ", "o"}, {"ô ồ ố ổ ỗ ộ", "Ô Ồ Ố Ổ Ỗ Ộ", "o"},
    {"ơ ờ ớ ở ỡ ợ", "Ơ Ờ Ớ Ở Ỡ Ợ", "o"}, {"u ù ú ủ ũ ụ", "U Ù Ú Ủ Ũ Ụ", "u"},
    {"ư ừ ứ ử ữ ự", "Ư Ừ Ứ Ử Ữ Ự", "u"}, {"y ỳ ý ỷ ỹ ỵ", "Y Ỳ Ý Ỷ Ỹ Ỵ", "y"},
};

/* Split "a b c" into its space-separated words. */
static int split(const char *s, char words[][8], int max)
{
    int n = 0;
    while (*s && n < max) {
        size_t l = strcspn(s, " ");
        memcpy(words[n], s, l);
        words[n++][l] = '\0';
        s += l;
        s += strspn(s, " ");
    }
    return n;
}

static void nfd(const char *in, char *out, size_t cap)
{
    UChar u[256], d[512];
    int32_t n, m, o;
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFDInstance(&st);

    u_strFromUTF8(u, 256, &n, in, -1, &st);
    m = unorm2_normalize(nf, u, n, d, 512, &st);
    u_strToUTF8(out, (int32_t)cap, &o, d, m, &st);
    assert_true(U_SUCCESS(st));
}

/* Every letter form, both cases, NFC and NFD: exact is the lower-case NFC
 * letter, folded its base letter. */
static void test_every_letter(void **state)
{
    char lo[6][8], up[6][8], exact[16], folded[16], d[32];
    int count = 0;

    (void)state;
    for (size_t v = 0; v < sizeof(vowels) / sizeof(vowels[0]); v++) {
        assert_int_equal(split(vowels[v].lower, lo, 6), 6);
        assert_int_equal(split(vowels[v].upper, up, 6), 6);
        for (int t = 0; t < 6; t++) {
            const char *forms[3] = {lo[t], up[t], d};
            nfd(up[t], d, sizeof(d));
            for (int k = 0; k < 3; k++) {
                unsigned fl = vns_word_forms(forms[k], strlen(forms[k]), exact,
                                             folded, sizeof(exact));
                assert_true(fl & VNS_TOK_ALPHA);
                assert_string_equal(exact, lo[t]);
                assert_string_equal(folded, vowels[v].base);
                assert_int_equal(!!(fl & VNS_TOK_MARKED),
                                 strcmp(lo[t], vowels[v].base) != 0);
            }
            if (strcmp(lo[t], vowels[v].base) != 0)
                count += 2;
        }
    }
    /* 12 vowels x 6 forms x 2 cases, less the 5 plain a e i o u y... */
    assert_int_equal(count, 12 * 6 * 2 - 5 * 2 - 2);
}

static void test_fold(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"Quảng Trị", "quang tri"},
        {"ĐỒNG NAI", "dong nai"},
        {"đường Đinh Tiên Hoàng", "duong dinh tien hoang"},
        {"Tỉnh uỷ Ninh Thuận", "tinh uy ninh thuan"},
        {"tiêm mũi 2", "tiem mui 2"},
        {"Covid-19 deadline", "covid-19 deadline"},
        {"", ""},
        {"Thành phố Hồ Chí Minh", "thanh pho ho chi minh"},
    };
    char out[128];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(vns_fold(cases[i].in, out, sizeof(out)), VNS_OK);
        assert_string_equal(out, cases[i].want);
    }
    assert_int_equal(vns_fold("Quảng Trị", out, 4), VNS_ETOOBIG);
}

/* Both tone placements give one exact form: the traditional one. */
static void test_tone_placement(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"hoà", "hòa"},
        {"hòa", "hòa"},
        {"thuỷ", "thủy"},
        {"thủy", "thủy"},
        {"uỷ", "ủy"},
        {"Uỷ", "ủy"},
        {"khoẻ", "khỏe"},
        {"toà", "tòa"},
        {"TOÀ", "tòa"},
        {"hoàng", "hoàng"},
        {"hòang", "hoàng"},
        {"thuyền", "thuyền"},
        {"người", "người"},
        {"khuỷu", "khuỷu"},
        {"ngoài", "ngoài"},
        {"ngòai", "ngoài"},
        {"quả", "quả"},
        {"quý", "quý"},
        {"giữa", "giữa"},
        {"gì", "gì"},
        {"giá", "giá"},
        {"của", "của"},
        {"mùa", "mùa"},
        {"quốc", "quốc"},
        {"hoạch", "hoạch"},
        {"quỳnh", "quỳnh"},
        {"tuổi", "tuổi"},
        {"Khỏe", "khỏe"},
        {"xoá", "xóa"},
        {"THUỶ", "thủy"},
        /* not one Vietnamese syllable: left alone */
        {"café", "café"},
        {"hoàx", "hoàx"},
    };
    char exact[64], folded[64];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_true(vns_word_forms(cases[i].in, strlen(cases[i].in), exact,
                                   folded, sizeof(exact)) != 0);
        if (strcmp(exact, cases[i].want) != 0)
            fail_msg("%s: got %s, want %s", cases[i].in, exact, cases[i].want);
    }
}

struct collected {
    const char *text;
    size_t len;
    char got[1024];
    size_t n;
};

static int collect(const struct vns_token *t, void *ctx)
{
    struct collected *c = ctx;
    size_t l = strlen(c->got);

    snprintf(c->got + l, sizeof(c->got) - l, "%s%s%s", l ? " " : "",
             t->flags & VNS_TOK_COMPOUND ? "+" : "", t->exact);
    /* offsets point at the token in the text, on UTF-8 boundaries */
    assert_true(t->off + t->len <= c->len);
    assert_true(((unsigned char)c->text[t->off] & 0xC0) != 0x80);
    c->n++;
    return 0;
}

static void analyze_to(const char *text, size_t len, struct collected *c)
{
    struct vns_analyzer *an = NULL;
    struct vns_err err = {0};

    memset(c, 0, sizeof(*c));
    c->text = text;
    c->len = len;
    assert_int_equal(vns_analyzer_new(&an, &err), VNS_OK);
    assert_int_equal(vns_analyze(an, text, len, collect, c, &err), VNS_OK);
    vns_analyzer_free(an);
}

/* Numbers, dates, document numbers and codes stay whole besides their
 * parts; '+' marks the compound in the listing. */
static void test_tokens(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"ngày 15/12/2021", "ngày 15 12 2021 +15/12/2021"},
        {"Quyết định số 2771/QĐ-UBND",
         "quyết định số 2771 qđ ubnd +2771/qđ-ubnd"},
        {"10-TB/VPTW", "10 tb vptw +10-tb/vptw"},
        {"Covid-19 F0 5S", "covid 19 +covid-19 f0 5s"},
        {"SARS-CoV-2", "sars cov 2 +sars-cov-2"},
        {"từ 12-17 tuổi", "từ 12 17 +12-17 tuổi"},
        {"Phan Rang-Tháp Chàm", "phan rang tháp chàm"},
        {"tiêm mũi 2 deadline", "tiêm mũi 2 deadline"},
        {"Tỉnh uỷ, Tỉnh ủy.", "tỉnh ủy tỉnh ủy"},
        {"", ""},
        {" ,.;- ", ""},
    };
    struct collected c;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        analyze_to(cases[i].in, strlen(cases[i].in), &c);
        assert_string_equal(c.got, cases[i].want);
    }
}

static int check_offsets(const struct vns_token *t, void *ctx)
{
    const char *text = ctx;
    char ex[VNS_TERM_MAX], fo[VNS_TERM_MAX];

    if (t->flags & VNS_TOK_COMPOUND)
        return 0;
    /* re-deriving forms from the span gives the same token */
    assert_true(vns_word_forms(text + t->off, t->len, ex, fo, sizeof(ex)));
    assert_string_equal(ex, t->exact);
    return 0;
}

/* Every token of text spans the bytes it was made from; then its tokens
 * as analyze_to lists them, into c. */
static void offsets_then_tokens(const char *text, struct collected *c)
{
    struct vns_analyzer *an = NULL;

    assert_int_equal(vns_analyzer_new(&an, NULL), VNS_OK);
    assert_int_equal(
        vns_analyze(an, text, strlen(text), check_offsets, (void *)text, NULL),
        VNS_OK);
    vns_analyzer_free(an);
    analyze_to(text, strlen(text), c);
}

static void test_offsets_and_positions(void **state)
{
    const char *text = "Ngày 29/11/2021, Thường trực Tỉnh uỷ họp";
    struct collected c;

    (void)state;
    offsets_then_tokens(text, &c);
    assert_string_equal(c.got,
                        "ngày 29 11 2021 +29/11/2021 thường trực tỉnh ủy họp");
}

/* Offsets stay right past characters of two UTF-16 units (the word
 * break runs on UTF-16): emoji, mathematical digits, CJK extension B. */
static void test_offsets_past_astral(void **state)
{
    const char *text = "\xF0\x9F\x98\x80 tiêm \xF0\x9D\x9F\x9A mũi "
                       "\xF0\xA0\x80\x80\xF0\x9F\x98\x80 2 hạn "
                       "\xF0\x9F\x98\x80"
                       "chót";
    struct collected c;

    (void)state;
    offsets_then_tokens(text, &c);
    assert_non_null(strstr(c.got, "tiêm"));
    assert_non_null(strstr(c.got, "mũi"));
    assert_non_null(strstr(c.got, "hạn"));
    assert_non_null(strstr(c.got, "chót"));
}

/* NFD input analyzes like NFC input. */
static void test_nfd_text(void **state)
{
    const char *nfc = "Thông báo kết luận của Thường trực Tỉnh ủy Đồng Nai";
    char d[256];
    struct collected a, b;

    (void)state;
    nfd(nfc, d, sizeof(d));
    assert_string_not_equal(d, nfc);
    analyze_to(nfc, strlen(nfc), &a);
    analyze_to(d, strlen(d), &b);
    assert_string_equal(a.got, b.got);
}

/* Invalid UTF-8 never crashes and separates tokens. */
static void test_invalid_utf8(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
        {"ti\xFF\xFEm m\xC5", 8, "ti m m"}, {"\xC3", 1, ""},
        {"mũi\x80 2", 8, "mũi 2"},          {"\xE1\xBB", 2, ""},
        {"abc\0def", 7, "abc def"},
    };
    struct collected c;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        analyze_to(cases[i].in, cases[i].len, &c);
        assert_string_equal(c.got, cases[i].want);
    }
}

static int stop_at_two(const struct vns_token *t, void *ctx)
{
    (void)t;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_stop_early(void **state)
{
    struct vns_analyzer *an = NULL;
    int seen = 0;

    (void)state;
    assert_int_equal(vns_analyzer_new(&an, NULL), VNS_OK);
    assert_int_equal(
        vns_analyze(an, "một hai ba", 12, stop_at_two, &seen, NULL), 42);
    assert_int_equal(seen, 2);
    vns_analyzer_free(an);
}

/* Words too long for a term are skipped, not truncated. */
static void test_long_word(void **state)
{
    char text[600];
    struct collected c;

    (void)state;
    memset(text, 'x', 300);
    strcpy(text + 300, " ok");
    analyze_to(text, strlen(text), &c);
    assert_string_equal(c.got, "ok");
}

/* Mixed Vietnamese and English, other scripts through ICU. */
static void test_mixed(void **state)
{
    struct collected c;
    const char *t = "Deadline tiêm vắc-xin ÉCOLE Straße";

    (void)state;
    analyze_to(t, strlen(t), &c);
    assert_string_equal(c.got, "deadline tiêm vắc xin école strasse");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_letter),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_tone_placement),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_offsets_and_positions),
        cmocka_unit_test(test_nfd_text),
        cmocka_unit_test(test_offsets_past_astral),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_stop_early),
        cmocka_unit_test(test_long_word),
        cmocka_unit_test(test_mixed),
    };
    return cmocka_run_group_tests_name("analyze", tests, NULL, NULL);
}
