/* Issuing body of a notice: the vocabulary of data/bodies.tsv and where a
 * notice names its issuer (header, number, closing, signature). */
#include "meta.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datadir.h"
#include "meta_impl.h"
#include "vnsearch/analyze.h"

#define BODIES_FILE "bodies.tsv"
#define BODIES_MAGIC "# vnsearch-bodies 1"
#define BODIES_MAX_FILE (1u * 1024 * 1024)
#define KEY_MAX 256    /* bytes of a normalised spelling, with the NUL */
#define MATCH_WORDS 16 /* words of text tried as one body's name */
#define PLACE_WORDS                                                            \
    4 /* words a header line may add: "... BÀ RỊA - VŨNG TÀU"             \
       */
#define SUGGEST_DIST 4 /* edits a suggestion may be away */
#define SCAN_LINES 6   /* lines after the title read for the issuer */

struct abbr {
    char *from; /* folded: "ubnd" */
    char *to;   /* normalised: "uy ban nhan dan" */
};

struct vns_bodies {
    char **names; /* canonical, as in the file */
    size_t nnames;
    struct abbr *abbrs;
    size_t nabbrs;
    char **keys;     /* open addressing, cap a power of two */
    uint32_t *value; /* index into names */
    size_t cap, nkeys;
};

/* ---- normalising names ---- */

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Append word w (len bytes) to out at *o, expanded when it is an abbr. */
static bool put_word(const struct vns_bodies *b, const char *w, size_t len,
                     char *out, size_t cap, size_t *o)
{
    const char *src = w;
    size_t n = len;

    for (size_t i = 0; b != NULL && i < b->nabbrs; i++)
        if (strlen(b->abbrs[i].from) == len &&
            memcmp(b->abbrs[i].from, w, len) == 0) {
            src = b->abbrs[i].to;
            n = strlen(src);
            break;
        }
    if (*o + n + 2 > cap)
        return false;
    if (*o > 0)
        out[(*o)++] = ' ';
    memcpy(out + *o, src, n);
    *o += n;
    out[*o] = '\0';
    return true;
}

/* "Ủy ban nhân dân tỉnh", "UBND Tỉnh", "ubnd tinh" -> "uy ban nhan dan
 * tinh": folded, words of letters and digits, abbreviations expanded. */
static bool normalize(const struct vns_bodies *b, const char *name, char *out,
                      size_t cap)
{
    char folded[KEY_MAX * 2];
    size_t o = 0;

    out[0] = '\0';
    if (vns_fold(name, folded, sizeof(folded)) != VNS_OK)
        return false;
    for (size_t i = 0; folded[i] != '\0';) {
        size_t s = i;
        if (!is_alnum((unsigned char)folded[i])) {
            i++;
            continue;
        }
        while (is_alnum((unsigned char)folded[i]))
            i++;
        if (!put_word(b, folded + s, i - s, out, cap, &o))
            return false;
    }
    return true;
}

/* ---- the table ---- */

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static long lookup_key(const struct vns_bodies *b, const char *key)
{
    if (b == NULL || b->cap == 0)
        return -1;
    for (size_t i = hash(key) & (b->cap - 1);; i = (i + 1) & (b->cap - 1)) {
        if (b->keys[i] == NULL)
            return -1;
        if (strcmp(b->keys[i], key) == 0)
            return (long)b->value[i];
    }
}

static int grow(struct vns_bodies *b)
{
    size_t cap = b->cap ? b->cap * 2 : 256;
    char **keys = calloc(cap, sizeof(*keys));
    uint32_t *value = calloc(cap, sizeof(*value));

    if (keys == NULL || value == NULL) {
        free(keys);
        free(value);
        return VNS_ENOMEM;
    }
    for (size_t i = 0; i < b->cap; i++) {
        size_t k;
        if (b->keys[i] == NULL)
            continue;
        for (k = hash(b->keys[i]) & (cap - 1); keys[k] != NULL;
             k = (k + 1) & (cap - 1))
            ;
        keys[k] = b->keys[i];
        value[k] = b->value[i];
    }
    free(b->keys);
    free(b->value);
    b->keys = keys;
    b->value = value;
    b->cap = cap;
    return VNS_OK;
}

/* Add spelling -> body; the first body to claim a spelling keeps it. */
static int add_key(struct vns_bodies *b, const char *spelling, uint32_t body)
{
    char key[KEY_MAX];
    size_t i;

    if (!normalize(b, spelling, key, sizeof(key)) || key[0] == '\0')
        return VNS_EBADDATA;
    if (lookup_key(b, key) >= 0)
        return VNS_OK;
    if ((b->nkeys + 1) * 2 > b->cap && grow(b) != VNS_OK)
        return VNS_ENOMEM;
    for (i = hash(key) & (b->cap - 1); b->keys[i] != NULL;
         i = (i + 1) & (b->cap - 1))
        ;
    b->keys[i] = strdup(key);
    if (b->keys[i] == NULL)
        return VNS_ENOMEM;
    b->value[i] = body;
    b->nkeys++;
    return VNS_OK;
}

static int push(void **arr, size_t *n, size_t size, const void *item)
{
    void *p = realloc(*arr, (*n + 1) * size);

    if (p == NULL)
        return VNS_ENOMEM;
    memcpy((char *)p + *n * size, item, size);
    *arr = p;
    (*n)++;
    return VNS_OK;
}

/* Split s at tabs in place; returns the number of fields. */
static size_t split_tabs(char *s, char **f, size_t max)
{
    size_t n = 0;

    while (n < max) {
        char *tab = strchr(s, '\t');
        f[n++] = s;
        if (tab == NULL)
            break;
        *tab = '\0';
        s = tab + 1;
    }
    return n;
}

