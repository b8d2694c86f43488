/* The search page and the document page as HTML, rendered from the same
 * JSON the API answers; every text from a document or a query is escaped.
 * No inline script or style: the CSP allows /static/ files only. */
#include "page.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "assets.h"
#include "html.h"
#include "strbuf.h"

#define PAGE_WINDOW 2 /* page links either side of the current one */

/* Text of a document or a query, as HTML text or attribute value. */
static void esc(struct vns_strbuf *b, const char *s, size_t n)
{
    char tmp[1024];
    size_t i = 0;

    while (i < n) {
        /* at most 6 bytes out per byte in, "&quot;" */
        size_t k = n - i < sizeof(tmp) / 6 - 1 ? n - i : sizeof(tmp) / 6 - 1;
        size_t w = vns_html_escape(s + i, k, tmp, sizeof(tmp));
        if (w == (size_t)-1) {
            b->failed = 1;
            return;
        }
        vns_strbuf_put(b, tmp, w);
        i += k;
    }
}

static void escs(struct vns_strbuf *b, const char *s)
{
    if (s != NULL)
        esc(b, s, strlen(s));
}

/* s percent-encoded for a URL (everything but unreserved characters). */
static void pct(struct vns_strbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[3] = {'%', hex[c >> 4], hex[c & 15]};
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~')
            vns_strbuf_put(b, (const char *)&s[i], 1);
        else
            vns_strbuf_put(b, e, 3);
    }
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s && *s ? s : NULL;
}

/* "2021-11-29" as "29/11/2021"; anything else as it is. */
static void put_date(struct vns_strbuf *b, const char *iso)
{
    if (strlen(iso) == 10 && iso[4] == '-' && iso[7] == '-') {
        vns_strbuf_put(b, iso + 8, 2);
        vns_strbuf_put(b, "/", 1);
        vns_strbuf_put(b, iso + 5, 2);
        vns_strbuf_put(b, "/", 1);
        vns_strbuf_put(b, iso, 4);
    } else {
        escs(b, iso);
    }
}

static void head(struct vns_strbuf *b, const char *title)
{
    vns_strbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n"
                       "<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, "
                       "initial-scale=1\">\n<title>");
    if (title != NULL) {
        escs(b, title);
        vns_strbuf_puts(b, " — ");
    }
    vns_strbuf_puts(b,
                    "Tra cứu văn bản</title>\n"
                    "<link rel=\"stylesheet\" href=\"/static/app.css\">\n"
                    "<script src=\"/static/app.js\" defer></script>\n"
                    "</head>\n<body>\n"
                    "<a class=\"skip\" href=\"#main\">Bỏ qua đến nội dung</a>\n"
                    "<header class=\"top\"><div class=\"wrap\">"
                    "<a class=\"brand\" href=\"/\">vnsearch</a>"
                    "<span class=\"tagline\">Tra cứu thông báo, văn bản "
                    "hành chính</span></div></header>\n"
                    "<main id=\"main\" class=\"wrap\">\n");
}

static void foot(struct vns_strbuf *b)
{
    vns_strbuf_puts(b,
                    "</main>\n<footer class=\"wrap foot\">Dữ liệu cũng có qua "
                    "<a href=\"/api\">giao diện lập trình JSON</a>.</footer>\n"
                    "</body>\n</html>\n");
}

/* The value of parameter key, if it is text we can show. */
static const char *param(const struct vns_param *p, size_t n, const char *key,
                         size_t *len)
{
    for (size_t i = 0; i < n; i++)
        if (p[i].key_len == strlen(key) &&
            memcmp(p[i].key, key, p[i].key_len) == 0 && p[i].value != NULL &&
            vns_api_text_ok(p[i].value, p[i].value_len)) {
            *len = p[i].value_len;
            return p[i].value;
        }
    *len = 0;
    return "";
}

