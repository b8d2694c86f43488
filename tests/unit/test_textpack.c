/* Unit tests for lib/textpack.c: stored texts round-trip, short texts stay
 * as they are, and a damaged or oversized frame is an index error, never
 * a crash or a huge allocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "textpack.h"

/* The value read back from the index: a malloc'd, NUL-terminated copy. */
static char *stored(const char *v, size_t n)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memcpy(s, v, n);
    s[n] = '\0';
    return s;
}

static void test_round_trip(void **state)
{
    const char *line = "Sở Y tế chủ trì, phối hợp với UBND các huyện triển "
                       "khai tiêm mũi 2 cho người dân, hoàn thành trước "
                       "ngày 15/12/2021.\n";
    size_t ll = strlen(line), n = 0, len = 0;
    char *text = malloc(ll * 200 + 1), *z = NULL, *s;

    (void)state;
    assert_non_null(text);
    for (int i = 0; i < 200; i++)
        memcpy(text + (size_t)i * ll, line, ll);
    n = ll * 200;
    text[n] = '\0';
    assert_int_equal(vns_text_pack(text, n, &z, &len, NULL), VNS_OK);
    assert_true(len < n / 10); /* a repeated line: far smaller */
    s = stored(z, len);
    assert_int_equal(vns_text_unpack(&s, &len, NULL), VNS_OK);
    assert_int_equal(len, n);
    assert_memory_equal(s, text, n);
    assert_int_equal(s[len], '\0');
    free(s);
    free(z);
    free(text);
}

/* Too short to shrink: stored as it is, read back as it is (also how
 * format 2 indexes hold every text). */
static void test_short_stays(void **state)
{
    const char *t = "Về việc";
    size_t len = 0;
    char *z = NULL, *s;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_text_pack(t, strlen(t), &z, &len, &err), VNS_OK);
    assert_int_equal(len, strlen(t));
    assert_memory_equal(z, t, len);
    s = stored(z, len);
    assert_int_equal(vns_text_unpack(&s, &len, &err), VNS_OK);
    assert_string_equal(s, t);
    free(s);
    free(z);
    /* empty */
    assert_int_equal(vns_text_pack("", 0, &z, &len, &err), VNS_OK);
    assert_int_equal(len, 0);
    free(z);
}

static void test_damaged(void **state)
{
    char text[4000];
    size_t len = 0, n;
    char *z = NULL, *s;
    struct vns_err err = {0};

    (void)state;
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = "tiêm mũi hai "[i % 15];
    assert_int_equal(vns_text_pack(text, sizeof(text), &z, &len, NULL), VNS_OK);
    assert_true(len > 12);
    /* cut short */
    n = len / 2;
    s = stored(z, n);
    assert_int_equal(vns_text_unpack(&s, &n, &err), VNS_EINDEX);
    assert_non_null(strstr(err.msg, "stored text damaged"));
    free(s);
    /* a body byte changed: no checksum in the frame, so the output may be
     * wrong, but the call returns */
    s = stored(z, len);
    s[len - 3] ^= 0x55;
    n = len;
    int rc = vns_text_unpack(&s, &n, &err);
    assert_true(rc == VNS_OK || rc == VNS_EINDEX);
    free(s);
    free(z);
    /* a header claiming 4 GB: refused before any allocation */
    static const unsigned char bomb[] = {0x28, 0xb5, 0x2f, 0xfd, 0xe0,
                                         0x00, 0x00, 0x00, 0x00, 0x01,
                                         0x00, 0x00, 0x00, 0x00};
    n = sizeof(bomb);
    s = stored((const char *)bomb, n);
    assert_int_equal(vns_text_unpack(&s, &n, &err), VNS_EINDEX);
    free(s);
    /* NULL: nothing stored */
    s = NULL;
    n = 0;
    assert_int_equal(vns_text_unpack(&s, &n, &err), VNS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_short_stays),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
