/* Province of a notice: place names in its header, date line and body,
 * weighed with the gazetteer's help; the gazetteer itself is gazetteer.c's. */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "meta_impl.h"

#define MAX_UNITS 64      /* a name reaching more tells nothing */
#define MAX_PROV 128      /* provinces scored: 63 + 34 at most */
#define MAX_SEEN 512      /* distinct names counted, once each */
#define MAX_LOOKUPS 20000 /* gazetteer lookups per notice, for hostile text */
#define NAME_WORDS 5      /* "Bà Rịa - Vũng Tàu" is four */
#define QUERY_MAX 160

/* Evidence weights. A header line outweighs everything; the body only
 * decides when no header spoke, and then a district is worth more than a
 * province named in passing ("kinh nghiệm của Thành phố Hà Nội"). */
#define W_HEAD_PROVINCE 100.0
#define W_HEAD_UNIT 60.0
#define W_DATE_LINE 50.0
#define W_HEAD_MENTION 30.0 /* "Cổng thông tin điện tử tỉnh X" above */
#define W_MENTION 4.0
#define W_DISTRICT 6.0
#define W_COMMUNE_OLD 2.0 /* "xã Tân Hòa": dozens of provinces */
#define W_COMMUNE_ONE 5.0 /* "xã Bản Giang": one province only */
#define W_COMMUNE_NEW 6.0 /* after July 2025 communes are all there is */
#define W_DECIDE 5.0      /* least body evidence for an answer */

/* What a type word asks the gazetteer for. */
#define WANT_PROV 0x1
#define WANT_DIST 0x2
#define WANT_COMM 0x4

static const struct {
    const char *w; /* folded, as matched */
    const char *q; /* type word passed to the gazetteer, or NULL */
    unsigned want;
} type_words[] = {
    {"thanh pho", "thanh pho", WANT_PROV | WANT_DIST},
    {"tp", "thanh pho", WANT_PROV | WANT_DIST},
    {"tinh uy", NULL, WANT_PROV},
    {"thanh uy", NULL, WANT_PROV},
    {"tinh", "tinh", WANT_PROV},
    {"thi xa", "thi xa", WANT_DIST},
    {"thi tran", "thi tran", WANT_COMM},
    {"huyen", "huyen", WANT_DIST},
    {"quan", "quan", WANT_DIST},
    {"xa", "xa", WANT_COMM},
    {"phuong", "phuong", WANT_COMM},
    {"dac khu", "dac khu", WANT_COMM},
    {"bao", NULL, WANT_PROV}, /* "Báo Ninh Thuận": the province's paper */
};

struct score {
    const struct vns_gaz_unit *p;
    double strong, weak;
    double strong_best; /* the heaviest single strong item, and its line */
    size_t strong_line;
};

/* A name already counted: repeats of it add nothing. */
struct seen {
    const struct vns_gaz_unit *u;    /* first unit the name reached */
    const struct vns_gaz_unit *only; /* its province when just one */
    unsigned kind;                   /* VNS_GAZ_* of u */
};

struct place {
    const struct vns_gaz *gz;
    const struct vns_meta_text *t;
    bool new_era;
    size_t head_end; /* lines before the title */
    struct score s[MAX_PROV];
    size_t ns;
    struct seen seen[MAX_SEEN];
    size_t nseen;
    size_t lookups;
};

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static const struct vns_gaz_unit *province_of(const struct vns_gaz_unit *u)
{
    while (u->parent != NULL)
        u = u->parent;
    return u;
}

static struct score *score_of(struct place *pl, const struct vns_gaz_unit *p)
{
    for (size_t i = 0; i < pl->ns; i++)
        if (pl->s[i].p == p)
            return &pl->s[i];
    if (pl->ns == MAX_PROV)
        return NULL;
    pl->s[pl->ns] = (struct score){.p = p};
    return &pl->s[pl->ns++];
}

