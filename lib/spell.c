/* "Did you mean" from the index's statistics: every loose syllable of the
 * query gets candidate written forms (its E terms, or those of a folded
 * word one edit away when it is in no document), and the sequence that
 * the C pair terms (two written syllables side by side) support most wins
 * (Viterbi). Shown only when it beats the query as typed by a margin. */
#include "spell.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "fixes.h"
#include "fold.h"
#include "gazetteer.h"
#include "index_impl.h"
#include "intent.h"
#include "termbatch.h"

#define NBUCKET 8192
/* Candidate forms kept per syllable, the most frequent first. 6 would
 * restore a few more ("huyen bat xat": "bát" is the 4th form of "bat"
 * after "bắt", "bất", "bạt"): known items shown as their notice writes
 * them, gen-notices small seeds 201, 202, 203, 51, no-diacritics 55 ->
 * 58 of 62, typo 39 -> 40 of 62, but the pairs to weigh double and a
 * query's mean time grew 2% (small 201). */
#define MAXC 3
/* Score of keeping a syllable as typed, of a form one edit away from a
 * word no document holds, and how much the best sequence must beat the
 * typed one by (natural log units of pair document frequency; tuned on
 * corpus/ and gen-notices: a sequence the index never holds gives way to
 * one it holds twice). */
#define TYPED_BONUS 0.3
#define TYPO_COST 0.5
#define MARGIN 1.0
/* A written form this many times rarer than its syllable's most frequent
 * one is doubtful. */
#define RARE_FORM 20
/* Weight of a form's own document frequency beside its pairs'. */
#define PRIOR_WEIGHT 0.1
/* The vowels a dropped one may have been: a e i o u y. */
#define DROPPED_MAX 6

struct form {
    struct form *next;
    uint64_t df;
    char exact[]; /* NUL-terminated */
};

struct entry {
    struct entry *next;
    struct form *forms; /* most frequent first */
    char folded[];
};

struct vns_spell {
    struct entry *b[NBUCKET];
    int failed;
};

static size_t hash(const char *s)
{
    size_t h = 5381;

    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h & (NBUCKET - 1);
}

static struct entry *find(const struct vns_spell *sp, const char *folded)
{
    for (struct entry *e = sp->b[hash(folded)]; e != NULL; e = e->next)
        if (strcmp(e->folded, folded) == 0)
            return e;
    return NULL;
}

static int letters_only(const char *s)
{
    for (; *s; s++)
        if (*s < 'a' || *s > 'z')
            return 0;
    return 1;
}

/* One E term ("Etiêm"): filed under its folded form. */
static int add_form(const char *term, size_t len, uint64_t tf, void *arg)
{
    struct vns_spell *sp = arg;
    char exact[VNS_TERM_MAX], folded[VNS_TERM_MAX];
    struct entry *e;
    struct form *f, **at;

    if (len < 2 || len - 1 >= VNS_TERM_MAX)
        return 0;
    memcpy(exact, term + 1, len - 1);
    exact[len - 1] = '\0';
    vns_fold_text(exact, len - 1, folded);
    if (!letters_only(folded) || folded[0] == '\0')
        return 0; /* numbers and codes are not spelled */
    e = find(sp, folded);
    if (e == NULL) {
        size_t fl = strlen(folded) + 1, h = hash(folded);
        e = malloc(sizeof(*e) + fl);
        if (e == NULL) {
            sp->failed = 1;
            return 1;
        }
        memcpy(e->folded, folded, fl);
        e->forms = NULL;
        e->next = sp->b[h];
        sp->b[h] = e;
    }
    f = malloc(sizeof(*f) + len);
    if (f == NULL) {
        sp->failed = 1;
        return 1;
    }
    f->df = tf;
    memcpy(f->exact, exact, len);
    for (at = &e->forms; *at != NULL && (*at)->df >= tf; at = &(*at)->next)
        ;
    f->next = *at;
    *at = f;
    return 0;
}

int vns_spell_new(struct vns_xdb *db, struct vns_spell **out,
                  struct vns_err *err)
{
    struct vns_spell *sp = calloc(1, sizeof(*sp));
    int rc;

