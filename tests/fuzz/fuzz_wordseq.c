/* Harness: the words' value (lib/wordseq.c). Input: a value as the index
 * holds it, any bytes (a damaged or hostile index): finding words in it
 * returns VNS_OK or VNS_EINDEX, every position found is below the tokens
 * it declares. Then the input's bytes as words (split at spaces) build a
 * value in which every word is found where it was added. */
#include "fuzz.h"

#include <string.h>

#include "wordseq.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

struct seen {
    uint32_t last, n;
    const uint32_t *expect; /* positions of word 0, or NULL */
    uint32_t nexpect;
};

static int check(uint32_t pos, uint32_t w, void *ctx)
{
    struct seen *s = ctx;

    FUZZ_CHECK(pos < VNS_WORDSEQ_MAX && (s->n == 0 || pos >= s->last));
    s->last = pos;
    if (s->expect != NULL && w == 0) {
        FUZZ_CHECK(s->n < s->nexpect && s->expect[s->n] == pos);
        s->n++;
    } else if (s->expect == NULL) {
        s->n++;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const want[] = {"tiem", "mui", "2", "tiem"};
    struct vns_wordseq_builder b = {0};
    struct seen s = {0};
    char *v = malloc(size + 1), *words, *first = NULL;
    uint32_t *at = NULL, nat = 0, pos = 0;
    size_t vl = 0;
    int rc;

    FUZZ_CHECK(v != NULL);
    memcpy(v, data, size);
    rc = vns_wordseq_find(v, size, want, 4, 4096, check, &s, NULL);
    FUZZ_CHECK(rc == VNS_OK || rc == VNS_EINDEX);
    free(v);

    words = malloc(size + 1);
    at = malloc((size + 1) * sizeof(*at));
    FUZZ_CHECK(words != NULL && at != NULL);
    memcpy(words, data, size);
    words[size] = '\0';
    for (char *w = strtok(words, " "); w != NULL; w = strtok(NULL, " ")) {
        if (first == NULL)
            first = w;
        if (strlen(w) <= 255 && pos < VNS_WORDSEQ_MAX && strcmp(w, first) == 0)
            at[nat++] = pos;
        FUZZ_CHECK(vns_wordseq_add(&b, pos++, w, NULL) == VNS_OK);
    }
    FUZZ_CHECK(vns_wordseq_value(&b, &v, &vl, NULL) == VNS_OK);
    if (first != NULL && strlen(first) <= 255) {
        const char *one[1] = {first};
        s = (struct seen){.expect = at, .nexpect = nat};
        FUZZ_CHECK(vns_wordseq_find(v, vl, one, 1, VNS_WORDSEQ_MAX, check, &s,
                                    NULL) == VNS_OK);
        FUZZ_CHECK(s.n == nat);
    }
    free(v);
    vns_wordseq_fini(&b);
    free(words);
    free(at);
    return 0;
}