/* Is the blank at folded i a column gap: several blanks or a table bar
 * in the original ("ỦY BAN NHÂN DÂN      CỘNG HÒA ...", "| A | B |")? */
static bool is_gap(const struct vns_meta_text *t, size_t i)
{
    size_t blanks = 0;

    if (i >= t->n || t->f[i] != ' ')
        return false;
    for (uint32_t o = t->pos[i]; o < t->pos[i + 1]; o++) {
        char c = t->orig[o];
        if (c == '|')
            return true;
        blanks += c == ' ' || c == '\t';
    }
    return blanks >= 2;
}

static size_t word_end(const struct vns_meta_text *t, size_t i)
{
    while (vns_meta_isalnum(vns_meta_at(t, i)))
        i++;
    return i;
}

/* Capitalised words from i, within [i, lim): "Ninh Hải", "Phan
 * Rang-Tháp Chàm", "Bà Rịa - Vũng Tàu", "NINH THUẬN", "1" (Quận 1).
 * Writes where each ends into ends[] and returns how many. */
static size_t name_words(const struct vns_meta_text *t, size_t i, size_t lim,
                         size_t ends[NAME_WORDS])
{
    size_t n = 0;

    while (n < NAME_WORDS && i < lim) {
        char c = t->f[i];
        size_t e;
        if (!is_upper(c) && !(is_digit(c) && n == 0))
            break;
        e = word_end(t, i);
        if (e > lim)
            e = lim;
        ends[n++] = e;
        if (is_digit(c))
            break; /* "Quận 1" ends at its number */
        if (vns_meta_at(t, e) == '-') {
            i = vns_meta_skip_spaces(t, e + 1);
        } else if (vns_meta_at(t, e) == ' ' && !is_gap(t, e)) {
            i = e + 1;
            if (vns_meta_at(t, i) == '-' && vns_meta_at(t, i + 1) == ' ')
                i += 2; /* "Bà Rịa - Vũng Tàu" */
        } else {
            break;
        }
    }
    return n;
}

/* Units named by prefix + folded [b, e), of the kinds asked. */
static size_t lookup(struct place *pl, const char *prefix, size_t b, size_t e,
                     unsigned kinds, const struct vns_gaz_unit **out)
{
    char q[QUERY_MAX];
    size_t o = 0, n;

    if (kinds == 0 || pl->lookups >= MAX_LOOKUPS)
        return 0;
    pl->lookups++;
    if (prefix != NULL) {
        o = strlen(prefix);
        memcpy(q, prefix, o);
        q[o++] = ' ';
    }
    if (e - b + o + 1 > sizeof(q))
        return 0;
    memcpy(q + o, pl->t->f + b, e - b);
    q[o + e - b] = '\0';
    n = vns_gaz_find(pl->gz, q, kinds, 0, out, MAX_UNITS);
    return n > MAX_UNITS ? 0 : n;
}

static unsigned kinds_of(const struct place *pl, unsigned want)
{
    unsigned k = 0;

    if (want & WANT_PROV)
        k |= pl->new_era ? VNS_GAZ_PROVINCE_2025 : VNS_GAZ_PROVINCE;
    if ((want & WANT_DIST) && !pl->new_era)
        k |= VNS_GAZ_DISTRICT;
    if (want & WANT_COMM)
        k |= pl->new_era ? VNS_GAZ_COMMUNE_2025 : VNS_GAZ_COMMUNE;
    return k;
}

/* Count units (all named alike) as one piece of evidence: strong ones
 * split w among their provinces; weak ones likewise, once per name. */
