/* Completion of a query's last word from the index's terms: folded terms
 * give the words and their counts, exact (E) terms their written form. */
#include "vnsearch/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "index_impl.h"
#include "vnsearch/analyze.h"
#include "words.h"
#include "xapian.h"

/* Terms looked at per walk, so that a one-letter prefix of a big index
 * stays quick; terms come in byte order, the rarest are not missed much. */
#define SCAN_MAX 50000

struct cand {
    char term[VNS_TERM_MAX]; /* folded (typed bare) or exact (typed marked) */
    uint64_t tf;
    char best[VNS_TERM_MAX]; /* most frequent marked form, "" when none */
    uint64_t best_tf;
    uint64_t marked_cf; /* occurrences of all its marked forms */
};

struct walk {
    struct vns_index *ix;
    struct cand c[VNS_SUGGEST_MAX];
    size_t n, max, seen;
    int failed; /* a statistic could not be read */
};

/* Keep the max most frequent terms; on a tie the first in byte order. */
static int keep_top(const char *term, size_t len, uint64_t tf, void *arg)
{
    struct walk *w = arg;
    size_t i;

    if (++w->seen > SCAN_MAX)
        return 1;
    if (len >= VNS_TERM_MAX || (w->n == w->max && tf <= w->c[w->n - 1].tf))
        return 0;
    if (w->n < w->max)
        w->n++;
    for (i = w->n - 1; i > 0 && w->c[i - 1].tf < tf; i--)
        w->c[i] = w->c[i - 1];
    w->c[i] = (struct cand){.tf = tf};
    memcpy(w->c[i].term, term, len);
    w->c[i].term[len] = '\0';
    return 0;
}

/* An exact form ("Etiêm"): note it on the candidate it folds to. */
static int note_form(const char *term, size_t len, uint64_t tf, void *arg)
{
    struct walk *w = arg;
    char exact[VNS_TERM_MAX], folded[VNS_TERM_MAX];
    uint64_t cf = 0;

    if (++w->seen > SCAN_MAX)
        return 1;
    if (len < 2 || len > VNS_TERM_MAX)
        return 0;
    memcpy(exact, term + 1, len - 1);
    exact[len - 1] = '\0';
    if (vns_fold(exact, folded, sizeof(folded)) != VNS_OK)
        return 0;
    for (size_t i = 0; i < w->n; i++) {
        struct cand *c = &w->c[i];
        if (strcmp(c->term, folded) != 0)
            continue;
        if (vns_xdb_collfreq(w->ix->db, term, len, &cf, NULL) != VNS_OK)
            w->failed = 1;
        c->marked_cf += cf;
        if (tf > c->best_tf) {
            c->best_tf = tf;
            memcpy(c->best, exact, len);
        }
        break;
    }
    return 0;
}

/* Consonants never carry a mark: the exact forms of every word starting
 * with folded share its letters up to the first vowel or "d" (đ). */
static size_t bare_head(const char *folded)
{
    size_t i = 0;

    while (folded[i] != '\0' && strchr("aeiouyd", folded[i]) == NULL &&
           (unsigned char)folded[i] < 0x80)
        i++;
    return i;
}

/* The written form of a bare candidate: its most frequent marked form,
 * unless the bare spelling itself occurs more ("an" in "an toàn"). */
static int pick_form(struct walk *w, struct cand *c, struct vns_err *err)
{
    char eterm[VNS_TERM_MAX + 1];
    uint64_t all = 0, best = 0;
    size_t bl = strlen(c->best);
    int rc;

    if (bl == 0)
        return VNS_OK;
    rc = vns_xdb_collfreq(w->ix->db, c->term, strlen(c->term), &all, err);
    if (rc != VNS_OK)
        return rc;
    eterm[0] = VNS_PREFIX_EXACT[0];
    memcpy(eterm + 1, c->best, bl + 1);
    rc = vns_xdb_collfreq(w->ix->db, eterm, bl + 1, &best, err);
    if (rc != VNS_OK)
        return rc;
    if (all >= c->marked_cf && all - c->marked_cf > best)
        c->best[0] = '\0';
    return VNS_OK;
}

/* Where the last word starts, after any exclusion or quote sign. */
static size_t last_word(const char *q, size_t qlen)
{
    size_t i = qlen;

    while (i > 0 && q[i - 1] != ' ' && q[i - 1] != '\t' && q[i - 1] != '\n')
        i--;
    while (i < qlen && (q[i] == '-' || q[i] == '"'))
        i++;
    return i;
}

static int add_item(struct vns_suggestions *s, const char *q, size_t head,
                    const char *word, uint64_t count)
{
    struct vns_suggestion *it = &s->items[s->n];
    size_t wl = strlen(word);

    it->word = strdup(word);
    it->text = malloc(head + wl + 1);
    if (it->word == NULL || it->text == NULL) {
        free(it->word);
        free(it->text);
        return VNS_ENOMEM;
    }
    memcpy(it->text, q, head);
    memcpy(it->text + head, word, wl + 1);
    it->count = count;
    s->n++;
    return VNS_OK;
}

