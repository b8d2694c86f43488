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

static const char part_tag[VNS_NPARTS] = {'r', 'm', 'c', 't', 'w'};

static void put_part(struct vns_strbuf *b, int part, const char *s, size_t n)
{
    unsigned char head[11];

    if (s == NULL)
        return;
    head[0] = (unsigned char)part_tag[part];
    vns_strbuf_put(b, (const char *)head, 1 + vns_leb128_put(head + 1, n));
    vns_strbuf_put(b, s, n);
}

/* Part k (s, n bytes) packed with z into b; nothing when s is NULL. */
static int put_packed(struct vns_strbuf *b, int part, enum vns_pack_kind kind,
                      const struct vns_packdicts *z, const char *s, size_t n,
                      struct vns_err *err)
{
    char *p = NULL;
    size_t plen = 0;
    int rc;

    if (s == NULL)
        return VNS_OK;
    rc = vns_pack(z, kind, s, n, &p, &plen, err);
    if (rc == VNS_OK)
        put_part(b, part, p, plen);
    free(p);
    return rc;
}

/* The parts of r, packed with z, into b. */
static int put_parts(struct vns_strbuf *b, const char *record,
                     const struct vns_docrec *r, const struct vns_packdicts *z,
                     struct vns_err *err)
{
    int rc;

    vns_strbuf_put(b, (const char[]){VNS_PARTS_V1}, 1);
    rc = put_packed(b, VNS_PART_RECORD, VNS_PACK_JSON, z, record,
                    record ? strlen(record) : 0, err);
    if (rc == VNS_OK)
        rc = put_packed(b, VNS_PART_META, VNS_PACK_JSON, z, r->meta,
                        r->meta ? strlen(r->meta) : 0, err);
    if (rc == VNS_OK)
        put_part(b, VNS_PART_TOKMAP, r->tokmap, r->tokmap_len);
    if (rc == VNS_OK)
        rc = put_packed(b, VNS_PART_TEXT, VNS_PACK_TEXT, z, r->text,
                        r->text_len, err);
    if (rc == VNS_OK) /* as they are: see textpack.h */
        put_part(b, VNS_PART_WORDS, r->words, r->words_len);
    if (rc == VNS_OK && b->failed)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory",
                         r->id ? r->id : "record");
    return rc;
}

int vns_docrec_store(const struct vns_docrec *r, const struct vns_packdicts *z,
                     struct vns_xdoc *doc, struct vns_err *err)
{
    json_t *o = json_object();
    struct vns_strbuf b = {0};
    char *s = NULL;
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
    /* a value, not the data: Xapian deflates document data (and inflates
     * it on every read), which packed parts do not need */
    if (rc == VNS_OK)
        rc = put_parts(&b, s, r, z, err);
    if (rc == VNS_OK)
        rc = vns_xdoc_set_value(doc, VNS_SLOT_SHOWN, b.p, b.len, err);
out:
    free(s);
    free(b.p);
    json_decref(o);
    return rc;
}

int vns_parts_unpack(const struct vns_parts *pt, int k, char **out, size_t *len,
                     struct vns_err *err)
{
    *out = NULL;
    *len = 0;
    if (pt->p[k] == NULL)
        return VNS_OK;
    *out = malloc(pt->len[k] + 1);
    if (*out == NULL)
        return vns_err_set(err, VNS_ENOMEM, "document record: out of memory");
    memcpy(*out, pt->p[k], pt->len[k]);
    (*out)[pt->len[k]] = '\0';
    *len = pt->len[k];
    return vns_unpack(out, len, err);
}

