/* The body's words in order: building the value at indexing, finding the
 * query's words in it at search time (wordseq.h). */
#include "wordseq.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "leb128.h"

static int nomem(struct vns_err *err)
{
    return vns_err_set(err, VNS_ENOMEM, "wordseq: out of memory");
}

/* Room for *n + more elements of size sz in *p (capacity *cap). */
static int reserve(void *p, size_t *cap, size_t n, size_t more, size_t sz)
{
    void **pp = p;
    size_t c = *cap ? *cap : 64;

    if (n + more <= *cap)
        return 0;
    while (c < n + more)
        c *= 2;
    void *v = realloc(*pp, c * sz);
    if (v == NULL)
        return -1;
    *pp = v;
    *cap = c;
    return 0;
}

static int rehash(struct vns_wordseq_builder *b)
{
    size_t cap = b->cslots ? b->cslots * 2 : 1024;
    uint32_t *s = calloc(cap, sizeof(*s));

    if (s == NULL)
        return -1;
    for (size_t i = 0; i < b->nwords; i++) {
        const char *w = b->arena + b->word_at[i];
        size_t at = vns_hash64(w, strlen(w), 0) & (cap - 1);
        while (s[at] != 0)
            at = (at + 1) & (cap - 1);
        s[at] = (uint32_t)i + 1;
    }
    free(b->slots);
    b->slots = s;
    b->cslots = cap;
    return 0;
}

/* The number of word w (len bytes), added when new; UINT32_MAX when out
 * of memory. */
static uint32_t word_number(struct vns_wordseq_builder *b, const char *w,
                            size_t len)
{
    size_t at;

    if ((b->nwords + 1) * 2 > b->cslots && rehash(b) != 0)
        return UINT32_MAX;
    at = vns_hash64(w, len, 0) & (b->cslots - 1);
    for (; b->slots[at] != 0; at = (at + 1) & (b->cslots - 1)) {
        uint32_t i = b->slots[at] - 1;
        const char *s = b->arena + b->word_at[i];
        if (strncmp(s, w, len) == 0 && s[len] == '\0')
            return i;
    }
    if (reserve(&b->arena, &b->carena, b->narena, len + 1, 1) != 0 ||
        reserve(&b->word_at, &b->cwords, b->nwords, 1, sizeof(uint32_t)) != 0)
        return UINT32_MAX;
    /* count grows with word_at: the same capacity */
    uint32_t *c = realloc(b->count, b->cwords * sizeof(*c));
    if (c == NULL)
        return UINT32_MAX;
    b->count = c;
    memcpy(b->arena + b->narena, w, len);
    b->arena[b->narena + len] = '\0';
    b->word_at[b->nwords] = (uint32_t)b->narena;
    b->count[b->nwords] = 0;
    b->narena += len + 1;
    b->slots[at] = (uint32_t)b->nwords + 1;
    return (uint32_t)b->nwords++;
}

int vns_wordseq_add(struct vns_wordseq_builder *b, uint32_t pos,
                    const char *folded, struct vns_err *err)
{
    size_t len = strlen(folded);
    uint32_t i;

    if (pos >= VNS_WORDSEQ_MAX || len == 0 || len > 255 || pos < b->ntokens)
        return VNS_OK;
    i = word_number(b, folded, len);
    if (i == UINT32_MAX || reserve(&b->tokens, &b->ctokens, b->ntokens,
                                   pos + 1 - b->ntokens, sizeof(uint32_t)) != 0)
        return nomem(err);
    while (b->ntokens < pos)
        b->tokens[b->ntokens++] = 0;
    b->tokens[b->ntokens++] = i + 1;
    b->count[i]++;
    return VNS_OK;
}

static int by_key(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, c = *(const uint64_t *)y;

    return a < c ? -1 : a > c;
}

int vns_wordseq_value(struct vns_wordseq_builder *b, char **out, size_t *len,
                      struct vns_err *err)
{
    uint64_t *order = NULL; /* most tokens first, then first met */
    uint32_t *num = NULL;
    unsigned char *v = NULL;
    size_t n = 0;

