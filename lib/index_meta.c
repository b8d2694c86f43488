/* Metadata in the index: boolean filter terms and value slots from the
 * metadata object, and the vocabularies that make values canonical. */
#include <stdlib.h>
#include <string.h>

#include "docnum.h"
#include "gazetteer.h"
#include "index_impl.h"
#include "meta.h"
#include "synonyms.h"

int vns_index_vocab(struct vns_index *ix, struct vns_err *err)
{
    int rc;

    if (ix->gaz == NULL) {
        rc = vns_gaz_open(NULL, &ix->gaz, err);
        if (rc != VNS_OK)
            return rc;
    }
    if (ix->bodies == NULL) {
        rc = vns_bodies_open(NULL, &ix->bodies, err);
        if (rc != VNS_OK)
            return rc;
    }
    return VNS_OK;
}

int vns_index_synonyms(struct vns_index *ix, struct vns_err *err)
{
    int rc;

    if (ix->syn_loaded)
        return VNS_OK;
    rc = vns_synonyms_open(NULL, &ix->syn, err);
    if (rc == VNS_ENOTFOUND) {
        if (err != NULL)
            *err = (struct vns_err){0};
        rc = VNS_OK; /* an install without the file searches without */
    }
    if (rc == VNS_OK)
        ix->syn_loaded = 1;
    return rc;
}

/* prefix + the folded value, as a boolean term. */
static int add_filter(struct vns_xdoc *doc, const char *prefix,
                      const char *value, struct vns_err *err)
{
    char term[240];
    size_t pl = strlen(prefix);

    if (vns_fold(value, term + pl, sizeof(term) - pl) != VNS_OK)
        return VNS_OK; /* too long to be a real name: no filter term */
    memcpy(term, prefix, pl);
    return vns_xdoc_add_boolean(doc, term, strlen(term), err);
}

static const char *field(json_t *meta, const char *key)
{
    json_t *v = json_object_get(meta, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* VNS_SLOT_FACETS: province, body, type, month and ocr as the slots of
 * each hold them, VNS_XFACET_SEP between. */
static int packed_facets(struct vns_xdoc *doc, json_t *meta,
                         struct vns_err *err)
{
    const char *date = field(meta, "date");
    const char *v[5] = {field(meta, "province"), field(meta, "issuing_body"),
                        field(meta, "doc_type"), NULL,
                        json_is_true(json_object_get(meta, "ocr")) ? "1"
                                                                   : NULL};
    size_t len[5] = {0}, total = 4;
    char *s, *p;
    int rc;

    if (date != NULL && strlen(date) == 10) {
        v[3] = date;
        len[3] = 7; /* the month */
    }
    for (size_t i = 0; i < 5; i++) {
        if (v[i] != NULL && i != 3)
            len[i] = strlen(v[i]);
        total += len[i];
    }
    /* written even when empty: a match then reads one value, not five */
    s = p = malloc(total);
    if (s == NULL)
        return vns_err_set(err, VNS_ENOMEM, "index: out of memory");
    for (size_t i = 0; i < 5; i++) {
        if (i > 0)
            *p++ = VNS_XFACET_SEP;
        if (len[i] > 0)
            memcpy(p, v[i], len[i]);
        p += len[i];
    }
    rc = vns_xdoc_set_value(doc, VNS_SLOT_FACETS, s, total, err);
    free(s);
    return rc;
}

int vns_index_meta_terms(struct vns_xdoc *doc, json_t *meta,
                         struct vns_err *err)
{
    static const struct {
        const char *key, *prefix;
        unsigned slot;
    } named[] = {
        {"province", VNS_PREFIX_PROVINCE, VNS_SLOT_PROVINCE},
        {"province_2025", VNS_PREFIX_PROVINCE_2025, VNS_SLOT_PROVINCE_2025},
        {"issuing_body", VNS_PREFIX_BODY, VNS_SLOT_BODY},
        {"doc_type", VNS_PREFIX_TYPE, VNS_SLOT_TYPE},
    };
    const char *date = field(meta, "date");
    json_t *dl = json_object_get(meta, "deadlines"), *d;
    size_t i;
    int rc = VNS_OK;

    for (i = 0; i < sizeof(named) / sizeof(named[0]) && rc == VNS_OK; i++) {
        const char *v = field(meta, named[i].key);
        if (v == NULL)
            continue;
        rc = add_filter(doc, named[i].prefix, v, err);
        if (rc == VNS_OK)
            rc = vns_xdoc_set_value(doc, named[i].slot, v, strlen(v), err);
    }
    if (rc == VNS_OK && date != NULL && strlen(date) == 10) {
        rc = vns_xdoc_set_value(doc, VNS_SLOT_DATE, date, 10, err);
        if (rc == VNS_OK)
            rc = vns_xdoc_set_value(doc, VNS_SLOT_MONTH, date, 7, err);
    }
    if (rc == VNS_OK && field(meta, "number") != NULL) {
        const char *num = field(meta, "number");
        char term[2 + VNS_DOCNUM_MAX];
        memcpy(term, VNS_PREFIX_NUMBER, 2);
        if (vns_docnum_key(num, strlen(num), term + 2))
            rc = vns_xdoc_add_term(doc, term, strlen(term), 1, err);
    }
    if (rc == VNS_OK && json_is_true(json_object_get(meta, "ocr"))) {
        rc = vns_xdoc_add_boolean(doc, VNS_TERM_OCR, strlen(VNS_TERM_OCR), err);
        if (rc == VNS_OK)
            rc = vns_xdoc_set_value(doc, VNS_SLOT_OCR, "1", 1, err);
    }
    if (rc == VNS_OK)
        rc = packed_facets(doc, meta, err);
    if (rc == VNS_OK && json_array_size(dl) > 0)
        rc = vns_xdoc_add_boolean(doc, VNS_TERM_HAS_DEADLINE,
                                  strlen(VNS_TERM_HAS_DEADLINE), err);
    json_array_foreach(dl, i, d)
    {
        const char *dd = field(d, "date");
        char term[16];
        if (rc != VNS_OK)
            break;
        if (dd == NULL || strlen(dd) != 10)
            continue;
        /* "XL2021-12-05": deadline ranges walk these in byte order */
        memcpy(term, VNS_PREFIX_DEADLINE, 2);
        memcpy(term + 2, dd, 11);
        rc = vns_xdoc_add_boolean(doc, term, 12, err);
    }
    return rc;
}