static void value_attr(struct vns_strbuf *b, const struct vns_param *p,
                       size_t n, const char *key)
{
    size_t len;
    const char *v = param(p, n, key, &len);

    vns_strbuf_puts(b, " value=\"");
    esc(b, v, len);
    vns_strbuf_puts(b, "\"");
}

/* "/?k=v&..." of the request without keys skip1 and skip2, empty values
 * dropped; then "&" or "?" is up to the caller. Returns whether any
 * parameter was written. */
static int state_url(struct vns_strbuf *b, const struct vns_param *p, size_t n,
                     const char *skip1, const char *skip2)
{
    int any = 0;

    vns_strbuf_puts(b, "/");
    for (size_t i = 0; i < n; i++) {
        if (p[i].value == NULL || p[i].value_len == 0 ||
            !vns_api_text_ok(p[i].key, p[i].key_len) ||
            !vns_api_text_ok(p[i].value, p[i].value_len))
            continue;
        if ((skip1 && p[i].key_len == strlen(skip1) &&
             memcmp(p[i].key, skip1, p[i].key_len) == 0) ||
            (skip2 && p[i].key_len == strlen(skip2) &&
             memcmp(p[i].key, skip2, p[i].key_len) == 0))
            continue;
        vns_strbuf_puts(b, any ? "&amp;" : "?");
        pct(b, p[i].key, p[i].key_len);
        vns_strbuf_puts(b, "=");
        pct(b, p[i].value, p[i].value_len);
        any = 1;
    }
    return any;
}

static void options(struct vns_strbuf *b, const json_t *counts, const char *cur,
                    size_t curlen, const char *all)
{
    const char *k;
    json_t *v;
    int seen = 0;

    vns_strbuf_putf(b, "<option value=\"\">%s</option>", all);
    json_object_foreach((json_t *)counts, k, v)
    {
        int sel = strlen(k) == curlen && memcmp(k, cur, curlen) == 0;
        seen |= sel;
        vns_strbuf_puts(b, "<option value=\"");
        escs(b, k);
        vns_strbuf_puts(b, sel ? "\" selected>" : "\">");
        escs(b, k);
        vns_strbuf_putf(b, " (%lld)</option>",
                        (long long)json_integer_value(v));
    }
    if (!seen && curlen > 0) {
        vns_strbuf_puts(b, "<option selected value=\"");
        esc(b, cur, curlen);
        vns_strbuf_puts(b, "\">");
        esc(b, cur, curlen);
        vns_strbuf_puts(b, "</option>");
    }
}

static void datalist(struct vns_strbuf *b, const char *id, const json_t *counts)
{
    const char *k;
    json_t *v;

    vns_strbuf_putf(b, "<datalist id=\"%s\">", id);
    json_object_foreach((json_t *)counts, k, v)
    {
        vns_strbuf_puts(b, "<option value=\"");
        escs(b, k);
        vns_strbuf_puts(b, "\">");
    }
    vns_strbuf_puts(b, "</datalist>");
}

/* The form: the box, then the filters (province counts from pfacets,
 * the facets of the search without its province filter). */
