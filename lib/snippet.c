/* Snippet choice: slide a window over the matching syllables, score it by
 * distinct query syllables, exact forms and adjacency, keep the best. */
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "tokmap.h"

#define MAX_QT (VNS_MAX_QUERY_TERMS * 2)

struct tk {
    size_t off, len;
    uint32_t pos;
    int qi;    /* index of the query term it matches, -1 for none */
    int exact; /* matches the exact form of a query word with diacritics */
};

struct tklist {
    struct tk *v;
    size_t n, cap;
    const struct vns_query *q;
    struct vns_err *err;
    size_t base_off; /* the line being analyzed starts here */
    size_t end_off;  /* and ends here */
    uint32_t base_pos, next_pos;
};

static int match_term(const struct vns_query *q, const struct vns_token *t,
                      int *exact)
{
    for (size_t g = 0; g < q->ngroups; g++) {
        const struct vns_qgroup *gr = &q->groups[g];
        if (gr->kind == VNS_Q_NOT)
            continue;
        for (size_t i = 0; i < gr->nparts + gr->ncompounds; i++) {
            const struct vns_qterm *qt = &q->terms[gr->first + i];
            if (strcmp(qt->folded, t->folded) != 0)
                continue;
            *exact = (qt->flags & VNS_TOK_MARKED) &&
                     strcmp(qt->exact, t->exact) == 0;
            return (int)(gr->first + i);
        }
    }
    return -1;
}

static int collect(const struct vns_token *t, void *arg)
{
    struct tklist *l = arg;
    int exact = 0, qi = match_term(l->q, t, &exact);

    /* compounds only count when they match: their parts are listed */
    if ((t->flags & VNS_TOK_COMPOUND) && qi < 0)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        struct tk *v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL)
            return vns_err_set(l->err, VNS_ENOMEM, "snippet: out of memory");
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct tk){l->base_off + t->off, t->len,
                               l->base_pos + t->pos, qi, exact};
    if (l->base_pos + t->pos + 2 > l->next_pos)
        l->next_pos = l->base_pos + t->pos + 2; /* a gap between lines */
    return 0;
}

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* First w[0..wl) in p[0..n), or NULL (memmem is a GNU extension). */
static const char *find(const char *p, size_t n, const char *w, size_t wl)
{
    while (n >= wl) {
        const char *c = memchr(p, w[0], n - wl + 1);
        if (c == NULL)
            return NULL;
        if (memcmp(c, w, wl) == 0)
            return c;
        n -= (size_t)(c + 1 - p);
        p = c + 1;
    }
    return NULL;
}

/* How many distinct query terms the folded line f[0..n) holds as whole
 * words. */
static int line_score(const struct vns_query *q, const char *f, size_t n)
{
    int score = 0;

    for (size_t g = 0; g < q->ngroups; g++) {
        const struct vns_qgroup *gr = &q->groups[g];
        if (gr->kind == VNS_Q_NOT)
            continue;
        for (size_t i = 0; i < gr->nparts + gr->ncompounds; i++) {
            const char *w = q->terms[gr->first + i].folded;
            size_t wl = strlen(w);
            const char *p = f, *end = f + n;
            if (wl == 0)
                continue;
            while ((p = find(p, (size_t)(end - p), w, wl)) != NULL) {
                if ((p == f || !word_byte((unsigned char)p[-1])) &&
                    (p + wl == end || !word_byte((unsigned char)p[wl]))) {
                    score++;
                    break;
                }
                p++;
            }
        }
    }
    return score;
}

static int analyze_at(struct vns_analyzer *an, const char *text, size_t s,
                      size_t e, struct tklist *l)
{
    /* the piece after the one before it on the same line: no gap */
    int joined = l->n > 0 && s > 0 && text[s - 1] == ' ' && l->end_off + 1 == s;

    l->base_off = s;
    l->base_pos = joined ? l->next_pos - 1 : l->next_pos;
    l->end_off = e;
    return vns_analyze(an, text + s, e - s, collect, l, l->err);
}

struct line {
    size_t s, e;
    int score;
};

static int by_start(const void *x, const void *y)
{
    const struct line *a = x, *b = y;

    return a->s < b->s ? -1 : a->s > b->s;
}

/* Where a piece of the line text[s, e) longer than width ends: at the
 * last space of its second half, else the first space after, else e. */
static size_t piece_end(const char *text, size_t s, size_t e, size_t width)
{
    size_t c;

    if (e - s <= width)
        return e;
    for (c = s + width; c > s + width / 2; c--)
        if (text[c] == ' ')
            return c;
    for (c = s + width; c < e; c++)
        if (text[c] == ' ')
            return c;
    return e;
}