int vns_docrec_repack(const char *v, size_t len, const struct vns_packdicts *z,
                      char **out, size_t *outlen, struct vns_err *err)
{
    struct vns_parts pt;
    struct vns_docrec r = {0};
    struct vns_strbuf b = {0};
    char *record = NULL, *words = NULL;
    size_t n;
    int rc = vns_parts_split(v, len, &pt, err);

    *out = NULL;
    *outlen = 0;
    if (rc != VNS_OK || len == 0)
        return rc;
    rc = vns_parts_unpack(&pt, VNS_PART_RECORD, &record, &n, err);
    if (rc == VNS_OK)
        rc = vns_parts_unpack(&pt, VNS_PART_META, &r.meta, &n, err);
    if (rc == VNS_OK)
        rc = vns_parts_unpack(&pt, VNS_PART_TOKMAP, &r.tokmap, &r.tokmap_len,
                              err);
    if (rc == VNS_OK)
        rc = vns_parts_unpack(&pt, VNS_PART_TEXT, &r.text, &r.text_len, err);
    if (rc == VNS_OK)
        rc = vns_parts_unpack(&pt, VNS_PART_WORDS, &words, &r.words_len, err);
    r.words = words;
    if (rc == VNS_OK)
        rc = put_parts(&b, record, &r, z, err);
    if (rc == VNS_OK) {
        *out = b.p;
        *outlen = b.len;
        b.p = NULL;
    }
    free(b.p);
    free(record);
    free(words);
    vns_docrec_fini(&r);
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

int vns_parts_split(const char *v, size_t len, struct vns_parts *out,
                    struct vns_err *err)
{
    const unsigned char *p = (const unsigned char *)v,
                        *end = (const unsigned char *)v + len;

    *out = (struct vns_parts){0};
    if (len == 0)
        return VNS_OK;
    if (*p++ != VNS_PARTS_V1)
        goto damaged;
    while (p < end) {
        const char *tag = memchr(part_tag, *p++, sizeof(part_tag));
        uint32_t n;
        if (!vns_leb128_get(&p, end, &n) || n > (size_t)(end - p))
            goto damaged;
        if (tag != NULL) {
            size_t k = (size_t)(tag - part_tag);
            if (out->p[k] != NULL)
                goto damaged; /* twice */
            out->p[k] = (const char *)p;
            out->len[k] = n;
        }
        p += n;
    }
    return VNS_OK;
damaged:
    *out = (struct vns_parts){0};
    return vns_err_set(err, VNS_EINDEX,
                       "document record damaged (metadata, checkpoints, text "
                       "or words): check the index with vnsearch-index "
                       "--check");
}

/* Part k of pt into a malloc'd, NUL-terminated copy (*out NULL when it
 * is absent or empty and empty_is_none). */
static int copy_part(const struct vns_parts *pt, int k, int empty_is_none,
                     char **out, size_t *len)
{
    *out = NULL;
    if (len != NULL)
        *len = 0;
    if (pt->p[k] == NULL || (empty_is_none && pt->len[k] == 0))
        return VNS_OK;
    *out = malloc(pt->len[k] + 1);
    if (*out == NULL)
        return VNS_ENOMEM;
    memcpy(*out, pt->p[k], pt->len[k]);
    (*out)[pt->len[k]] = '\0';
    if (len != NULL)
        *len = pt->len[k];
    return VNS_OK;
}

static int fields(json_t *o, struct vns_docrec *r, struct vns_err *err);

int vns_docrec_parts(const char *v, size_t len, struct vns_docrec *r,
                     struct vns_err *err)
{
    struct vns_parts pt;
    int rc = vns_parts_split(v, len, &pt, err);

    if (rc != VNS_OK)
        return rc;
    if (len == 0) {
        r->older = 1;
        return VNS_OK;
    }
    free(r->meta);
    free(r->tokmap);
    free(r->packed);
    rc = copy_part(&pt, VNS_PART_META, 0, &r->meta, NULL);
    if (rc == VNS_OK)
        rc = copy_part(&pt, VNS_PART_TOKMAP, 1, &r->tokmap, &r->tokmap_len);
    if (rc == VNS_OK)
        rc = copy_part(&pt, VNS_PART_TEXT, 0, &r->packed, &r->packed_len);
    if (rc == VNS_OK && r->meta == NULL && (r->meta = strdup("")) == NULL)
        rc = VNS_ENOMEM; /* none: as an empty slot of old reads */
    if (rc != VNS_OK)
        return vns_err_set(err, VNS_ENOMEM, "document record: out of memory");
    if (vns_is_packed(r->meta, pt.len[VNS_PART_META])) {
        size_t n = pt.len[VNS_PART_META];
        rc = vns_unpack(&r->meta, &n, err);
        if (rc != VNS_OK)
            return rc;
    }
    if (r->id == NULL && pt.p[VNS_PART_RECORD] != NULL) {
        char *rec = NULL;
        size_t n = 0;
        json_t *o = NULL;
        rc = vns_parts_unpack(&pt, VNS_PART_RECORD, &rec, &n, err);
        if (rc == VNS_OK) {
            o = json_loadb(rec, n, 0, NULL);
            rc = fields(o, r, err);
        }
        json_decref(o);
        free(rec);
        if (rc != VNS_OK)
            return rc;
    }
    r->whole = 1;
    return VNS_OK;
}

/* id, title, format and path of the record object o into r. */
static int fields(json_t *o, struct vns_docrec *r, struct vns_err *err)
{
    if (!json_is_object(o))
        return vns_err_set(err, VNS_EINDEX,
                           "document record unreadable: rebuild the index "
                           "with vnsearch-index --force");
    r->id = dup_field(o, "id");
    r->title = dup_field(o, "title");
    r->format = dup_field(o, "format");
    r->path = dup_field(o, "path");
    if (!r->id || !r->title || !r->format || !r->path)
        return vns_err_set(err, VNS_ENOMEM, "document record: out of memory");
    return VNS_OK;
}

/* The record's fields from document data into r, which may hold its
 * parts already. */
static int record_from(const char *data, size_t len, struct vns_docrec *r,
                       struct vns_err *err)
{
    json_t *o = json_loadb(data, len, 0, NULL);
    int rc = fields(o, r, err);

    json_decref(o);
    return rc;
}

int vns_docrec_decode(const char *data, size_t len, struct vns_docrec *out,
                      struct vns_err *err)
{
    struct vns_docrec r = {0};
    int rc = record_from(data, len, &r, err);

    if (rc == VNS_OK) {
        *out = r;
        return VNS_OK;
    }
    vns_docrec_fini(&r);
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
        r->text = r->packed ? r->packed : strdup(""); /* moved; none: "" */
        r->text_len = r->packed_len;
        r->packed = NULL;
        r->packed_len = 0;
        if (r->text == NULL)
            return vns_err_set(err, VNS_ENOMEM, "text: out of memory");
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
    int rc = VNS_OK;

    /* the parts first when they are wanted: they hold the record too (one
     * lookup, not two) */
    if (flags & (VNS_REC_TEXT | VNS_REC_META))
        rc = read_parts(db, docid, &r, err);
    if (rc == VNS_OK && r.id == NULL) {
        rc = vns_xdb_get_data(db, docid, &data, &len, err);
        if (rc == VNS_OK)
            rc = record_from(data, len, &r, err);
    }
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
