/* Document number keys: one key however the number is typed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "docnum.h"

static void test_keys(void **state)
{
    static const struct {
        const char *in, *key; /* key "": not a number */
    } cases[] = {
        {"2771/QĐ-UBND", "2771/qd-ubnd"},
        {"Số: 2771/QĐ-UBND", "2771/qd-ubnd"},
        {"so 2771 / qd-ubnd", "2771/qd-ubnd"},
        {"02771/QĐ-UBND", "2771/qd-ubnd"},
        {"135 - TB/TU", "135-tb/tu"},
        {"52/2025/QĐ-UBND", "52/2025/qd-ubnd"},
        {"98/2025/NQ-HĐND", "98/2025/nq-hdnd"},
        {"15/12/2021", ""},           /* a date: no letters */
        {"tiêm mũi 2", ""},           /* words */
        {"QĐ-UBND", ""},              /* no number first */
        {"2771/QĐ-UBND về việc", ""}, /* more than a number */
        {"", ""},
    };
    char key[VNS_DOCNUM_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int is = vns_docnum_key(cases[i].in, strlen(cases[i].in), key);
        assert_int_equal(is, cases[i].key[0] != '\0');
        assert_string_equal(key, cases[i].key);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