/* The best MAX_LINES pieces of lines, by score. */
#define MAX_LINES 3
struct best_lines {
    struct line v[MAX_LINES];
    size_t n;
};

/* Score the pieces of at most about width bytes of the lines of text[s,
 * end) (s at a line's start or a token's, end at a line's end) by the
 * query words they hold (a screen on folded bytes; f has room for end - s
 * + 1 bytes), keeping the best in b. */
static void screen(const struct vns_query *q, const char *text, size_t s,
                   size_t end, size_t width, char *f, struct best_lines *b)
{
    while (s < end) {
        const char *nl = memchr(text + s, '\n', end - s);
        size_t e = nl ? (size_t)(nl - text) : end;
        size_t ps = s;
        do { /* the line's pieces */
            size_t pe = piece_end(text, ps, e, width);
            int sc = line_score(q, f, vns_fold_text(text + ps, pe - ps, f));
            if (sc > 0 && (b->n < MAX_LINES || sc > b->v[b->n - 1].score)) {
                size_t i = b->n < MAX_LINES ? b->n++ : b->n - 1;
                while (i > 0 && b->v[i - 1].score < sc) { /* stable */
                    b->v[i] = b->v[i - 1];
                    i--;
                }
                b->v[i] = (struct line){ps, pe, sc};
            }
            ps = pe + 1;
        } while (ps < e);
        s = e + 1;
    }
}

/* Tokens of the best pieces, in text order; when none holds a query
 * word, the opening bytes stand in. */
static int analyze_best(struct vns_analyzer *an, const char *text, size_t len,
                        size_t width, struct best_lines *b, struct tklist *l)
{
    int rc = VNS_OK;

    if (b->n == 0) {
        size_t e = len < 2 * width ? len : 2 * width;
        while (e < len && ((unsigned char)text[e] & 0xC0) == 0x80)
            e++; /* not inside a character */
        b->v[b->n++] = (struct line){0, e, 0};
    }
    qsort(b->v, b->n, sizeof(b->v[0]), by_start);
    for (size_t i = 0; i < b->n && rc == VNS_OK; i++)
        rc = analyze_at(an, text, b->v[i].s, b->v[i].e, l);
    return rc;
}

/* Tokens of the pieces of lines holding the most query words: ICU's word
 * break runs only on the best MAX_LINES pieces of at most about width
 * bytes, so long documents and long paragraphs cost little; the screen
 * that picks them folds the whole text. */
static int collect_lines(struct vns_analyzer *an, const char *text, size_t len,
                         size_t width, struct tklist *l)
{
    struct best_lines b = {.n = 0};
    char *f = malloc(len + 1);

    if (f == NULL)
        return vns_err_set(l->err, VNS_ENOMEM, "snippet: out of memory");
    screen(l->q, text, 0, len, width, f, &b);
    free(f);
    return analyze_best(an, text, len, width, &b, l);
}

/* A run of the guide's words: entries [from, to) of its list. */
struct run {
    size_t from, to;
    int score;
};

/* Whether a run starting at position p would overlap one of taken[0..n)
 * (runs span positions long). */
static int overlaps(uint32_t p, uint32_t span, const uint32_t *taken, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if ((uint64_t)p + span > taken[k] && p < (uint64_t)taken[k] + span)
            return 1;
    return 0;
}

/* The best run of words within span positions that overlaps none of the
 * runs starting at taken[0..ntaken): distinct words first, then words
 * side by side, then how many. */
static struct run best_run(const struct vns_hitwords *w, uint32_t span,
                           const uint32_t *taken, size_t ntaken)
{
    struct run best = {0, 0, 0};
    uint32_t count[VNS_MAX_QUERY_TERMS] = {0};
    int distinct = 0, adj = 0;
    size_t j = 0;

    for (size_t i = 0; i < w->n; i++) {
        if (j < i)
            j = i;
        while (j < w->n && (j == i || w->v[j].pos - w->v[i].pos < span)) {
            uint32_t k = w->v[j].word % VNS_MAX_QUERY_TERMS;
            if (count[k]++ == 0)
                distinct++;
            if (j > i && w->v[j - 1].pos + 1 == w->v[j].pos)
                adj++;
            j++;
        }
        int score = distinct * 10 + adj * 4 + (int)(j - i);
        if (score > best.score && !overlaps(w->v[i].pos, span, taken, ntaken))
            best = (struct run){i, j, score};
        uint32_t k = w->v[i].word % VNS_MAX_QUERY_TERMS;
        if (--count[k] == 0)
            distinct--;
        if (i + 1 < j && w->v[i + 1].pos == w->v[i].pos + 1)
            adj--;
    }
    return best;
}