static void form(struct vns_strbuf *b, const struct vns_param *p, size_t n,
                 const json_t *facets, const json_t *pfacets)
{
    const char *sort, *prov;
    size_t slen, plen;

    sort = param(p, n, "sort", &slen);
    prov = param(p, n, "province", &plen);
    vns_strbuf_puts(
        b, "<form id=\"search\" class=\"search\" action=\"/\" "
           "method=\"get\" role=\"search\">\n"
           "<div class=\"qrow\"><label for=\"q\" class=\"sr-only\">Từ "
           "khóa</label><div class=\"combo\">"
           "<input id=\"q\" name=\"q\" type=\"search\" "
           "placeholder=\"Nhập từ khóa, ví dụ: tiêm mũi 2\" "
           "autocomplete=\"off\" spellcheck=\"false\" role=\"combobox\" "
           "aria-autocomplete=\"list\" aria-expanded=\"false\" "
           "aria-controls=\"suggest\"");
    value_attr(b, p, n, "q");
    vns_strbuf_puts(
        b, "><ul id=\"suggest\" class=\"suggest\" role=\"listbox\" "
           "aria-label=\"Gợi ý\" hidden></ul></div>"
           "<button type=\"submit\" class=\"primary\">Tìm kiếm</button>"
           "</div>\n"
           "<p id=\"didyoumean\" class=\"didyoumean\" hidden></p>\n"
           "<fieldset class=\"filters\"><legend class=\"sr-only\">Bộ "
           "lọc</legend>\n"
           "<label>Tỉnh, thành phố<select id=\"f-province\" "
           "name=\"province\">");
    options(b, json_object_get(pfacets, "province"), prov, plen,
            "Tất cả các tỉnh");
    vns_strbuf_puts(b,
                    "</select></label>\n"
                    "<label>Cơ quan ban hành<input id=\"f-body\" name=\"body\" "
                    "list=\"l-body\"");
    value_attr(b, p, n, "body");
    vns_strbuf_puts(b, ">");
    datalist(b, "l-body", json_object_get(facets, "issuing_body"));
    vns_strbuf_puts(b, "</label>\n<label>Loại văn bản<input id=\"f-type\" "
                       "name=\"type\" list=\"l-type\"");
    value_attr(b, p, n, "type");
    vns_strbuf_puts(b, ">");
    datalist(b, "l-type", json_object_get(facets, "doc_type"));
    vns_strbuf_puts(
        b, "</label>\n<label>Từ ngày<input id=\"f-from\" type=\"date\" "
           "name=\"from\"");
    value_attr(b, p, n, "from");
    vns_strbuf_puts(
        b, "></label>\n<label>Đến ngày<input id=\"f-to\" type=\"date\" "
           "name=\"to\"");
    value_attr(b, p, n, "to");
    vns_strbuf_puts(
        b, "></label>\n<label>Sắp xếp<select id=\"f-sort\" name=\"sort\">");
    vns_strbuf_putf(b, "<option value=\"relevance\"%s>Liên quan nhất</option>",
                    strcmp(sort, "date") == 0 ? "" : " selected");
    vns_strbuf_putf(b, "<option value=\"date\"%s>Mới nhất</option>",
                    strcmp(sort, "date") == 0 ? " selected" : "");
    vns_strbuf_puts(b, "</select></label>\n"
                       "<div class=\"actions\"><button type=\"submit\">Áp dụng "
                       "bộ lọc</button> <a class=\"reset\" href=\"/\">Xóa bộ "
                       "lọc</a></div>\n"
                       "</fieldset>\n</form>\n");
}

static void snippet(struct vns_strbuf *b, const json_t *sn)
{
    const char *text = json_string_value(json_object_get(sn, "text"));
    size_t len = json_string_length(json_object_get(sn, "text")), pos = 0, i;
    json_t *hl;

    if (text == NULL)
        return;
    vns_strbuf_puts(b, "<p class=\"snippet\">");
    if (json_is_true(json_object_get(sn, "cut_start")))
        vns_strbuf_puts(b, "… ");
    json_array_foreach(json_object_get(sn, "highlights"), i, hl)
    {
        json_int_t off = json_integer_value(json_array_get(hl, 0));
        json_int_t n = json_integer_value(json_array_get(hl, 1));
        /* offsets are ours, but a bad one must not read past the text */
        if (off < (json_int_t)pos || n <= 0 || (size_t)off > len ||
            (size_t)n > len - (size_t)off)
            continue;
        esc(b, text + pos, (size_t)off - pos);
        vns_strbuf_puts(b, "<mark>");
        esc(b, text + off, (size_t)n);
        vns_strbuf_puts(b, "</mark>");
        pos = (size_t)(off + n);
    }
    esc(b, text + pos, len - pos);
    if (json_is_true(json_object_get(sn, "cut_end")))
        vns_strbuf_puts(b, " …");
    vns_strbuf_puts(b, "</p>");
}

