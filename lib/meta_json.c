/* Metadata to JSON and user overrides merged over it, with every value
 * checked and made canonical. Terms and values are derived in index.c. */
#include "meta_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"

static void set_str(json_t *o, const char *key, const char *v)
{
    if (v != NULL && v[0] != '\0')
        json_object_set_new(o, key, json_string(v));
}

/* A slice of the text as a JSON string: jansson refuses invalid UTF-8,
 * which a slice of clean text never is, so NULL only on a bad slice. */
static json_t *slice(const char *text, size_t len, size_t off, size_t n)
{
    if (text == NULL || off > len || n > len - off)
        return NULL;
    return json_stringn(text + off, n);
}

json_t *vns_meta_to_json(const struct vns_meta *m, const char *text, size_t len)
{
    json_t *o = json_object(), *why = json_object();

    if (o == NULL || why == NULL) {
        json_decref(o);
        json_decref(why);
        return NULL;
    }
    set_str(o, "date", m->date);
    set_str(o, "number", m->number);
    set_str(o, "doc_type", m->doc_type);
    set_str(o, "issuing_body", m->issuing_body);
    set_str(o, "province", m->province);
    set_str(o, "province_2025", m->province_2025);
    set_str(o, "signer", m->signer);
    set_str(o, "subject", m->subject);
    if (m->n_candidates > 0) {
        json_t *c = json_array();
        for (size_t i = 0; i < m->n_candidates; i++)
            json_array_append_new(c, json_string(m->candidates[i]));
        json_object_set_new(o, "province_candidates", c);
    }
    if (m->n_deadlines > 0) {
        json_t *a = json_array();
        for (size_t i = 0; i < m->n_deadlines; i++) {
            const struct vns_meta_deadline *d = &m->deadlines[i];
            json_t *t = slice(text, len, d->off, d->len);
            json_array_append_new(
                a, json_pack("{s:s, s:o, s:I, s:I}", "date", d->date, "text",
                             t ? t : json_string(""), "off", (json_int_t)d->off,
                             "len", (json_int_t)d->len));
        }
        json_object_set_new(o, "deadlines", a);
    }
    if (m->n_refs > 0) {
        json_t *a = json_array();
        for (size_t i = 0; i < m->n_refs; i++) {
            json_t *r = json_pack("{s:s}", "number", m->refs[i].number);
            set_str(r, "date", m->refs[i].date);
            json_array_append_new(a, r);
        }
        json_object_set_new(o, "references", a);
    }
    if (m->n_recipients > 0) {
        json_t *a = json_array();
        for (size_t i = 0; i < m->n_recipients; i++)
            json_array_append_new(a, json_string(m->recipients[i]));
        json_object_set_new(o, "recipients", a);
    }
    set_str(why, "doc_type", m->why.doc_type);
    set_str(why, "number", m->why.number);
    set_str(why, "date", m->why.date);
    set_str(why, "signer", m->why.signer);
    set_str(why, "subject", m->why.subject);
    set_str(why, "issuing_body", m->why.issuing_body);
    set_str(why, "province", m->why.province);
    json_object_set_new(o, "evidence", why);
    return o;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 ? 28 + leap : d[m - 1];
}

int vns_date_parse(const char *s, char iso[11])
{
    int a, b, c, n = 0;
    int y, m, d;
    char sep1, sep2;

    if (sscanf(s, "%4d%c%2d%c%2d%n", &a, &sep1, &b, &sep2, &c, &n) == 5 &&
        s[n] == '\0' && sep1 == '-' && sep2 == '-' && n == 10) {
        y = a, m = b, d = c;
    } else if (sscanf(s, "%2d%c%2d%c%4d%n", &a, &sep1, &b, &sep2, &c, &n) ==
                   5 &&
               s[n] == '\0' && sep1 == sep2 &&
               (sep1 == '/' || sep1 == '-' || sep1 == '.') && c >= 1000) {
        d = a, m = b, y = c;
    } else {
        return -1;
    }
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
        return -1;
    char buf[40];
    snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
    memcpy(iso, buf, 11); /* 10 characters: the ranges are checked above */
    return 0;
}

/* Keys a user may override, and how each is checked. */
enum kind {
    K_TEXT,
    K_DATE,
    K_PROVINCE,
    K_PROVINCE_2025,
    K_BODY,
    K_DEADLINES
};

static const struct {
    const char *key;
    enum kind kind;
} keys[] = {
    {"date", K_DATE},           {"number", K_TEXT},
    {"doc_type", K_TEXT},       {"issuing_body", K_BODY},
    {"province", K_PROVINCE},   {"province_2025", K_PROVINCE_2025},
    {"signer", K_TEXT},         {"subject", K_TEXT},
    {"deadlines", K_DEADLINES},
};

static int bad(struct vns_err *err, const char *what, const char *key,
               const char *why)
{
    return vns_err_set(err, VNS_EINVAL, "%s: %s: %s", what, key, why);
}

static int province_value(const struct vns_gaz *gz, const char *name,
                          unsigned kind, const char *what, const char *key,
                          json_t **out, const struct vns_gaz_unit **unit,
                          struct vns_err *err)
{
    const struct vns_gaz_unit *p = vns_gaz_province(gz, name, kind), *s[3];
    char msg[200];
    size_t n;