/* The start of the character at or after byte at. */
static size_t char_start(const char *text, size_t len, size_t at)
{
    while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
        at++;
    return at;
}

/* The start of the line holding byte at, if it starts at most reach
 * bytes before; else at. */
static size_t line_start(const char *text, size_t at, size_t reach)
{
    for (size_t i = at; i > 0 && at - i < reach; i--)
        if (text[i - 1] == '\n')
            return i;
    return at < reach ? 0 : at;
}

/* The end of the line holding byte at, if it ends at most reach bytes
 * after; else at. */
static size_t line_end(const char *text, size_t len, size_t at, size_t reach)
{
    size_t n = len - at < reach ? len - at : reach;
    const char *nl = memchr(text + at, '\n', n);

    return nl ? (size_t)(nl - text) : at + n == len ? len : at;
}

/* The same screen as collect_lines, over the lines around the guide's
 * best runs of words only: a run's first position is found from the
 * checkpoint at or before it (at most step - 1 tokens early), and its
 * lines are screened whole when they are not much longer than a snippet.
 * A long notice costs what a short one does. 1 when the guide cannot
 * lead (no words, a damaged checkpoint value, no word where it says): the
 * caller screens the whole text instead. */
static int collect_guided(struct vns_analyzer *an, const char *text, size_t len,
                          size_t width, const struct vns_snipguide *g,
                          struct tklist *l)
{
    struct line r[MAX_LINES + 1];
    uint32_t taken[MAX_LINES];
    struct best_lines b = {.n = 0};
    uint32_t *offs = NULL;
    size_t count = 0, nr = 0, most = 0, reach = 2 * width;
    unsigned step = 0;
    char *f = NULL;
    /* syllables run about six bytes with the space after them */
    uint32_t span = width < 60 ? 10 : (uint32_t)(width / 6), lead = span / 5;

    if (g == NULL || g->words == NULL || g->words->n == 0 ||
        g->tokmap == NULL ||
        vns_tokmap_read(g->tokmap, g->tokmap_len, len, &offs, &count, &step,
                        NULL) != VNS_OK)
        return 1;
    for (; nr < MAX_LINES; nr++) {
        struct run run = best_run(g->words, span, taken, nr);
        if (run.score == 0)
            break;
        uint32_t p = g->words->v[run.from].pos;
        taken[nr] = p;
        uint32_t from = p > lead ? p - lead : 0;
        uint32_t to = p + span < p ? UINT32_MAX : p + span;
        size_t c0 = from / step, c1 = to / step + 1;
        size_t s = char_start(text, len, offs[c0 < count ? c0 : count - 1]);
        size_t e = char_start(text, len, c1 < count ? offs[c1] : len);
        r[nr] = (struct line){line_start(text, s, reach),
                              line_end(text, len, e, reach), run.score};
    }
    free(offs);
    /* and the opening lines, which win ties as in the whole screen (a
     * subject restated) */
    r[nr++] = (struct line){
        0, line_end(text, len, len < width ? len : width, reach), 0};
    qsort(r, nr, sizeof(r[0]), by_start);
    for (size_t i = 0; i < nr; i++) {
        if (i > 0 && r[i].s <= r[i - 1].e) { /* overlapping: one */
            r[i].s = r[i - 1].s;
            if (r[i].e < r[i - 1].e)
                r[i].e = r[i - 1].e;
            r[i - 1].e = r[i - 1].s; /* emptied */
        }
    }
    for (size_t i = 0; i < nr; i++)
        if (r[i].e - r[i].s > most)
            most = r[i].e - r[i].s;
    f = malloc(most + 1);
    if (f == NULL)
        return vns_err_set(l->err, VNS_ENOMEM, "snippet: out of memory");
    for (size_t i = 0; i < nr; i++)
        if (r[i].e > r[i].s)
            screen(l->q, text, r[i].s, r[i].e, width, f, &b);
    free(f);
    if (b.n == 0)
        return 1;
    return analyze_best(an, text, len, width, &b, l);
}

struct window {
    size_t from, to; /* match indexes [from, to) in the match list */
    int score;
};