static int read_all(const char *path, char **out, struct vns_err *err)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n;

    if (fp == NULL)
        return vns_err_set(err, VNS_ENOTFOUND, "%s: cannot open", path);
    buf = malloc(BODIES_MAX_FILE + 1);
    if (buf == NULL) {
        fclose(fp);
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
    }
    n = fread(buf, 1, BODIES_MAX_FILE + 1, fp);
    if (ferror(fp) || n > BODIES_MAX_FILE) {
        int bad = ferror(fp);
        fclose(fp);
        free(buf);
        return bad ? vns_err_set(err, VNS_EIO, "%s: read error", path)
                   : vns_err_set(err, VNS_ETOOBIG, "%s: over %u bytes", path,
                                 BODIES_MAX_FILE);
    }
    fclose(fp);
    buf[n] = '\0';
    *out = buf;
    return VNS_OK;
}

/* Abbreviations first, as they shape every key; then the bodies. */
static int parse(struct vns_bodies *b, char *buf, const char *path,
                 struct vns_err *err)
{
    int rc = VNS_OK;

    if (strncmp(buf, BODIES_MAGIC, strlen(BODIES_MAGIC)) != 0)
        return vns_err_set(err, VNS_EBADDATA, "%s:1: not a bodies file", path);
    for (int pass = 0; pass < 2; pass++) {
        unsigned line = 0;
        for (char *s = buf; s != NULL && *s != '\0';) {
            char *nl = strchr(s, '\n'), *f[64], copy[1024];
            size_t nf, len = nl ? (size_t)(nl - s) : strlen(s);
            line++;
            if (len == 0 || s[0] == '#' || len >= sizeof(copy)) {
                if (len >= sizeof(copy) && s[0] != '#')
                    return vns_err_set(err, VNS_EBADDATA,
                                       "%s:%u: line too long", path, line);
                s = nl ? nl + 1 : NULL;
                continue;
            }
            memcpy(copy, s, len);
            copy[len] = '\0';
            if (len > 0 && copy[len - 1] == '\r')
                copy[len - 1] = '\0';
            s = nl ? nl + 1 : NULL;
            nf = split_tabs(copy, f, 64);
            if (strcmp(f[0], "abbr") == 0 && nf == 3) {
                struct abbr a;
                char from[64], to[KEY_MAX];
                if (pass == 1)
                    continue;
                if (!normalize(NULL, f[1], from, sizeof(from)) ||
                    strchr(from, ' ') != NULL || from[0] == '\0' ||
                    !normalize(NULL, f[2], to, sizeof(to)) || to[0] == '\0')
                    return vns_err_set(err, VNS_EBADDATA, "%s:%u: bad abbr",
                                       path, line);
                a.from = strdup(from);
                a.to = strdup(to);
                if (a.from == NULL || a.to == NULL ||
                    push((void **)&b->abbrs, &b->nabbrs, sizeof(a), &a)) {
                    free(a.from);
                    free(a.to);
                    return vns_err_set(err, VNS_ENOMEM, "%s: out of memory",
                                       path);
                }
            } else if (strcmp(f[0], "body") == 0 && nf >= 2) {
                char *name;
                if (pass == 0)
                    continue;
                name = strdup(f[1]);
                if (name == NULL ||
                    push((void **)&b->names, &b->nnames, sizeof(name), &name)) {
                    free(name);
                    return vns_err_set(err, VNS_ENOMEM, "%s: out of memory",
                                       path);
                }
                for (size_t k = 1; k < nf; k++) {
                    rc = add_key(b, f[k], (uint32_t)(b->nnames - 1));
                    if (rc != VNS_OK)
                        return vns_err_set(err, rc, "%s:%u: bad spelling %s",
                                           path, line, f[k]);
                }
            } else {
                return vns_err_set(err, VNS_EBADDATA, "%s:%u: bad line", path,
                                   line);
            }
        }
    }
    if (b->nnames == 0)
        return vns_err_set(err, VNS_EBADDATA, "%s: no bodies", path);
    return VNS_OK;
}

int vns_bodies_open(const char *path, struct vns_bodies **out,
                    struct vns_err *err)
{
    char found[4096];
    char *buf = NULL;
    struct vns_bodies *b = NULL;
    int rc;

    if (out == NULL)
        return vns_err_set(err, VNS_EINVAL, "bodies: no output");
    if (path == NULL) {
        rc = vns_datadir_find(BODIES_FILE, found, sizeof(found));
        if (rc != VNS_OK) {
            vns_err_set(err, rc, "%s: not found in the data directories",
                        BODIES_FILE);
            goto out;
        }
        path = found;
    }
    rc = read_all(path, &buf, err);
    if (rc != VNS_OK)
        goto out;
    b = calloc(1, sizeof(*b));
    if (b == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    rc = parse(b, buf, path, err);
    if (rc != VNS_OK)
        goto out;
    *out = b;
    b = NULL;
out:
    vns_bodies_free(b);
    free(buf);
    return rc;
}

void vns_bodies_free(struct vns_bodies *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->nnames; i++)
        free(b->names[i]);
    for (size_t i = 0; i < b->nabbrs; i++) {
        free(b->abbrs[i].from);
        free(b->abbrs[i].to);
    }
    for (size_t i = 0; i < b->cap; i++)
        free(b->keys[i]);
    free(b->names);
    free(b->abbrs);
    free(b->keys);
    free(b->value);
    free(b);
}

