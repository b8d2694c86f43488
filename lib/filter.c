/* Search filters: the user's province, body, type and date values made
 * canonical and turned into boolean query nodes, or a clear error. */
#include "filter.h"

#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "index_impl.h"
#include "meta.h"
#include "meta_json.h"

/* Most distinct deadline dates one range may cover. */
#define MAX_DEADLINE_TERMS 20000

/* Document types with their number codes ("TB" in "135-TB/TU"). */
static const struct {
    const char *name, *code;
} types[] = {
    {"Thông báo", "TB"},   {"Công điện", "CĐ"},     {"Chỉ thị", "CT"},
    {"Quyết định", "QĐ"},  {"Kế hoạch", "KH"},      {"Công văn", "CV"},
    {"Hướng dẫn", "HD"},   {"Nghị quyết", "NQ"},    {"Báo cáo", "BC"},
    {"Tờ trình", "TTr"},   {"Kết luận", "KL"},      {"Thông tư", "TT"},
    {"Nghị định", "NĐ"},   {"Chương trình", "CTr"}, {"Quy định", "QĐi"},
    {"Thông tri", "TTri"},
};

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];

    if (lb >= 64 || la >= 64)
        return 64;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static const char *type_find(const char *value, const char **closest)
{
    char f[64], g[64];
    size_t best = 64;

    *closest = NULL;
    if (vns_fold(value, f, sizeof(f)) != VNS_OK)
        return NULL;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        vns_fold(types[i].name, g, sizeof(g));
        if (strcmp(f, g) == 0)
            return types[i].name;
        size_t d = edit_distance(f, g);
        if (d < best) {
            best = d;
            *closest = types[i].name;
        }
        vns_fold(types[i].code, g, sizeof(g));
        if (strcmp(f, g) == 0)
            return types[i].name;
    }
    if (best > 3)
        *closest = NULL;
    return NULL;
}

static int unknown(struct vns_err *err, const char *what, const char *value,
                   const char *closest)
{
    if (closest != NULL)
        return vns_err_set(err, VNS_EQUERY,
                           "unknown %s \"%s\": did you mean %s?", what, value,
                           closest);
    return vns_err_set(err, VNS_EQUERY, "unknown %s \"%s\"", what, value);
}

/* A filter term on the folded canonical value. */
static const struct vns_xq *filter_term(struct vns_qtree *t, const char *prefix,
                                        const char *value)
{
    char f[200];

    if (vns_fold(value, f, sizeof(f)) != VNS_OK)
        return vns_qtree_leaf(t, VNS_XQ_NOTHING);
    return vns_qtree_term(t, prefix, f);
}

static int province_filter(struct vns_index *ix, struct vns_qtree *t,
                           const char *value, int only_2025,
                           const struct vns_xq **out, struct vns_err *err)
{
    const struct vns_gaz_unit *p, *s[1];

    if (only_2025) {
        /* a 2025 province: every old province merged into it */
        p = vns_gaz_province(ix->gaz, value, VNS_GAZ_PROVINCE_2025);
        if (p != NULL) {
            *out = filter_term(t, VNS_PREFIX_PROVINCE_2025, p->name);
            return VNS_OK;
        }
    } else {
        /* the province the notice names: an old one before July 2025, a
         * new one after; "Quảng Trị" is not "Quảng Bình" merged into it
         * (that is province_2025) */
        p = vns_gaz_province(ix->gaz, value, VNS_GAZ_PROVINCE);
        if (p == NULL)
            p = vns_gaz_province(ix->gaz, value, VNS_GAZ_PROVINCE_2025);
        if (p != NULL) {
            *out = filter_term(t, VNS_PREFIX_PROVINCE, p->name);
            return VNS_OK;
        }
    }
    return unknown(
        err, only_2025 ? "2025 province" : "province", value,
        vns_gaz_suggest(ix->gaz, value,
                        only_2025 ? VNS_GAZ_PROVINCE_2025 : VNS_GAZ_PROVINCES,
                        s, 1)
            ? s[0]->name
            : NULL);
}

static int date_bound(const char *value, const char *what, char iso[11],
                      struct vns_err *err)
{
    if (vns_date_parse(value, iso) != 0)
        return vns_err_set(err, VNS_EQUERY,
                           "%s \"%s\" is not a date (YYYY-MM-DD or "
                           "dd/mm/yyyy)",
                           what, value);
    return VNS_OK;
}

struct collect {
    struct vns_qtree *t;
    const struct vns_xq **list;
    size_t n;
    char hi[16];
};

