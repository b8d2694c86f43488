/* Printing results: snippets with highlights, metadata lines, deadlines,
 * facets, --explain and --dump-meta, as text or JSON lines. */
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Deadline sentences shown per hit in text output, and their length. */
#define SHOW_DEADLINES 2
#define DEADLINE_CHARS 160

static void print_snippet(const struct vns_snippet *s, int tty)
{
    const char *on = tty ? "\033[1m" : "«", *off = tty ? "\033[0m" : "»";
    size_t at = 0;

    fputs("   ", stdout);
    if (s->cut_start)
        fputs("…", stdout);
    for (size_t i = 0; i < s->nhl; i++) {
        fwrite(s->text + at, 1, s->hl[i].off - at, stdout);
        fputs(on, stdout);
        fwrite(s->text + s->hl[i].off, 1, s->hl[i].len, stdout);
        fputs(off, stdout);
        at = s->hl[i].off + s->hl[i].len;
    }
    fwrite(s->text + at, 1, s->len - at, stdout);
    if (s->cut_end)
        fputs("…", stdout);
    fputc('\n', stdout);
}

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* At most n characters of s, cut after its last whole word (or inside
 * a first word longer than that), at a UTF-8 boundary, then "…". */
static void put_chars(const char *s, size_t n)
{
    size_t i = 0, chars = 0, word_end = 0;

    while (s[i] != '\0' && chars < n) {
        if (s[i] == ' ' && i > 0 && s[i - 1] != ' ')
            word_end = i;
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    if (s[i] == '\0') {
        fwrite(s, 1, i, stdout);
        return;
    }
    if (s[i] != ' ' && word_end > 0)
        i = word_end; /* "kế h…" -> "kế…" */
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == ','))
        i--;
    fwrite(s, 1, i, stdout);
    fputs("…", stdout);
}

/* Is the deadline d one of h's matching deadlines (printed above)? */
static int answered(const struct vns_hit *h, json_t *d)
{
    const char *date = str(d, "date"), *text = str(d, "text");

    for (size_t i = 0;
         date != NULL && text != NULL && i < h->nmatching_deadlines; i++)
        if (h->matching_deadlines[i].date != NULL &&
            h->matching_deadlines[i].text != NULL &&
            strcmp(h->matching_deadlines[i].date, date) == 0 &&
            strcmp(h->matching_deadlines[i].text, text) == 0)
            return 1;
    return 0;
}

/* "2021-12-02 · Trà Vinh · Thường trực Tỉnh ủy · Thông báo · 135-TB/TU",
 * then the deadlines not printed above as answers: SHOW_DEADLINES in all
 * with those, and how many more. */
static void print_meta_line(json_t *m, const struct vns_hit *h)
{
    static const char *const keys[] = {"date", "province", "issuing_body",
                                       "doc_type", "number"};
    int any = 0;

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = str(m, keys[i]);
        if (v == NULL)
            continue;
        printf("%s%s", any ? " · " : "   ", v);
        any = 1;
    }
    if (any)
        fputc('\n', stdout);
    json_t *dl = json_object_get(m, "deadlines");
    size_t shown = h->nmatching_deadlines, more = 0;
    for (size_t i = 0; i < json_array_size(dl); i++) {
        json_t *d = json_array_get(dl, i);
        if (answered(h, d))
            continue;
        if (shown >= SHOW_DEADLINES) {
            more++;
            continue;
        }
        shown++;
        printf("   Hạn %s: ", str(d, "date") ? str(d, "date") : "?");
        put_chars(str(d, "text") ? str(d, "text") : "", DEADLINE_CHARS);
        fputc('\n', stdout);
    }
    if (more > 0)
        printf("   (+%zu hạn khác)\n", more);
}

void print_hits_text(const struct vns_results *res, int tty)
{
    for (size_t i = 0; i < res->n; i++) {
        const struct vns_hit *h = &res->hits[i];
        json_t *m = h->meta ? json_loads(h->meta, 0, NULL) : NULL;
        printf("%u. %s  (score %.3f)\n", h->rank, h->id, h->score);
        if (h->title[0] != '\0')
            printf("   %s\n", h->title);
        /* the deadlines the query asked for come first */
        for (size_t d = 0; d < h->nmatching_deadlines; d++) {
            if (h->matching_deadlines[d].date == NULL ||
                h->matching_deadlines[d].text == NULL)
                continue;
            printf("   Hạn %s: ", h->matching_deadlines[d].date);
            put_chars(h->matching_deadlines[d].text, DEADLINE_CHARS);
            fputc('\n', stdout);
        }
        if (m != NULL)
            print_meta_line(m, h);
        for (size_t s = 0; s < h->nsnippets; s++)
            print_snippet(&h->snippets[s], tty);
        fputc('\n', stdout);
        json_decref(m);
    }
}