const char *vns_bodies_find(const struct vns_bodies *b, const char *name)
{
    char key[KEY_MAX];
    long v;

    if (b == NULL || name == NULL || !normalize(b, name, key, sizeof(key)))
        return NULL;
    v = lookup_key(b, key);
    return v < 0 ? NULL : b->names[v];
}

/* Optimal string alignment distance, capped: enough for "did you mean". */
static unsigned osa(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    unsigned d[3][KEY_MAX + 1];

    if (n > KEY_MAX || m > KEY_MAX)
        return ~0u;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        unsigned *cur = d[i % 3], *prev = d[(i - 1) % 3], *pp = d[(i + 1) % 3];
        cur[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned c = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < c)
                c = prev[j] + 1;
            if (cur[j - 1] + 1 < c)
                c = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c)
                c = pp[j - 2] + 1;
            cur[j] = c;
        }
    }
    return d[n % 3][m];
}

size_t vns_bodies_suggest(const struct vns_bodies *b, const char *name,
                          const char **out, size_t cap)
{
    char key[KEY_MAX];
    unsigned best[VNS_META_MAX_CANDIDATES * 2];
    size_t n = 0;

    if (b == NULL || name == NULL || out == NULL || cap == 0 ||
        !normalize(b, name, key, sizeof(key)) || key[0] == '\0')
        return 0;
    if (cap > sizeof(best) / sizeof(best[0]))
        cap = sizeof(best) / sizeof(best[0]);
    for (size_t i = 0; i < b->cap; i++) {
        const char *canon;
        unsigned d;
        size_t k, dup = n;
        if (b->keys[i] == NULL)
            continue;
        d = osa(key, b->keys[i]);
        if (d > SUGGEST_DIST || d * 3 > strlen(key) + 2)
            continue;
        canon = b->names[b->value[i]];
        for (k = 0; k < n; k++)
            if (out[k] == canon)
                dup = k;
        if (dup < n) {
            if (d >= best[dup])
                continue;
            /* a closer spelling of the same body: move it up */
            for (k = dup; k + 1 < n; k++) {
                out[k] = out[k + 1];
                best[k] = best[k + 1];
            }
            n--;
        }
        for (k = n;
             k > 0 && (best[k - 1] > d ||
                       (best[k - 1] == d && strcmp(out[k - 1], canon) > 0));
             k--) {
            if (k < cap) {
                out[k] = out[k - 1];
                best[k] = best[k - 1];
            }
        }
        if (k < cap) {
            out[k] = canon;
            best[k] = d;
            if (n < cap)
                n++;
        }
    }
    return n;
}

/* ---- finding the issuer in a notice ---- */

/* The level a provincial body's name ends with: "tỉnh" or "thành phố"
 * (the five cities, and Huế from July 2025). */
enum level {
    LEVEL_UNKNOWN,
    LEVEL_TINH,
    LEVEL_TP
};

struct mention {
    const char *canon;
    size_t b, e; /* folded span */
};

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

/* Words of folded text from i, within [i, lim), stopping at a sentence
 * mark: ends[k] is where word k ends. */
static size_t words_from(const struct vns_meta_text *t, size_t i, size_t lim,
                         size_t *starts, size_t *ends, size_t max)
{
    size_t n = 0;

    while (n < max && i < lim) {
        char c = t->f[i];
        if (vns_meta_isalnum(c)) {
            starts[n] = i;
            while (i < lim && vns_meta_isalnum(t->f[i]))
                i++;
            ends[n++] = i;
            continue;
        }
        if (c == ' ' || c == ',' || c == '-' || c == '&' || c == '/')
            i++;
        else
            break; /* ".", ";", ":", "(", a line end: the name is over */
    }
    return n;
}

/* Normalised key of words [0, k), each lower-cased and expanded. */
static bool key_of(const struct vns_bodies *b, const struct vns_meta_text *t,
                   const size_t *starts, const size_t *ends, size_t k,
                   const char *extra, char *key, size_t cap)
{
    size_t o = 0;

    key[0] = '\0';
    for (size_t w = 0; w < k; w++) {
        char word[64];
        size_t len = ends[w] - starts[w];
        if (len >= sizeof(word))
            return false;
        for (size_t c = 0; c < len; c++) {
            char ch = t->f[starts[w] + c];
            word[c] = is_upper(ch) ? (char)(ch + 32) : ch;
        }
        if (!put_word(b, word, len, key, cap, &o))
            return false;
    }
    if (extra != NULL && !put_word(NULL, extra, strlen(extra), key, cap, &o))
        return false;
    return true;
}

/* The body named from i: the longest run of words that is a spelling,
 * followed by at most tail more words (a place name) when tail is not
 * SIZE_MAX; extra ("tinh") is tried after the words when the text left
 * the level out ("TRUNG TÂM KIỂM SOÁT BỆNH TẬT"). */
