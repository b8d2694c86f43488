/* Query syntax: words, "phrases", -exclusions; each piece analyzed by the
 * same analyzer as the documents, so both sides fold alike. */
#include "query.h"

#include <string.h>

struct groupctx {
    struct vns_query *q;
    struct vns_qgroup *g;
    size_t base; /* the group's offset in the query string */
    int overflow;
};

static int take_token(const struct vns_token *t, void *arg)
{
    struct groupctx *c = arg;
    struct vns_query *q = c->q;
    struct vns_qterm *qt;

    if (!(t->flags & VNS_TOK_COMPOUND) &&
        q->nsyllables >= VNS_MAX_QUERY_TERMS) {
        c->overflow = 1;
        return 1;
    }
    if (q->nterms >= sizeof(q->terms) / sizeof(q->terms[0])) {
        c->overflow = 1;
        return 1;
    }
    qt = &q->terms[q->nterms++];
    memcpy(qt->exact, t->exact, sizeof(qt->exact));
    memcpy(qt->folded, t->folded, sizeof(qt->folded));
    qt->flags = t->flags;
    qt->off = c->base + t->off;
    qt->len = t->len;
    if (t->flags & VNS_TOK_COMPOUND) {
        c->g->ncompounds++;
    } else {
        /* parts come before compounds: a compound closes its parts, and
         * further parts of the same group cannot follow in one word */
        c->g->nparts++;
        q->nsyllables++;
    }
    return 0;
}

/* Analyze text[0..len) into a new group of the given kind. */
static int add_group(struct vns_analyzer *an, struct vns_query *q,
                     enum vns_qkind kind, const char *text, size_t len,
                     size_t base, struct vns_err *err)
{
    struct groupctx c;
    int rc;

    if (q->ngroups == VNS_MAX_QUERY_TERMS)
        return vns_err_set(err, VNS_EQUERY, "query has more than %u words",
                           VNS_MAX_QUERY_TERMS);
    c.q = q;
    c.g = &q->groups[q->ngroups];
    c.base = base;
    c.overflow = 0;
    *c.g = (struct vns_qgroup){kind, q->nterms, 0, 0, 0};
    rc = vns_analyze(an, text, len, take_token, &c, err);
    if (c.overflow)
        return vns_err_set(err, VNS_EQUERY, "query has more than %u words",
                           VNS_MAX_QUERY_TERMS);
    if (rc != VNS_OK)
        return rc;
    if (c.g->nparts > 0)
        q->ngroups++;
    else
        q->nterms = c.g->first; /* only punctuation: nothing to keep */
    return VNS_OK;
}

/* Compounds must follow the parts they cover; vns_analyze reports each
 * compound after its parts, but a group with two compounds interleaves
 * them ("15/12/2021 covid-19"). Keep parts first, compounds after. */
static void order_group(struct vns_query *q, struct vns_qgroup *g)
{
    struct vns_qterm tmp[VNS_MAX_QUERY_TERMS * 2];
    size_t np = 0, nc = 0, n = g->nparts + g->ncompounds;

    for (size_t i = 0; i < n; i++)
        if (!(q->terms[g->first + i].flags & VNS_TOK_COMPOUND))
            tmp[np++] = q->terms[g->first + i];
    for (size_t i = 0; i < n; i++)
        if (q->terms[g->first + i].flags & VNS_TOK_COMPOUND)
            tmp[np + nc++] = q->terms[g->first + i];
    /* the two loops above fill tmp[0..n), whatever the flags say */
    // cppcheck-suppress uninitvar
    memcpy(&q->terms[g->first], tmp, n * sizeof(tmp[0]));
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

int vns_query_parse(struct vns_analyzer *an, const char *q, size_t len,
                    struct vns_query *out, struct vns_err *err)
{
    size_t i = 0, has_positive = 0;
    int rc;

    if (len > VNS_MAX_QUERY)
        return vns_err_set(err, VNS_EQUERY,
                           "query is %zu bytes, over the %u-byte limit", len,
                           VNS_MAX_QUERY);
    out->nterms = out->ngroups = out->nsyllables = 0;
    while (i < len) {
        enum vns_qkind kind = VNS_Q_LOOSE;
        size_t start;

        while (i < len && is_space(q[i]))
            i++;
        if (i >= len)
            break;
        if (q[i] == '-' && i + 1 < len && !is_space(q[i + 1])) {
            kind = VNS_Q_NOT;
            i++;
        }
        if (q[i] == '"') {
            const char *close = memchr(q + i + 1, '"', len - i - 1);
            if (close == NULL)
                return vns_err_set(err, VNS_EQUERY,
                                   "unbalanced quote at byte %zu of the query",
                                   i + 1);
            if (kind == VNS_Q_LOOSE)
                kind = VNS_Q_PHRASE;
            start = i + 1;
            i = (size_t)(close - q) + 1;
            rc = add_group(an, out, kind, q + start, i - 1 - start, start, err);
        } else {
            start = i;
            while (i < len && !is_space(q[i]) && q[i] != '"')
                i++;
            rc = add_group(an, out, kind, q + start, i - start, start, err);
        }
        if (rc != VNS_OK)
            return rc;
    }
    for (size_t g = 0; g < out->ngroups; g++) {
        order_group(out, &out->groups[g]);
        if (out->groups[g].kind != VNS_Q_NOT)
            has_positive = 1;
    }
    if (!has_positive)
        return vns_err_set(err, VNS_EQUERY,
                           out->ngroups ? "query only excludes words: "
                                          "nothing to search for"
                                        : "nothing to search for");
    return VNS_OK;
}

size_t vns_query_ordered(const struct vns_query *q,
                         const struct vns_qterm **out, size_t cap)
{
    size_t n = 0;

    for (size_t g = 0; g < q->ngroups; g++) {
        const struct vns_qgroup *gr = &q->groups[g];
        if (gr->kind == VNS_Q_NOT)
            continue;
        for (size_t i = 0; i < gr->nparts && n < cap; i++)
            out[n++] = &q->terms[gr->first + i];
    }
    return n;
}

void vns_query_left_out(const struct vns_query *q,
                        const struct vns_qterm *const *typed, size_t ntyped,
                        uint8_t *left)
{
    const struct vns_qterm *kept[VNS_MAX_QUERY_TERMS];
    size_t nk = vns_query_ordered(q, kept, VNS_MAX_QUERY_TERMS);

    for (size_t i = 0; i < ntyped; i++) {
        left[i] = 1;
        for (size_t j = 0; j < nk && left[i]; j++)
            left[i] = kept[j] != typed[i];
    }
}

size_t vns_query_loose(const struct vns_query *q, const struct vns_qterm **out,
                       size_t *run, size_t cap)
{
    size_t n = 0, r = 0;

    for (size_t g = 0; g < q->ngroups; g++) {
        const struct vns_qgroup *gr = &q->groups[g];
        if (gr->kind != VNS_Q_LOOSE) {
            r++;
            continue;
        }
        r += gr->apart != 0;
        for (size_t i = 0; i < gr->nparts && n < cap; i++, n++) {
            out[n] = &q->terms[gr->first + i];
            if (run != NULL)
                run[n] = r;
        }
    }
    return n;
}