static void add(struct place *pl, const struct vns_gaz_unit **u, size_t n,
                bool strong, double w, size_t li)
{
    const struct vns_gaz_unit *provs[MAX_UNITS];
    size_t np = 0;

    for (size_t i = 0; i < n; i++) {
        const struct vns_gaz_unit *p = province_of(u[i]);
        size_t k = 0;
        while (k < np && provs[k] != p)
            k++;
        if (k == np)
            provs[np++] = p;
    }
    if (np == 0)
        return;
    if (!strong) {
        for (size_t i = 0; i < pl->nseen; i++)
            if (pl->seen[i].u == u[0])
                return;
        if (pl->nseen == MAX_SEEN)
            return;
        pl->seen[pl->nseen++] =
            (struct seen){u[0], np == 1 ? provs[0] : NULL, u[0]->kind};
    }
    for (size_t k = 0; k < np; k++) {
        struct score *s = score_of(pl, provs[k]);
        double part = w / (double)np;
        if (s == NULL)
            continue;
        if (!strong) {
            s->weak += part;
            continue;
        }
        s->strong += part;
        if (part > s->strong_best) {
            s->strong_best = part;
            s->strong_line = li;
        }
    }
}

/* The word before i (skipping blanks) is w? */
static bool word_before(const struct vns_meta_text *t, size_t i, const char *w)
{
    size_t len = strlen(w), e = i;

    while (e > 0 && t->f[e - 1] == ' ')
        e--;
    if (e < len || (e > len && vns_meta_isalnum(t->f[e - len - 1])))
        return false;
    return vns_meta_word(t, e - len, w, NULL);
}

/* A place cited rather than meant: "tỉnh Quảng Bình (cũ)", "người từ
 * Thành phố Hồ Chí Minh, Bình Dương, Đồng Nai về". */
static bool decoy(struct place *pl, size_t type_at, size_t end, unsigned kind)
{
    const struct vns_meta_text *t = pl->t;
    size_t i = vns_meta_skip_spaces(t, end);

    if (vns_meta_at(t, i) == '(' && vns_meta_word(t, i + 1, "cu", NULL))
        return true;
    if (!(kind & (VNS_GAZ_PROVINCE | VNS_GAZ_PROVINCE_2025)))
        return false;
    if (word_before(t, type_at, "tu"))
        return true;
    if (vns_meta_at(t, end) == ',') {
        /* one of a list of provinces */
        const struct vns_gaz_unit *u[MAX_UNITS];
        size_t ends[NAME_WORDS], b = vns_meta_skip_spaces(t, end + 1);
        size_t nw = name_words(t, b, t->n, ends);
        for (size_t k = nw; k-- > 0;)
            if (lookup(pl, NULL, b, ends[k], kind, u) > 0)
                return true;
    }
    return false;
}

/* Are the letters of folded [b, e) capitals? */
static void count(struct place *pl, const struct vns_gaz_unit **u, size_t n,
                  bool head_caps, size_t li);

/* The names listed after a typed one: ", Ninh Sơn", " và Bác Ái". */
static void more_of_list(struct place *pl, const char *type, unsigned kinds,
                         size_t i, size_t e, size_t li, bool head_caps)
{
    const struct vns_meta_text *t = pl->t;

    for (int k = 0; k < 8; k++) {
        const struct vns_gaz_unit *u[MAX_UNITS];
        size_t ends[NAME_WORDS], nw, n = 0, after;
        if (vns_meta_at(t, i) == ',')
            i = vns_meta_skip_spaces(t, i + 1);
        else if (vns_meta_word(t, vns_meta_skip_spaces(t, i), "va", &after))
            i = vns_meta_skip_spaces(t, after);
        else
            return;
        nw = name_words(t, i, e, ends);
        while (nw > 0) {
            n = lookup(pl, type, i, ends[nw - 1], kinds, u);
            if (n > 0)
                break;
            nw--;
        }
        if (n == 0)
            return;
        count(pl, u, n, head_caps, li);
        i = ends[nw - 1];
    }
}

/* Typed names in folded [b, e) of line li: "huyện Ninh Hải", "TỈNH ỦY
 * NINH THUẬN", "xã Bản Giang", "Báo Ninh Thuận". */
