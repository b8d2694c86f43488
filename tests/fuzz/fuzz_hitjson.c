/* Harness: a hit's JSON (lib/results_json.c, lib/jsonscan.c). Input: a
 * stored metadata text, any bytes (a damaged or hostile index), then,
 * after a 0x01 byte if there is one, a snippet's text. vns_hit_json
 * copies the metadata's fields when the scan takes it and falls back to
 * jansson otherwise: both ways give JSON that reads back equal
 * (json_equal), for every input. */
#include "fuzz.h"

#include <string.h>

#include <jansson.h>

#include "jsonscan.h"
#include "vnsearch/search.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *cut = memchr(data, 0x01, size);
    size_t mlen = cut ? (size_t)(cut - data) : size;
    char *meta = malloc(mlen + 1), *text = NULL, *a, *b;
    struct vns_highlight hl = {0, 1};
    struct vns_snippet sn = {0};
    struct vns_hit_deadline md = {"2021-12-15", NULL};
    struct vns_hit h = {0};
    json_t *ja, *jb;

    FUZZ_CHECK(meta != NULL);
    memcpy(meta, data, mlen);
    meta[mlen] = '\0'; /* as stored: text up to its first NUL */
    if (cut != NULL) {
        size_t tl = size - mlen - 1;
        text = malloc(tl + 1);
        FUZZ_CHECK(text != NULL);
        memcpy(text, cut + 1, tl);
        text[tl] = '\0';
        sn = (struct vns_snippet){text, tl, &hl, tl > 0, 1, 0};
        md.text = text;
    }
    h = (struct vns_hit){3,     "000/vb-1.txt", "Thông báo", 12.5, &sn,
                         !!cut, meta,           &md,         !!cut};
    a = vns_hit_json(&h);
    b = vns_hit_json_parsed(&h);
    FUZZ_CHECK((a == NULL) == (b == NULL));
    if (a != NULL) {
        ja = json_loads(a, JSON_ALLOW_NUL, NULL); /* a snippet may hold NUL */
        jb = json_loads(b, JSON_ALLOW_NUL, NULL);
        FUZZ_CHECK(ja != NULL && jb != NULL);
        FUZZ_CHECK(json_equal(ja, jb));
        json_decref(ja);
        json_decref(jb);
    }
    free(a);
    free(b);
    free(meta);
    free(text);
    return 0;
}
