/* Harness: the query parser (words, "phrases", -exclusions, compounds such
 * as 2771/QĐ-UBND), then what search.c does with it before Xapian:
 * deadline intent and its cue phrases' written forms, synonym lookup over
 * the folded syllables, and the document-number key ("Số: 2771/QĐ-UBND",
 * "135-TB/TU"). The whole search path, filters included, is fuzz_api's. */
#include "fuzz.h"

#include <string.h>

#include "docnum.h"
#include "intent.h"
#include "query.h"
#include "synonyms.h"

static struct vns_analyzer *an;
static struct vns_synonyms *syn;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_datadir();
    if (vns_analyzer_new(&an, NULL) != VNS_OK)
        abort();
    if (vns_synonyms_open(NULL, &syn, NULL) != VNS_OK) {
        fprintf(stderr, "fuzz_query: data/synonyms.tsv not found "
                        "(set VNSEARCH_DATA_DIR)\n");
        abort();
    }
    return 0;
}

/* strict: as parsed (groups back to back); after vns_intent_deadline
 * groups may have gone, their terms left in place */
static void check_query(const struct vns_query *q, int strict)
{
    size_t syll = 0, next = 0;

    FUZZ_CHECK(q->ngroups <= VNS_MAX_QUERY_TERMS);
    FUZZ_CHECK(q->nterms <= sizeof(q->terms) / sizeof(q->terms[0]));
    FUZZ_CHECK(q->nsyllables <= VNS_MAX_QUERY_TERMS);
    for (size_t g = 0; g < q->ngroups; g++) {
        const struct vns_qgroup *gr = &q->groups[g];
        FUZZ_CHECK(gr->kind == VNS_Q_LOOSE || gr->kind == VNS_Q_PHRASE ||
                   gr->kind == VNS_Q_NOT);
        FUZZ_CHECK(!strict || gr->first == next);
        FUZZ_CHECK(gr->nparts > 0);
        FUZZ_CHECK(gr->first + gr->nparts + gr->ncompounds <= q->nterms);
        for (size_t i = 0; i < gr->nparts + gr->ncompounds; i++) {
            const struct vns_qterm *t = &q->terms[gr->first + i];
            int compound = (t->flags & VNS_TOK_COMPOUND) != 0;
            /* parts first, then compounds */
            FUZZ_CHECK(compound == (i >= gr->nparts));
            FUZZ_CHECK(memchr(t->exact, 0, sizeof(t->exact)) != NULL);
            FUZZ_CHECK(memchr(t->folded, 0, sizeof(t->folded)) != NULL);
            FUZZ_CHECK(t->folded[0] != '\0');
        }
        syll += gr->nparts;
        next = gr->first + gr->nparts + gr->ncompounds;
    }
    FUZZ_CHECK(!strict || syll == q->nsyllables);
}

/* search.c looks synonyms up over each group's folded syllables */
static void synonyms(const struct vns_query *q)
{
    const char *seq[VNS_MAX_QUERY_TERMS];

    for (size_t g = 0; g < q->ngroups; g++) {
        const struct vns_qgroup *gr = &q->groups[g];
        size_t n = gr->nparts;
        for (size_t i = 0; i < n; i++)
            seq[i] = q->terms[gr->first + i].folded;
        for (size_t i = 0; i < n; i++) {
            const struct vns_synphrase *alts = NULL;
            size_t nalts = 0;
            size_t k = vns_synonyms_match(syn, seq + i, n - i, &alts, &nalts);
            FUZZ_CHECK(k <= n - i);
            for (size_t a = 0; k > 0 && a < nalts; a++)
                for (size_t w = 0; w < alts[a].n; w++)
                    FUZZ_CHECK(alts[a].words[w] != NULL);
        }
    }
}

/* A key is short, plain ASCII, and its own key. */
static void docnum(const char *s, size_t n)
{
    char *key = malloc(VNS_DOCNUM_MAX), again[VNS_DOCNUM_MAX];

    if (key == NULL)
        return;
    int is = vns_docnum_key(s, n, key);
    FUZZ_CHECK(is == 0 || is == 1);
    FUZZ_CHECK(memchr(key, 0, VNS_DOCNUM_MAX) != NULL);
    if (is) {
        size_t kl = strlen(key);
        FUZZ_CHECK(kl > 0 && key[0] >= '0' && key[0] <= '9');
        for (size_t i = 0; i < kl; i++)
            FUZZ_CHECK((unsigned char)key[i] < 0x80);
        FUZZ_CHECK(vns_docnum_key(key, kl, again) == 1);
        FUZZ_CHECK(strcmp(again, key) == 0);
    } else {
        FUZZ_CHECK(key[0] == '\0');
    }
    free(key);
}

/* spell.c writes the cue phrases among the loose syllables: only those
 * syllables get a form, each a whole string */
static void cue_forms(const struct vns_query *q)
{
    const struct vns_qterm *seq[VNS_MAX_QUERY_TERMS];
    char forms[VNS_MAX_QUERY_TERMS][VNS_INTENT_FORM_MAX];
    size_t run[VNS_MAX_QUERY_TERMS], n, found, set = 0;

    n = vns_query_loose(q, seq, run, VNS_MAX_QUERY_TERMS);
    found = vns_intent_cue_forms(seq, run, n, forms);
    FUZZ_CHECK(found <= n);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(memchr(forms[i], 0, VNS_INTENT_FORM_MAX) != NULL);
        set += forms[i][0] != '\0';
    }
    FUZZ_CHECK(set == found);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct vns_query q; /* big: keep it off the stack */
    struct vns_err err = {0};
    int rc;

    docnum((const char *)data, size);
    rc = vns_query_parse(an, (const char *)data, size, &q, &err);
    if (rc != VNS_OK) {
        FUZZ_CHECK(rc < 0 && err.code == rc);
        FUZZ_CHECK(memchr(err.msg, 0, sizeof(err.msg)) != NULL);
        return 0;
    }
    check_query(&q, 1);
    synonyms(&q);
    cue_forms(&q);
    vns_intent_deadline(&q);
    check_query(&q, 0);
    double c = vns_intent_cover(&q, (const char *)data, size);
    FUZZ_CHECK(c >= 0.0 && c <= 1.0);
    return 0;
}