static void doc_link(struct vns_strbuf *b, const char *id)
{
    vns_strbuf_puts(b, "/doc/");
    pct(b, id, strlen(id));
}

/* Is the deadline (date, text) one of the answers shown above it? */
static int answered(const json_t *answers, const char *date, const char *text)
{
    size_t i;
    json_t *a;

    json_array_foreach((json_t *)answers, i, a)
    {
        const char *ad = jstr(a, "date"), *at = jstr(a, "text");
        if (ad != NULL && at != NULL && text != NULL && strcmp(ad, date) == 0 &&
            strcmp(at, text) == 0)
            return 1;
    }
    return 0;
}

/* The deadlines a deadline question asked for, each with its sentence:
 * the answer, shown before anything else of the hit. */
static void answers(struct vns_strbuf *b, const json_t *md)
{
    size_t i;
    json_t *d;

    if (json_array_size(md) == 0)
        return;
    vns_strbuf_puts(b, "<ul class=\"answers\">");
    json_array_foreach((json_t *)md, i, d)
    {
        const char *date = jstr(d, "date"), *text = jstr(d, "text");
        if (date == NULL || text == NULL)
            continue;
        vns_strbuf_puts(b, "<li class=\"answer\"><span class=\"badge "
                           "deadline match\">Hạn ");
        put_date(b, date);
        vns_strbuf_puts(b, "</span> ");
        escs(b, text);
        vns_strbuf_puts(b, "</li>");
    }
    vns_strbuf_puts(b, "</ul>\n");
}

/* The hit's other deadlines as badges (the sentence in the title). */
static void deadlines(struct vns_strbuf *b, const json_t *dl, const json_t *md)
{
    size_t i, shown = 0;
    json_t *d;

    json_array_foreach((json_t *)dl, i, d)
    {
        const char *date = jstr(d, "date"), *text = jstr(d, "text");
        if (date == NULL || answered(md, date, text))
            continue;
        if (shown++ == 0)
            vns_strbuf_puts(b, "<ul class=\"badges\">");
        vns_strbuf_puts(b, "<li class=\"badge deadline\" title=\"");
        escs(b, text);
        vns_strbuf_puts(b, "\">Hạn ");
        put_date(b, date);
        vns_strbuf_puts(b, "</li>");
    }
    if (shown > 0)
        vns_strbuf_puts(b, "</ul>");
}

static void hit(struct vns_strbuf *b, const json_t *h)
{
    const char *id = jstr(h, "id"), *title = jstr(h, "title");
    const char *fields[] = {"doc_type", "number", "issuing_body", "province"};
    size_t i;
    json_t *sn;

    if (id == NULL)
        return;
    vns_strbuf_puts(b, "<li class=\"hit\"><h2 class=\"hit-title\"><a href=\"");
    doc_link(b, id);
    vns_strbuf_puts(b, "\">");
    escs(b, title ? title : id);
    vns_strbuf_puts(b, "</a></h2>\n<p class=\"hit-meta\">");
    if (jstr(h, "date")) {
        vns_strbuf_puts(b, "<time datetime=\"");
        escs(b, jstr(h, "date"));
        vns_strbuf_puts(b, "\">");
        put_date(b, jstr(h, "date"));
        vns_strbuf_puts(b, "</time>");
    }
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const char *v = jstr(h, fields[i]);
        if (v == NULL)
            continue;
        vns_strbuf_putf(b, "<span class=\"f-%s\">", fields[i]);
        escs(b, v);
        vns_strbuf_puts(b, "</span>");
    }
    vns_strbuf_puts(b, "</p>\n");
    answers(b, json_object_get(h, "matching_deadlines"));
    deadlines(b, json_object_get(h, "deadlines"),
              json_object_get(h, "matching_deadlines"));
    json_array_foreach(json_object_get(h, "snippets"), i, sn)
    {
        snippet(b, sn);
    }
    vns_strbuf_puts(b, "<p class=\"hit-id\">");
    escs(b, id);
    vns_strbuf_puts(b, "</p></li>\n");
}