    if (sp == NULL)
        return vns_err_set(err, VNS_ENOMEM, "spelling: out of memory");
    rc = vns_xdb_terms(db, VNS_PREFIX_EXACT, add_form, sp, err);
    if (sp->failed)
        rc = vns_err_set(err, VNS_ENOMEM, "spelling: out of memory");
    if (rc != VNS_OK) {
        vns_spell_free(sp);
        return rc;
    }
    *out = sp;
    return VNS_OK;
}

void vns_spell_free(struct vns_spell *sp)
{
    if (sp == NULL)
        return;
    for (size_t i = 0; i < NBUCKET; i++) {
        struct entry *e = sp->b[i];
        while (e != NULL) {
            struct entry *en = e->next;
            struct form *f = e->forms;
            while (f != NULL) {
                struct form *fn = f->next;
                free(f);
                f = fn;
            }
            free(e);
            e = en;
        }
    }
    free(sp);
}

struct cand {
    char form[VNS_TERM_MAX];
    double prior;
};

struct slot {
    const struct vns_qterm *t;
    size_t run; /* syllables of one run stand side by side */
    struct cand c[MAXC + 1];
    size_t nc;
    double best[MAXC + 1]; /* Viterbi: best score ending in c[k] */
    size_t from[MAXC + 1];
};

/* Documents where the written syllables a and b stand side by side (C pair
 * terms); 0 for a pair too long to be indexed. */
static int pairfreq(struct vns_xdb *db, const char *a, const char *b,
                    uint64_t *out, struct vns_err *err)
{
    char term[VNS_PAIR_MAX + 2];
    size_t n = vns_pair_term(term, sizeof(term), VNS_PREFIX_EXACT_PAIR, a, b);

    *out = 0;
    return n == 0 ? VNS_OK : vns_xdb_termfreq(db, term, n, out, err);
}

static void add_cand(struct slot *s, const char *form, double prior)
{
    for (size_t k = 0; k < s->nc; k++)
        if (strcmp(s->c[k].form, form) == 0) {
            if (prior > s->c[k].prior)
                s->c[k].prior = prior;
            return;
        }
    if (s->nc > MAXC)
        return;
    snprintf(s->c[s->nc].form, sizeof(s->c[0].form), "%s", form);
    s->c[s->nc++].prior = prior;
}

/* The written forms of folded word w, the first MAXC of them, and the
 * bare word itself. */
static void add_forms(const struct vns_spell *sp, struct slot *s, const char *w,
                      uint64_t df, double cost)
{
    const struct entry *e = find(sp, w);
    size_t k = 0;

    for (const struct form *f = e ? e->forms : NULL; f && k < MAXC;
         f = f->next, k++)
        add_cand(s, f->exact, PRIOR_WEIGHT * log1p((double)f->df) - cost);
    add_cand(s, w, PRIOR_WEIGHT * log1p((double)df) - cost);
}

/* Edit (op, i, c) of w (n bytes) into v: op 0 deletes letter i, 1 swaps
 * it with the next, 2 changes it to c, 3 inserts c before it. 0 when the
 * edit makes nothing new (or is one another (op, i, c) makes). */
static int edit(const char *w, size_t n, int op, size_t i, char c, char *v)
{
    if ((op < 2 && c != 'a') || (op < 3 && i == n) || (op == 1 && i + 1 >= n) ||
        (op == 2 && w[i] == c))
        return 0;
    memcpy(v, w, n + 1);
    if (op == 0) {
        memmove(v + i, v + i + 1, n - i);
    } else if (op == 1) {
        v[i] = w[i + 1];
        v[i + 1] = w[i];
    } else if (op == 2) {
        v[i] = c;
    } else {
        memmove(v + i + 1, v + i, n - i + 1);
        v[i] = c;
    }
    return strcmp(v, w) != 0;
}

