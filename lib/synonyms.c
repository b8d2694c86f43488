/* Query-time synonyms: data/synonyms.tsv read into rules of folded
 * syllables; search.c decides how much a synonym match weighs. */
#include "synonyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "fold.h"
#include "vnsearch/analyze.h"

#define SYN_FILE "synonyms.tsv"
#define SYN_MAX_FILE (1024 * 1024)

struct rule {
    struct vns_synphrase key;
    struct vns_synphrase *alts;
    size_t nalts;
};

struct vns_synonyms {
    struct rule *rules;
    size_t n, cap;
};

static void phrase_fini(struct vns_synphrase *p)
{
    for (size_t i = 0; i < p->n; i++)
        free((char *)p->words[i]);
    free((void *)p->words);
}

void vns_synonyms_free(struct vns_synonyms *s)
{
    if (s == NULL)
        return;
    for (size_t r = 0; r < s->n; r++) {
        phrase_fini(&s->rules[r].key);
        for (size_t a = 0; a < s->rules[r].nalts; a++)
            phrase_fini(&s->rules[r].alts[a]);
        free(s->rules[r].alts);
    }
    free(s->rules);
    free(s);
}

/* Bytes that part syllables: ASCII other than letters and digits
 * ("Covid-19", "vắc-xin", "F0/F1"). */
static int is_sep(unsigned char c)
{
    return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9'));
}

/* The folded syllables of col[0..len) into *out. 0 syllables: VNS_OK with
 * out->n == 0. */
static int fold_phrase(const char *col, size_t len, struct vns_synphrase *out,
                       const char *name, unsigned line, struct vns_err *err)
{
    char exact[VNS_TERM_MAX], folded[VNS_TERM_MAX];
    char **words = calloc(VNS_SYN_MAX_WORDS, sizeof(*words));
    size_t n = 0, i = 0;

    if (words == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
    while (i < len) {
        size_t start;
        while (i < len && is_sep((unsigned char)col[i]))
            i++;
        start = i;
        while (i < len && !is_sep((unsigned char)col[i]))
            i++;
        if (i == start)
            break;
        if (vns_word_forms(col + start, i - start, exact, folded,
                           sizeof(exact)) == 0)
            continue;
        if (n == VNS_SYN_MAX_WORDS) {
            *out = (struct vns_synphrase){(const char *const *)words, n};
            phrase_fini(out);
            return vns_err_set(err, VNS_EBADDATA,
                               "%s:%u: a phrase over %d syllables", name, line,
                               VNS_SYN_MAX_WORDS);
        }
        words[n] = strdup(folded);
        if (words[n] == NULL) {
            *out = (struct vns_synphrase){(const char *const *)words, n};
            phrase_fini(out);
            return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
        }
        n++;
    }
    *out = (struct vns_synphrase){(const char *const *)words, n};
    return VNS_OK;
}

/* One line: key, then expansions, tab-separated. */
static int parse_line(struct vns_synonyms *s, const char *p, size_t len,
                      const char *name, unsigned line, struct vns_err *err)
{
    struct rule r = {0};
    const char *end = p + len;
    size_t ncols = 1;
    int rc;

    for (const char *c = p; c < end; c++)
        ncols += *c == '\t';
    if (ncols < 2)
        return vns_err_set(err, VNS_EBADDATA,
                           "%s:%u: want words, a tab and what they mean", name,
                           line);
    r.alts = calloc(ncols - 1, sizeof(*r.alts));
    if (r.alts == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
    for (size_t c = 0; c < ncols; c++) {
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        size_t cl = tab ? (size_t)(tab - p) : (size_t)(end - p);
        struct vns_synphrase ph;
        rc = fold_phrase(p, cl, &ph, name, line, err);
        if (rc != VNS_OK)
            goto fail;
        if (c == 0)
            r.key = ph;
        else if (ph.n > 0)
            r.alts[r.nalts++] = ph;
        else
            phrase_fini(&ph);
        p += cl + (tab != NULL);
    }
    if (r.key.n == 0 || r.nalts == 0) {
        rc = vns_err_set(err, VNS_EBADDATA,
                         "%s:%u: a column holds no word to search", name, line);
        goto fail;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        struct rule *nr = realloc(s->rules, cap * sizeof(*nr));
        if (nr == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
            goto fail;
        }
        s->rules = nr;
        s->cap = cap;
    }
    s->rules[s->n++] = r;
    return VNS_OK;
fail:
    phrase_fini(&r.key);
    for (size_t a = 0; a < r.nalts; a++)
        phrase_fini(&r.alts[a]);
    free(r.alts);
    return rc;
}

int vns_synonyms_parse(const char *name, const char *text, size_t len,
                       struct vns_synonyms **out, struct vns_err *err)
{
    struct vns_synonyms *s = calloc(1, sizeof(*s));
    size_t i = 0;
    unsigned line = 0;
    int rc = VNS_OK;

    if (s == NULL)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", name);
    while (i < len && rc == VNS_OK) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - (text + i)) : len - i;
        size_t l = ll;
        line++;
        while (l > 0 && (text[i + l - 1] == '\r' || text[i + l - 1] == ' '))
            l--;
        if (l > 0 && text[i] != '#')
            rc = parse_line(s, text + i, l, name, line, err);
        i += ll + 1;
    }
    if (rc != VNS_OK) {
        vns_synonyms_free(s);
        return rc;
    }
    *out = s;
    return VNS_OK;
}

int vns_synonyms_open(const char *path, struct vns_synonyms **out,
                      struct vns_err *err)
{
    char found[4096];
    char *buf = NULL;
    size_t n;
    FILE *f;
    int rc;

    if (path == NULL) {
        /* the configured file (vnsearch.conf's synonyms, lib/config.c) */
        path = getenv("VNSEARCH_SYNONYMS");
        if (path != NULL && path[0] == '\0')
            path = NULL;
    }
    if (path == NULL) {
        rc = vns_datadir_find(SYN_FILE, found, sizeof(found));
        if (rc != VNS_OK)
            return vns_err_set(err, rc, "%s: not found in the data directories",
                               SYN_FILE);
        path = found;
    }
    f = fopen(path, "rb");
    if (f == NULL)
        return vns_err_set(err, VNS_EIO, "%s: cannot open", path);
    buf = malloc(SYN_MAX_FILE + 1);
    if (buf == NULL) {
        fclose(f);
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
    }
    n = fread(buf, 1, SYN_MAX_FILE + 1, f);
    if (ferror(f))
        rc = vns_err_set(err, VNS_EIO, "%s: read failed", path);
    else if (n > SYN_MAX_FILE)
        rc = vns_err_set(err, VNS_ETOOBIG, "%s: over %d bytes", path,
                         SYN_MAX_FILE);
    else
        rc = vns_synonyms_parse(path, buf, n, out, err);
    fclose(f);
    free(buf);
    return rc;
}

size_t vns_synonyms_match(const struct vns_synonyms *s, const char *const *seq,
                          size_t n, const struct vns_synphrase **alts,
                          size_t *nalts)
{
    size_t best = 0;

    if (s == NULL)
        return 0;
    for (size_t r = 0; r < s->n; r++) {
        const struct vns_synphrase *k = &s->rules[r].key;
        size_t i;
        if (k->n > n || k->n <= best)
            continue;
        for (i = 0; i < k->n && strcmp(k->words[i], seq[i]) == 0; i++)
            ;
        if (i < k->n)
            continue;
        best = k->n;
        *alts = s->rules[r].alts;
        *nalts = s->rules[r].nalts;
    }
    return best;
}
