/* Search results as JSON text: one object per hit and one for the totals
 * and facets, shared by the vnsearch command and vnsearchd. */
#include "vnsearch/search.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonscan.h"
#include "strbuf.h"

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The metadata fields a hit carries (no evidence, no offsets). */
static const char *const keys[] = {
    "date",         "number",   "doc_type",
    "issuing_body", "province", "province_2025",
    "signer",       "subject",  "province_candidates",
    "recipients",   "ocr",      "ocr_confidence"};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static void add_fields(json_t *o, json_t *m)
{
    json_t *dl = json_object_get(m, "deadlines"), *d, *out = json_array();
    size_t i;

    for (i = 0; i < NKEYS; i++) {
        json_t *v = json_object_get(m, keys[i]);
        if (v != NULL)
            json_object_set(o, keys[i], v);
    }
    json_array_foreach(dl, i, d) json_array_append_new(
        out, json_pack("{s:s?, s:s?}", "date", str(d, "date"), "text",
                       str(d, "text")));
    json_object_set_new(o, "deadlines", out);
}

/* s (n bytes) as a JSON string the way jansson writes it (compact, UTF-8
 * kept, '/' as it is); 0 when it is not valid UTF-8 (jansson would not
 * take it either). */
static int put_string(struct vns_strbuf *b, const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

    json_decref(j);
    if (t == NULL)
        return 0;
    vns_strbuf_puts(b, t);
    free(t);
    return 1;
}

/* A stored string span as it is, else null (jansson's "s?"). */
static void put_string_or_null(struct vns_strbuf *b, struct vns_jspan v)
{
    if (v.p != NULL && v.p[0] == '"')
        vns_strbuf_put(b, v.p, v.n);
    else
        vns_strbuf_put(b, "null", 4);
}

struct deadlines {
    struct vns_strbuf *b;
    size_t n;
};

/* One element of the stored deadlines as {date, text}: what is not an
 * object, or not a string, is null (as str() and json_pack's "s?"). */
static int put_deadline(struct vns_jspan el, void *ctx)
{
    static const char *const dk[] = {"date", "text"};
    struct deadlines *d = ctx;
    struct vns_strbuf *b = d->b;
    struct vns_jspan v[2] = {{NULL, 0}, {NULL, 0}};

    if (el.p[0] == '{' && !vns_jscan_members(el.p, el.n, dk, 2, v))
        return 0;
    vns_strbuf_puts(b, d->n++ ? ",{\"date\":" : "{\"date\":");
    put_string_or_null(b, v[0]);
    vns_strbuf_puts(b, ",\"text\":");
    put_string_or_null(b, v[1]);
    vns_strbuf_put(b, "}", 1);
    return 1;
}

/* vns_hit_json without jansson reading the metadata: its fields are
 * copied from the stored text, checked by a scan (jsonscan.h). NULL when
 * the scan refuses the metadata, or a string is not UTF-8: the caller
 * takes jansson's way, whose answer this one equals (fuzz_hitjson). */
static char *hit_json_copied(const struct vns_hit *h)
{
    struct vns_jspan v[NKEYS + 1];
    struct vns_strbuf b = {0};
    const char *k[NKEYS + 1];
    json_t *score = json_real(h->score);
    char *sc = score ? json_dumps(score, JSON_ENCODE_ANY) : NULL;
    int ok = sc != NULL;

    json_decref(score);
    memcpy(k, keys, sizeof(keys));
    k[NKEYS] = "deadlines";
    if (ok && h->meta != NULL)
        ok = vns_jscan_members(h->meta, strlen(h->meta), k, NKEYS + 1, v);
    vns_strbuf_putf(&b, "{\"rank\":%u,\"id\":", (unsigned)h->rank);
    ok = ok && put_string(&b, h->id, strlen(h->id));
    vns_strbuf_puts(&b, ",\"title\":");
    ok = ok && put_string(&b, h->title, strlen(h->title));
    vns_strbuf_puts(&b, ",\"score\":");
    vns_strbuf_puts(&b, ok ? sc : "");
    for (size_t i = 0; ok && h->meta != NULL && i < NKEYS; i++)
        if (v[i].p != NULL) {
            vns_strbuf_putf(&b, ",\"%s\":", keys[i]);
            vns_strbuf_put(&b, v[i].p, v[i].n);
        }
    if (ok && h->meta != NULL) {
        vns_strbuf_puts(&b, ",\"deadlines\":[");
        /* an array's elements; anything else holds none */
        struct deadlines d = {&b, 0};
        if (v[NKEYS].p != NULL && v[NKEYS].p[0] == '[')
            ok = vns_jscan_elements(v[NKEYS].p, v[NKEYS].n, put_deadline, &d);
        vns_strbuf_put(&b, "]", 1);
    }
    if (ok && h->nmatching_deadlines > 0) {
        size_t put = 0;
        vns_strbuf_puts(&b, ",\"matching_deadlines\":[");
        for (size_t i = 0; ok && i < h->nmatching_deadlines; i++) {
            const struct vns_hit_deadline *d = &h->matching_deadlines[i];
            if (d->date == NULL || d->text == NULL)
                continue; /* json_pack would fail: left out */
            vns_strbuf_puts(&b, put++ ? ",{\"date\":" : "{\"date\":");
            ok = put_string(&b, d->date, strlen(d->date));
            vns_strbuf_puts(&b, ",\"text\":");
            ok = ok && put_string(&b, d->text, strlen(d->text));
            vns_strbuf_put(&b, "}", 1);
        }
        vns_strbuf_put(&b, "]", 1);
    }
    vns_strbuf_puts(&b, ",\"snippets\":[");
    for (size_t i = 0; ok && i < h->nsnippets; i++) {
        const struct vns_snippet *sn = &h->snippets[i];
        vns_strbuf_puts(&b, i ? ",{\"text\":" : "{\"text\":");
        ok = put_string(&b, sn->text, sn->len);
        vns_strbuf_puts(&b, ",\"highlights\":[");
        for (size_t j = 0; j < sn->nhl; j++)
            vns_strbuf_putf(&b, "%s[%u,%u]", j ? "," : "",
                            (unsigned)sn->hl[j].off, (unsigned)sn->hl[j].len);
        vns_strbuf_putf(&b, "],\"cut_start\":%s,\"cut_end\":%s}",
                        sn->cut_start ? "true" : "false",
                        sn->cut_end ? "true" : "false");
    }
    vns_strbuf_puts(&b, "]}");
    free(sc);
    if (ok && !b.failed)
        return b.p;
    free(b.p);
    return NULL;
}

char *vns_hit_json_parsed(const struct vns_hit *h)
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

char *vns_hit_json(const struct vns_hit *h)
{
    char *s = hit_json_copied(h);

    return s != NULL ? s : vns_hit_json_parsed(h);
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
