/* The JSON API without HTTP: parameters checked and turned into search
 * options, results and documents turned into JSON text. Sockets,
 * headers and status lines are vnsearchd's. */
#include "vnsearch/api.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "detect.h"
#include "strbuf.h"
#include "utf8.h"
#include "vnsearch/suggest.h"

/* Bytes of an original file libmagic looks at for its type. */
#define RAW_SNIFF (64u * 1024u)

int vns_api_text_ok(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n = p[i] == 0 ? 0 : vns_utf8_len(p + i, len - i);
        if (n == 0)
            return 0; /* NUL, or not UTF-8 */
        i += n;
    }
    return 1;
}

size_t vns_api_unescape(char *s)
{
    size_t r = 0, w = 0;

    while (s[r] != '\0') {
        int hi, lo;
        if (s[r] == '%' && (hi = vns_hexval(s[r + 1])) >= 0 &&
            (lo = vns_hexval(s[r + 2])) >= 0) {
            int c = hi * 16 + lo;
            s[w++] = c == 0 ? (char)0xc0 : (char)c;
            r += 3;
        } else {
            s[w++] = s[r++];
        }
    }
    s[w] = '\0';
    return w;
}

static int key_is(const struct vns_param *p, const char *key)
{
    return p->key_len == strlen(key) && memcmp(p->key, key, p->key_len) == 0;
}

/* Every key and value UTF-8 without NUL; no key twice; only known keys. */
static int check_params(const struct vns_param *p, size_t n,
                        const char *const *known, struct vns_err *err)
{
    for (size_t i = 0; i < n; i++) {
        size_t k;
        if (!vns_api_text_ok(p[i].key, p[i].key_len) ||
            (p[i].value != NULL &&
             !vns_api_text_ok(p[i].value, p[i].value_len)))
            return vns_err_set(err, VNS_EBADDATA,
                               "parameters must be UTF-8 without NUL bytes");
        if (p[i].key_len > 32)
            return vns_err_set(err, VNS_EINVAL, "unknown parameter");
        for (k = 0; known[k] != NULL && !key_is(&p[i], known[k]); k++)
            ;
        if (known[k] == NULL)
            return vns_err_set(err, VNS_EINVAL, "unknown parameter \"%.*s\"",
                               (int)p[i].key_len, p[i].key);
        for (size_t j = 0; j < i; j++)
            if (key_is(&p[j], known[k]))
                return vns_err_set(err, VNS_EINVAL,
                                   "parameter \"%s\" given twice", known[k]);
    }
    return VNS_OK;
}

static int parse_size(const char *key, const char *s, size_t min, size_t max,
                      size_t *out, struct vns_err *err)
{
    size_t v = 0;

    if (*s == '\0')
        goto bad;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > max)
            goto bad;
        v = v * 10 + (size_t)(*s - '0');
    }
    if (v < min || v > max)
        goto bad;
    *out = v;
    return VNS_OK;
bad:
    return vns_err_set(err, VNS_EINVAL, "%s takes a number from %zu to %zu",
                       key, min, max);
}

static int parse_bool(const char *key, const char *s, int *out,
                      struct vns_err *err)
{
    if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "on") == 0)
        *out = 1;
    else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
        *out = 0;
    else
        return vns_err_set(err, VNS_EINVAL, "%s takes 1 or 0", key);
    return VNS_OK;
}

static const char *const search_keys[] = {
    "q",    "province", "province_2025", "body",        "type",
    "from", "to",       "deadline_from", "deadline_to", "has_deadline",
    "sort", "page",     "size",          "facets",      "ocr",
    NULL};

int vns_api_parse_search(const struct vns_param *p, size_t n,
                         struct vns_api_search *out, struct vns_err *err)
{
    struct vns_api_search s = {.q = "", .page = 1, .size = 10, .facets = 1};
    struct vns_search_opts *o = &s.opts;
    int rc = check_params(p, n, search_keys, err);