int vns_spell_edits(struct vns_xdb *db, const struct vns_words *words,
                    const char *w, struct vns_spell_edit *best, size_t max,
                    size_t *nout, struct vns_err *err)
{
    struct vns_termbatch tb;
    size_t n = strlen(w), nb = 0;
    char v[VNS_TERM_MAX + 2];
    uint64_t df;
    int rc = VNS_OK;

    *nout = 0;
    if (n + 2 > VNS_TERM_MAX || n < 2 || max == 0)
        return VNS_OK;
    /* every edit's frequency at once (one exchange a remote shard), then
     * each from the cache; the words table knows those it covers */
    vns_termbatch_init(&tb, db);
    for (int op = 0; op < 4 && tb.on; op++)
        for (size_t i = 0; i <= n; i++)
            for (char c = 'a'; c <= 'z'; c++)
                if (edit(w, n, op, i, c, v) && !vns_words_cover(words, v))
                    vns_termbatch_add(&tb, v, strlen(v));
    rc = vns_termbatch_fetch(&tb, db, err);
    vns_termbatch_fini(&tb);
    for (int op = 0; op < 4 && rc == VNS_OK; op++)
        for (size_t i = 0; i <= n && rc == VNS_OK; i++)
            for (char c = 'a'; c <= 'z' && rc == VNS_OK; c++) {
                size_t k, dup = 0;
                if (!edit(w, n, op, i, c, v))
                    continue;
                for (k = 0; k < nb; k++)
                    dup |= strcmp(best[k].word, v) == 0;
                if (dup)
                    continue;
                rc = vns_words_termfreq(words, db, v, &df, err);
                if (rc != VNS_OK || df == 0)
                    continue;
                if (nb == max && best[max - 1].df >= df)
                    continue; /* the max most frequent are kept */
                k = nb < max ? nb++ : max - 1;
                while (k > 0 && best[k - 1].df < df) {
                    best[k] = best[k - 1];
                    k--;
                }
                memcpy(best[k].word, v, strlen(v) + 1); /* n + 2 < cap */
                best[k].df = df;
            }
    *nout = nb;
    return rc;
}

/* The folded words one edit from w that documents hold, as candidates. */
static int add_edits(const struct vns_spell *sp, struct vns_xdb *db,
                     const struct vns_words *words, struct slot *s,
                     const char *w, struct vns_err *err)
{
    struct vns_spell_edit best[MAXC];
    size_t nb = 0;
    int rc = vns_spell_edits(db, words, w, best, MAXC, &nb, err);

    for (size_t k = 0; k < nb && rc == VNS_OK; k++)
        add_forms(sp, s, best[k].word, best[k].df, TYPO_COST);
    return rc;
}

/* The candidates of slot s: as typed, then its likeliest fix (fixes.c:
 * of the nfix words one edit away, the one its neighbours in the query
 * are written beside most for its frequency) in its written forms ("Cà
 * Mu": "Mau", bare, as "Cà Mau" is written, though "mẫu" is the form
 * most written), else its own written forms, else the most frequent
 * words one edit away when no document holds it. Only the likeliest
 * fix: the pairs alone would take "Thanh Oa có" for "Thanh và có". */
static int candidates(const struct vns_spell *sp, struct vns_xdb *db,
                      const struct vns_words *words, struct slot *s,
                      const struct vns_spell_edit *fix, size_t nfix,
                      struct vns_err *err)
{
    const struct vns_qterm *t = s->t;
    uint64_t df = 0;
    int rc;

    /* as typed: kept unless the index says otherwise */
    add_cand(s, t->exact, TYPED_BONUS);
    if (!letters_only(t->folded))
        return VNS_OK; /* "2", "f0", "covid-19": as typed */
    if (nfix > 0) {    /* "Thanh Oa có": "Oai" */
        /* bare first: its marked forms may fill the slot */
        add_cand(s, fix[0].word,
                 PRIOR_WEIGHT * log1p((double)fix[0].df) - TYPO_COST);
        add_forms(sp, s, fix[0].word, fix[0].df, TYPO_COST);
        return VNS_OK;
    }
    rc = vns_words_termfreq(words, db, t->folded, &df, err);
    if (rc != VNS_OK)
        return rc;
    if (df == 0)
        return add_edits(sp, db, words, s, t->folded, err);
    add_forms(sp, s, t->folded, df, 0);
    return VNS_OK;
}

/* The typed word's capitals carried over to form: "Tiem" -> "Tiêm",
 * "TIEM" -> "TIÊM". */