static void pager(struct vns_strbuf *b, const struct vns_param *p, size_t n,
                  long long total, long long page, long long size)
{
    long long last = size > 0 ? (total + size - 1) / size : 1, from, to;

    if (last > 10000 / size)
        last = 10000 / size;
    if (last <= 1)
        return;
    from = page - PAGE_WINDOW > 1 ? page - PAGE_WINDOW : 1;
    to = page + PAGE_WINDOW < last ? page + PAGE_WINDOW : last;
    vns_strbuf_puts(b, "<nav class=\"pager\" aria-label=\"Phân trang\"><ul>");
    for (long long k = from; k <= to; k++) {
        if (k == page) {
            vns_strbuf_putf(
                b, "<li><span aria-current=\"page\">%lld</span></li>", k);
            continue;
        }
        vns_strbuf_puts(b, "<li><a href=\"");
        vns_strbuf_puts(b, state_url(b, p, n, "page", NULL) ? "&amp;" : "?");
        vns_strbuf_putf(b, "page=%lld\"", k);
        if (k == page - 1)
            vns_strbuf_puts(b, " rel=\"prev\"");
        if (k == page + 1)
            vns_strbuf_puts(b, " rel=\"next\"");
        vns_strbuf_putf(b, ">%lld</a></li>", k);
    }
    vns_strbuf_puts(b, "</ul></nav>\n");
}

/* The facet list beside the results: each value a link that filters. */
static void facet_list(struct vns_strbuf *b, const struct vns_param *p,
                       size_t n, const json_t *counts, const char *key,
                       const char *label)
{
    size_t curlen;
    const char *cur = param(p, n, key, &curlen), *k;
    json_t *v;

    if (json_object_size(counts) == 0)
        return;
    vns_strbuf_putf(b, "<section class=\"facet\"><h2>%s</h2><ul>", label);
    json_object_foreach((json_t *)counts, k, v)
    {
        int sel = strlen(k) == curlen && memcmp(k, cur, curlen) == 0;
        vns_strbuf_puts(b, "<li><a href=\"");
        vns_strbuf_puts(b, state_url(b, p, n, key, "page") ? "&amp;" : "?");
        vns_strbuf_puts(b, key);
        vns_strbuf_puts(b, "=");
        pct(b, k, strlen(k));
        vns_strbuf_puts(b, sel ? "\" aria-current=\"true\">" : "\">");
        vns_strbuf_puts(b, "<span>");
        escs(b, k);
        vns_strbuf_putf(b, "</span><span class=\"count\">%lld</span></a></li>",
                        (long long)json_integer_value(v));
    }
    vns_strbuf_puts(b, "</ul></section>");
}

/* The scans among the matches ("ocr": {"1": count}): a link that keeps
 * only them. */
static void ocr_facet(struct vns_strbuf *b, const struct vns_param *p, size_t n,
                      const json_t *counts)
{
    const json_t *c = json_object_get(counts, "1");
    size_t curlen;
    const char *cur = param(p, n, "ocr", &curlen);
    int sel = curlen == 1 && cur[0] == '1';

    if (!json_is_integer(c))
        return;
    vns_strbuf_puts(b, "<section class=\"facet\"><h2>Nguồn</h2><ul><li><a "
                       "href=\"");
    vns_strbuf_puts(b, state_url(b, p, n, "ocr", "page") ? "&amp;" : "?");
    vns_strbuf_puts(b, sel ? "ocr=1\" aria-current=\"true\">" : "ocr=1\">");
    vns_strbuf_putf(b,
                    "<span>Bản quét (OCR)</span><span class=\"count\">%lld"
                    "</span></a></li></ul></section>",
                    (long long)json_integer_value(c));
}