    *out = NULL;
    *len = 0;
    if (b->ntokens == 0)
        return VNS_OK;
    order = malloc(b->nwords * sizeof(*order));
    num = malloc(b->nwords * sizeof(*num));
    /* version, counts, words with their lengths, tokens of 3 bytes at most
     * (numbers up to VNS_WORDSEQ_MAX) */
    v = malloc(1 + 10 + b->narena + b->nwords + 10 + 3 * b->ntokens);
    if (order == NULL || num == NULL || v == NULL) {
        free(order);
        free(num);
        free(v);
        return nomem(err);
    }
    for (size_t i = 0; i < b->nwords; i++)
        order[i] = (uint64_t)(UINT32_MAX - b->count[i]) << 32 | i;
    qsort(order, b->nwords, sizeof(*order), by_key);
    v[n++] = VNS_WORDSEQ_V1;
    n += vns_leb128_put(v + n, b->nwords);
    for (size_t r = 0; r < b->nwords; r++) {
        uint32_t i = (uint32_t)(order[r] & UINT32_MAX);
        const char *w = b->arena + b->word_at[i];
        size_t wl = strlen(w);
        num[i] = (uint32_t)r + 1;
        v[n++] = (unsigned char)wl;
        memcpy(v + n, w, wl);
        n += wl;
    }
    n += vns_leb128_put(v + n, b->ntokens);
    for (size_t k = 0; k < b->ntokens; k++)
        n += vns_leb128_put(v + n, b->tokens[k] ? num[b->tokens[k] - 1] : 0);
    free(order);
    free(num);
    *out = (char *)v;
    *len = n;
    return VNS_OK;
}

void vns_wordseq_fini(struct vns_wordseq_builder *b)
{
    if (b == NULL)
        return;
    free(b->arena);
    free(b->word_at);
    free(b->count);
    free(b->slots);
    free(b->tokens);
    *b = (struct vns_wordseq_builder){0};
}

static int damaged(struct vns_err *err)
{
    return vns_err_set(err, VNS_EINDEX, "word sequence: damaged");
}

/* What the token scan needs: the wanted words' numbers and where to say
 * they were found. */
struct scan {
    const uint64_t *mark; /* the wanted numbers, 1..nwords */
    const uint32_t *at;   /* at[w]: want[w]'s number, 0 when absent */
    size_t *seen, nw, cap;
    uint32_t nwords;
    vns_wordseq_fn fn;
    void *ctx;
};

/* Token k is number id: tell fn for each wanted word it is. */
static int found(const struct scan *s, uint32_t k, uint32_t id)
{
    for (size_t w = 0; w < s->nw; w++) {
        if (s->at[w] != id || s->seen[w] >= s->cap)
            continue;
        s->seen[w]++;
        int rc = s->fn(k, (uint32_t)w, s->ctx);
        if (rc != 0)
            return rc;
    }
    return VNS_OK;
}

/* The ntokens tokens of p[0..n), one by one. */
static int scan_stepwise(const struct scan *s, const unsigned char *p, size_t n,
                         uint32_t ntokens, struct vns_err *err)
{
    const unsigned char *end = p + n;

    for (uint32_t k = 0; k < ntokens; k++) {
        uint32_t id;
        if (p < end && *p < 0x80) { /* the frequent words: one byte */
            id = *p++;
        } else if (end - p >= 2 && p[1] < 0x80) {
            id = (uint32_t)(p[0] & 0x7f) | (uint32_t)p[1] << 7;
            p += 2;
        } else if (!vns_leb128_get(&p, end, &id)) {
            return damaged(err);
        }
        if (id > s->nwords)
            return damaged(err);
        if (s->mark[id / 64] & (1ull << (id % 64))) {
            int rc = found(s, k, id);
            if (rc != VNS_OK)
                return rc;
        }
    }
    return p == end ? VNS_OK : damaged(err);
}