/* Whether [s, e) overlaps none of av[0..nav). */
static int clear_of(size_t s, size_t e, const struct vns_span *av, size_t nav)
{
    for (size_t k = 0; k < nav; k++)
        if (e > av[k].off && s < av[k].off + av[k].len)
            return 0;
    return 1;
}

/* Best window of matches (indexes into m[]) within width bytes whose
 * matches overlap none of av[0..nav). */
static struct window best_window(const struct tk *v, const size_t *m, size_t nm,
                                 size_t width, const struct vns_span *av,
                                 size_t nav)
{
    struct window best = {0, 0, 0};
    int count[MAX_QT] = {0};
    int distinct = 0, exact = 0, adj = 0;
    size_t j = 0;

    for (size_t i = 0; i < nm; i++) {
        if (j < i)
            j = i;
        while (j < nm &&
               (j == i || v[m[j]].off + v[m[j]].len <= v[m[i]].off + width)) {
            const struct tk *t = &v[m[j]];
            if (count[t->qi]++ == 0)
                distinct++;
            exact += t->exact;
            if (j > i && v[m[j - 1]].pos + 1 == t->pos)
                adj++;
            j++;
        }
        size_t s = v[m[i]].off, e = v[m[j - 1]].off + v[m[j - 1]].len;
        int score = distinct * 10 + adj * 4 + exact * 2 + (int)(j - i);
        if (score > best.score && clear_of(s, e, av, nav))
            best = (struct window){i, j, score};
        /* slide: drop match i */
        const struct tk *t = &v[m[i]];
        if (--count[t->qi] == 0)
            distinct--;
        exact -= t->exact;
        if (i + 1 < j && v[m[i + 1]].pos == t->pos + 1)
            adj--;
    }
    return best;
}

/* Build a snippet over [s, e) of text with the matches inside lit. */
static int make_one(const char *text, size_t len, const struct tklist *l,
                    size_t s, size_t e, struct vns_snippet *out,
                    struct vns_err *err)
{
    struct vns_snippet sn = {0};
    size_t nhl = 0;

    sn.text = malloc(e - s + 1);
    sn.hl = malloc(sizeof(*sn.hl) * (l->n ? l->n : 1));
    if (sn.text == NULL || sn.hl == NULL) {
        vns_snippet_fini(&sn);
        return vns_err_set(err, VNS_ENOMEM, "snippet: out of memory");
    }
    for (size_t i = s; i < e; i++)
        sn.text[i - s] = text[i] == '\n' ? ' ' : text[i];
    sn.text[e - s] = '\0';
    sn.len = e - s;
    for (size_t i = 0; i < l->n; i++) {
        const struct tk *t = &l->v[i];
        if (t->qi < 0 || t->off < s || t->off + t->len > e)
            continue;
        uint32_t off = (uint32_t)(t->off - s), tl = (uint32_t)t->len;
        /* a compound and its parts overlap: merge into one span */
        if (nhl > 0 && off <= sn.hl[nhl - 1].off + sn.hl[nhl - 1].len) {
            uint32_t end = off + tl,
                     pend = sn.hl[nhl - 1].off + sn.hl[nhl - 1].len;
            if (end > pend)
                sn.hl[nhl - 1].len = end - sn.hl[nhl - 1].off;
            continue;
        }
        sn.hl[nhl++] = (struct vns_highlight){off, tl};
    }
    sn.nhl = nhl;
    sn.cut_start = s > 0;
    sn.cut_end = e < len;
    *out = sn;
    return VNS_OK;
}

/* Where window w's last match ends. */
static size_t window_end(const struct tklist *l, const size_t *m,
                         struct window w)
{
    const struct tk *t = &l->v[m[w.to - 1]];
    return t->off + t->len;
}

/* Whether text[a, b) (between two tokens) ends a sentence, a clause or
 * a line. */
static int ends_clause(const char *text, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++)
        if (text[k] != '\0' && strchr(".!?;:\n", text[k]) != NULL)
            return 1;
    return 0;
}

/* Whether the token before token k starts at most dist bytes before
 * byte start, on the same line. */
static int before(const char *text, const struct tklist *l, size_t k,
                  size_t start, size_t dist)
{
    return k > 0 && l->v[k - 1].off + dist >= start &&
           memchr(text + l->v[k - 1].off, '\n', start - l->v[k - 1].off) ==
               NULL;
}

/* Stretch a window of matches to whole syllables within width bytes,
 * starting at the sentence, clause or line that holds the first match
 * when it opens at most width / 2 bytes before it and the window's matches up
 * to byte need still fit ("Sở Giáo dục ... chưa được tiêm", not "nắm chắc
 * ... tiêm"), else a little before the match; never before its line. */