static void scan_typed(struct place *pl, size_t b, size_t e, size_t li,
                       bool head, bool head_caps)
{
    const struct vns_meta_text *t = pl->t;

    for (size_t i = b; i < e; i++) {
        size_t after = 0, k;
        if (!vns_meta_isalnum(t->f[i]) || !vns_meta_word_start(t, i))
            continue;
        for (k = 0; k < sizeof(type_words) / sizeof(type_words[0]); k++)
            if (vns_meta_word(t, i, type_words[k].w, &after))
                break;
        if (k == sizeof(type_words) / sizeof(type_words[0])) {
            i = word_end(t, i);
            continue;
        }
        {
            const struct vns_gaz_unit *u[MAX_UNITS];
            size_t ends[NAME_WORDS], nb, nw, n = 0, at = i;
            unsigned kinds = kinds_of(pl, type_words[k].want);
            bool dot = vns_meta_at(t, after) == '.'; /* "TP. Hồ Chí Minh" */
            nb = vns_meta_skip_spaces(t, after + dot);
            if (nb == after || vns_meta_word(t, nb, "hoi", NULL)) {
                /* "Cộng hòa xã hội", "Thương binh và Xã hội" */
                i = after;
                continue;
            }
            nw = name_words(t, nb, e, ends);
            while (nw > 0) {
                n = lookup(pl, type_words[k].q, nb, ends[nw - 1], kinds, u);
                if (n > 0)
                    break;
                nw--;
            }
            if (n == 0) {
                i = after;
                continue;
            }
            i = ends[nw - 1];
            if (!head && decoy(pl, at, ends[nw - 1], u[0]->kind))
                continue;
            count(pl, u, n, head && head_caps, li);
            /* "huyện Ninh Hải, Ninh Sơn và Bác Ái": one type word for all */
            if (!(u[0]->kind & (VNS_GAZ_PROVINCE | VNS_GAZ_PROVINCE_2025)))
                more_of_list(pl, type_words[k].q, kinds, ends[nw - 1], e, li,
                             head && head_caps);
            if (head && !head_caps &&
                (u[0]->kind & (VNS_GAZ_PROVINCE | VNS_GAZ_PROVINCE_2025)))
                add(pl, u, n, true, W_HEAD_MENTION, li);
        }
    }
}

/* Weigh units found under a type word: as a header line when head_caps,
 * else as the body's evidence. */
static void count(struct place *pl, const struct vns_gaz_unit **u, size_t n,
                  bool head_caps, size_t li)
{
    bool prov = u[0]->kind & (VNS_GAZ_PROVINCE | VNS_GAZ_PROVINCE_2025);
    double w;

    if (head_caps) {
        add(pl, u, n, true, prov ? W_HEAD_PROVINCE : W_HEAD_UNIT, li);
        return;
    }
    if (prov)
        w = W_MENTION;
    else if (u[0]->kind == VNS_GAZ_DISTRICT)
        w = W_DISTRICT;
    else if (pl->new_era)
        w = W_COMMUNE_NEW;
    else
        w = n == 1 ? W_COMMUNE_ONE : W_COMMUNE_OLD;
    add(pl, u, n, false, w, li);
}

/* "SỞ Y TẾ TRÀ VINH", "TỈNH ỦY NINH THUẬN": a header segment in capitals
 * ending with a province's name. */
static bool scan_suffix(struct place *pl, size_t b, size_t e, size_t li)
{
    const struct vns_meta_text *t = pl->t;
    const struct vns_gaz_unit *u[MAX_UNITS];
    unsigned kind = kinds_of(pl, WANT_PROV);
    size_t starts[NAME_WORDS], ns = 0, i = e;

    while (ns < NAME_WORDS - 1 && i > b) {
        while (i > b && !vns_meta_isalnum(t->f[i - 1]))
            i--;
        while (i > b && vns_meta_isalnum(t->f[i - 1]))
            i--;
        if (!vns_meta_isalnum(vns_meta_at(t, i)))
            break;
        starts[ns++] = i;
    }
    for (size_t k = ns; k-- > 0;) {
        size_t n = lookup(pl, NULL, starts[k], e, kind, u);
        if (n > 0) {
            add(pl, u, n, true, W_HEAD_PROVINCE, li);
            return true;
        }
    }
    return false;
}