/* The same for fewer than 2^14 words (numbers of one or two bytes), a
 * byte at a time: a token ends at each byte below 0x80, two bytes long
 * when the one before is not. Stepping token by token waits on each
 * token's first byte to find the next one; here no byte waits on another
 * (~1.5 -> ~0.6 ns a byte). Three bytes in a row above 0x7f (no number
 * the writer makes) are damage. */
static int scan_bytewise(const struct scan *s, const unsigned char *p, size_t n,
                         uint32_t ntokens, struct vns_err *err)
{
    uint32_t k = 0, prev = 0, prev2 = 0;

    for (size_t i = 0; i < n; i++) {
        uint32_t b = p[i], last = b < 0x80, cont = prev >> 7;
        /* a token's number where one ends, else 0 (never wanted) */
        uint32_t id =
            ((prev & 0x7f & (0u - cont)) | b << (7 * cont)) & (0u - last);
        if (cont & prev2 >> 7)
            return damaged(err);
        if (id > s->nwords || (s->mark[id / 64] & (1ull << (id % 64)))) {
            if (id > s->nwords)
                return damaged(err);
            if (k < ntokens) {
                int rc = found(s, k, id);
                if (rc != VNS_OK)
                    return rc;
            }
        }
        k += last;
        prev2 = prev;
        prev = b;
    }
    return k == ntokens && prev < 0x80 ? VNS_OK : damaged(err);
}

int vns_wordseq_find(const char *v, size_t n, const char *const *want,
                     size_t nw, size_t cap, vns_wordseq_fn fn, void *ctx,
                     struct vns_err *err)
{
    const unsigned char *p = (const unsigned char *)v, *end = p + n;
    uint32_t nwords, ntokens, at[VNS_MAX_QUERY_TERMS];
    size_t seen[VNS_MAX_QUERY_TERMS] = {0};
    /* which wanted words have this length, this first byte */
    uint64_t bylen[256] = {0}, byfirst[256] = {0}, left = 0;
    uint64_t mark[VNS_WORDSEQ_MAX / 64 + 1]; /* the wanted numbers */

    if (nw > VNS_MAX_QUERY_TERMS)
        nw = VNS_MAX_QUERY_TERMS;
    if (n < 1 || *p++ != VNS_WORDSEQ_V1 || !vns_leb128_get(&p, end, &nwords) ||
        nwords > VNS_WORDSEQ_MAX)
        return damaged(err);
    memset(mark, 0, (nwords / 64 + 1) * sizeof(*mark));
    for (size_t w = 0; w < nw; w++) {
        size_t l = strlen(want[w]);
        at[w] = 0;
        if (l == 0 || l > 255)
            continue;
        bylen[l] |= 1ull << w;
        byfirst[(unsigned char)want[w][0]] |= 1ull << w;
        left |= 1ull << w;
    }
    for (uint32_t j = 1; j <= nwords; j++) {
        size_t l;
        if (p >= end || (l = *p++) == 0 || l > (size_t)(end - p))
            return damaged(err);
        for (uint64_t m = bylen[l] & byfirst[p[0]] & left; m != 0; m &= m - 1) {
            unsigned w = (unsigned)__builtin_ctzll(m);
            if (memcmp(p, want[w], l) != 0)
                continue;
            /* the same word typed twice: both take this number */
            for (size_t x = w; x < nw; x++)
                if (at[x] == 0 && strlen(want[x]) == l &&
                    memcmp(p, want[x], l) == 0) {
                    at[x] = j;
                    left &= ~(1ull << x);
                }
            mark[j / 64] |= 1ull << (j % 64);
            break;
        }
        p += l;
    }
    if (!vns_leb128_get(&p, end, &ntokens) || ntokens > VNS_WORDSEQ_MAX)
        return damaged(err);
    struct scan sc = {mark, at, seen, nw, cap, nwords, fn, ctx};
    if (nwords < 1u << 14)
        return scan_bytewise(&sc, p, (size_t)(end - p), ntokens, err);
    return scan_stepwise(&sc, p, (size_t)(end - p), ntokens, err);
}
