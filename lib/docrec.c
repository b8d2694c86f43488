/* Stored document records (docrec.h): compact JSON (jansson) data and the
 * parts a shown hit reads in one value, or, for a document written
 * before, value slots of their own. */
#include "docrec.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "index_impl.h"
#include "leb128.h"
#include "strbuf.h"
#include "textpack.h"

const unsigned vns_docrec_fetch[2] = {VNS_SLOT_SHOWN, VNS_SLOT_META};

/* The layout of the VNS_SLOT_SHOWN value: this byte, then metadata,
 * checkpoints and text, each a LEB128 length and its bytes. */
#define PARTS_LAYOUT 1

static void put_part(struct vns_strbuf *b, const char *s, size_t n)
{
    unsigned char len[10];

    vns_strbuf_put(b, (const char *)len, vns_leb128_put(len, n));
    vns_strbuf_put(b, s ? s : "", s ? n : 0);
}

int vns_docrec_store(const struct vns_docrec *r, struct vns_xdoc *doc,
                     struct vns_err *err)
{
    json_t *o = json_object();
    struct vns_strbuf b = {0};
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
    if (r->text != NULL)
        rc = vns_text_pack(r->text, r->text_len, &z, &zlen, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_xdoc_set_data(doc, s, strlen(s), err);
    if (rc != VNS_OK)
        goto out;
    /* a value, not the data: Xapian deflates document data (and inflates
     * it on every read), which a packed text does not need */
    vns_strbuf_put(&b, (const char[]){PARTS_LAYOUT}, 1);
    put_part(&b, r->meta, r->meta ? strlen(r->meta) : 0);
    put_part(&b, r->tokmap, r->tokmap_len);
    put_part(&b, z, zlen);
    rc = b.failed ? vns_err_set(err, VNS_ENOMEM, "%s: out of memory", r->id)
                  : vns_xdoc_set_value(doc, VNS_SLOT_SHOWN, b.p, b.len, err);
out:
    free(s);
    free(z);
    free(b.p);
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

/* A part at *p (before end) into a malloc'd, NUL-terminated copy. */
static int get_part(const unsigned char **p, const unsigned char *end,
                    char **out, size_t *len)
{
    uint32_t n;

    if (!vns_leb128_get(p, end, &n) || n > (size_t)(end - *p))
        return VNS_EINDEX;
    *out = malloc((size_t)n + 1);
    if (*out == NULL)
        return VNS_ENOMEM;
    memcpy(*out, *p, n);
    (*out)[n] = '\0';
    *p += n;
    if (len != NULL)
        *len = n;
    return VNS_OK;
}

int vns_docrec_parts(const char *v, size_t len, struct vns_docrec *r,
                     struct vns_err *err)
{
    const unsigned char *p = (const unsigned char *)v,
                        *end = (const unsigned char *)v + len;
    int rc = VNS_EINDEX;

    if (len == 0) {
        r->older = 1;
        return VNS_OK;
    }
    free(r->meta);
    free(r->tokmap);
    free(r->packed);
    r->meta = r->tokmap = r->packed = NULL;
    r->tokmap_len = r->packed_len = 0;
    if (*p++ == PARTS_LAYOUT) {
        rc = get_part(&p, end, &r->meta, NULL);
        if (rc == VNS_OK)
            rc = get_part(&p, end, &r->tokmap, &r->tokmap_len);
        if (rc == VNS_OK)
            rc = get_part(&p, end, &r->packed, &r->packed_len);
        if (rc == VNS_OK && p != end)
            rc = VNS_EINDEX;
    }
    if (rc == VNS_ENOMEM)
        return vns_err_set(err, rc, "document record: out of memory");
    if (rc != VNS_OK)
        return vns_err_set(err, rc,
                           "document record damaged (metadata, checkpoints "
                           "or text): check the index with vnsearch-index "
                           "--check");
    if (r->tokmap_len == 0) {
        free(r->tokmap);
        r->tokmap = NULL;
    }
    r->whole = 1;
    return VNS_OK;
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

/* r's parts, unless read already or there are none. */
static int read_parts(struct vns_xdb *db, uint32_t docid, struct vns_docrec *r,
                      struct vns_err *err)
{
    char *v = NULL;
    size_t len = 0;
    int rc;

    if (r->whole || r->older)
        return VNS_OK;
    rc = vns_xdb_get_value(db, docid, VNS_SLOT_SHOWN, &v, &len, err);
    if (rc == VNS_OK)
        rc = vns_docrec_parts(v, len, r, err);
    free(v);
    return rc;
}

int vns_docrec_read_text(struct vns_xdb *db, uint32_t docid,
                         struct vns_docrec *r, struct vns_err *err)
{
    int rc = VNS_OK;

    if (r->text != NULL)
        return VNS_OK;
    rc = read_parts(db, docid, r, err);
    if (rc != VNS_OK)
        return rc;
    if (r->whole) {
        r->text = r->packed; /* moved */
        r->text_len = r->packed_len;
        r->packed = NULL;
        r->packed_len = 0;
    } else {
        rc = vns_xdb_get_value(db, docid, VNS_SLOT_TEXT, &r->text, &r->text_len,
                               err);
    }
    if (rc == VNS_OK)
        rc = vns_text_unpack(&r->text, &r->text_len, err);
    return rc;
}

int vns_docrec_read_tokmap(struct vns_xdb *db, uint32_t docid,
                           struct vns_docrec *r, struct vns_err *err)
{
    int rc = read_parts(db, docid, r, err);

    if (rc != VNS_OK || r->whole || r->tokmap != NULL)
        return rc;
    rc = vns_xdb_get_value(db, docid, VNS_SLOT_TOKMAP, &r->tokmap,
                           &r->tokmap_len, err);
    if (rc == VNS_OK && r->tokmap_len == 0) {
        free(r->tokmap);
        r->tokmap = NULL;
    }
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
    if (rc == VNS_OK && (flags & (VNS_REC_TEXT | VNS_REC_META)))
        rc = read_parts(db, docid, &r, err);
    if (rc == VNS_OK && (flags & VNS_REC_TEXT))
        rc = vns_docrec_read_text(db, docid, &r, err);
    if (rc == VNS_OK && (flags & VNS_REC_META) && !r.whole)
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

    if (rc == VNS_OK)
        rc = vns_docrec_parts(h->values[0], h->value_len[0], &r, err);
    if (rc == VNS_OK && !r.whole) { /* an older document: its own slot */
        r.meta = malloc(h->value_len[1] + 1);
        if (r.meta == NULL)
            rc = vns_err_set(err, VNS_ENOMEM, "document record: out of memory");
        else {
            memcpy(r.meta, h->values[1] ? h->values[1] : "", h->value_len[1]);
            r.meta[h->value_len[1]] = '\0';
        }
    }
    if (rc != VNS_OK) {
        vns_docrec_fini(&r);
        return rc;
    }
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
    free(r->tokmap);
    free(r->packed);
    *r = (struct vns_docrec){0};
}
