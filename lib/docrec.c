/* Stored document records: compact JSON data (jansson) plus the text
 * (compressed, textpack.c) and metadata value slots; what result lists and
 * snippets read back. */
#include "docrec.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "index_impl.h"
#include "textpack.h"

const unsigned vns_docrec_fetch[1] = {VNS_SLOT_META};

int vns_docrec_store(const struct vns_docrec *r, struct vns_xdoc *doc,
                     struct vns_err *err)
{
    json_t *o = json_object();
    char *s = NULL, *z = NULL;
    size_t zlen = 0;
    int rc = VNS_OK;

    if (o == NULL ||
        json_object_set_new(o, "id", json_string(r->id ? r->id : "")) ||
        json_object_set_new(o, "title",
                            json_string(r->title ? r->title : "")) ||
        json_object_set_new(o, "format",
                            json_string(r->format ? r->format : "")) ||
        json_object_set_new(o, "path", json_string(r->path ? r->path : ""))) {
        rc = vns_err_set(err, VNS_EBADDATA,
                         "%s: record is not valid UTF-8 or out of memory",
                         r->id ? r->id : "?");
        goto out;
    }
    s = json_dumps(o, JSON_COMPACT);
    if (s == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", r->id);
        goto out;
    }
    rc = vns_xdoc_set_data(doc, s, strlen(s), err);
    if (rc == VNS_OK && r->text != NULL)
        rc = vns_text_pack(r->text, r->text_len, &z, &zlen, err);
    if (rc == VNS_OK && r->text != NULL)
        rc = vns_xdoc_set_value(doc, VNS_SLOT_TEXT, z, zlen, err);
    if (rc == VNS_OK && r->meta != NULL)
        rc = vns_xdoc_set_value(doc, VNS_SLOT_META, r->meta, strlen(r->meta),
                                err);
out:
    free(s);
    free(z);
    json_decref(o);
    return rc;
}

static char *dup_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    size_t n = json_is_string(v) ? json_string_length(v) : 0;
    char *d = malloc(n + 1);

    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
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
        rc = vns_err_set(err, VNS_EINDEX,
                         "document record unreadable (%s): rebuild the index "
                         "with vnsearch-index --force",
                         je.text);
        goto out;
    }
    r.id = dup_field(o, "id");
    r.title = dup_field(o, "title");
    r.format = dup_field(o, "format");
    r.path = dup_field(o, "path");
    if (!r.id || !r.title || !r.format || !r.path) {
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

int vns_docrec_read_text(struct vns_xdb *db, uint32_t docid,
                         struct vns_docrec *r, struct vns_err *err)
{
    int rc = vns_xdb_get_value(db, docid, VNS_SLOT_TEXT, &r->text, &r->text_len,
                               err);

    if (rc == VNS_OK)
        rc = vns_text_unpack(&r->text, &r->text_len, err);
    return rc;
}

int vns_docrec_read(struct vns_xdb *db, uint32_t docid, unsigned flags,
                    struct vns_docrec *out, struct vns_err *err)
{
    struct vns_docrec r = {0};
    char *data = NULL;
    size_t len = 0;
    int rc = vns_xdb_get_data(db, docid, &data, &len, err);

    if (rc == VNS_OK)
        rc = vns_docrec_decode(data, len, &r, err);
    if (rc == VNS_OK && (flags & VNS_REC_TEXT))
        rc = vns_docrec_read_text(db, docid, &r, err);
    if (rc == VNS_OK && (flags & VNS_REC_META))
        rc = vns_xdb_get_value(db, docid, VNS_SLOT_META, &r.meta, NULL, err);
    if (rc == VNS_OK) {
        *out = r;
        r = (struct vns_docrec){0};
    }
    vns_docrec_fini(&r);
    free(data);
    return rc;
}

int vns_docrec_from_hit(const struct vns_xhit *h, struct vns_docrec *out,
                        struct vns_err *err)
{
    struct vns_docrec r = {0};
    int rc = vns_docrec_decode(h->data, h->data_len, &r, err);

    if (rc != VNS_OK)
        return rc;
    r.meta = malloc(h->value_len[0] + 1);
    if (r.meta == NULL) {
        vns_docrec_fini(&r);
        return vns_err_set(err, VNS_ENOMEM, "document record: out of memory");
    }
    memcpy(r.meta, h->values[0] ? h->values[0] : "", h->value_len[0]);
    r.meta[h->value_len[0]] = '\0';
    *out = r;
    return VNS_OK;
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