static const char *match(const struct vns_bodies *b,
                         const struct vns_meta_text *t, size_t i, size_t lim,
                         size_t tail, const char *extra, size_t *after)
{
    size_t starts[MATCH_WORDS], ends[MATCH_WORDS];
    size_t n = words_from(t, i, lim, starts, ends, MATCH_WORDS);
    char key[KEY_MAX];

    for (size_t k = n; k > 0; k--) {
        long v;
        if (tail != (size_t)-1 && n - k > tail)
            break;
        if (!key_of(b, t, starts, ends, k, extra, key, sizeof(key)))
            continue;
        v = lookup_key(b, key);
        if (v >= 0) {
            if (after != NULL)
                *after = ends[k - 1];
            return b->names[v];
        }
    }
    return NULL;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The provincial party committee itself: "TỈNH ỦY NINH THUẬN" says who
 * governs, not which of its organs issued. */
static bool is_party(const char *canon)
{
    return canon != NULL && starts_with(canon, "Ban Chấp hành Đảng bộ ");
}

/* canon at the level of the notice: "Thường trực Tỉnh ủy" -> "Thường
 * trực Thành ủy" in Cần Thơ. Only names of the vocabulary come out. */
static const char *relevel(const struct vns_bodies *b, const char *canon,
                           enum level lv)
{
    static const struct {
        const char *tinh, *tp;
    } pairs[] = {{" tỉnh", " thành phố"}, {"Tỉnh ủy", "Thành ủy"}};
    char buf[160];
    const char *r;

    if (canon == NULL || lv == LEVEL_UNKNOWN)
        return canon;
    for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
        const char *from = lv == LEVEL_TP ? pairs[k].tinh : pairs[k].tp;
        const char *to = lv == LEVEL_TP ? pairs[k].tp : pairs[k].tinh;
        const char *at = strstr(canon, from);
        size_t pre;
        if (at == NULL)
            continue;
        if (k == 0 && !ends_with(canon, from))
            continue;
        pre = (size_t)(at - canon);
        if (snprintf(buf, sizeof(buf), "%.*s%s%s", (int)pre, canon, to,
                     at + strlen(from)) >= (int)sizeof(buf))
            return canon;
        r = vns_bodies_find(b, buf);
        return r != NULL ? r : canon;
    }
    return canon;
}

/* Are the letters of folded [b, e) capitals? */
static bool is_gap(const struct vns_meta_text *t, size_t i)
{
    size_t blanks = 0;

    if (i >= t->n || t->f[i] != ' ')
        return false;
    for (uint32_t o = t->pos[i]; o < t->pos[i + 1]; o++) {
        if (t->orig[o] == '|')
            return true;
        blanks += t->orig[o] == ' ' || t->orig[o] == '\t';
    }
    return blanks >= 2;
}

/* Header segments in capitals that are no issuer: the national motto,
 * the party's name, the signature stamp of the gazette. */
static bool skip_segment(const struct vns_meta_text *t, size_t b)
{
    static const char *const words[] = {
        "cong hoa",      "doc lap",  "dang cong san",
        "nguoi ky",      "co quan",  "email",
        "thoi gian",     "cong bao", "van ban hanh chinh",
        "cong thong tin"};

    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        if (vns_meta_word(t, b, words[k], NULL))
            return true;
    return false;
}

/* The body named by two header segments read as one, [pb, pe) then
 * [s, x), with a place after it or the level left out. */
static const char *joined(const struct vns_bodies *bd,
                          const struct vns_meta_text *t, size_t pb, size_t pe,
                          size_t s, size_t x, const char *lvword)
{
    char key[KEY_MAX];
    size_t st[2 * MATCH_WORDS], en[2 * MATCH_WORDS];
    size_t n1 = words_from(t, pb, pe, st, en, MATCH_WORDS);
    size_t n2 = words_from(t, s, x, st + n1, en + n1, MATCH_WORDS);

    for (size_t k = n1 + n2; k > n1; k--) {
        long v = -1;
        if (n1 + n2 - k <= PLACE_WORDS &&
            key_of(bd, t, st, en, k, NULL, key, sizeof(key)))
            v = lookup_key(bd, key);
        if (v < 0 && k == n1 + n2 &&
            key_of(bd, t, st, en, k, lvword, key, sizeof(key)))
            v = lookup_key(bd, key);
        if (v >= 0)
            return bd->names[v];
    }
    return NULL;
}

struct head {
    const char *canon;
    size_t line;
    const char *party; /* "Tỉnh ủy" under "TỈNH ỦY X", or NULL */
};

/* "TỈNH ỦY NINH THUẬN", "THÀNH ỦY CẦN THƠ", "ĐẢNG BỘ TỈNH X": the
 * committee heads the header; which organ issued is said further on. */
static const char *party_at(const struct vns_meta_text *t, size_t s)
{
    if (vns_meta_word(t, s, "tinh uy", NULL) ||
        vns_meta_word(t, s, "dang bo tinh", NULL))
        return "Tỉnh ủy";
    if (vns_meta_word(t, s, "thanh uy", NULL) ||
        vns_meta_word(t, s, "dang bo thanh pho", NULL))
        return "Thành ủy";
    return NULL;
}

/* The issuer in the header: the lowest body of the left column ("UBND
 * TỈNH LAI CHÂU / SỞ Y TẾ" is Sở Y tế). */
