/* Harness: stored texts (lib/textpack.c). Input: a value as the index
 * holds it, any bytes (a damaged or hostile index). Unpacking returns
 * VNS_OK with at most VNS_MAX_TEXT bytes, NUL-terminated, or an error;
 * and any text packs and unpacks to itself. */
#include "fuzz.h"

#include <string.h>

#include "textpack.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *v = malloc(size + 1), *z = NULL;
    size_t n = size, zl = 0;

    if (v == NULL)
        return 0;
    memcpy(v, data, size);
    v[size] = '\0';
    if (vns_text_unpack(&v, &n, NULL) == VNS_OK)
        FUZZ_CHECK(n <= VNS_MAX_TEXT && v[n] == '\0');
    free(v);
    /* the input as a text: back as it was */
    if (vns_text_pack((const char *)data, size, &z, &zl, NULL) != VNS_OK)
        return 0;
    v = malloc(zl + 1);
    FUZZ_CHECK(v != NULL);
    memcpy(v, z, zl);
    v[zl] = '\0';
    n = zl;
    FUZZ_CHECK(vns_text_unpack(&v, &n, NULL) == VNS_OK);
    FUZZ_CHECK(n == size && memcmp(v, data, size) == 0);
    free(v);
    free(z);
    return 0;
}
