/* The index's folded words, with their document frequencies (words.h). */
#include "words.h"

#include <stdlib.h>
#include <string.h>

#include "index_impl.h"

/* A ceiling: an index of more such words than this (a corpus of random
 * strings) is asked term by term instead. */
#define WORDS_MAX (1u << 22)

struct word {
    uint32_t at, len; /* in text */
    uint64_t df;
};

struct vns_words {
    struct word *v; /* in byte order, as the index walks them */
    size_t n, cap;
    uint32_t *slots; /* open addressing: index in v + 1, 0 empty */
    size_t nslots;   /* a power of two, at least twice n */
    char *text;      /* the words, NUL after each */
    size_t len, tcap;
    int failed; /* out of memory or past WORDS_MAX while reading */
};

static uint32_t hash_of(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Whether the table holds every term like s: those starting with a-z,
 * and the exact forms. */
static int covers(const char *s)
{
    return (s[0] >= 'a' && s[0] <= 'z') || s[0] == VNS_PREFIX_EXACT[0];
}

static void place(const struct vns_words *w, uint32_t *slots, size_t nslots,
                  uint32_t i)
{
    const struct word *e = &w->v[i];
    size_t k = hash_of(w->text + e->at, e->len) & (nslots - 1);

    while (slots[k] != 0)
        k = (k + 1) & (nslots - 1);
    slots[k] = i + 1;
}

static int grow(struct vns_words *w, size_t need)
{
    if (need > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4096;
        struct word *v = realloc(w->v, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        w->v = v;
        w->cap = cap;
    }
    if (need * 2 > w->nslots) {
        size_t nslots = w->nslots ? w->nslots * 2 : 8192;
        uint32_t *s = calloc(nslots, sizeof(*s));
        if (s == NULL)
            return -1;
        for (size_t i = 0; i < w->n; i++)
            place(w, s, nslots, (uint32_t)i);
        free(w->slots);
        w->slots = s;
        w->nslots = nslots;
    }
    return 0;
}

/* One term (they come in byte order, each once). */
static int take(const char *term, size_t len, uint64_t df, void *arg)
{
    struct vns_words *w = arg;

    if (w->n >= WORDS_MAX || w->len + len + 1 > UINT32_MAX) {
        w->failed = 1;
        return 1;
    }
    if (grow(w, w->n + 1)) {
        w->failed = 1;
        return 1;
    }
    if (w->len + len + 1 > w->tcap) {
        size_t c = w->tcap ? w->tcap * 2 : 65536;
        char *t;
        while (c < w->len + len + 1)
            c *= 2;
        t = realloc(w->text, c);
        if (t == NULL) {
            w->failed = 1;
            return 1;
        }
        w->text = t;
        w->tcap = c;
    }
    memcpy(w->text + w->len, term, len);
    w->text[w->len + len] = '\0';
    w->v[w->n] = (struct word){(uint32_t)w->len, (uint32_t)len, df};
    place(w, w->slots, w->nslots, (uint32_t)w->n);
    w->len += len + 1;
    w->n++;
    return 0;
}

int vns_words_new(struct vns_xdb *db, struct vns_words **out,
                  struct vns_err *err)
{
    struct vns_words *w = calloc(1, sizeof(*w));
    int rc = VNS_OK;

    if (w == NULL || grow(w, 1)) {
        vns_words_free(w);
        return vns_err_set(err, VNS_ENOMEM, "words: out of memory");
    }
    /* the exact forms, then the words: prefixes are capitals, so the
     * terms from "a" to "z" are the words; the table in byte order */
    for (char c = 'a' - 1; c <= 'z' && rc == VNS_OK; c++) {
        char prefix[2] = {c < 'a' ? VNS_PREFIX_EXACT[0] : c, '\0'};
        rc = vns_xdb_terms(db, prefix, take, w, err); /* 1: take stopped */
    }
    if (w->failed)
        rc = w->n >= WORDS_MAX
                 ? vns_err_set(err, VNS_ETOOBIG, "words: more than %u",
                               WORDS_MAX)
                 : vns_err_set(err, VNS_ENOMEM, "words: out of memory");
    if (rc != VNS_OK) {
        vns_words_free(w);
        return rc;
    }
    *out = w;
    return VNS_OK;
}

void vns_words_free(struct vns_words *w)
{
    if (w == NULL)
        return;
    free(w->v);
    free(w->slots);
    free(w->text);
    free(w);
}

int vns_words_cover(const struct vns_words *w, const char *word)
{
    return w != NULL && covers(word);
}

int vns_words_df(const struct vns_words *w, const char *word, uint64_t *df)
{
    size_t len = strlen(word);
    uint32_t h;

    if (w == NULL || !covers(word))
        return 0;
    h = hash_of(word, len);
    for (size_t k = h & (w->nslots - 1);; k = (k + 1) & (w->nslots - 1)) {
        const struct word *e;
        if (w->slots[k] == 0) {
            *df = 0;
            return 1;
        }
        e = &w->v[w->slots[k] - 1];
        if (e->len == len && memcmp(w->text + e->at, word, len) == 0) {
            *df = e->df;
            return 1;
        }
    }
}

/* Byte order, as the index's; a word starting with prefix sorts after
 * it. */
static int before(const struct vns_words *w, const struct word *e,
                  const char *p, size_t pl)
{
    int c = memcmp(w->text + e->at, p, e->len < pl ? e->len : pl);

    return c < 0 || (c == 0 && e->len < pl);
}

int vns_words_termfreq(const struct vns_words *w, struct vns_xdb *db,
                       const char *word, uint64_t *df, struct vns_err *err)
{
    if (vns_words_df(w, word, df))
        return VNS_OK;
    return vns_xdb_termfreq(db, word, strlen(word), df, err);
}

int vns_words_prefix(const struct vns_words *w, const char *prefix,
                     vns_xterm_fn fn, void *ctx)
{
    size_t pl = strlen(prefix), lo = 0, hi;

    if (w == NULL || !covers(prefix))
        return 0;
    hi = w->n;
    while (lo < hi) { /* the first word not before prefix */
        size_t mid = lo + (hi - lo) / 2;
        if (before(w, &w->v[mid], prefix, pl))
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < w->n; i++) {
        const struct word *e = &w->v[i];
        int rc;
        if (e->len < pl || memcmp(w->text + e->at, prefix, pl) != 0)
            break;
        rc = fn(w->text + e->at, e->len, e->df, ctx);
        if (rc != 0)
            return rc;
    }
    return 0;
}

size_t vns_words_count(const struct vns_words *w)
{
    return w != NULL ? w->n : 0;
}
