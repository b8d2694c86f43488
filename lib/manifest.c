/* Manifests (JSON Lines or CSV) and sidecar files of metadata overrides,
 * read into JSON objects; checking the values is meta_json.c's job. */
#include "vnsearch/manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extract.h"

#define MAX_MANIFEST (64u * 1024 * 1024)
#define MAX_SIDECAR (64u * 1024)
#define MAX_COLUMNS 32

struct vns_manifest {
    json_t *by_id; /* id -> override object */
};

/* One CSV record starting at *p (RFC 4180 quoting); fields are written
 * into buf, NUL-separated, pointers in f. Returns the field count, or -1
 * on an unterminated quote or too many fields. */
static int csv_record(const char **p, const char *end, char *buf,
                      const char **f, int max)
{
    const char *s = *p;
    char *o = buf;
    int n = 0;

    for (;;) {
        if (n == max)
            return -1;
        f[n++] = o;
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s >= end)
                    return -1;
                if (*s == '"' && s + 1 < end && s[1] == '"') {
                    *o++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    *o++ = *s++;
                }
            }
        }
        while (s < end && *s != ',' && *s != '\n' && *s != '\r')
            *o++ = *s++;
        *o++ = '\0';
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n')
            s++;
        *p = s;
        return n;
    }
}

static int add_entry(struct vns_manifest *m, json_t *o, const char *path,
                     int line, struct vns_err *err)
{
    json_t *id = json_object_get(o, "id");

    if (!json_is_string(id) || json_string_length(id) == 0) {
        json_decref(o);
        return vns_err_set(err, VNS_EINVAL, "%s:%d: no \"id\"", path, line);
    }
    json_object_set_new(m->by_id, json_string_value(id), o);
    return VNS_OK;
}

static int read_jsonl(struct vns_manifest *m, const char *data, size_t len,
                      const char *path, struct vns_err *err)
{
    const char *s = data, *end = data + len;
    int line = 0, rc;

    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        json_error_t je;
        line++;
        if (e > s && strspn(s, " \t\r") < (size_t)(e - s)) {
            json_t *o = json_loadb(s, (size_t)(e - s), 0, &je);
            if (!json_is_object(o)) {
                json_decref(o);
                return vns_err_set(err, VNS_EINVAL, "%s:%d: %s", path, line,
                                   o ? "not a JSON object" : je.text);
            }
            rc = add_entry(m, o, path, line, err);
            if (rc != VNS_OK)
                return rc;
        }
        s = e + (nl != NULL);
    }
    return VNS_OK;
}

static int read_csv(struct vns_manifest *m, const char *data, size_t len,
                    const char *path, struct vns_err *err)
{
    const char *s = data, *end = data + len, *head[MAX_COLUMNS],
               *f[MAX_COLUMNS];
    char *hbuf = malloc(len + MAX_COLUMNS), *buf = malloc(len + MAX_COLUMNS);
    int nh, n, line = 1, rc = VNS_OK;

    if (hbuf == NULL || buf == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    nh = csv_record(&s, end, hbuf, head, MAX_COLUMNS);
    if (nh < 1 || strcmp(head[0], "id") != 0) {
        rc =
            vns_err_set(err, VNS_EINVAL,
                        "%s:1: the header must start with the column id", path);
        goto out;
    }
    while (s < end) {
        json_t *o;
        line++;
        n = csv_record(&s, end, buf, f, MAX_COLUMNS);
        if (n == 1 && f[0][0] == '\0')
            continue; /* blank line */
        if (n != nh) {
            rc = vns_err_set(err, VNS_EINVAL,
                             "%s:%d: %d fields, the header has %d", path, line,
                             n < 0 ? 0 : n, nh);
            goto out;
        }
        o = json_object();
        for (int i = 0; i < n; i++)
            if (f[i][0] != '\0' &&
                json_object_set_new(o, head[i], json_string(f[i])) != 0) {
                json_decref(o);
                rc = vns_err_set(err, VNS_EINVAL, "%s:%d: not UTF-8", path,
                                 line);
                goto out;
            }
        rc = add_entry(m, o, path, line, err);
        if (rc != VNS_OK)
            goto out;
    }
out:
    free(hbuf);
    free(buf);
    return rc;
}

int vns_manifest_open(const char *path, struct vns_manifest **out,
                      struct vns_err *err)
{
    struct vns_blob b = {0};
    struct vns_manifest *m = NULL;
    size_t skip;
    int rc;

    rc = vns_blob_read(path, MAX_MANIFEST, &b, err);
    if (rc != VNS_OK)
        return rc;
    m = calloc(1, sizeof(*m));
    if (m == NULL || (m->by_id = json_object()) == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    skip = b.len >= 3 && memcmp(b.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    skip += strspn(b.data + skip, " \t\r\n");
    if (b.data[skip] == '{')
        rc = read_jsonl(m, b.data + skip, b.len - skip, path, err);
    else
        rc = read_csv(m, b.data + skip, b.len - skip, path, err);
    if (rc != VNS_OK)
        goto out;
    *out = m;
    m = NULL;
out:
    vns_manifest_free(m);
    vns_blob_fini(&b);
    return rc;
}

void vns_manifest_free(struct vns_manifest *m)
{
    if (m == NULL)
        return;
    json_decref(m->by_id);
    free(m);
}

size_t vns_manifest_count(const struct vns_manifest *m)
{
    return m ? json_object_size(m->by_id) : 0;
}

int vns_is_sidecar(const char *name)
{
    size_t n = strlen(name), k = strlen(".meta.json");

    return n > k && strcmp(name + n - k, ".meta.json") == 0;
}

int vns_overrides_for(const struct vns_manifest *m, const char *id,
                      const char *path, char **out, struct vns_err *err)
{
    json_t *o = NULL, *side = NULL;
    struct vns_blob b = {0};
    struct vns_err e2 = {0};
    char *sp = NULL;
    int rc = VNS_OK;

    if (m != NULL && json_object_get(m->by_id, id) != NULL)
        o = json_deep_copy(json_object_get(m->by_id, id));
    if (path != NULL) {
        size_t n = strlen(path);
        sp = malloc(n + sizeof(".meta.json"));
        if (sp == NULL) {
            rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
            goto out;
        }
        memcpy(sp, path, n);
        memcpy(sp + n, ".meta.json", sizeof(".meta.json"));
        rc = vns_blob_read(sp, MAX_SIDECAR, &b, &e2);
        if (rc == VNS_ENOTFOUND) {
            rc = VNS_OK; /* no sidecar: the usual case */
        } else if (rc != VNS_OK) {
            vns_err_set(err, rc, "%s", e2.msg);
            goto out;
        } else {
            json_error_t je;
            side = json_loadb(b.data, b.len, 0, &je);
            if (!json_is_object(side)) {
                rc = vns_err_set(err, VNS_EINVAL, "%s:%d: %s", sp, je.line,
                                 side ? "not a JSON object" : je.text);
                goto out;
            }
            if (o == NULL)
                o = json_object();
            json_object_update(o, side);
        }
    }
    *out = o ? json_dumps(o, JSON_COMPACT) : NULL;
    if (o != NULL && *out == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", id);
out:
    json_decref(o);
    json_decref(side);
    vns_blob_fini(&b);
    free(sp);
    return rc;
}