static void span_of(const char *text, const struct tklist *l, size_t first_tok,
                    size_t need, size_t width, size_t *s, size_t *e)
{
    size_t start = l->v[first_tok].off, i = first_tok, reach = width / 2;
    int clause = 0;

    if (need > start && need - start < width && width - (need - start) < reach)
        reach = width - (need - start);
    for (size_t k = first_tok;
         !clause && k > 0 && l->v[k - 1].off + reach >= start; k--)
        if (ends_clause(text, l->v[k - 1].off + l->v[k - 1].len, l->v[k].off)) {
            i = k; /* the clause or line opens within reach */
            clause = 1;
        }
    while (!clause && before(text, l, i, start, width / 5))
        i--; /* else a little before the match */
    *s = l->v[i].off;
    *e = *s;
    for (; i < l->n && l->v[i].off + l->v[i].len <= *s + width; i++)
        *e = l->v[i].off + l->v[i].len;
}

int vns_snippets_make(struct vns_analyzer *an, const char *text, size_t len,
                      const struct vns_query *q, size_t want, size_t width,
                      const struct vns_snipguide *guide,
                      struct vns_snippet **out, size_t *nout,
                      struct vns_err *err)
{
    struct tklist l = {NULL, 0, 0, q, err, 0, 0, 0, 0};
    struct vns_snippet *sn = NULL;
    struct vns_span av[VNS_SNIP_MAX_SHOWN + 1];
    size_t *m = NULL, nm = 0, ns = 0, nav = 0, s[2], e[2];
    struct window w[2];
    int rc;

    if (want > 2)
        want = 2;
    if (width < 16)
        width = 16;
    for (size_t k = 0; guide != NULL && k < guide->nshown; k++) {
        struct vns_span sp = guide->shown[k];
        if (nav < VNS_SNIP_MAX_SHOWN && sp.len > 0 && sp.off < len)
            av[nav++] = (struct vns_span){
                sp.off, sp.len < len - sp.off ? sp.len : len - sp.off};
    }
    rc = collect_guided(an, text, len, width, guide, &l);
    if (rc == 1)
        rc = collect_lines(an, text, len, width, &l);
    if (rc != VNS_OK)
        goto out;
    sn = calloc(want ? want : 1, sizeof(*sn));
    m = malloc(sizeof(*m) * (l.n ? l.n : 1));
    if (sn == NULL || m == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "snippet: out of memory");
        goto out;
    }
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].qi >= 0)
            m[nm++] = i;
    if (want > 0 && l.n > 0) {
        w[0] = best_window(l.v, m, nm, width, av, nav);
        if (w[0].score == 0) {
            /* no match to show: the opening, unless the hit shows its
             * matches already */
            span_of(text, &l, 0, 0, width, &s[0], &e[0]);
            ns = nav == 0;
        } else {
            span_of(text, &l, m[w[0].from], window_end(&l, m, w[0]), width,
                    &s[0], &e[0]);
            ns = 1;
            if (want > 1) {
                av[nav] = (struct vns_span){s[0], e[0] - s[0]};
                w[1] = best_window(l.v, m, nm, width, av, nav + 1);
                if (w[1].score > 0) {
                    span_of(text, &l, m[w[1].from], window_end(&l, m, w[1]),
                            width, &s[1], &e[1]);
                    if (e[1] <= s[0] || s[1] >= e[0])
                        ns = 2;
                }
            }
        }
    }
    if (ns == 2 && s[1] < s[0]) {
        size_t ts = s[0], te = e[0];
        s[0] = s[1], e[0] = e[1], s[1] = ts, e[1] = te;
    }
    for (size_t i = 0; i < ns; i++) {
        rc = make_one(text, len, &l, s[i], e[i], &sn[i], err);
        if (rc != VNS_OK) {
            for (size_t k = 0; k < i; k++)
                vns_snippet_fini(&sn[k]);
            goto out;
        }
    }
    *out = sn;
    *nout = ns;
    sn = NULL;
out:
    free(sn);
    free(m);
    free(l.v);
    return rc;
}

void vns_hitwords_fini(struct vns_hitwords *w)
{
    if (w == NULL)
        return;
    free(w->v);
    *w = (struct vns_hitwords){0};
}

void vns_snippet_fini(struct vns_snippet *s)
{
    if (s == NULL)
        return;
    free(s->text);
    free(s->hl);
    *s = (struct vns_snippet){0};
}