static void results(struct vns_strbuf *b, const struct vns_param *p, size_t n,
                    const json_t *r)
{
    long long total = json_integer_value(json_object_get(r, "total"));
    long long page = json_integer_value(json_object_get(r, "page"));
    long long size = json_integer_value(json_object_get(r, "size"));
    const json_t *facets = json_object_get(r, "facets");
    const char *sug = jstr(r, "suggestion");
    size_t i;
    json_t *h;

    vns_strbuf_puts(b, "<div class=\"layout\">\n<aside class=\"facets\" "
                       "aria-label=\"Thống kê\">");
    facet_list(b, p, n, json_object_get(facets, "province"), "province",
               "Tỉnh, thành phố");
    facet_list(b, p, n, json_object_get(facets, "issuing_body"), "body",
               "Cơ quan ban hành");
    facet_list(b, p, n, json_object_get(facets, "doc_type"), "type",
               "Loại văn bản");
    ocr_facet(b, p, n, json_object_get(facets, "ocr"));
    vns_strbuf_puts(b, "</aside>\n<section id=\"results\" class=\"results\" "
                       "aria-live=\"polite\">\n");
    if (sug != NULL) {
        /* the API may one day suggest a spelling: shown when present */
        vns_strbuf_puts(
            b, "<p class=\"didyoumean\">Bạn có muốn tìm: <a href=\"/?q=");
        pct(b, sug, strlen(sug));
        vns_strbuf_puts(b, "\">");
        escs(b, sug);
        vns_strbuf_puts(b, "</a>?</p>\n");
    }
    if (json_is_true(json_object_get(r, "partial"))) {
        const json_t *ms = json_object_get(r, "missing_shards");
        json_t *m;
        vns_strbuf_putf(b,
                        "<p class=\"partial\" role=\"status\">Kết quả chưa "
                        "đầy đủ: %zu phân vùng chỉ mục không trả lời (",
                        json_array_size(ms));
        json_array_foreach(ms, i, m)
        {
            if (i > 0)
                vns_strbuf_puts(b, ", ");
            escs(b, json_string_value(m));
        }
        vns_strbuf_puts(b, ").</p>\n");
    }
    if (total == 0) {
        vns_strbuf_puts(
            b, "<p class=\"summary\">Không tìm thấy văn bản nào. Hãy thử "
               "bớt từ khóa hoặc bỏ bớt bộ lọc.</p>\n");
    } else {
        vns_strbuf_putf(
            b,
            "<p class=\"summary\">Tìm thấy <strong>%s%lld</strong> văn "
            "bản",
            json_is_true(json_object_get(r, "total_exact")) ? "" : "khoảng ",
            total);
        if (page > 1)
            vns_strbuf_putf(b, " — trang %lld", page);
        vns_strbuf_puts(b, "</p>\n");
    }
    vns_strbuf_putf(b, "<ol class=\"hits\" start=\"%lld\">\n",
                    (page - 1) * size + 1 > 0 ? (page - 1) * size + 1 : 1);
    json_array_foreach(json_object_get(r, "hits"), i, h)
    {
        hit(b, h);
    }
    vns_strbuf_puts(b, "</ol>\n");
    pager(b, p, n, total, page, size);
    vns_strbuf_puts(b, "</section>\n</div>\n");
}

/* Does the request ask for a search: some q or filter? */
static int wants_search(const struct vns_param *p, size_t n)
{
    static const char *const quiet[] = {"sort", "page", "size", "facets"};

    for (size_t i = 0; i < n; i++) {
        int skip = 0;
        if (p[i].value == NULL || p[i].value_len == 0)
            continue;
        for (size_t k = 0; k < sizeof(quiet) / sizeof(quiet[0]); k++)
            skip |= p[i].key_len == strlen(quiet[k]) &&
                    memcmp(p[i].key, quiet[k], p[i].key_len) == 0;
        if (!skip)
            return 1;
    }
    return 0;
}

static int has_province(const struct vns_param *p, size_t n)
{
    size_t len;

    param(p, n, "province", &len);
    return len > 0;
}