/* Segments of line [b, e) between column gaps, each passed to fn. */
static void each_segment(struct place *pl, size_t b, size_t e, size_t li)
{
    const struct vns_meta_text *t = pl->t;
    size_t s = b;

    for (size_t i = b; i <= e; i++) {
        size_t x = i;
        if (i < e && !is_gap(t, i))
            continue;
        while (x > s && !vns_meta_isalnum(t->f[x - 1]))
            x--;
        /* "TỈNH ỦY NINH THUẬN" counts once, not as a suffix and again
         * as "TỈNH ỦY" + name */
        if (!(x > s && vns_meta_caps(t, s, x) &&
              !vns_meta_word(t, s, "cong hoa", NULL) &&
              scan_suffix(pl, s, x, li)))
            scan_typed(pl, s, i, li, true, x > s && vns_meta_caps(t, s, x));
        s = i + 1;
    }
}

/* "Phan Rang-Tháp Chàm, ngày 29 tháng 11 năm 2021": the place before the
 * date, a province, a provincial city or (after July 2025) a commune. */
static void scan_date_line(struct place *pl, size_t li)
{
    const struct vns_meta_text *t = pl->t;
    size_t b, e;

    vns_meta_line(t, li, &b, &e);
    for (size_t j = b + 1; j + 5 < e; j++) {
        size_t after, i, starts[NAME_WORDS], ns = 0;
        if (!vns_meta_word_start(t, j) || !vns_meta_word(t, j, "ngay", &after))
            continue;
        if (!is_digit(vns_meta_at(t, vns_meta_skip_spaces(t, after))))
            continue;
        i = j;
        while (i > b && (t->f[i - 1] == ' ' || t->f[i - 1] == ','))
            i--;
        /* walk back over capitalised words to the start of the column */
        while (ns < NAME_WORDS && i > b && vns_meta_isalnum(t->f[i - 1])) {
            size_t s = i;
            while (s > b && vns_meta_isalnum(t->f[s - 1]))
                s--;
            if (!is_upper(t->f[s]))
                break;
            starts[ns++] = s;
            i = s;
            if (i > b && t->f[i - 1] == '-')
                i--;
            else if (i > b + 2 && t->f[i - 1] == ' ' && t->f[i - 2] == '-' &&
                     t->f[i - 3] == ' ')
                i -= 3;
            else if (i > b && t->f[i - 1] == ' ' && !is_gap(t, i - 1))
                i--;
            else
                break;
        }
        if (ns == 0)
            continue;
        {
            size_t end = starts[0];
            const struct vns_gaz_unit *u[MAX_UNITS];
            unsigned tries[3];
            size_t ntries = 0;
            end = word_end(t, end);
            tries[ntries++] = kinds_of(pl, WANT_PROV);
            if (pl->new_era)
                tries[ntries++] = VNS_GAZ_COMMUNE_2025;
            else
                tries[ntries++] = VNS_GAZ_DISTRICT;
            for (size_t tk = 0; tk < ntries; tk++)
                for (size_t k = ns; k-- > 0;) {
                    size_t n = lookup(pl, NULL, starts[k], end, tries[tk], u);
                    if (n > 0) {
                        add(pl, u, n, true, W_DATE_LINE, li);
                        return;
                    }
                }
        }
        return;
    }
}

static int cmp_score(const struct score *a, const struct score *b)
{
    if (a->strong != b->strong)
        return a->strong > b->strong ? -1 : 1;
    if (a->weak != b->weak)
        return a->weak > b->weak ? -1 : 1;
    return strcmp(a->p->id, b->p->id);
}