/* The terms starting with prefix, in byte order: from the reader's words
 * table once it has one (words.h), else from the index, whose walk steps
 * over every posting of every term on the way. */
static int walk_terms(struct walk *w, const char *prefix, vns_xterm_fn fn,
                      struct vns_err *err)
{
    const struct vns_words *words = vns_index_words(w->ix);

    return vns_words_cover(words, prefix)
               ? vns_words_prefix(words, prefix, fn, w)
               : vns_xdb_terms(w->ix->db, prefix, fn, w, err);
}

/* Typed with marks: the exact terms starting with what was typed. */
static int walk_marked(struct walk *w, const char *exact, struct vns_err *err)
{
    char prefix[VNS_TERM_MAX + 1];
    int rc;

    prefix[0] = VNS_PREFIX_EXACT[0];
    strcpy(prefix + 1, exact);
    rc = walk_terms(w, prefix, keep_top, err);
    if (rc < 0)
        return rc;
    /* "Etiêm" -> "tiêm", counted in that form */
    for (size_t i = 0; i < w->n; i++) {
        struct cand *c = &w->c[i];
        memmove(c->term, c->term + 1, strlen(c->term));
        strcpy(c->best, c->term);
    }
    return VNS_OK;
}

/* Typed bare: the folded terms, then their forms among the exact terms. */
static int walk_bare(struct walk *w, const char *folded, struct vns_err *err)
{
    char prefix[VNS_TERM_MAX + 1];
    size_t h = bare_head(folded);
    int rc;

    rc = walk_terms(w, folded, keep_top, err);
    if (rc < 0)
        return rc;
    if (w->n == 0)
        return VNS_OK;
    prefix[0] = VNS_PREFIX_EXACT[0];
    memcpy(prefix + 1, folded, h);
    prefix[h + 1] = '\0';
    w->seen = 0;
    rc = walk_terms(w, prefix, note_form, err);
    if (rc < 0)
        return rc;
    if (w->failed)
        return vns_err_set(err, VNS_EINDEX, "suggest: term statistics");
    for (size_t i = 0; i < w->n; i++) {
        rc = pick_form(w, &w->c[i], err);
        if (rc != VNS_OK)
            return rc;
    }
    return VNS_OK;
}

/* Most documents first; equal counts by word. */
static int by_count(const void *a, const void *b)
{
    const struct vns_suggestion *x = a, *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->word, y->word);
}

int vns_suggest(struct vns_index *ix, const char *q, size_t qlen, size_t max,
                struct vns_suggestions *out, struct vns_err *err)
{
    struct vns_suggestions s = {0};
    struct walk *w = NULL;
    char word[VNS_TERM_MAX], folded[VNS_TERM_MAX], exact[VNS_TERM_MAX];
    size_t head;
    int rc = VNS_OK;

    if (qlen > VNS_MAX_QUERY)
        return vns_err_set(err, VNS_ETOOBIG, "query longer than %u bytes",
                           VNS_MAX_QUERY);
    if (max == 0 || max > VNS_SUGGEST_MAX)
        max = VNS_SUGGEST_MAX;
    head = last_word(q, qlen);
    if (qlen - head == 0 || qlen - head >= sizeof(word) ||
        memchr(q + head, '\0', qlen - head) != NULL)
        goto done;
    memcpy(word, q + head, qlen - head);
    word[qlen - head] = '\0';
    if (vns_fold(word, folded, sizeof(folded)) != VNS_OK ||
        vns_exact(word, exact, sizeof(exact)) != VNS_OK || folded[0] == '\0')
        goto done;
    w = calloc(1, sizeof(*w));
    s.items = calloc(max, sizeof(*s.items));
    if (w == NULL || s.items == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "suggest: out of memory");
        goto out;
    }
    w->ix = ix;
    w->max = max;
    rc = strcmp(folded, exact) != 0 ? walk_marked(w, exact, err)
                                    : walk_bare(w, folded, err);
    if (rc != VNS_OK)
        goto out;
    for (size_t i = 0; i < w->n; i++) {
        const struct cand *c = &w->c[i];
        if (add_item(&s, q, head, c->best[0] ? c->best : c->term, c->tf)) {
            rc = vns_err_set(err, VNS_ENOMEM, "suggest: out of memory");
            goto out;
        }
    }
    if (s.n > 1)
        qsort(s.items, s.n, sizeof(*s.items), by_count);
done:
    *out = s;
    s = (struct vns_suggestions){0};
out:
    vns_suggestions_fini(&s);
    free(w);
    return rc;
}

void vns_suggestions_fini(struct vns_suggestions *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].text);
        free(s->items[i].word);
    }
    free(s->items);
    *s = (struct vns_suggestions){0};
}
