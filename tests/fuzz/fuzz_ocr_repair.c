/* Harness: the repair of OCR output (lib/ocr_repair.c). Input: what the
 * helper prints after its first line, pages ended by form feeds, any
 * bytes. The text must come out as the index stores text: valid UTF-8,
 * no form feed, no blank or padded line. */
#include "fuzz.h"

#include <string.h>

#include "ocr.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    size_t len = 0;

    if (vns_ocr_repair((const char *)data, size, &out, &len, NULL) != VNS_OK)
        return 0;
    FUZZ_CHECK(out != NULL && out[len] == '\0');
    FUZZ_CHECK(fuzz_utf8_ok(out, len));
    FUZZ_CHECK(memchr(out, '\f', len) == NULL);
    for (size_t i = 0; i < len; i++) {
        bool start = i == 0 || out[i - 1] == '\n';
        bool end = i + 1 == len || out[i + 1] == '\n';

        /* one paragraph per line: none empty, none padded */
        FUZZ_CHECK(!(start && out[i] == '\n'));
        FUZZ_CHECK(!((start || end) && out[i] == ' '));
    }
    FUZZ_CHECK(len == 0 || out[len - 1] != '\n');
    free(out);
    return 0;
}