static void sort_scores(struct place *pl)
{
    for (size_t i = 1; i < pl->ns; i++) /* insertion: a handful */
        for (size_t k = i; k > 0 && cmp_score(&pl->s[k], &pl->s[k - 1]) < 0;
             k--) {
            struct score tmp = pl->s[k];
            pl->s[k] = pl->s[k - 1];
            pl->s[k - 1] = tmp;
        }
}

/* "districts: Ninh Hải, Ninh Sơn -> Ninh Thuận" from the names counted
 * for p alone, districts first. */
static void why_names(const struct place *pl, const struct vns_gaz_unit *p,
                      char *dst, size_t cap)
{
    static const struct {
        unsigned kinds;
        const char *label;
    } groups[] = {
        {VNS_GAZ_DISTRICT, "districts"},
        {VNS_GAZ_COMMUNE | VNS_GAZ_COMMUNE_2025, "communes"},
        {VNS_GAZ_PROVINCE | VNS_GAZ_PROVINCE_2025, "mentions"},
    };

    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        size_t o = 0, shown = 0;
        for (size_t i = 0; i < pl->nseen; i++) {
            const struct seen *s = &pl->seen[i];
            int w;
            if (s->only != p || !(s->kind & groups[g].kinds))
                continue;
            if (shown == 0)
                w = snprintf(dst, cap, "%s: %s", groups[g].label, s->u->name);
            else
                w = snprintf(dst + o, cap - o, ", %s", s->u->name);
            if (w < 0 || (size_t)w >= cap - o)
                break;
            o += (size_t)w;
            shown++;
        }
        if (shown > 0) {
            snprintf(dst + o, cap - o, " -> %s", p->name);
            return;
        }
    }
    snprintf(dst, cap, "places named -> %s", p->name);
}

static void set_answer(struct place *pl, const struct score *win, bool strong,
                       struct vns_meta *m)
{
    const struct vns_gaz_unit *to[4];

    snprintf(m->province, sizeof(m->province), "%s", win->p->name);
    if (pl->new_era)
        snprintf(m->province_2025, sizeof(m->province_2025), "%s",
                 win->p->name);
    else if (vns_gaz_to_2025(pl->gz, win->p, to, 4) == 1)
        snprintf(m->province_2025, sizeof(m->province_2025), "%s", to[0]->name);
    if (strong)
        vns_meta_why(pl->t, win->strong_line, m->why.province,
                     sizeof(m->why.province));
    else
        why_names(pl, win->p, m->why.province, sizeof(m->why.province));
}

static void set_candidates(struct place *pl, struct vns_meta *m)
{
    m->n_candidates = 0;
    for (size_t i = 0; i < pl->ns && m->n_candidates < VNS_META_MAX_CANDIDATES;
         i++) {
        if (pl->s[i].strong <= 0 && pl->s[i].weak <= 0)
            continue;
        snprintf(m->candidates[m->n_candidates],
                 sizeof(m->candidates[m->n_candidates]), "%s",
                 pl->s[i].p->name);
        m->n_candidates++;
    }
}

/* Weigh what was found: the strongest header evidence unless another
 * province comes close; else the body, when one province clearly leads. */
