/* Unit tests for lib/sha256.c: the FIPS 180-4 examples and the padding
 * edges (55, 56, 63, 64 bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void test_vectors(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"",
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    char out[65];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vns_sha256_hex(cases[i].in, strlen(cases[i].in), out);
        assert_string_equal(out, cases[i].want);
    }
}

/* Around the block edges, checked against sha256sum. */
static void test_padding(void **state)
{
    static const struct {
        size_t n;
        const char *want;
    } cases[] = {
        {55,
         "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56,
         "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63,
         "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64,
         "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {1000000,
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    };
    char *buf = malloc(1000000), out[65];

    (void)state;
    assert_non_null(buf);
    memset(buf, 'a', 1000000);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vns_sha256_hex(buf, cases[i].n, out);
        assert_string_equal(out, cases[i].want);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_padding),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