/* The search as the API answers it, parsed; NULL with *status and msg
 * set when it fails. */
static json_t *search_json(struct vns_index *ix, const struct vns_param *p,
                           size_t n, double time_limit, int *status,
                           struct vns_err *err)
{
    char *text = NULL;
    json_t *o;
    int rc = vns_api_search(ix, p, n, time_limit, &text, err);

    if (rc != VNS_OK) {
        *status = vns_api_status(rc);
        return NULL;
    }
    o = json_loads(text, 0, NULL);
    free(text);
    if (o == NULL)
        *status = 500;
    return o;
}

int page_search(struct vns_index *ix, const struct vns_param *p, size_t n,
                double time_limit, char **out, int *status)
{
    struct vns_strbuf b = {0};
    struct vns_err err = {0};
    struct vns_param q[32];
    json_t *r = NULL, *all = NULL;
    size_t nq = 0;
    int st = 200;

    if (wants_search(p, n)) {
        r = search_json(ix, p, n, time_limit, &st, &err);
        /* the province counts of the search without its province */
        for (size_t i = 0; i < n && nq < 31 && r != NULL; i++)
            if (!(p[i].key_len == 8 && memcmp(p[i].key, "province", 8) == 0) &&
                !(p[i].key_len == 4 && memcmp(p[i].key, "page", 4) == 0) &&
                !(p[i].key_len == 4 && memcmp(p[i].key, "size", 4) == 0))
                q[nq++] = p[i];
        if (r != NULL && nq < n && has_province(p, n)) {
            struct vns_err e2 = {0};
            int st2;
            q[nq++] = (struct vns_param){"size", 4, "1", 1};
            if (wants_search(q, nq))
                all = search_json(ix, q, nq, time_limit, &st2, &e2);
        }
    }
    head(&b, n > 0 && r != NULL ? "Kết quả" : NULL);
    vns_strbuf_puts(&b, "<h1 class=\"sr-only\">Tra cứu văn bản</h1>\n");
    form(&b, p, n, json_object_get(r, "facets"),
         json_object_get(all ? all : r, "facets"));
    vns_strbuf_puts(&b, "<div id=\"out\">\n");
    if (r != NULL) {
        results(&b, p, n, r);
    } else if (st != 200) {
        vns_strbuf_puts(&b, "<div class=\"results\"><p class=\"error\" "
                            "role=\"alert\">");
        if (st >= 500)
            vns_strbuf_puts(&b, "Lỗi máy chủ; vui lòng thử lại sau.");
        else
            escs(&b, err.msg);
        vns_strbuf_puts(&b, "</p></div>\n");
    } else {
        vns_strbuf_puts(
            &b, "<div class=\"results\"><p class=\"intro\">Gõ từ khóa có "
                "dấu hoặc không dấu; dùng \"ngoặc kép\" cho cụm từ, "
                "dấu trừ (-) để loại từ.</p></div>\n");
    }
    vns_strbuf_puts(&b, "</div>\n");
    foot(&b);
    json_decref(r);
    json_decref(all);
    if (b.failed) {
        free(b.p);
        return VNS_ENOMEM;
    }
    *out = b.p;
    *status = st;
    return VNS_OK;
}

static void field(struct vns_strbuf *b, const json_t *meta, const char *key,
                  const char *label)
{
    const char *v = jstr(meta, key);

    if (v == NULL)
        return;
    vns_strbuf_putf(b, "<dt>%s</dt><dd>", label);
    if (strcmp(key, "date") == 0)
        put_date(b, v);
    else
        escs(b, v);
    vns_strbuf_puts(b, "</dd>");
}