static void find_head(const struct vns_bodies *bd,
                      const struct vns_meta_text *t, size_t hend,
                      const char *lvword, struct head *h)
{
    size_t pb[2] = {0, 0}, pe[2] = {0, 0}; /* the segments before */
    size_t nprev = 0;

    for (size_t li = 0; li < hend; li++) {
        size_t b, e, s;
        vns_meta_line(t, li, &b, &e);
        if (e - b > 300)
            continue;
        s = b;
        for (size_t i = b; i <= e; i++) {
            size_t x = i, after;
            const char *c = NULL;
            if (i < e && !is_gap(t, i))
                continue;
            while (x > s && !vns_meta_isalnum(t->f[x - 1]))
                x--;
            while (s < x && !vns_meta_isalnum(t->f[s]))
                s++;
            if (x <= s || !vns_meta_caps(t, s, x) || skip_segment(t, s)) {
                s = i + 1;
                continue;
            }
            if (party_at(t, s) != NULL) {
                h->party = party_at(t, s);
                h->canon = NULL; /* what it heads comes below it */
                pb[0] = s;
                pe[0] = x;
                nprev = 1;
                s = i + 1;
                continue;
            }
            if (vns_meta_word(t, s, "van phong", &after) && after == x &&
                (h->canon != NULL || h->party != NULL)) {
                /* "TỈNH ỦY X / VĂN PHÒNG", "UBND TỈNH X / VĂN PHÒNG" */
                char buf[160];
                snprintf(buf, sizeof(buf), "Văn phòng %s",
                         h->canon != NULL ? h->canon : h->party);
                c = vns_bodies_find(bd, buf);
            }
            if (c == NULL)
                c = match(bd, t, s, x, PLACE_WORDS, NULL, NULL);
            if (c == NULL)
                c = match(bd, t, s, x, 0, lvword, NULL);
            /* a name wrapped over two lines: "BAN CHỈ ĐẠO PHÒNG, CHỐNG" /
             * "DỊCH COVID-19"; "ỦY BAN NHÂN DÂN" / "XÃ KIM THÀNH", perhaps
             * with the motto's last word between ("NAM") */
            for (size_t q = 0; c == NULL && q < nprev; q++)
                c = joined(bd, t, pb[q], pe[q], s, x, lvword);
            /* "UBND" left over from a number cut at its hyphen ("Số:
             * 23/KH-" / "UBND") names no body beyond the one above */
            if (c != NULL && h->canon != NULL &&
                strncmp(c, h->canon, strlen("Ủy ban nhân dân")) == 0 &&
                (ends_with(h->canon, " xã") || ends_with(h->canon, "phường") ||
                 ends_with(h->canon, "đặc khu")))
                c = NULL;
            if (c != NULL) {
                h->canon = c;
                h->line = li;
            }
            pb[1] = pb[0];
            pe[1] = pe[0];
            pb[0] = s;
            pe[0] = x;
            nprev += nprev < 2;
            s = i + 1;
        }
    }
}

/* The body code of a number: "SYT" of "4070/SYT-NVY", "TU" of
 * "135-TB/TU", "VPUB" of "864/TB-VPUB"; the type code is skipped. */
static const char *find_code(const struct vns_bodies *b, const char *number,
                             bool *party)
{
    char part[32];
    const char *s = number;

    *party = false;
    while (*s != '\0') {
        size_t n = 0;
        while (*s == '/' || *s == '-' || *s == ' ')
            s++;
        while (*s != '\0' && *s != '/' && *s != '-' && *s != ' ' &&
               n + 1 < sizeof(part))
            part[n++] = *s++;
        part[n] = '\0';
        while (*s != '\0' && *s != '/' && *s != '-' && *s != ' ')
            s++;
        if (n == 0 || (part[0] >= '0' && part[0] <= '9'))
            continue;
        {
            char folded[64];
            const char *c;
            if (vns_fold(part, folded, sizeof(folded)) != VNS_OK)
                return NULL;
            if (vns_meta_type_of_code(folded, strlen(folded)) != NULL)
                continue;
            c = vns_bodies_find(b, part);
            /* "TU" is the committee, not one of its organs: no body */
            if ((c != NULL && is_party(c)) || strcmp(folded, "tu") == 0)
                *party = true;
            return c;
        }
    }
    return NULL;
}

/* Count "Tỉnh ủy", "Ủy ban nhân dân tỉnh", "địa bàn tỉnh" against their
 * "thành phố" forms: the five cities write the latter. */
static enum level text_level(const struct vns_meta_text *t, size_t hend)
{
    size_t tinh = 0, tp = 0;

    /* a header says it outright: "TỈNH ỦY", "UBND THÀNH PHỐ" */
    for (size_t li = 0; li < hend; li++) {
        size_t b, e;
        vns_meta_line(t, li, &b, &e);
        if (!vns_meta_caps(t, b, e))
            continue;
        for (size_t i = b; i < e; i++) {
            if (!vns_meta_word_start(t, i))
                continue;
            if (vns_meta_word(t, i, "tinh", NULL))
                tinh++;
            else if (vns_meta_word(t, i, "thanh pho", NULL) ||
                     vns_meta_word(t, i, "thanh uy", NULL))
                tp++;
        }
    }
    if (tinh != tp)
        return tinh > tp ? LEVEL_TINH : LEVEL_TP;
    for (size_t i = 0; i + 8 < t->n; i++) {
        size_t a;
        if (!vns_meta_word_start(t, i))
            continue;
        if (t->f[i] == 'T' && vns_meta_word(t, i, "tinh uy", NULL))
            tinh++;
        else if (t->f[i] == 'T' && vns_meta_word(t, i, "thanh uy", NULL))
            tp++;
        else if (vns_meta_word(t, i, "uy ban nhan dan", &a) ||
                 vns_meta_word(t, i, "ubnd", &a) ||
                 vns_meta_word(t, i, "dia ban", &a)) {
            a = vns_meta_skip_spaces(t, a);
            if (vns_meta_word(t, a, "tinh", NULL))
                tinh++;
            else if (vns_meta_word(t, a, "thanh pho", NULL))
                tp++;
        }
    }
    if (tinh == tp)
        return LEVEL_UNKNOWN;
    return tinh > tp ? LEVEL_TINH : LEVEL_TP;
}

/* Mentions of bodies in folded [b, e). */
static size_t mentions(const struct vns_bodies *bd,
                       const struct vns_meta_text *t, size_t b, size_t e,
                       struct mention *out, size_t cap)
{
    size_t n = 0;

