/* Harness: metadata extraction as indexing runs it: vns_meta_extract,
 * vns_meta_place (gazetteer), vns_meta_body (bodies vocabulary), then the
 * JSON object. Raw bytes first (any bytes are safe), then the same bytes
 * cleaned as extraction leaves them, where every field must be UTF-8 and
 * every offset inside the text. Sidecar overrides too (see sidecar()). */
#include "fuzz.h"

#include <jansson.h>
#include <string.h>

#include "gazetteer.h"
#include "meta.h"
#include "meta_json.h"
#include "vnsearch/analyze.h"

static struct vns_gaz *gaz;
static struct vns_bodies *bodies;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct vns_err err = {0};

    (void)argc;
    (void)argv;
    fuzz_datadir();
    if (vns_gaz_open(NULL, &gaz, &err) != VNS_OK ||
        vns_bodies_open(NULL, &bodies, &err) != VNS_OK) {
        fprintf(stderr, "fuzz_meta: %s (set VNSEARCH_DATA_DIR)\n", err.msg);
        abort();
    }
    return 0;
}

#define STR_OK(f)                                                              \
    FUZZ_CHECK(memchr((f), 0, sizeof(f)) != NULL &&                            \
               fuzz_utf8_ok((f), strlen(f)))

static void check_meta(const struct vns_meta *m, size_t len)
{
    STR_OK(m->doc_type);
    STR_OK(m->number);
    STR_OK(m->date);
    STR_OK(m->signer);
    STR_OK(m->subject);
    STR_OK(m->issuing_body);
    STR_OK(m->province);
    STR_OK(m->province_2025);
    STR_OK(m->why.doc_type);
    STR_OK(m->why.number);
    STR_OK(m->why.date);
    STR_OK(m->why.signer);
    STR_OK(m->why.subject);
    STR_OK(m->why.issuing_body);
    STR_OK(m->why.province);
    FUZZ_CHECK(m->n_candidates <= VNS_META_MAX_CANDIDATES);
    for (size_t i = 0; i < m->n_candidates; i++)
        STR_OK(m->candidates[i]);
    FUZZ_CHECK(m->n_deadlines <= VNS_META_MAX_DEADLINES);
    for (size_t i = 0; i < m->n_deadlines; i++) {
        const struct vns_meta_deadline *d = &m->deadlines[i];
        STR_OK(d->date);
        FUZZ_CHECK(d->off <= len && d->len <= len - d->off);
    }
    FUZZ_CHECK(m->n_refs <= VNS_META_MAX_REFS);
    for (size_t i = 0; i < m->n_refs; i++) {
        STR_OK(m->refs[i].number);
        STR_OK(m->refs[i].date);
        FUZZ_CHECK(m->refs[i].off <= len);
    }
    FUZZ_CHECK(m->n_recipients <= VNS_META_MAX_RECIPIENTS);
    for (size_t i = 0; i < m->n_recipients; i++)
        STR_OK(m->recipients[i]);
}

/* strict: text is clean, so every field must make it into the JSON */
static void run(const char *text, size_t len, int strict)
{
    struct vns_meta m = {0};
    struct vns_err err = {0};
    json_t *obj;
    char *s;
    int rc;

    rc = vns_meta_extract(text, len, NULL, &m, &err);
    if (rc == VNS_OK)
        rc = vns_meta_place(gaz, text, len, &m, &err);
    if (rc == VNS_OK)
        rc = vns_meta_body(bodies, text, len, &m, &err);
    FUZZ_CHECK(rc == VNS_OK || rc == VNS_ENOMEM);
    if (rc != VNS_OK) {
        vns_meta_fini(&m);
        return;
    }
    if (strict)
        check_meta(&m, len);
    obj = vns_meta_to_json(&m, text, len);
    if (strict)
        FUZZ_CHECK(obj != NULL);
    if (obj != NULL) {
        s = json_dumps(obj, JSON_COMPACT);
        FUZZ_CHECK(s != NULL);
        free(s);
        json_decref(obj);
    }
    vns_meta_fini(&m);
}

/* Input starting with '{' is also a sidecar (FILE.meta.json): overrides
 * merged over the metadata of a fixed notice, checked and made canonical
 * by vns_meta_override. */
static const char notice[] = "ỦY BAN NHÂN DÂN\nTỈNH TRÀ VINH\nSố: 412/TB-UBND\n"
                             "Trà Vinh, ngày 2 tháng 12 năm 2021\nTHÔNG BÁO\n"
                             "về công tác phòng, chống dịch Covid-19\n"
                             "Các đơn vị hoàn thành trước ngày 15/12/2021.\n";

static void sidecar(const char *s, size_t n)
{
    struct vns_meta m = {0};
    struct vns_err err = {0};
    json_t *obj = NULL, *over;
    char *out;
    int rc;

    over = json_loadb(s, n, 0, NULL);
    if (over == NULL)
        return;
    rc = vns_meta_extract(notice, sizeof(notice) - 1, NULL, &m, &err);
    if (rc == VNS_OK)
        rc = vns_meta_place(gaz, notice, sizeof(notice) - 1, &m, &err);
    if (rc == VNS_OK)
        rc = vns_meta_body(bodies, notice, sizeof(notice) - 1, &m, &err);
    FUZZ_CHECK(rc == VNS_OK);
    obj = vns_meta_to_json(&m, notice, sizeof(notice) - 1);
    FUZZ_CHECK(obj != NULL);
    rc = vns_meta_override(obj, over, gaz, bodies, "fuzz", &err);
    FUZZ_CHECK(rc == VNS_OK || (rc < 0 && err.code == rc));
    out = json_dumps(obj, JSON_COMPACT);
    FUZZ_CHECK(out != NULL);
    free(out);
    json_decref(obj);
    json_decref(over);
    vns_meta_fini(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *clean = NULL;
    size_t clen = 0;

    if (size > 0 && data[0] == '{')
        sidecar((const char *)data, size);

    run((const char *)data, size, 0);
    if (vns_text_clean((const char *)data, size, &clean, &clen, NULL, NULL) ==
        VNS_OK)
        run(clean, clen, 1);
    free(clean);
    return 0;
}