static int put_line(json_t *o)
{
    char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

    json_decref(o);
    if (line == NULL)
        return -1;
    puts(line);
    free(line);
    return 0;
}

int print_hits_json(const struct vns_results *res)
{
    for (size_t i = 0; i < res->n; i++) {
        char *line = vns_hit_json(&res->hits[i]);
        if (line == NULL)
            return -1;
        puts(line);
        free(line);
    }
    return 0;
}

void print_facets_text(const struct vns_results *res)
{
    printf("%s%llu documents match\n", res->exact ? "" : "about ",
           (unsigned long long)res->estimate);
    for (size_t f = 0; f < res->nfacets; f++) {
        const struct vns_facet *fc = &res->facets[f];
        printf("%s:", fc->name);
        for (size_t i = 0; i < fc->n && i < 12; i++)
            printf("%s %s (%llu)", i ? "," : "", fc->counts[i].value,
                   (unsigned long long)fc->counts[i].count);
        if (fc->n > 12)
            printf(", +%zu more", fc->n - 12);
        fputc('\n', stdout);
    }
    fputc('\n', stdout);
}

int print_facets_json(const struct vns_results *res)
{
    char *line = vns_results_summary_json(res);

    if (line == NULL)
        return -1;
    puts(line);
    free(line);
    return 0;
}

int print_explain(const char *meta_json, int json)
{
    static const char *const keys[] = {
        "doc_type", "number",        "date",   "issuing_body",
        "province", "province_2025", "signer", "subject"};
    json_t *m = json_loads(meta_json, 0, NULL), *why, *over;

    if (m == NULL)
        return -1;
    if (json)
        return put_line(m);
    why = json_object_get(m, "evidence");
    over = json_object_get(m, "overridden");
    printf("%s\n", str(m, "id"));
    if (str(m, "title"))
        printf("  title: %s\n", str(m, "title"));
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = str(m, keys[i]), *w = str(why, keys[i]);
        int overridden = 0;
        size_t k;
        json_t *x;
        json_array_foreach(over, k, x) overridden |=
            json_is_string(x) && strcmp(json_string_value(x), keys[i]) == 0;
        printf("  %s: %s", keys[i], v ? v : "(unknown)");
        if (overridden)
            printf("  [override]");
        else if (w)
            printf("  [%s]", w);
        fputc('\n', stdout);
    }
    json_t *cand = json_object_get(m, "province_candidates"), *c;
    size_t i;
    if (json_array_size(cand) > 0) {
        printf("  province candidates:");
        json_array_foreach(cand, i, c)
            printf("%s %s", i ? "," : "", json_string_value(c));
        fputc('\n', stdout);
    }
    json_t *dl = json_object_get(m, "deadlines"), *d;
    json_array_foreach(dl, i, d)
    {
        printf("  deadline %s: ", str(d, "date") ? str(d, "date") : "?");
        put_chars(str(d, "text") ? str(d, "text") : "", DEADLINE_CHARS);
        fputc('\n', stdout);
    }
    json_t *rcpt = json_object_get(m, "recipients"), *x;
    if (json_array_size(rcpt) > 0) {
        printf("  recipients:");
        json_array_foreach(rcpt, i, x)
            printf("%s %s", i ? ";" : "", json_string_value(x));
        fputc('\n', stdout);
    }
    json_t *refs = json_object_get(m, "references"), *r;
    if (json_array_size(refs) > 0) {
        printf("  references:");
        json_array_foreach(refs, i, r)
            printf("%s %s", i ? "," : "", str(r, "number"));
        fputc('\n', stdout);
    }
    if (json_is_true(json_object_get(m, "ocr")))
        printf("  ocr: yes, mean confidence %lld\n",
               (long long)json_integer_value(
                   json_object_get(m, "ocr_confidence")));
    json_decref(m);
    return 0;
}

int print_dump_line(const char *meta_json)
{
    static const char *const keys[] = {
        "id",           "date",     "province", "province_2025",
        "issuing_body", "doc_type", "number",   "signer"};
    json_t *m = json_loads(meta_json, 0, NULL), *o = json_object();
    json_t *dl, *d, *out = json_array();
    size_t i;

    if (m == NULL) {
        json_decref(o);
        json_decref(out);
        return -1;
    }
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(m, keys[i]);
        json_object_set(o, keys[i], v ? v : json_null());
    }
    dl = json_object_get(m, "deadlines");
    json_array_foreach(dl, i, d) json_array_append_new(
        out, json_pack("{s:s?, s:s?}", "date", str(d, "date"), "text",
                       str(d, "text")));
    json_object_set_new(o, "deadlines", out);
    /* only recognized documents carry these */
    if (json_object_get(m, "ocr") != NULL) {
        json_object_set(o, "ocr", json_object_get(m, "ocr"));
        json_object_set(o, "ocr_confidence",
                        json_object_get(m, "ocr_confidence"));
    }
    json_decref(m);
    return put_line(o);
}