    for (size_t i = b; i < e && n < cap; i++) {
        size_t after;
        const char *c;
        /* a name starts with a capital; TCVN3 has no capital Ủ, so its
         * "Ủy ban" reads "ủy ban" */
        if (!vns_meta_isalnum(t->f[i]) || !vns_meta_word_start(t, i) ||
            (!is_upper(t->f[i]) && !vns_meta_word(t, i, "uy ban", NULL)))
            continue;
        c = match(bd, t, i, e, (size_t)-1, NULL, &after);
        if (c == NULL)
            continue;
        if (vns_meta_word(t, vns_meta_skip_spaces(t, after), "cac", NULL)) {
            i = after; /* "Ủy ban nhân dân các huyện": many, not one */
            continue;
        }
        out[n++] = (struct mention){c, i, after};
        i = after;
    }
    return n;
}

/* Skip a place name after a body: "Ủy ban nhân dân phường Móng Cái 3". */
static size_t skip_place(const struct vns_meta_text *t, size_t a, size_t e)
{
    for (int k = 0; k < 5 && a < e; k++) {
        char c = t->f[a];
        size_t w = a;
        if (!is_upper(c) && !(c >= '0' && c <= '9'))
            break;
        /* an apostrophe inside a name: "Ea H'Leo", "Đắk R'Lấp" */
        while (w < e &&
               (vns_meta_isalnum(t->f[w]) || (t->f[w] == '\'' && w + 1 < e &&
                                              vns_meta_isalnum(t->f[w + 1]))))
            w++;
        a = vns_meta_skip_spaces(t, w);
    }
    while (a < e && (t->f[a] == ',' || t->f[a] == ' '))
        a++;
    return a;
}

/* The body a closing line t[b, e) names as its author: "Văn phòng Tỉnh
 * ủy thông báo", "... yêu cầu", "Trên đây là Kế hoạch của X", "báo cáo
 * kết quả về X để tổng hợp". */
static const char *closing_mention(const struct vns_bodies *bd,
                                   const struct vns_meta_text *t, size_t b,
                                   size_t e)
{
    struct mention m[16];
    bool summary = vns_meta_word(t, b, "tren day la", NULL);
    size_t n = mentions(bd, t, b, e, m, 16);

    for (size_t j = 0; j < n; j++) {
        size_t a = skip_place(t, vns_meta_skip_spaces(t, m[j].e), e);
        size_t p = m[j].b;
        while (p > b && t->f[p - 1] == ' ')
            p--;
        if (vns_meta_word(t, a, "thong bao", NULL) ||
            vns_meta_word(t, a, "yeu cau", NULL) ||
            (summary && p >= b + 3 && vns_meta_word(t, p - 3, "cua", NULL)) ||
            (p >= b + 2 && vns_meta_word(t, p - 2, "ve", NULL) &&
             vns_meta_word(t, a, "de tong hop", NULL)))
            return m[j].canon;
    }
    return NULL;
}

/* The closing paragraph t's lines [first, last] as one line: a name cut
 * by a hard wrap ("... báo cáo kết quả về Ủy ban" / "nhân dân xã Ea
 * H'Leo để tổng hợp") is whole again. */
static const char *closing_joined(const struct vns_bodies *bd,
                                  const struct vns_meta_text *t, size_t first,
                                  size_t last)
{
    struct vns_meta_text j = {0};
    const char *c = NULL;
    size_t b, e, ob, oe;
    char *s;

    vns_meta_line(t, first, &b, &e);
    ob = t->pos[b];
    vns_meta_line(t, last, &b, &e);
    oe = t->pos[e];
    if (oe <= ob || (s = malloc(oe - ob)) == NULL)
        return NULL;
    for (size_t i = ob; i < oe; i++)
        s[i - ob] = t->orig[i] == '\n' || t->orig[i] == '\r' ? ' ' : t->orig[i];
    if (vns_meta_text_init(&j, s, oe - ob) == VNS_OK && j.nlines > 0) {
        vns_meta_line(&j, 0, &b, &e);
        c = closing_mention(bd, &j, b, e);
    }
    vns_meta_text_fini(&j);
    free(s);
    return c;
}

/* Whether line t[b, e) is a numbered item ("34. ", "2) "): the body's
 * last point, not a closing paragraph, whoever it says reports. */
static bool numbered(const struct vns_meta_text *t, size_t b, size_t e)
{
    size_t d = b;

    while (d < e && d < b + 3 && t->f[d] >= '0' && t->f[d] <= '9')
        d++;
    return d > b && d + 1 < e && (t->f[d] == '.' || t->f[d] == ')') &&
           t->f[d + 1] == ' ';
}

/* The closing paragraph, just above "Nơi nhận": its last lines, one by
 * one, then (when none names the author) joined. */
static const char *find_closing(const struct vns_bodies *bd,
                                const struct vns_meta_text *t, size_t *line)
{
    size_t stop = t->nlines > 400 ? t->nlines - 400 : 0, li, b, e, first;

    for (li = t->nlines; li-- > stop;) {
        vns_meta_line(t, li, &b, &e);
        if (vns_meta_word(t, b, "noi nhan", NULL))
            break;
    }
    if (li == (size_t)-1 || li < stop || li == 0)
        return NULL;
    first = li;
    for (size_t k = li; k-- > 0 && k + 3 > li;) {
        const char *c;
        vns_meta_line(t, k, &b, &e);
        if (b == e)
            continue;
        if (numbered(t, b, e))
            return NULL; /* the list runs to "Nơi nhận": no closing */
        first = k;
        c = closing_mention(bd, t, b, e);
        if (c != NULL) {
            *line = k;
            return c;
        }
        /* one paragraph: the closing; list items above it are not,
         * unless this line only continues a hard-wrapped one */
        if (!is_lower(t->f[b]))
            break;
    }
    /* the top line read continues one above it (blank lines between, in
     * double-spaced texts): take that one in too */
    vns_meta_line(t, first, &b, &e);
    for (size_t k = first;
         b < e && is_lower(t->f[b]) && k-- > 0 && k + 6 > first;) {
        size_t kb, ke;
        vns_meta_line(t, k, &kb, &ke);
        if (kb == ke)
            continue;
        first = k;
        break;
    }
    if (first + 1 >= li) /* one line: read already */
        return NULL;
    *line = first;
    return closing_joined(bd, t, first, li - 1);
}