    for (size_t i = 0; i < n && rc == VNS_OK; i++) {
        const char *v = p[i].value ? p[i].value : "";
        const char **str = NULL;
        /* an empty field of a form is no filter */
        if (*v == '\0' && !key_is(&p[i], "q"))
            continue;
        if (key_is(&p[i], "q")) {
            if (p[i].value_len > VNS_MAX_QUERY)
                return vns_err_set(err, VNS_ETOOBIG,
                                   "q is longer than %u bytes", VNS_MAX_QUERY);
            s.q = v;
            s.qlen = p[i].value ? p[i].value_len : 0;
        } else if (key_is(&p[i], "province")) {
            str = &o->province;
        } else if (key_is(&p[i], "province_2025")) {
            str = &o->province_2025;
        } else if (key_is(&p[i], "body")) {
            str = &o->body;
        } else if (key_is(&p[i], "type")) {
            str = &o->type;
        } else if (key_is(&p[i], "from")) {
            str = &o->date_from;
        } else if (key_is(&p[i], "to")) {
            str = &o->date_to;
        } else if (key_is(&p[i], "deadline_from")) {
            str = &o->deadline_from;
        } else if (key_is(&p[i], "deadline_to")) {
            str = &o->deadline_to;
        } else if (key_is(&p[i], "has_deadline")) {
            rc = parse_bool("has_deadline", v, &o->has_deadline, err);
        } else if (key_is(&p[i], "ocr")) {
            rc = parse_bool("ocr", v, &o->ocr, err);
        } else if (key_is(&p[i], "facets")) {
            rc = parse_bool("facets", v, &s.facets, err);
        } else if (key_is(&p[i], "sort")) {
            if (strcmp(v, "date") == 0)
                o->sort = VNS_SORT_DATE;
            else if (strcmp(v, "relevance") == 0)
                o->sort = VNS_SORT_RELEVANCE;
            else
                rc = vns_err_set(err, VNS_EINVAL,
                                 "sort takes relevance or date");
        } else if (key_is(&p[i], "page")) {
            rc = parse_size("page", v, 1, VNS_API_MAX_DEPTH, &s.page, err);
        } else if (key_is(&p[i], "size")) {
            rc = parse_size("size", v, 1, VNS_API_MAX_SIZE, &s.size, err);
        }
        if (str != NULL) {
            if (p[i].value_len > 256)
                return vns_err_set(err, VNS_EINVAL, "%.*s is too long",
                                   (int)p[i].key_len, p[i].key);
            *str = v;
        }
    }
    if (rc != VNS_OK)
        return rc;
    if (s.page * s.size > VNS_API_MAX_DEPTH)
        return vns_err_set(err, VNS_EINVAL,
                           "page * size goes past hit %u; narrow the search",
                           VNS_API_MAX_DEPTH);
    o->offset = (s.page - 1) * s.size;
    o->limit = s.size;
    o->facets = s.facets;
    *out = s;
    return VNS_OK;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

int vns_api_search(struct vns_index *ix, const struct vns_param *p, size_t n,
                   double time_limit, char **out, struct vns_err *err)
{
    struct vns_api_search s = {0};
    struct vns_results res = {0};
    struct vns_strbuf b = {0};
    struct timespec t0;
    char *facets = NULL, *sug = NULL, *missing = NULL;
    json_t *sj;
    double took;
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = vns_api_parse_search(p, n, &s, err);
    if (rc != VNS_OK)
        return rc;
    s.opts.time_limit = time_limit;
    rc = vns_search(ix, s.q, s.qlen, &s.opts, &res, err);
    if (rc != VNS_OK)
        return rc;
    took = ms_since(&t0);
    vns_strbuf_putf(
        &b, "{\"total\":%llu,\"total_exact\":%s,\"page\":%zu,\"size\":%zu,",
        (unsigned long long)res.estimate, res.exact ? "true" : "false", s.page,
        s.size);
    vns_strbuf_putf(&b, "\"took_ms\":%.3f,\"suggestion\":", took);
    sj = res.suggestion ? json_string(res.suggestion) : json_null();
    sug = json_dumps(sj, JSON_ENCODE_ANY);
    json_decref(sj);
    vns_strbuf_puts(&b, sug ? sug : "null");
    vns_strbuf_puts(&b, ",\"hits\":[");
    for (size_t i = 0; i < res.n; i++) {
        char *h = vns_hit_json(&res.hits[i]);
        if (i > 0)
            vns_strbuf_put(&b, ",", 1);
        vns_strbuf_puts(&b, h);
        free(h);
    }
    missing = vns_results_missing_json(&res);
    vns_strbuf_putf(&b, "],\"partial\":%s,\"missing_shards\":%s",
                    res.nmissing > 0 ? "true" : "false",
                    missing != NULL ? missing : "[]");
    vns_strbuf_put(&b, ",\"facets\":", 10);
    if (s.facets) {
        facets = vns_results_facets_json(&res);
        vns_strbuf_puts(&b, facets);
    } else {
        vns_strbuf_put(&b, "{}", 2);
    }
    vns_strbuf_put(&b, "}", 1);
    if (b.failed) {
        rc = vns_err_set(err, VNS_ENOMEM, "search: out of memory");
        free(b.p);
    } else {
        *out = b.p;
    }
    free(facets);
    free(sug);
    free(missing);
    vns_results_fini(&res);
    return rc;
}

static int check_id(const char *id, size_t idlen, struct vns_err *err)
{
    if (idlen == 0)
        return vns_err_set(err, VNS_ENOTFOUND, "no document id");
    if (!vns_api_text_ok(id, idlen) || strlen(id) != idlen)
        return vns_err_set(err, VNS_EBADDATA,
                           "document ids are UTF-8 without NUL bytes");
    return VNS_OK;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

int vns_api_doc(struct vns_index *ix, const char *id, size_t idlen, char **out,
                struct vns_err *err)
{
    struct vns_doc d = {0};
    json_t *o = NULL, *meta = NULL, *text = NULL;
    int rc = check_id(id, idlen, err);

    if (rc != VNS_OK)
        return rc;
    rc = vns_index_doc(ix, id, &d, err);
    if (rc != VNS_OK)
        return rc;
    meta = json_loads(d.meta ? d.meta : "{}", 0, NULL);
    text = json_stringn(d.text ? d.text : "", d.text_len);
    o = json_object();
    if (meta == NULL || text == NULL || o == NULL) {
        rc = vns_err_set(err, VNS_EINDEX, "%s: stored record unreadable", id);
        goto out;
    }
    json_object_set_new(o, "id", json_string(d.id));
    json_object_set_new(o, "title", json_string(d.title ? d.title : ""));
    json_object_set_new(o, "format", json_string(d.format ? d.format : ""));
    /* the file's name only: where it lives on the server is no one's
     * business; /raw serves it */
    json_object_set_new(o, "filename",
                        json_string(d.path ? base_name(d.path) : ""));
    json_object_set_new(o, "has_original",
                        json_boolean(d.path != NULL && d.path[0] != '\0'));
    json_object_set(o, "meta", meta);
    json_object_set(o, "text", text);
    *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (*out == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", id);
out:
    json_decref(o);
    json_decref(meta);
    json_decref(text);
    vns_doc_fini(&d);
    return rc;
}

/* Content-Disposition for name: an ASCII fallback and the UTF-8 name
 * percent-encoded (RFC 6266, RFC 8187). */
static void disposition(const char *name, char *out, size_t outsz)
{
    static const char hex[] = "0123456789ABCDEF";
    char ascii[256], enc[800];
    size_t a = 0, e = 0;

    for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
        int plain = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
                    *s == '_';
        if (a + 1 < sizeof(ascii))
            ascii[a++] = plain ? (char)*s : '_';
        if (e + 4 < sizeof(enc)) {
            if (plain) {
                enc[e++] = (char)*s;
            } else {
                enc[e++] = '%';
                enc[e++] = hex[*s >> 4];
                enc[e++] = hex[*s & 15];
            }
        }
    }
    ascii[a] = '\0';
    enc[e] = '\0';
    if (snprintf(out, outsz, "inline; filename=\"%s\"; filename*=UTF-8''%s",
                 ascii, enc) >= (int)outsz)
        snprintf(out, outsz, "inline");
}

static int sniff(int fd, struct vns_api_file *f, struct vns_err *err)
{
    struct vns_detector *det = NULL;
    struct vns_mime m;
    char *head = malloc(RAW_SNIFF);
    ssize_t n = head ? pread(fd, head, RAW_SNIFF, 0) : -1;
    int rc;

    if (head == NULL)
        return vns_err_set(err, VNS_ENOMEM, "raw: out of memory");
    if (n < 0) {
        rc = vns_err_set(err, VNS_EIO, "raw: read failed");
        goto out;
    }
    rc = vns_detector_new(&det, err);
    if (rc == VNS_OK)
        rc = vns_detector_sniff(det, head, (size_t)n, &m, err);
    if (rc != VNS_OK)
        goto out;
    if (strncmp(m.type, "text/", 5) == 0 && m.charset[0] != '\0' &&
        strcmp(m.charset, "binary") != 0)
        n = snprintf(f->mime, sizeof(f->mime), "%s; charset=%s", m.type,
                     m.charset);
    else
        n = snprintf(f->mime, sizeof(f->mime), "%s",
                     m.type[0] ? m.type : "application/octet-stream");
    if (n < 0 || (size_t)n >= sizeof(f->mime))
        snprintf(f->mime, sizeof(f->mime), "application/octet-stream");
out:
    vns_detector_free(det);
    free(head);
    return rc;
}

int vns_api_raw(struct vns_index *ix, const char *id, size_t idlen,
                struct vns_api_file *out, struct vns_err *err)
{
    struct vns_api_file f = {.fd = -1};
    struct vns_doc d = {0};
    struct stat st;
    int rc = check_id(id, idlen, err);

    if (rc != VNS_OK)
        return rc;
    rc = vns_index_doc(ix, id, &d, err);
    if (rc != VNS_OK)
        return rc;
    if (d.path == NULL || d.path[0] != '/') {
        rc = vns_err_set(err, VNS_ENOTFOUND, "%s: no original file", id);
        goto out;
    }
    /* O_NONBLOCK: a FIFO put in the file's place must not hang us */
    f.fd = open(d.path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (f.fd < 0 || fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = f.fd < 0 && errno != ENOENT && errno != ENOTDIR
                 ? vns_err_set(err, VNS_EIO, "%s: original file unreadable", id)
                 : vns_err_set(err, VNS_ENOTFOUND,
                               "%s: the original file is gone", id);
        goto out;
    }
    f.size = (uint64_t)st.st_size;
    rc = sniff(f.fd, &f, err);
    if (rc != VNS_OK)
        goto out;
    disposition(base_name(d.path), f.filename, sizeof(f.filename));
    *out = f;
    f.fd = -1;
out:
    vns_api_file_fini(&f);
    vns_doc_fini(&d);
    return rc;
}

void vns_api_file_fini(struct vns_api_file *f)
{
    if (f == NULL)
        return;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

static const char *const suggest_keys[] = {"q", NULL};

int vns_api_suggest(struct vns_index *ix, const struct vns_param *p, size_t n,
                    char **out, struct vns_err *err)
{
    struct vns_suggestions s = {0};
    const char *q = "";
    size_t qlen = 0;
    json_t *o = NULL, *arr = NULL;
    int rc = check_params(p, n, suggest_keys, err);

    if (rc != VNS_OK)
        return rc;
    if (n == 1 && p[0].value != NULL) {
        q = p[0].value;
        qlen = p[0].value_len;
    }
    rc = vns_suggest(ix, q, qlen, 0, &s, err);
    if (rc != VNS_OK)
        return rc;
    arr = json_array();
    for (size_t i = 0; i < s.n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "text",
                                             s.items[i].text, "word",
                                             s.items[i].word, "count",
                                             (json_int_t)s.items[i].count));
    o = json_pack("{s:o}", "suggestions", arr);
    *out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (*out == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "suggest: out of memory");
    json_decref(o);
    vns_suggestions_fini(&s);
    return rc;
}

int vns_api_status(int code)
{
    switch (code) {
    case VNS_OK:
        return 200;
    case VNS_EINVAL:
    case VNS_EQUERY:
    case VNS_EBADDATA:
    case VNS_EUNSUPPORTED:
        return 400;
    case VNS_ENOTFOUND:
        return 404;
    case VNS_ETOOBIG:
        return 413;
    case VNS_EBUSY:
    case VNS_EREMOTE: /* a shard is down: another try may find it back */
        return 503;
    default:
        return 500;
    }
}

static const char *status_name(int status)
{
    switch (status) {
    case 400:
        return "bad_request";
    case 401:
        return "unauthorized";
    case 404:
        return "not_found";
    case 405:
        return "method_not_allowed";
    case 413:
        return "too_large";
    case 429:
        return "too_many_requests";
    case 503:
        return "unavailable";
    default:
        return status >= 500 ? "internal" : "error";
    }
}

char *vns_api_error_json(int status, const char *message)
{
    char clean[512];
    size_t n = 0;
    json_t *o;
    char *s;

    if (status >= 500 && status != 503)
        message = "internal error; the server log has the details";
    if (message == NULL)
        message = "";
    /* a message quoting input may be cut inside a character: drop the
     * bytes that are not UTF-8 */
    for (const char *m = message; *m != '\0' && n + 5 < sizeof(clean);) {
        size_t k = 1;
        while (m[k] != '\0' && ((unsigned char)m[k] & 0xc0) == 0x80 && k < 4)
            k++;
        if (vns_api_text_ok(m, k)) {
            memcpy(clean + n, m, k);
            n += k;
        }
        m += k;
    }
    clean[n] = '\0';
    o = json_pack("{s:s, s:s}", "error", status_name(status), "message", clean);
    s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

int vns_api_bearer_ok(const char *header, const char *token, size_t tlen)
{
    size_t glen;
    unsigned diff;

    if (header == NULL || tlen == 0 || strncasecmp(header, "Bearer ", 7) != 0)
        return 0;
    header += 7;
    while (*header == ' ')
        header++;
    glen = strlen(header);
    while (glen > 0 && (header[glen - 1] == ' ' || header[glen - 1] == '\t'))
        glen--;
    /* every byte of token is compared whatever matched before */
    diff = glen != tlen;
    for (size_t i = 0; i < tlen; i++)
        diff |=
            (unsigned char)token[i] ^ (unsigned char)(i < glen ? header[i] : 0);
    return diff == 0;
}

const char *vns_api_describe(void)
{
    return "{\"name\":\"vnsearchd\",\"version\":1,\"endpoints\":["
           "{\"path\":\"/api/search\",\"method\":\"GET\",\"parameters\":{"
           "\"q\":\"query: words with or without diacritics, \\\"phrases\\\", "
           "-exclusions; may be empty with a filter\","
           "\"province\":\"old (63) or 2025 (34) province name\","
           "\"province_2025\":\"one of the 34 provinces since July 2025\","
           "\"body\":\"issuing body\",\"type\":\"document type or code "
           "(TB, QĐ...)\","
           "\"from\":\"signing date from (YYYY-MM-DD or dd/mm/yyyy)\","
           "\"to\":\"signing date to\","
           "\"deadline_from\":\"some deadline from\","
           "\"deadline_to\":\"some deadline to\","
           "\"has_deadline\":\"1: only documents with a deadline\","
           "\"ocr\":\"1: only scanned documents (OCR)\","
           "\"sort\":\"relevance (default) or date (newest first)\","
           "\"page\":\"from 1\",\"size\":\"hits per page, 1 to 100 "
           "(default 10)\",\"facets\":\"0 to skip the counts\"},"
           "\"returns\":\"total, total_exact, page, size, took_ms, suggestion, "
           "hits "
           "[{rank, id, title, score, date, number, doc_type, issuing_body, "
           "province, province_2025, deadlines [{date, text}], snippets "
           "[{text, highlights [[byte offset, byte length]], cut_start, "
           "cut_end}]}], facets {province, issuing_body, doc_type, month}\"},"
           "{\"path\":\"/api/doc/{id}\",\"method\":\"GET\",\"returns\":"
           "\"id, title, format, filename, has_original, meta, text; the id "
           "URL-encoded (it may hold /)\"},"
           "{\"path\":\"/api/doc/{id}/raw\",\"method\":\"GET\",\"returns\":"
           "\"the original file with its MIME type\"},"
           "{\"path\":\"/api/suggest\",\"method\":\"GET\",\"parameters\":{"
           "\"q\":\"what is typed; its last word is completed\"},"
           "\"returns\":\"suggestions [{text, word, count}]\"},"
           "{\"path\":\"/healthz\",\"method\":\"GET\",\"returns\":"
           "\"status, documents\"},"
           "{\"path\":\"/metrics\",\"method\":\"GET\",\"returns\":"
           "\"Prometheus text\"}],"
           "\"errors\":\"{error, message} with 400 (bad parameter), 401 "
           "(token), 404, 405, 413 (URL or query too long), 503 (busy)\"}";
}