static size_t cased(const char *typed, size_t tlen, const char *form, char *out,
                    size_t cap)
{
    int32_t i = 0, n = (int32_t)tlen, o = 0, upper = 0, letters = 0, first = 0;
    UChar32 c;

    while (i < n) {
        U8_NEXT(typed, i, n, c);
        if (c < 0 || !u_isalpha(c))
            continue;
        if (letters == 0)
            first = u_isupper(c);
        letters++;
        upper += u_isupper(c) != 0;
    }
    i = 0;
    n = (int32_t)strlen(form);
    for (int k = 0; i < n; k++) {
        UBool bad = 0;
        U8_NEXT(form, i, n, c);
        if (c < 0)
            continue;
        if ((letters > 1 && upper == letters) || (k == 0 && first))
            c = u_toupper(c);
        U8_APPEND((uint8_t *)out, o, (int32_t)cap - 1, c, bad);
        if (bad)
            break;
    }
    out[o] = '\0';
    return (size_t)o;
}

/* qs with slot i's syllable replaced by its chosen form where it differs
 * from the typed one, or by its written form as a cue phrase (intent.h)
 * when typed bare. */
static char *rewrite(const char *qs, size_t qlen, const struct slot *s,
                     const size_t *pick, char cue[][VNS_INTENT_FORM_MAX],
                     size_t n)
{
    size_t cap = qlen + n * VNS_TERM_MAX * 4 + 1, o = 0, at = 0;
    char *out = malloc(cap);

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct vns_qterm *t = s[i].t;
        const char *form = pick[i] != 0 ? s[i].c[pick[i]].form : NULL;
        if (cue[i][0] != '\0' && !(t->flags & VNS_TOK_MARKED))
            form = cue[i];
        if (form == NULL || t->off < at || t->off + t->len > qlen)
            continue; /* kept as typed */
        memcpy(out + o, qs + at, t->off - at);
        o += t->off - at;
        o += cased(qs + t->off, t->len, form, out + o, cap - o);
        at = t->off + t->len;
    }
    memcpy(out + o, qs + at, qlen - at);
    out[o + qlen - at] = '\0';
    return out;
}

/* Edits between UTF-8 strings a and b (a code point dropped, added or
 * changed): 0, 1, or 2 for more. */
static int edits(const char *a, const char *b)
{
    UChar32 x[VNS_TERM_MAX], y[VNS_TERM_MAX], c;
    int32_t na = 0, nb = 0, i = 0, la = (int32_t)strlen(a),
            lb = (int32_t)strlen(b), p = 0;

    while (i < la && na < VNS_TERM_MAX) {
        U8_NEXT(a, i, la, c);
        x[na++] = c;
    }
    i = 0;
    while (i < lb && nb < VNS_TERM_MAX) {
        U8_NEXT(b, i, lb, c);
        y[nb++] = c;
    }
    if (na - nb > 1 || nb - na > 1)
        return 2;
    while (p < na && p < nb && x[p] == y[p])
        p++;
    if (p == na && p == nb)
        return 0;
    if (na == nb) { /* one changed at p */
        for (i = p + 1; i < na; i++)
            if (x[i] != y[i])
                return 2;
        return 1;
    }
    for (i = p; i < na && i < nb; i++) /* one dropped at p */
        if ((na > nb ? x[i + 1] : x[i]) != (na > nb ? y[i] : y[i + 1]))
            return 2;
    return 1;
}

/* Whether entry e has a written form among the n shapes (cap bytes
 * each) with tone tone. */
static int has_shape(const struct entry *e, const char *shapes, size_t cap,
                     size_t n, int tone)
{
    char f[VNS_TERM_MAX * 2];
    int ft;

    for (const struct form *fm = e ? e->forms : NULL; fm; fm = fm->next)
        if (vns_word_shape(fm->exact, strlen(fm->exact), f, sizeof(f), &ft) >
                0 &&
            ft == tone)
            for (size_t i = 0; i < n; i++)
                if (strcmp(f, shapes + i * cap) == 0)
                    return 1;
    return 0;
}