/* Who signs, from the signature block: the family of the issuer. */
enum family {
    FAM_NONE,
    FAM_VP_UB, /* TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG */
    FAM_VP,    /* CHÁNH VĂN PHÒNG of a party committee */
    FAM_TTCH,  /* KT. CHỈ HUY TRƯỞNG */
    FAM_BCD,   /* TRƯỞNG BAN */
    FAM_DU,    /* T/M ĐẢNG ỦY */
    FAM_HDND,  /* TM. HỘI ĐỒNG NHÂN DÂN */
    FAM_UBND,  /* TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH */
    FAM_PARTY, /* T/M BAN THƯỜNG VỤ, BÍ THƯ */
    FAM_GD     /* GIÁM ĐỐC of a Sở or a Trung tâm */
};

/* Names of a family start with one of these; the first is its default. */
static const char *const family_names[][3] = {
    [FAM_NONE] = {NULL, NULL, NULL},
    [FAM_VP_UB] = {"Văn phòng Ủy ban nhân dân tỉnh", NULL, NULL},
    [FAM_VP] = {"Văn phòng Tỉnh ủy", "Văn phòng Thành ủy", NULL},
    [FAM_TTCH] = {"Trung tâm Chỉ huy phòng, chống dịch tỉnh", NULL, NULL},
    [FAM_BCD] = {"Ban Chỉ đạo phòng, chống dịch tỉnh", NULL, NULL},
    [FAM_DU] = {"Đảng ủy xã", "Đảng ủy phường", NULL},
    [FAM_HDND] = {"Hội đồng nhân dân tỉnh", NULL, NULL},
    [FAM_UBND] = {"Ủy ban nhân dân tỉnh", NULL, NULL},
    [FAM_PARTY] = {"Thường trực Tỉnh ủy", "Ban Thường vụ T", "Đảng ủy"},
    [FAM_GD] = {NULL, NULL, NULL},
};

static bool in_family(enum family f, const char *canon)
{
    static const char *const prefix[][3] = {
        [FAM_NONE] = {NULL, NULL, NULL},
        [FAM_VP_UB] = {"Văn phòng Ủy ban", NULL, NULL},
        [FAM_VP] = {"Văn phòng T", NULL, NULL},
        [FAM_TTCH] = {"Trung tâm Chỉ huy", NULL, NULL},
        [FAM_BCD] = {"Ban Chỉ đạo phòng", NULL, NULL},
        [FAM_DU] = {"Đảng ủy", NULL, NULL},
        [FAM_HDND] = {"Hội đồng nhân dân", NULL, NULL},
        [FAM_UBND] = {"Ủy ban nhân dân", NULL, NULL},
        [FAM_PARTY] = {"Thường trực T", "Ban Thường vụ T", "Đảng ủy"},
        [FAM_GD] = {"Sở ", "Trung tâm Kiểm soát", NULL},
    };

    if (f == FAM_NONE)
        return true;
    for (size_t k = 0; k < 3 && prefix[f][k] != NULL; k++)
        if (starts_with(canon, prefix[f][k]))
            return true;
    return false;
}

static enum family signature(const struct vns_meta_text *t)
{
    size_t stop = t->nlines > 30 ? t->nlines - 30 : 0;
    bool tl = false, vp = false;
    enum family f = FAM_NONE;

    for (size_t li = t->nlines; li-- > stop;) {
        size_t b, e;
        vns_meta_line(t, li, &b, &e);
        if (vns_meta_word(t, b, "noi nhan", NULL))
            break;
        if (!vns_meta_caps(t, b, e) || e - b > 60)
            continue;
        for (size_t i = b; i < e; i++) {
            if (!vns_meta_word_start(t, i))
                continue;
            if (vns_meta_word(t, i, "chanh van phong", NULL))
                vp = true;
            else if (vns_meta_word(t, i, "tl", NULL))
                tl = true;
            else if (vns_meta_word(t, i, "chi huy truong", NULL))
                f = FAM_TTCH;
            else if (vns_meta_word(t, i, "truong ban", NULL))
                f = FAM_BCD;
            else if (vns_meta_word(t, i, "t/m dang uy", NULL))
                f = FAM_DU;
            else if (vns_meta_word(t, i, "tm hoi dong nhan dan", NULL) ||
                     vns_meta_word(t, i, "tm. hoi dong nhan dan", NULL))
                f = FAM_HDND;
            else if (vns_meta_word(t, i, "t/m ban thuong vu", NULL) ||
                     vns_meta_word(t, i, "t/m thuong truc", NULL) ||
                     vns_meta_word(t, i, "bi thu", NULL))
                f = f == FAM_NONE ? FAM_PARTY : f;
            else if (vns_meta_word(t, i, "giam doc", NULL))
                f = f == FAM_NONE ? FAM_GD : f;
            else if (vns_meta_word(t, i, "chu tich", NULL) ||
                     vns_meta_word(t, i, "uy ban nhan dan", NULL))
                f = f == FAM_NONE ? FAM_UBND : f;
        }
    }
    if (vp)
        return tl ? FAM_VP_UB : FAM_VP;
    return f;
}