static int take_deadline(const char *term, size_t len, uint64_t tf, void *ctx)
{
    struct collect *c = ctx;
    char s[16];

    (void)tf;
    if (len >= sizeof(s))
        return 0;
    memcpy(s, term, len);
    s[len] = '\0';
    if (c->hi[0] != '\0' && strcmp(s + 2, c->hi) > 0)
        return 1; /* terms come in byte order: past the range */
    if (c->n == MAX_DEADLINE_TERMS)
        return 2;
    c->list[c->n++] = vns_qtree_term(c->t, "", s);
    return 0;
}

/* Some deadline in [lo, hi]: the XL terms in that range, OR-ed. */
static int deadline_filter(struct vns_index *ix, struct vns_qtree *t,
                           const char *lo, const char *hi,
                           const struct vns_xq **out, struct vns_err *err)
{
    struct collect c = {t, NULL, 0, ""};
    char from[11] = "";
    size_t k = 0;
    int rc;

    if (lo != NULL && (rc = date_bound(lo, "deadline_from", from, err)))
        return rc;
    if (hi != NULL && (rc = date_bound(hi, "deadline_to", c.hi, err)))
        return rc;
    c.list = malloc(MAX_DEADLINE_TERMS * sizeof(*c.list));
    if (c.list == NULL)
        return vns_err_set(err, VNS_ENOMEM, "search: out of memory");
    /* the deadline dates of the index, in byte (= date) order */
    rc = vns_xdb_terms(ix->db, VNS_PREFIX_DEADLINE, take_deadline, &c, err);
    if (rc == 2) {
        free(c.list);
        return vns_err_set(err, VNS_EQUERY,
                           "deadline range covers more than %d dates",
                           MAX_DEADLINE_TERMS);
    }
    if (rc < 0) {
        free(c.list);
        return rc;
    }
    /* drop those before lo (the walk started at the prefix) */
    for (size_t i = 0; i < c.n; i++)
        if (from[0] == '\0' || strcmp(c.list[i]->term + 2, from) >= 0)
            c.list[k++] = c.list[i];
    *out = k ? vns_qtree_join(t, VNS_XQ_OR, c.list, k, 0)
             : vns_qtree_leaf(t, VNS_XQ_NOTHING);
    free(c.list);
    return VNS_OK;
}

int vns_filters_build(struct vns_index *ix, const struct vns_search_opts *o,
                      struct vns_qtree *t, const struct vns_xq **out, size_t *n,
                      struct vns_err *err)
{
    const char *closest, *canon;
    char lo[11], hi[11];
    size_t k = 0;
    int rc = VNS_OK;

    if (o->province || o->province_2025 || o->body) {
        rc = vns_index_vocab(ix, err);
        if (rc != VNS_OK)
            return rc;
    }
    if (o->province != NULL) {
        rc = province_filter(ix, t, o->province, 0, &out[k++], err);
        if (rc != VNS_OK)
            return rc;
    }
    if (o->province_2025 != NULL) {
        rc = province_filter(ix, t, o->province_2025, 1, &out[k++], err);
        if (rc != VNS_OK)
            return rc;
    }
    if (o->body != NULL) {
        const char *s[1];
        canon = vns_bodies_find(ix->bodies, o->body);
        if (canon == NULL)
            return unknown(
                err, "issuing body", o->body,
                vns_bodies_suggest(ix->bodies, o->body, s, 1) ? s[0] : NULL);
        out[k++] = filter_term(t, VNS_PREFIX_BODY, canon);
    }
    if (o->type != NULL) {
        canon = type_find(o->type, &closest);
        if (canon == NULL)
            return unknown(err, "document type", o->type, closest);
        out[k++] = filter_term(t, VNS_PREFIX_TYPE, canon);
    }
    if (o->date_from != NULL || o->date_to != NULL) {
        if (o->date_from && (rc = date_bound(o->date_from, "from", lo, err)))
            return rc;
        if (o->date_to && (rc = date_bound(o->date_to, "to", hi, err)))
            return rc;
        out[k++] = vns_qtree_range(t, VNS_SLOT_DATE, o->date_from ? lo : NULL,
                                   o->date_to ? hi : NULL);
    }
    if (o->deadline_from != NULL || o->deadline_to != NULL) {
        rc = deadline_filter(ix, t, o->deadline_from, o->deadline_to, &out[k++],
                             err);
        if (rc != VNS_OK)
            return rc;
    }
    if (o->has_deadline)
        out[k++] = vns_qtree_term(t, VNS_TERM_HAS_DEADLINE, "");
    if (o->ocr)
        out[k++] = vns_qtree_term(t, VNS_TERM_OCR, "");
    *n = k;
    return VNS_OK;
}