    if (p == NULL && kind == VNS_GAZ_PROVINCE)
        p = vns_gaz_province(gz, name, VNS_GAZ_PROVINCE_2025);
    if (p != NULL) {
        *out = json_string(p->name);
        *unit = p;
        return VNS_OK;
    }
    n = vns_gaz_suggest(gz, name, kind | VNS_GAZ_PROVINCE_2025, s, 3);
    snprintf(msg, sizeof(msg), "unknown province \"%s\"%s%s%s", name,
             n ? ": did you mean " : "", n ? s[0]->name : "", n ? "?" : "");
    return bad(err, what, key, msg);
}

static int deadlines_value(json_t *v, const char *what, json_t **out,
                           struct vns_err *err)
{
    json_t *a = json_array(), *x;
    size_t i;
    char iso[11];

    if (!json_is_array(v)) {
        json_decref(a);
        return bad(err, what, "deadlines", "not a list");
    }
    json_array_foreach(v, i, x)
    {
        const char *d = json_is_string(x) ? json_string_value(x)
                        : json_is_object(x)
                            ? json_string_value(json_object_get(x, "date"))
                            : NULL;
        json_t *t = json_is_object(x) ? json_object_get(x, "text") : NULL;
        if (d == NULL || vns_date_parse(d, iso) != 0) {
            json_decref(a);
            return bad(err, what, "deadlines", "each needs a valid date");
        }
        json_array_append_new(
            a, json_pack("{s:s, s:s}", "date", iso, "text",
                         json_is_string(t) ? json_string_value(t) : ""));
    }
    *out = a;
    return VNS_OK;
}

int vns_meta_override(json_t *meta, json_t *over, const struct vns_gaz *gz,
                      const struct vns_bodies *bodies, const char *what,
                      struct vns_err *err)
{
    json_t *staged = json_object(), *list = json_array(), *v;
    const struct vns_gaz_unit *prov = NULL, *unused = NULL;
    const char *key;
    int rc = VNS_OK;

    if (staged == NULL || list == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", what);
        goto out;
    }
    if (!json_is_object(over)) {
        rc = vns_err_set(err, VNS_EINVAL, "%s: not a JSON object", what);
        goto out;
    }
    json_object_foreach(over, key, v)
    {
        size_t k = 0;
        json_t *val = NULL;
        char iso[11];

        if (strcmp(key, "id") == 0)
            continue; /* manifests name the document with it */
        while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(keys[k].key, key))
            k++;
        if (k == sizeof(keys) / sizeof(keys[0])) {
            rc = bad(err, what, key, "unknown field");
            goto out;
        }
        if (keys[k].kind != K_DEADLINES &&
            (!json_is_string(v) || json_string_length(v) == 0 ||
             json_string_length(v) > 250)) {
            rc = bad(err, what, key, "needs a non-empty string");
            goto out;
        }
        switch (keys[k].kind) {
        case K_TEXT:
            val = json_copy(v);
            break;
        case K_DATE:
            if (vns_date_parse(json_string_value(v), iso) != 0) {
                rc = bad(err, what, key,
                         "not a date (YYYY-MM-DD or dd/mm/yyyy)");
                goto out;
            }
            val = json_string(iso);
            break;
        case K_PROVINCE:
            rc = province_value(gz, json_string_value(v), VNS_GAZ_PROVINCE,
                                what, key, &val, &prov, err);
            break;
        case K_PROVINCE_2025:
            rc = province_value(gz, json_string_value(v), VNS_GAZ_PROVINCE_2025,
                                what, key, &val, &unused, err);
            break;
        case K_BODY: {
            const char *canon = vns_bodies_find(bodies, json_string_value(v));
            const char *s[1];
            char msg[200];
            if (canon == NULL) {
                size_t n =
                    vns_bodies_suggest(bodies, json_string_value(v), s, 1);
                snprintf(msg, sizeof(msg), "unknown issuing body \"%s\"%s%s%s",
                         json_string_value(v), n ? ": did you mean " : "",
                         n ? s[0] : "", n ? "?" : "");
                rc = bad(err, what, key, msg);
                goto out;
            }
            val = json_string(canon);
            break;
        }
        case K_DEADLINES:
            rc = deadlines_value(v, what, &val, err);
            break;
        }
        if (rc != VNS_OK)
            goto out;
        json_object_set_new(staged, key, val);
        json_array_append_new(list, json_string(key));
    }
    /* a province given alone brings its 2025 province along */
    if (prov != NULL && json_object_get(staged, "province_2025") == NULL) {
        const struct vns_gaz_unit *to[2];
        if (prov->kind == VNS_GAZ_PROVINCE_2025)
            to[0] = prov;
        if (prov->kind == VNS_GAZ_PROVINCE_2025 ||
            vns_gaz_to_2025(gz, prov, to, 2) == 1)
            json_object_set_new(staged, "province_2025",
                                json_string(to[0]->name));
        else
            json_object_del(meta, "province_2025");
    }
    if (json_object_get(staged, "province") != NULL)
        json_object_del(meta, "province_candidates");
    json_object_update(meta, staged);
    json_object_set(meta, "overridden", list);
out:
    json_decref(staged);
    json_decref(list);
    return rc;
}