int vns_spell_near_form(const struct vns_spell *sp, const char *typed,
                        const char *folded)
{
    char t[VNS_TERM_MAX * 2], f[VNS_TERM_MAX * 2];
    char dropped[DROPPED_MAX][VNS_TERM_MAX * 2];
    const struct entry *e = find(sp, folded);
    int tt, ft;
    size_t nd;

    if (vns_word_shape(typed, strlen(typed), t, sizeof(t), &tt) == 0) {
        /* a vowel dropped, its marks left astray ("h̀nh"): the vowels
         * those marks fit; else nothing to tell them apart by */
        nd = vns_word_dropped(typed, strlen(typed), dropped[0],
                              sizeof(dropped[0]), DROPPED_MAX, &tt);
        return nd == 0 || has_shape(e, dropped[0], sizeof(dropped[0]), nd, tt);
    }
    if (edits(t, folded) + (tt != 0) <= 1)
        return 1; /* the word written bare */
    for (const struct form *fm = e ? e->forms : NULL; fm; fm = fm->next)
        if (vns_word_shape(fm->exact, strlen(fm->exact), f, sizeof(f), &ft) >
                0 &&
            edits(t, f) + (tt != ft) <= 1)
            return 1;
    return 0;
}

int vns_spell_dominant(const struct vns_spell *sp, const char *folded,
                       const char *exact)
{
    const struct entry *e = find(sp, folded);

    return e != NULL && strcmp(e->forms->exact, exact) == 0 &&
           (e->forms->next == NULL ||
            e->forms->next->df * RARE_FORM < e->forms->df);
}

int vns_spell_rare_form(const struct vns_spell *sp, const char *folded,
                        const char *exact)
{
    const struct entry *e = find(sp, folded);
    const struct form *f;

    if (e == NULL)
        return 0;
    for (f = e->forms; f != NULL && strcmp(f->exact, exact) != 0; f = f->next)
        ;
    return f == NULL || f->df * RARE_FORM < e->forms->df;
}

/* Whether syllable t may be better written: typed bare with written
 * forms in the index, in no document at all, or in a written form far
 * rarer than another of its forms ("mủi" beside "mũi"). A query written
 * as the notices write it costs no pair lookups. */
static int doubtful(const struct vns_spell *sp, struct vns_xdb *db,
                    const struct vns_words *words, const struct vns_qterm *t,
                    int *out, struct vns_err *err)
{
    const struct entry *e;
    uint64_t df = 0;
    int rc;

    *out = 0;
    if (!letters_only(t->folded))
        return VNS_OK;
    e = find(sp, t->folded);
    if (e != NULL && !(t->flags & VNS_TOK_MARKED)) {
        *out = 1;
        return VNS_OK;
    }
    if (e != NULL) {
        *out = vns_spell_rare_form(sp, t->folded, t->exact);
        return VNS_OK;
    }
    rc = vns_words_termfreq(words, db, t->folded, &df, err);
    *out = rc == VNS_OK && df == 0;
    return rc;
}

/* Most syllables of a place name with its type word ("thành phố Hồ Chí
 * Minh", "tỉnh Bà Rịa - Vũng Tàu"). */
#define PLACE_MAX 5

/* The syllables of a written name into w[] (a dash is none): how many,
 * or 0 when more than max or one too long. With folded (may be NULL),
 * their folded forms joined by spaces (PLACE_MAX * VNS_INTENT_FORM_MAX
 * bytes). */
static size_t syllables(const char *name, char w[][VNS_INTENT_FORM_MAX],
                        size_t max, char *folded)
{
    size_t k = 0, o = 0;

    for (const char *p = name; *p != '\0';) {
        size_t wl = strcspn(p, " ");
        if (wl > 0 && !(wl == 1 && *p == '-')) {
            if (k == max || wl >= VNS_INTENT_FORM_MAX)
                return 0;
            memcpy(w[k], p, wl);
            w[k][wl] = '\0';
            if (folded != NULL) {
                if (k > 0)
                    folded[o++] = ' ';
                o += vns_fold_text(p, wl, folded + o);
            }
            k++;
        }
        p += wl + (p[wl] == ' ');
    }
    if (folded != NULL)
        folded[o] = '\0';
    return k;
}