static void decide(struct place *pl, struct vns_meta *m)
{
    const double eps = 1e-9;
    double top, second = 0, wtop = 0, wsecond = 0;
    size_t tied = 0, best = 0;

    sort_scores(pl);
    if (pl->ns == 0)
        return;
    top = pl->s[0].strong;
    if (top > eps) {
        while (tied < pl->ns && pl->s[tied].strong >= top - eps)
            tied++;
        if (tied < pl->ns)
            second = pl->s[tied].strong;
        if (second >= top / 2) {
            set_candidates(pl, m);
            return;
        }
        if (tied == 1) {
            set_answer(pl, &pl->s[0], true, m);
            return;
        }
        /* "XÃ KIM THÀNH" is in two provinces: the body chooses between
         * them (the tie is sorted by weak score already) */
        wtop = pl->s[0].weak;
        wsecond = pl->s[1].weak;
        if (wtop >= 2 && wtop >= 2 * wsecond) {
            size_t o;
            set_answer(pl, &pl->s[0], true, m);
            o = strlen(m->why.province);
            if (o + 3 < sizeof(m->why.province)) {
                memcpy(m->why.province + o, "; ", 3);
                why_names(pl, pl->s[0].p, m->why.province + o + 2,
                          sizeof(m->why.province) - o - 2);
            }
            return;
        }
        set_candidates(pl, m);
        return;
    }
    for (size_t i = 0; i < pl->ns; i++) {
        if (pl->s[i].weak > wtop) {
            wsecond = wtop;
            wtop = pl->s[i].weak;
            best = i;
        } else if (pl->s[i].weak > wsecond) {
            wsecond = pl->s[i].weak;
        }
    }
    if (wtop >= W_DECIDE && wtop >= 2 * wsecond) {
        set_answer(pl, &pl->s[best], false, m);
        return;
    }
    /* weak scores order the candidates */
    for (size_t i = 1; i < pl->ns; i++)
        for (size_t k = i; k > 0 && pl->s[k].weak > pl->s[k - 1].weak; k--) {
            struct score tmp = pl->s[k];
            pl->s[k] = pl->s[k - 1];
            pl->s[k - 1] = tmp;
        }
    set_candidates(pl, m);
}

static void run(struct place *pl, struct vns_meta *m)
{
    const struct vns_meta_text *t = pl->t;

    pl->ns = pl->nseen = pl->lookups = 0;
    pl->head_end = vns_meta_head_end(t);
    for (size_t li = 0; li < pl->head_end; li++) {
        size_t b, e;
        vns_meta_line(t, li, &b, &e);
        if (e - b > 400)
            continue; /* a paragraph, not a header line */
        each_segment(pl, b, e, li);
        scan_date_line(pl, li);
    }
    for (size_t li = pl->head_end; li < t->nlines; li++) {
        size_t b, e;
        vns_meta_line(t, li, &b, &e);
        scan_typed(pl, b, e, li, false, false);
    }
    decide(pl, m);
}

int vns_meta_place(const struct vns_gaz *gz, const char *text, size_t len,
                   struct vns_meta *m, struct vns_err *err)
{
    struct vns_meta_text t = {0};
    struct place *pl = NULL;
    int rc;

    if (gz == NULL || m == NULL || (text == NULL && len > 0))
        return vns_err_set(err, VNS_EINVAL,
                           "meta: no gazetteer, text or "
                           "output");
    m->province[0] = m->province_2025[0] = m->why.province[0] = '\0';
    m->n_candidates = 0;
    /* an article that is no notice (no type, no number) names places it
     * was not issued in: Wikipedia's "Hà Nội" is no issuer's province */
    if (m->doc_type[0] == '\0' && m->number[0] == '\0')
        return VNS_OK;
    rc = vns_meta_text_init(&t, text == NULL ? "" : text, len);
    if (rc != VNS_OK) {
        vns_err_set(err, rc, "meta: out of memory");
        goto out;
    }
    pl = calloc(1, sizeof(*pl));
    if (pl == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "meta: out of memory");
        goto out;
    }
    pl->gz = gz;
    pl->t = &t;
    /* the merger's date decides which map the notice was written on */
    pl->new_era = m->date[0] != '\0' && strcmp(m->date, "2025-07-01") >= 0;
    run(pl, m);
    if (m->date[0] == '\0' && m->province[0] == '\0' && m->n_candidates == 0) {
        pl->new_era = true; /* undated: perhaps written on the new map */
        run(pl, m);
    }
out:
    free(pl);
    vns_meta_text_fini(&t);
    return rc;
}