int page_doc(struct vns_index *ix, const char *id, size_t idlen, char **out,
             int *status)
{
    struct vns_strbuf b = {0};
    struct vns_err err = {0};
    char *text = NULL;
    json_t *d = NULL, *meta, *dl, *x;
    const char *title;
    size_t i;
    int rc = vns_api_doc(ix, id, idlen, &text, &err), st = 200;

    if (rc == VNS_OK) {
        d = json_loads(text, 0, NULL);
        free(text);
        if (d == NULL)
            rc = VNS_EINDEX;
    }
    if (rc != VNS_OK) {
        st = vns_api_status(rc);
        head(&b, "Không tìm thấy");
        vns_strbuf_puts(&b,
                        "<h1>Không mở được văn bản</h1><p class=\"error\">");
        vns_strbuf_puts(&b, st == 404 ? "Không có văn bản này trong chỉ mục."
                                      : "Lỗi khi đọc văn bản.");
        vns_strbuf_puts(&b, "</p><p><a href=\"/\">← Trang tìm kiếm</a></p>");
        goto done;
    }
    meta = json_object_get(d, "meta");
    title = jstr(d, "title") ? jstr(d, "title") : jstr(d, "id");
    head(&b, title);
    vns_strbuf_puts(&b,
                    "<article class=\"doc\">\n<p class=\"back\"><a id=\"back\" "
                    "href=\"/\">← Quay lại tìm kiếm</a></p>\n<h1>");
    escs(&b, title);
    vns_strbuf_puts(&b, "</h1>\n<dl class=\"fields\">");
    field(&b, meta, "number", "Số, ký hiệu");
    field(&b, meta, "date", "Ngày ban hành");
    field(&b, meta, "doc_type", "Loại văn bản");
    field(&b, meta, "issuing_body", "Cơ quan ban hành");
    field(&b, meta, "province", "Tỉnh, thành phố");
    field(&b, meta, "province_2025", "Tỉnh (từ 2025)");
    field(&b, meta, "signer", "Người ký");
    field(&b, meta, "subject", "Trích yếu");
    dl = json_object_get(meta, "deadlines");
    if (json_array_size(dl) > 0) {
        vns_strbuf_puts(&b, "<dt>Thời hạn</dt><dd><ul class=\"deadlines\">");
        json_array_foreach(dl, i, x)
        {
            if (jstr(x, "date") == NULL)
                continue;
            vns_strbuf_puts(&b, "<li><span class=\"badge deadline\">Hạn ");
            put_date(&b, jstr(x, "date"));
            vns_strbuf_puts(&b, "</span> ");
            escs(&b, jstr(x, "text"));
            vns_strbuf_puts(&b, "</li>");
        }
        vns_strbuf_puts(&b, "</ul></dd>");
    }
    vns_strbuf_puts(&b, "</dl>\n");
    if (json_is_true(json_object_get(d, "has_original"))) {
        vns_strbuf_puts(&b, "<p><a class=\"button\" href=\"/api/doc/");
        pct(&b, id, idlen);
        vns_strbuf_puts(&b, "/raw\">Tải tệp gốc");
        if (jstr(d, "filename")) {
            vns_strbuf_puts(&b, " (");
            escs(&b, jstr(d, "filename"));
            vns_strbuf_puts(&b, ")");
        }
        vns_strbuf_puts(&b, "</a></p>\n");
    }
    vns_strbuf_puts(&b, "<h2>Toàn văn</h2>\n<div class=\"doctext\">");
    escs(&b, jstr(d, "text"));
    vns_strbuf_puts(&b, "</div>\n</article>\n");
done:
    foot(&b);
    json_decref(d);
    if (b.failed) {
        free(b.p);
        return VNS_ENOMEM;
    }
    *out = b.p;
    *status = st;
    return VNS_OK;
}

const char *page_asset(const char *path, size_t *len, const char **type)
{
    if (strcmp(path, "/static/app.js") == 0) {
        *len = asset_app_js_len;
        *type = "text/javascript; charset=utf-8";
        return (const char *)asset_app_js;
    }
    if (strcmp(path, "/static/app.css") == 0) {
        *len = asset_app_css_len;
        *type = "text/css; charset=utf-8";
        return (const char *)asset_app_css;
    }
    return NULL;
}