/* w's first letter in lower case ("Tỉnh" -> "tỉnh"). */
static void lower_first(char w[VNS_INTENT_FORM_MAX])
{
    char out[VNS_INTENT_FORM_MAX];
    int32_t i = 0, o = 0, n = (int32_t)strlen(w);
    UChar32 c;
    UBool bad = 0;

    U8_NEXT(w, i, n, c);
    if (c < 0)
        return;
    U8_APPEND((uint8_t *)out, o, VNS_INTENT_FORM_MAX - 1, u_tolower(c), bad);
    if (bad || (size_t)o + (size_t)(n - i) >= VNS_INTENT_FORM_MAX)
        return;
    memcpy(out + o, w + i, (size_t)(n - i) + 1);
    memcpy(w, out, (size_t)o + (size_t)(n - i) + 1);
}

/* How the units u[0..nu) write the folded name typed: their name, or
 * their name with its type word ("tinh ninh thuan": "Tỉnh Ninh Thuận"),
 * its syllables into w[] and how many are type words into *lead; 0 when
 * none writes it so or two write it differently. */
static size_t written_as(const struct vns_gaz_unit *const *u, size_t nu,
                         const char *typed, char w[][VNS_INTENT_FORM_MAX],
                         size_t *lead)
{
    char f[PLACE_MAX * VNS_INTENT_FORM_MAX],
        tmp[PLACE_MAX][VNS_INTENT_FORM_MAX];
    const char *chosen = NULL;
    size_t n = 0;

    for (size_t k = 0; k < nu; k++)
        for (int full = 0; full < 2; full++) {
            const char *str = full ? u[k]->full : u[k]->name;
            if (syllables(str, tmp, PLACE_MAX, f) == 0 || strcmp(f, typed) != 0)
                continue;
            if (chosen != NULL && strcmp(chosen, str) != 0)
                return 0; /* written two ways */
            if (chosen == NULL) {
                chosen = str;
                n = syllables(str, w, PLACE_MAX, NULL);
                *lead =
                    full ? n - syllables(u[k]->name, tmp, PLACE_MAX, NULL) : 0;
            }
        }
    return n;
}

/* Whether UTF-8 words a and b are the same but for capitals. */
static int same_form(const char *a, const char *b)
{
    int32_t i = 0, j = 0, na = (int32_t)strlen(a), nb = (int32_t)strlen(b);
    UChar32 x, y;

    while (i < na && j < nb) {
        U8_NEXT(a, i, na, x);
        U8_NEXT(b, j, nb, y);
        if (x < 0 || y < 0 || u_tolower(x) != u_tolower(y))
            return 0;
    }
    return i == na && j == nb;
}

/* Whether the index writes a place otherwise than the gazetteer's forms
 * w[0..n), as the forms picked for its slots s[0..n) (pick[]): they
 * differ from w in their marks only, and stand side by side in some
 * notice ("hai phòng"). Not when they are w but for capitals, nor when
 * one changes the typed letters (a fix: "tinh ninh" taken for "tình
 * hình"): the name typed right wins. */
static int index_writes(struct vns_xdb *db, const struct slot *s,
                        const size_t *pick, char w[][VNS_INTENT_FORM_MAX],
                        size_t n, int *out, struct vns_err *err)
{
    char f[VNS_TERM_MAX * 4];
    size_t same = 0;

    *out = 0;
    for (size_t k = 0; k < n; k++) {
        const char *form = s[k].c[pick[k]].form;
        size_t fl = strlen(form);
        if (fl >= sizeof(f) ||
            vns_fold_text(form, fl, f) != strlen(s[k].t->folded) ||
            strcmp(f, s[k].t->folded) != 0)
            return VNS_OK; /* a fix */
        same += same_form(form, w[k]);
    }
    if (same == n)
        return VNS_OK;
    for (size_t k = 0; k + 1 < n; k++) {
        uint64_t df = 0;
        int rc = pairfreq(db, s[k].c[pick[k]].form,
                          s[k + 1].c[pick[k + 1]].form, &df, err);
        if (rc != VNS_OK || df > 0) {
            *out = rc == VNS_OK;
            return rc;
        }
    }
    return VNS_OK;
}

