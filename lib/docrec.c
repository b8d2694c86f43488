/* Stored document records as JSON through jansson: what snippets and
 * result listings read back at query time. */
#include "docrec.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int vns_docrec_encode(const struct vns_docrec *r, char **out, size_t *len,
                      struct vns_err *err)
{
    json_t *o = json_object();
    char *s = NULL;
    int rc = VNS_OK;

    if (o == NULL ||
        json_object_set_new(o, "id", json_string(r->id ? r->id : "")) ||
        json_object_set_new(o, "title",
                            json_string(r->title ? r->title : "")) ||
        json_object_set_new(o, "format",
                            json_string(r->format ? r->format : "")) ||
        json_object_set_new(o, "path", json_string(r->path ? r->path : "")) ||
        json_object_set_new(
            o, "text",
            json_stringn(r->text ? r->text : "", r->text ? r->text_len : 0))) {
        rc = vns_err_set(err, VNS_EBADDATA,
                         "%s: record is not valid UTF-8 or out of memory",
                         r->id ? r->id : "?");
        goto out;
    }
    if (r->meta != NULL) {
        json_error_t je;
        json_t *m = json_loads(r->meta, 0, &je);
        if (!json_is_object(m) || json_object_set_new(o, "meta", m)) {
            rc = vns_err_set(err, VNS_EINTERNAL, "%s: bad metadata: %s", r->id,
                             je.text);
            goto out;
        }
    }
    s = json_dumps(o, JSON_COMPACT);
    if (s == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", r->id);
        goto out;
    }
    *len = strlen(s);
    *out = s;
out:
    json_decref(o);
    return rc;
}

static char *dup_field(json_t *o, const char *key, size_t *len)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    size_t n = json_is_string(v) ? json_string_length(v) : 0;
    char *d = malloc(n + 1);

    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    if (len != NULL)
        *len = n;
    return d;
}

int vns_docrec_decode(const char *data, size_t len, struct vns_docrec *out,
                      struct vns_err *err)
{
    struct vns_docrec r = {0};
    json_error_t je;
    json_t *o = json_loadb(data, len, 0, &je);
    int rc = VNS_OK;

    if (!json_is_object(o)) {
        rc = vns_err_set(err, VNS_EINDEX, "document record unreadable: %s",
                         je.text);
        goto out;
    }
    r.id = dup_field(o, "id", NULL);
    r.title = dup_field(o, "title", NULL);
    r.format = dup_field(o, "format", NULL);
    r.path = dup_field(o, "path", NULL);
    r.text = dup_field(o, "text", &r.text_len);
    json_t *meta = json_object_get(o, "meta");
    r.meta = json_is_object(meta)
                 ? json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER)
                 : strdup("{}");
    if (!r.id || !r.title || !r.format || !r.path || !r.text || !r.meta) {
        rc = vns_err_set(err, VNS_ENOMEM, "document record: out of memory");
        goto out;
    }
    *out = r;
    r = (struct vns_docrec){0};
out:
    vns_docrec_fini(&r);
    json_decref(o);
    return rc;
}

void vns_docrec_fini(struct vns_docrec *r)
{
    if (r == NULL)
        return;
    free(r->id);
    free(r->title);
    free(r->format);
    free(r->path);
    free(r->text);
    free(r->meta);
    *r = (struct vns_docrec){0};
}
