/* The index's folded words of letters alone, with their document
 * frequencies (words.h). */
#include "words.h"

#include <stdlib.h>
#include <string.h>

#include "vnsearch/analyze.h"

/* A ceiling: an index of more such words than this (a corpus of random
 * strings) is asked term by term instead. */
#define WORDS_MAX (1u << 22)

struct slot {
    uint32_t at; /* offset + 1 of the word in text; 0: empty */
    uint32_t hash;
    uint64_t df;
};

struct vns_words {
    struct slot *slots;
    size_t cap; /* a power of two, at least twice n */
    size_t n;
    char *text; /* the words, NUL after each */
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

static int letters_only(const char *s, size_t len)
{
    if (len == 0 || len >= VNS_TERM_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}

static void place(struct slot *slots, size_t cap, struct slot s)
{
    size_t i = s.hash & (cap - 1);

    while (slots[i].at != 0)
        i = (i + 1) & (cap - 1);
    slots[i] = s;
}

static int grow(struct vns_words *w)
{
    size_t cap = w->cap ? w->cap * 2 : 4096;
    struct slot *s = calloc(cap, sizeof(*s));

    if (s == NULL)
        return -1;
    for (size_t i = 0; i < w->cap; i++)
        if (w->slots[i].at != 0)
            place(s, cap, w->slots[i]);
    free(w->slots);
    w->slots = s;
    w->cap = cap;
    return 0;
}

/* One term starting with a letter a-z: kept when it is letters alone
 * (terms come in byte order, each once). */
static int take(const char *term, size_t len, uint64_t df, void *arg)
{
    struct vns_words *w = arg;

    if (!letters_only(term, len))
        return 0;
    if (w->n >= WORDS_MAX) {
        w->failed = 1;
        return 1;
    }
    if ((w->n + 1) * 2 > w->cap && grow(w)) {
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
    place(w->slots, w->cap,
          (struct slot){(uint32_t)(w->len + 1), hash_of(term, len), df});
    w->len += len + 1;
    w->n++;
    return 0;
}

int vns_words_new(struct vns_xdb *db, struct vns_words **out,
                  struct vns_err *err)
{
    struct vns_words *w = calloc(1, sizeof(*w));
    int rc = VNS_OK;

    if (w == NULL || grow(w)) {
        vns_words_free(w);
        return vns_err_set(err, VNS_ENOMEM, "words: out of memory");
    }
    /* prefixes are capitals: the terms from "a" to "z" are the words */
    for (char c = 'a'; c <= 'z' && rc == VNS_OK; c++) {
        char prefix[2] = {c, '\0'};
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
    free(w->slots);
    free(w->text);
    free(w);
}

int vns_words_df(const struct vns_words *w, const char *word, uint64_t *df)
{
    size_t len = strlen(word);
    uint32_t h;

    if (w == NULL || !letters_only(word, len))
        return 0;
    h = hash_of(word, len);
    for (size_t i = h & (w->cap - 1);; i = (i + 1) & (w->cap - 1)) {
        const struct slot *s = &w->slots[i];
        if (s->at == 0) {
            *df = 0;
            return 1;
        }
        if (s->hash == h && strcmp(w->text + s->at - 1, word) == 0) {
            *df = s->df;
            return 1;
        }
    }
}

size_t vns_words_count(const struct vns_words *w)
{
    return w != NULL ? w->n : 0;
}