/* Place names the index cannot spell: a run of bare syllables that names
 * one province (old or 2025) or district, alone or after its type word,
 * and is written one way ("ninh thuan": Ninh Thuận; "tinh tra vinh":
 * tỉnh Trà Vinh), gets the gazetteer's syllables in written[] where the
 * cue phrases left none, unless the index writes the forms picked for
 * it (pick[]) side by side already ("hai phòng" of a notice that says so
 * stays). corpus/ never writes "Ninh Thuận": its province comes from the
 * file names. */
static int place_forms(const struct vns_gaz *gz, struct vns_xdb *db,
                       const struct slot *s, const size_t *pick, size_t n,
                       char written[][VNS_INTENT_FORM_MAX], struct vns_err *err)
{
    const struct vns_gaz_unit *u[8];
    char name[PLACE_MAX * VNS_INTENT_FORM_MAX];
    char forms[PLACE_MAX][VNS_INTENT_FORM_MAX];

    for (size_t i = 0; gz != NULL && i + 1 < n; i++)
        for (size_t len = PLACE_MAX; len >= 2; len--) {
            size_t o = 0, nu, k, lead = 0;
            int bare = 1, writes = 0;
            if (i + len > n || s[i + len - 1].run != s[i].run)
                continue;
            for (k = i; k < i + len && bare && o < sizeof(name); k++) {
                const struct vns_qterm *t = s[k].t;
                bare = letters_only(t->folded) && written[k][0] == '\0' &&
                       !(t->flags & VNS_TOK_MARKED);
                o += (size_t)snprintf(name + o, sizeof(name) - o, "%s%s",
                                      k > i ? " " : "", t->folded);
            }
            if (!bare || o >= sizeof(name)) /* too long for a place */
                continue;
            /* a province before a district: "thanh hoa" is Thanh Hóa,
             * though a district of Long An is Thạnh Hóa */
            for (k = 0; k < 2; k++) {
                nu = vns_gaz_find(gz, name,
                                  k ? VNS_GAZ_DISTRICT : VNS_GAZ_PROVINCES, 0,
                                  u, sizeof(u) / sizeof(u[0]));
                if (nu > 0 && nu <= sizeof(u) / sizeof(u[0]) &&
                    written_as(u, nu, name, forms, &lead) == len)
                    break;
            }
            if (k == 2)
                continue;
            int rc =
                index_writes(db, s + i, pick + i, forms, len, &writes, err);
            if (rc != VNS_OK)
                return rc;
            if (writes)
                continue;
            for (k = 0; k < len; k++) {
                if (k < lead) /* the type word as typed: "tỉnh", "Tỉnh" */
                    lower_first(forms[k]);
                memcpy(written[i + k], forms[k], sizeof(forms[k]));
            }
            i += len - 1;
            break;
        }
    return VNS_OK;
}

int vns_spell_suggest(struct vns_spell *sp, struct vns_xdb *db,
                      const struct vns_words *words,
                      const struct vns_spell_places *places,
                      const struct vns_query *q, const struct vns_fixes *fx,
                      const char *qs, size_t qlen, char **out,
                      struct vns_err *err)
{
    struct slot *s = calloc(VNS_MAX_QUERY_TERMS, sizeof(*s));
    char cue[VNS_MAX_QUERY_TERMS][VNS_INTENT_FORM_MAX];
    struct vns_termbatch tb;
    size_t n = 0, ndoubt = 0, pick[VNS_MAX_QUERY_TERMS] = {0};
    double typed = 0;
    int rc = VNS_OK;

    *out = NULL;
    if (s == NULL)
        return vns_err_set(err, VNS_ENOMEM, "spelling: out of memory");
    vns_termbatch_init(&tb, db);
    const struct vns_qterm *seq[VNS_MAX_QUERY_TERMS];
    size_t run[VNS_MAX_QUERY_TERMS];