/* The title and the lines under it: "KẾT LUẬN CỦA THƯỜNG TRỰC TỈNH ỦY",
 * "Kết luận của Giám đốc Sở Y tế", "ỦY BAN NHÂN DÂN XÃ CAM LÂM" above
 * "Căn cứ". The first body named that fits the family. */
static const char *find_opening(const struct vns_bodies *bd,
                                const struct vns_meta_text *t, size_t hend,
                                enum family f, size_t *line)
{
    for (size_t li = hend; li < t->nlines && li < hend + SCAN_LINES; li++) {
        struct mention m[16];
        size_t b, e, n;
        vns_meta_line(t, li, &b, &e);
        n = mentions(bd, t, b, e < b + 600 ? e : b + 600, m, 16);
        for (size_t j = 0; j < n; j++) {
            if (!in_family(f, m[j].canon) || is_party(m[j].canon))
                continue;
            *line = li;
            return m[j].canon;
        }
    }
    return NULL;
}

static void set_body(const struct vns_meta_text *t, struct vns_meta *m,
                     const char *canon, size_t li, const char *how)
{
    size_t o;

    snprintf(m->issuing_body, sizeof(m->issuing_body), "%s", canon);
    if (li == (size_t)-1) {
        snprintf(m->why.issuing_body, sizeof(m->why.issuing_body), "%s", how);
        return;
    }
    /* the line is cut short so that how it was read always shows */
    o = sizeof(m->why.issuing_body) - strlen(how) - 3;
    vns_meta_why(t, li, m->why.issuing_body, o);
    o = strlen(m->why.issuing_body);
    snprintf(m->why.issuing_body + o, sizeof(m->why.issuing_body) - o, " (%s)",
             how);
}

static enum level level_of(const struct vns_meta_text *t, size_t hend,
                           const struct vns_meta *m)
{
    static const char *const cities[] = {"ha noi", "hai phong", "da nang",
                                         "ho chi minh", "can tho"};
    enum level lv = text_level(t, hend);
    char p[64];

    if (lv != LEVEL_UNKNOWN || m->province[0] == '\0' ||
        vns_fold(m->province, p, sizeof(p)) != VNS_OK)
        return lv;
    for (size_t k = 0; k < sizeof(cities) / sizeof(cities[0]); k++)
        if (strcmp(p, cities[k]) == 0)
            return LEVEL_TP;
    /* Huế became a city in 2025; the notices of its new map say so */
    if (strcmp(p, "hue") == 0 && strcmp(m->date, "2025-07-01") >= 0)
        return LEVEL_TP;
    return LEVEL_TINH;
}

int vns_meta_body(const struct vns_bodies *b, const char *text, size_t len,
                  struct vns_meta *m, struct vns_err *err)
{
    struct vns_meta_text t = {0};
    struct head h = {NULL, 0, NULL};
    const char *c, *lvword;
    size_t hend, li = (size_t)-1;
    bool party = false;
    enum family fam;
    enum level lv;
    int rc;

    if (b == NULL || m == NULL || (text == NULL && len > 0))
        return vns_err_set(err, VNS_EINVAL, "meta: no bodies, text or output");
    m->issuing_body[0] = m->why.issuing_body[0] = '\0';
    /* no type and no number: an article, not a notice, has no issuer */
    if (m->doc_type[0] == '\0' && m->number[0] == '\0')
        return VNS_OK;
    rc = vns_meta_text_init(&t, text == NULL ? "" : text, len);
    if (rc != VNS_OK)
        return vns_err_set(err, rc, "meta: out of memory");
    hend = vns_meta_head_end(&t);
    lv = level_of(&t, hend, m);
    lvword = lv == LEVEL_TP ? "thanh pho" : "tinh";
    find_head(b, &t, hend, lvword, &h);
    party = h.party != NULL;
    if (h.canon != NULL && !is_party(h.canon)) {
        const char *code = find_code(b, m->number, &party);
        c = h.canon;
        /* "UBND TỈNH X" over a "TB-VPUB" number: its office wrote it */
        if (code != NULL && starts_with(code, "Văn phòng") &&
            !starts_with(c, "Văn phòng"))
            c = code;
        set_body(&t, m, relevel(b, c, lv), h.line, "header");
        goto out;
    }
    {
        bool code_party = false;
        c = find_code(b, m->number, &code_party);
        party = party || code_party;
    }
    /* "UBND" and "ĐU" numbers are also those of communes: read on */
    if (c != NULL && !is_party(c) && !starts_with(c, "Ủy ban nhân dân") &&
        !starts_with(c, "Đảng ủy")) {
        set_body(&t, m, relevel(b, c, lv), (size_t)-1, "code of the number");
        goto out;
    }
    c = find_closing(b, &t, &li);
    if (c != NULL && !is_party(c)) {
        set_body(&t, m, relevel(b, c, lv), li, "closing");
        goto out;
    }
    /* the signature tells an office from its principal, a Ban Chỉ đạo or
     * a Trung tâm Chỉ huy from the UBND its head chairs */
    fam = signature(&t);
    if (fam == FAM_NONE && (party || h.party != NULL))
        fam = FAM_PARTY;
    li = (size_t)-1;
    c = find_opening(b, &t, hend, fam, &li);
    if (c == NULL && family_names[fam][0] != NULL)
        c = vns_bodies_find(b, family_names[fam][0]);
    if (c != NULL)
        set_body(&t, m, relevel(b, c, lv), li,
                 li == (size_t)-1 ? "signature" : "title and signature");
out:
    vns_meta_text_fini(&t);
    return VNS_OK;
}
