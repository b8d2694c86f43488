/* Search results as JSON text: one object per hit and one for the totals
 * and facets, shared by the vnsearch command and vnsearchd. */
#include "vnsearch/search.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The metadata fields a hit carries (no evidence, no offsets). */
static void add_fields(json_t *o, json_t *m)
{
    static const char *const keys[] = {
        "date",         "number",   "doc_type",
        "issuing_body", "province", "province_2025",
        "signer",       "subject",  "province_candidates",
        "recipients",   "ocr",      "ocr_confidence"};
    json_t *dl = json_object_get(m, "deadlines"), *d, *out = json_array();
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(m, keys[i]);
        if (v != NULL)
            json_object_set(o, keys[i], v);
    }
    json_array_foreach(dl, i, d) json_array_append_new(
        out, json_pack("{s:s?, s:s?}", "date", str(d, "date"), "text",
                       str(d, "text")));
    json_object_set_new(o, "deadlines", out);
}

char *vns_hit_json(const struct vns_hit *h)
{
    json_t *o = json_object(), *snips = json_array();
    json_t *m = h->meta ? json_loads(h->meta, 0, NULL) : NULL;
    char *s;

    for (size_t i = 0; i < h->nsnippets; i++) {
        const struct vns_snippet *sn = &h->snippets[i];
        json_t *hl = json_array(), *so = json_object();
        for (size_t k = 0; k < sn->nhl; k++)
            json_array_append_new(hl,
                                  json_pack("[II]", (json_int_t)sn->hl[k].off,
                                            (json_int_t)sn->hl[k].len));
        json_object_set_new(so, "text", json_stringn(sn->text, sn->len));
        json_object_set_new(so, "highlights", hl);
        json_object_set_new(so, "cut_start", json_boolean(sn->cut_start));
        json_object_set_new(so, "cut_end", json_boolean(sn->cut_end));
        json_array_append_new(snips, so);
    }
    json_object_set_new(o, "rank", json_integer(h->rank));
    json_object_set_new(o, "id", json_string(h->id));
    json_object_set_new(o, "title", json_string(h->title));
    json_object_set_new(o, "score", json_real(h->score));
    if (m != NULL)
        add_fields(o, m);
    if (h->nmatching_deadlines > 0) {
        json_t *md = json_array();
        for (size_t i = 0; i < h->nmatching_deadlines; i++)
            json_array_append_new(md, json_pack("{s:s, s:s}", "date",
                                                h->matching_deadlines[i].date,
                                                "text",
                                                h->matching_deadlines[i].text));
        json_object_set_new(o, "matching_deadlines", md);
    }
    json_object_set_new(o, "snippets", snips);
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(m);
    json_decref(o);
    return s;
}

static json_t *missing_json(const struct vns_results *res)
{
    json_t *a = json_array();
    const char *p = res->missing;

    for (size_t i = 0; i < res->nmissing && *p != '\0'; i++) {
        const char *end = strstr(p, ", ");
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        p += n + (end != NULL ? 2 : 0);
    }
    return a;
}

char *vns_results_missing_json(const struct vns_results *res)
{
    json_t *a = missing_json(res);
    char *s = json_dumps(a, JSON_COMPACT);

    json_decref(a);
    return s;
}

/* {"province": {"Hà Nội": 12, ...}, ...} */
static json_t *facets_object(const struct vns_results *res)
{
    json_t *fs = json_object();

    for (size_t f = 0; f < res->nfacets; f++) {
        json_t *counts = json_object();
        for (size_t i = 0; i < res->facets[f].n; i++)
            json_object_set_new(
                counts, res->facets[f].counts[i].value,
                json_integer((json_int_t)res->facets[f].counts[i].count));
        json_object_set_new(fs, res->facets[f].name, counts);
    }
    return fs;
}

char *vns_results_facets_json(const struct vns_results *res)
{
    json_t *fs = facets_object(res);
    char *s = json_dumps(fs, JSON_COMPACT | JSON_PRESERVE_ORDER);

    json_decref(fs);
    return s;
}

char *vns_results_summary_json(const struct vns_results *res)
{
    json_t *o = json_object(), *fs = facets_object(res);
    char *s;

    json_object_set_new(o, "total", json_integer((json_int_t)res->estimate));
    json_object_set_new(o, "total_exact", json_boolean(res->exact));
    json_object_set_new(o, "facets", fs);
    json_object_set_new(o, "suggestion",
                        res->suggestion ? json_string(res->suggestion)
                                        : json_null());
    json_object_set_new(o, "partial", json_boolean(res->nmissing > 0));
    json_object_set_new(o, "missing_shards", missing_json(res));
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}