    n = vns_query_loose(q, seq, run, VNS_MAX_QUERY_TERMS);
    for (size_t i = 0; i < n; i++) /* those the words table lacks */
        if (!vns_words_cover(words, seq[i]->folded))
            vns_termbatch_add(&tb, seq[i]->folded, strlen(seq[i]->folded));
    rc = vns_termbatch_fetch(&tb, db, err);
    for (size_t i = 0; i < n && rc == VNS_OK; i++) {
        int d = 0;
        s[i].t = seq[i];
        s[i].run = run[i];
        rc = doubtful(sp, db, words, s[i].t, &d, err);
        if (rc != VNS_OK)
            goto out;
        ndoubt += d || (fx != NULL && fx->n[i] > 0);
    }
    if (n == 0 || ndoubt == 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        rc = candidates(sp, db, words, &s[i], fx != NULL ? fx->e[i] : NULL,
                        fx != NULL ? fx->n[i] : 0, err);
        if (rc != VNS_OK)
            goto out;
    }
    for (size_t i = 1; i < n && tb.on; i++) /* the pairs the Viterbi weighs */
        for (size_t k = 0; k < s[i].nc && s[i].run == s[i - 1].run; k++)
            for (size_t j = 0; j < s[i - 1].nc; j++)
                vns_termbatch_add_pair(&tb, VNS_PREFIX_EXACT_PAIR,
                                       s[i - 1].c[j].form, s[i].c[k].form);
    rc = vns_termbatch_fetch(&tb, db, err);
    if (rc != VNS_OK)
        goto out;
    /* Viterbi over the candidates; c[0] of each slot is the typed form */
    for (size_t k = 0; k < s[0].nc; k++)
        s[0].best[k] = s[0].c[k].prior;
    for (size_t i = 1; i < n; i++)
        for (size_t k = 0; k < s[i].nc; k++) {
            s[i].best[k] = -INFINITY;
            for (size_t j = 0; j < s[i - 1].nc; j++) {
                uint64_t df = 0;
                if (s[i].run == s[i - 1].run) {
                    rc = pairfreq(db, s[i - 1].c[j].form, s[i].c[k].form, &df,
                                  err);
                    if (rc != VNS_OK)
                        goto out;
                }
                double v = s[i - 1].best[j] + log1p((double)df);
                if (v > s[i].best[k]) {
                    s[i].best[k] = v;
                    s[i].from[k] = j;
                }
            }
            s[i].best[k] += s[i].c[k].prior;
        }
    /* the typed sequence's own score, for the margin */
    typed = s[0].c[0].prior;
    for (size_t i = 1; i < n; i++) {
        uint64_t df = 0;
        if (s[i].run == s[i - 1].run) {
            rc = pairfreq(db, s[i - 1].c[0].form, s[i].c[0].form, &df, err);
            if (rc != VNS_OK)
                goto out;
        }
        typed += log1p((double)df) + s[i].c[0].prior;
    }
    pick[n - 1] = 0;
    for (size_t k = 1; k < s[n - 1].nc; k++)
        if (s[n - 1].best[k] > s[n - 1].best[pick[n - 1]])
            pick[n - 1] = k;
    if (s[n - 1].best[pick[n - 1]] < typed + MARGIN)
        goto out; /* best as typed */
    for (size_t i = n - 1; i > 0; i--)
        pick[i - 1] = s[i].from[pick[i]];
    for (size_t i = 0; i < n; i++)
        if (pick[i] != 0 && strcmp(s[i].c[pick[i]].form, s[i].t->exact) == 0)
            pick[i] = 0; /* the same form by another route */
    size_t changed = 0;
    for (size_t i = 0; i < n; i++)
        changed += pick[i] != 0;
    if (changed == 0)
        goto out;
    /* the cue words and place names too, though the index holds too few
     * of them to say ("khi nao hoàn thành tiêm mũi 2"); not for them
     * alone: they find the same written either way */
    vns_intent_cue_forms(seq, run, n, cue);
    rc = place_forms(places ? places->get(places->arg) : NULL, db, s, pick, n,
                     cue, err);
    if (rc != VNS_OK)
        goto out;
    *out = rewrite(qs, qlen, s, pick, cue, n);
    if (*out == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "spelling: out of memory");
out:
    vns_termbatch_fini(&tb);
    free(s);
    return rc;
}
