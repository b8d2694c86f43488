/* Unit tests for vns_text_clean (lib/normalize.c): UTF-8 repair, control
 * characters, line ends and NFC. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vnsearch/analyze.h"

#define FFFD "\xEF\xBF\xBD"
#define CASE(in, want, nbad)                                                   \
    {                                                                          \
        in, sizeof(in) - 1, want, sizeof(want) - 1, nbad                       \
    }

static void test_clean_cases(void **state)
{
    static const struct {
        const char *in;
        size_t inlen;
        const char *want;
        size_t wantlen;
        size_t nbad;
    } cases[] = {
        CASE("", "", 0),
        CASE("abc", "abc", 0),
        CASE("Thông báo", "Thông báo", 0),
        /* emoji: a valid 4-byte sequence stays */
        CASE("a\xF0\x9F\x98\x80z", "a\xF0\x9F\x98\x80z", 0),
        /* lone continuation bytes, one U+FFFD each */
        CASE("a\x80z", "a" FFFD "z", 1),
        CASE("a\x80\xBFz", "a" FFFD FFFD "z", 2),
        /* 0xFF, 0xFE and F5..F7 never start anything */
        CASE("\xFF", FFFD, 1),
        CASE("x\xFE\xFFy", "x" FFFD FFFD "y", 2),
        CASE("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, 4),
        /* truncated tail: the valid prefix is one maximal subpart */
        CASE("ab\xE1\xBA", "ab" FFFD, 1),
        CASE("ab\xF0\x9F\x98", "ab" FFFD, 1),
        CASE("ab\xC3", "ab" FFFD, 1),
        /* truncated in the middle */
        CASE("\xE1\xBAz\xE1\xBA\xA1", FFFD "z\xE1\xBA\xA1", 1),
        /* overlong forms: C0/C1 are never valid; E0 80.. and F0 80.. fail
         * at the second byte */
        CASE("\xC0\xAF", FFFD FFFD, 2),
        CASE("\xC1\xBF", FFFD FFFD, 2),
        CASE("\xE0\x80\xAF", FFFD FFFD FFFD, 3),
        CASE("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, 4),
        /* UTF-16 surrogates encoded in UTF-8 (CESU-8) */
        CASE("\xED\xA0\x80", FFFD FFFD FFFD, 3),
        CASE("\xED\xBF\xBF!", FFFD FFFD FFFD "!", 3),
        /* above U+10FFFF */
        CASE("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4),
        /* line ends: \r\n and lone \r become \n */
        CASE("a\r\nb\rc\n", "a\nb\nc\n", 0),
        CASE("\r\r\n\r", "\n\n\n", 0),
        /* NUL and controls go; \t and \n stay */
        CASE("a\0b", "ab", 0),
        CASE("a\x01\x08\x0B\x0C\x1B\x1F\x7F\tb\n", "a\tb\n", 0),
        /* C1 controls (NEL U+0085, CSI U+009B) go too */
        CASE("a\xC2\x85"
             "b\xC2\x9B"
             "c",
             "abc", 0),
        /* the BOM is a character, not a control: extract.c strips it */
        CASE("\xEF\xBB\xBFx", "\xEF\xBB\xBFx", 0),
        /* NFD "Thông báo": o + U+0302, a + U+0301 */
        CASE("Tho\xCC\x82ng ba\xCC\x81o", "Th\xC3\xB4ng b\xC3\xA1o", 0),
        /* stacked marks in either order give one "ệ" (U+1EC7) */
        CASE("Vie\xCC\xA3\xCC\x82t", "Vi\xE1\xBB\x87t", 0),
        CASE("Vie\xCC\x82\xCC\xA3t", "Vi\xE1\xBB\x87t", 0),
        /* "Đ" stays, "ủy" decomposed (u + U+0309) is composed */
        CASE("\xC4\x90"
             "a\xCC\x89ng u\xCC\x89y",
             "\xC4\x90\xE1\xBA\xA3ng \xE1\xBB\xA7y", 0),
        /* bad bytes and NFD in one text */
        CASE("\xFFTho\xCC\x82ng\r\n", FFFD "Th\xC3\xB4ng\n", 1),
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        size_t outlen = 0, nbad = 99;
        struct vns_err err = {0};

        assert_int_equal(vns_text_clean(cases[i].in, cases[i].inlen, &out,
                                        &outlen, &nbad, &err),
                         VNS_OK);
        assert_non_null(out);
        assert_int_equal(outlen, cases[i].wantlen);
        assert_memory_equal(out, cases[i].want, cases[i].wantlen);
        assert_int_equal(out[outlen], '\0');
        assert_int_equal(nbad, cases[i].nbad);
        free(out);
    }
}

static void test_clean_args(void **state)
{
    char *out = NULL;
    size_t outlen = 7;
    struct vns_err err = {0};

    (void)state;
    /* empty input may come as NULL; nbad may be NULL */
    assert_int_equal(vns_text_clean(NULL, 0, &out, &outlen, NULL, &err),
                     VNS_OK);
    assert_string_equal(out, "");
    assert_int_equal(outlen, 0);
    free(out);
    /* err may be NULL too */
    out = NULL;
    assert_int_equal(vns_text_clean("x", 1, &out, &outlen, NULL, NULL), VNS_OK);
    assert_string_equal(out, "x");
    free(out);
    out = NULL;
    assert_int_equal(vns_text_clean("x", 1, NULL, &outlen, NULL, &err),
                     VNS_EINVAL);
    assert_int_equal(err.code, VNS_EINVAL);
    assert_int_equal(vns_text_clean(NULL, 5, &out, &outlen, NULL, &err),
                     VNS_EINVAL);
    assert_null(out);
    /* the ceiling is checked before a byte is read */
    assert_int_equal(
        vns_text_clean("x", VNS_MAX_TEXT + 1u, &out, &outlen, NULL, &err),
        VNS_ETOOBIG);
    assert_int_equal(err.code, VNS_ETOOBIG);
    assert_null(out);
}

/* A megabyte of decomposed Vietnamese comes out composed, byte for byte
 * the same as the precomposed text. */
static void test_clean_big_nfd(void **state)
{
    static const char nfd[] = "Tho\xCC\x82ng ba\xCC\x81o ke\xCC\x82\xCC\x81t "
                              "lua\xCC\x82\xCC\xA3n.\n";
    static const char nfc[] = "Thông báo kết luận.\n";
    size_t reps = (1u << 20) / (sizeof(nfd) - 1), outlen = 0, nbad = 1;
    char *in, *want, *out = NULL;

    (void)state;
    in = malloc(reps * (sizeof(nfd) - 1));
    want = malloc(reps * (sizeof(nfc) - 1));
    assert_non_null(in);
    assert_non_null(want);
    for (size_t i = 0; i < reps; i++) {
        memcpy(in + i * (sizeof(nfd) - 1), nfd, sizeof(nfd) - 1);
        memcpy(want + i * (sizeof(nfc) - 1), nfc, sizeof(nfc) - 1);
    }
    assert_int_equal(vns_text_clean(in, reps * (sizeof(nfd) - 1), &out, &outlen,
                                    &nbad, NULL),
                     VNS_OK);
    assert_int_equal(outlen, reps * (sizeof(nfc) - 1));
    assert_memory_equal(out, want, outlen);
    assert_int_equal(nbad, 0);
    free(out);
    free(want);
    free(in);
}

/* Every byte value in every position: never a crash, always valid output
 * that a second pass leaves alone. */
static void test_clean_all_bytes(void **state)
{
    unsigned char buf[4 * 256];
    char *once = NULL, *twice = NULL;
    size_t n1 = 0, n2 = 0, bad2 = 1;

    (void)state;
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)((i * 7 + i / 256) & 0xFF);
    assert_int_equal(
        vns_text_clean((const char *)buf, sizeof(buf), &once, &n1, NULL, NULL),
        VNS_OK);
    assert_int_equal(vns_text_clean(once, n1, &twice, &n2, &bad2, NULL),
                     VNS_OK);
    assert_int_equal(bad2, 0);
    assert_int_equal(n1, n2);
    assert_memory_equal(once, twice, n1);
    assert_null(memchr(once, '\0', n1));
    assert_null(memchr(once, '\r', n1));
    free(twice);
    free(once);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_cases),
        cmocka_unit_test(test_clean_args),
        cmocka_unit_test(test_clean_big_nfd),
        cmocka_unit_test(test_clean_all_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
