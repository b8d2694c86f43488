/* Building one index document from a file or text: extraction, analysis
 * into terms, metadata and its filter terms, the stored record. Writing it
 * is index.c's; this part runs on any worker thread. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "docrec.h"
#include "hash.h"
#include "index_impl.h"
#include "meta.h"
#include "meta_json.h"
#include "packdict.h"
#include "title.h"
#include "tokmap.h"
#include "wordseq.h"

int vns_worker_init(struct vns_worker *w, struct vns_err *err)
{
    int rc;

    *w = (struct vns_worker){0};
    rc = vns_analyzer_new(&w->an, err);
    if (rc == VNS_OK)
        rc = vns_extractor_new(&w->ex, err);
    if (rc != VNS_OK)
        vns_worker_fini(w);
    return rc;
}

void vns_worker_fini(struct vns_worker *w)
{
    vns_analyzer_free(w->an);
    vns_extractor_free(w->ex);
    *w = (struct vns_worker){0};
}

void vns_prepared_fini(struct vns_prepared *p)
{
    vns_xdoc_free(p->doc);
    *p = (struct vns_prepared){0};
}

int vns_index_id_term(const char *id, char *term, size_t cap,
                      struct vns_err *err)
{
    size_t n = strlen(id);

    if (n == 0)
        return vns_err_set(err, VNS_EINVAL, "empty document id");
    if (n > VNS_MAX_ID || n + 2 > cap)
        return vns_err_set(err, VNS_ETOOBIG, "%s: id longer than %d bytes", id,
                           VNS_MAX_ID);
    term[0] = VNS_PREFIX_ID[0];
    memcpy(term + 1, id, n + 1);
    return VNS_OK;
}

void vns_index_root_term(const char *root, char *term, size_t cap)
{
    size_t n = strlen(root);

    /* long roots by their hash: a term has at most 245 bytes */
    if (n + 3 > cap || n > 200)
        snprintf(term, cap, "%s#%016llx", VNS_PREFIX_ROOT,
                 (unsigned long long)vns_hash64(root, n, 0));
    else
        snprintf(term, cap, "%s%s", VNS_PREFIX_ROOT, root);
}

static int valid_utf8(const char *s)
{
    int32_t i = 0, n = (int32_t)strlen(s);
    UChar32 c;

    while (i < n) {
        U8_NEXT(s, i, n, c);
        if (c < 0)
            return 0;
    }
    return 1;
}

struct termctx {
    struct vns_xdoc *doc;
    struct vns_err *err;
    const char *text;
    /* the previous syllable (not a compound), for pair terms */
    char prev[VNS_TERM_MAX], prev_exact[VNS_TERM_MAX];
    size_t prev_end;
    int have_prev;
    /* 0 for the body (wdf 1 a token, its words in order in the words'
     * value); else the title or subject: each term again with this wdf */
    uint32_t field_wdf;
    uint32_t exact_pair_span; /* written pairs from syllables before it */
    struct vns_tokmap_builder *tokmap; /* the body's checkpoints */
    struct vns_wordseq_builder *words; /* the body's words in order */
};

/* Whether the gap between two syllables ends a paragraph: no pair term
 * spans it. */
static int paragraph_break(const char *gap, size_t n)
{
    return memchr(gap, '\n', n) != NULL;
}

size_t vns_pair_term(char *out, size_t cap, const char *prefix, const char *a,
                     const char *b)
{
    size_t pl = strlen(prefix), al = strlen(a), bl = strlen(b);

    if (pl + al + 1 + bl > VNS_PAIR_MAX || pl + al + bl + 2 > cap)
        return 0; /* too long to be a word pair worth finding */
    memcpy(out, prefix, pl);
    memcpy(out + pl, a, al);
    out[pl + al] = ' ';
    memcpy(out + pl + al + 1, b, bl);
    out[pl + al + 1 + bl] = '\0';
    return pl + al + 1 + bl;
}

/* A pair term, without positions; none when too long. */
static int pair_term(struct termctx *c, const char *prefix, const char *a,
                     const char *b)
{
    char term[VNS_PAIR_MAX + 2];
    size_t n = vns_pair_term(term, sizeof(term), prefix, a, b);

    if (n == 0)
        return VNS_OK;
    return vns_xdoc_add_term(c->doc, term, n, c->field_wdf ? c->field_wdf : 1,
                             c->err);
}

/* "B" + "tiem mui": two adjacent syllables, folded, without positions.
 * Known items and compound words ("tiêm chủng", "cách ly") match as plain
 * terms, with no position list to read at query time. "C" + "tiêm mũi":
 * the same pair as written, the statistics that restore a query's
 * diacritics (spell.c): from every syllable while the index is small,
 * then from the title, the subject and the first VNS_EXACT_PAIR_SPAN
 * syllables of the text only (index_impl.h). */
static int add_pair(struct termctx *c, const struct vns_token *t)
{
    int rc = pair_term(c, VNS_PREFIX_PAIR, c->prev, t->folded);

    if (rc == VNS_OK && (c->field_wdf || t->pos < c->exact_pair_span))
        rc = pair_term(c, VNS_PREFIX_EXACT_PAIR, c->prev_exact, t->exact);
    return rc;
}

/* Folded form for every token; the exact form too when it has
 * diacritics, so "mũi" can outrank "mùi" and "mui"; and the pair with the
 * syllable before. No positions: where the words stand is the words'
 * value (wordseq.h), read once a hit by the re-rank and the snippets,
 * and phrases match as pairs (search.c). On gen-notices medium seed 21
 * the index 588 -> 461 MB, indexing 114 -> 97-102 s. */
static int add_token(const struct vns_token *t, void *arg)
{
    struct termctx *c = arg;
    char term[VNS_TERM_MAX + 1];
    size_t el = strlen(t->exact);
    int rc;

    rc = vns_xdoc_add_term(c->doc, t->folded, strlen(t->folded),
                           c->field_wdf ? c->field_wdf : 1, c->err);
    if (rc == VNS_OK && (t->flags & VNS_TOK_MARKED)) {
        term[0] = VNS_PREFIX_EXACT[0];
        memcpy(term + 1, t->exact, el);
        rc = vns_xdoc_add_term(c->doc, term, el + 1,
                               c->field_wdf ? c->field_wdf : 1, c->err);
    }
    if (rc != VNS_OK || (t->flags & VNS_TOK_COMPOUND))
        return rc;
    if (c->tokmap != NULL)
        rc = vns_tokmap_add(c->tokmap, t->pos, t->off, c->err);
    if (rc == VNS_OK && c->words != NULL)
        rc = vns_wordseq_add(c->words, t->pos, t->folded, c->err);
    if (rc == VNS_OK && c->have_prev &&
        !paragraph_break(c->text + c->prev_end, t->off - c->prev_end))
        rc = add_pair(c, t);
    memcpy(c->prev, t->folded, strlen(t->folded) + 1);
    memcpy(c->prev_exact, t->exact, strlen(t->exact) + 1);
    c->prev_end = t->off + t->len;
    c->have_prev = 1;
    return rc;
}

/* The title and the subject ("V/v ...", "về ...") say what a notice is
 * about: their words and pairs count FIELD_WDF more. */
#define FIELD_WDF 2
static int add_fields(struct vns_worker *w, struct termctx *tc,
                      const char *title, json_t *meta)
{
    const char *f[2] = {title,
                        json_string_value(json_object_get(meta, "subject"))};
    int rc = VNS_OK;

    for (size_t i = 0; i < 2 && rc == VNS_OK; i++) {
        if (f[i] == NULL || (i == 1 && f[0] != NULL && strcmp(f[0], f[1]) == 0))
            continue;
        struct termctx fc = {.doc = tc->doc,
                             .err = tc->err,
                             .text = f[i],
                             .field_wdf = FIELD_WDF};
        rc = vns_analyze(w->an, f[i], strlen(f[i]), add_token, &fc, tc->err);
    }
    return rc;
}

/* VNS_SLOT_DEADLINES from the metadata's deadlines: "date\tsentence\n"
 * each, tabs and line breaks inside a sentence made spaces. */
static int deadlines_value(struct vns_xdoc *doc, json_t *meta,
                           struct vns_err *err)
{
    json_t *d;
    size_t i, n = 0;
    char *v = NULL;
    int rc;

    json_array_foreach(json_object_get(meta, "deadlines"), i, d)
    {
        const char *date = json_string_value(json_object_get(d, "date"));
        const char *text = json_string_value(json_object_get(d, "text"));
        size_t dl, tl;
        char *nv;
        if (date == NULL || text == NULL)
            continue;
        dl = strlen(date);
        tl = strlen(text);
        nv = realloc(v, n + dl + tl + 3);
        if (nv == NULL) {
            free(v);
            return vns_err_set(err, VNS_ENOMEM, "out of memory");
        }
        v = nv;
        memcpy(v + n, date, dl);
        n += dl;
        v[n++] = '\t';
        for (size_t k = 0; k < tl; k++)
            v[n++] = text[k] == '\t' || text[k] == '\n' ? ' ' : text[k];
        v[n++] = '\n';
    }
    if (n == 0) {
        free(v); /* NULL: nothing was appended */
        return VNS_OK;
    }
    rc = vns_xdoc_set_value(doc, VNS_SLOT_DEADLINES, v, n, err);
    free(v);
    return rc;
}

/* The metadata object of text: extraction, then the overrides on top. */
static int meta_of(const struct vns_index *ix, const char *id,
                   const char *title, const char *text, size_t len,
                   const char *overrides, json_t **out, struct vns_err *err)
{
    struct vns_meta m = {0};
    json_t *obj = NULL, *over = NULL;
    json_error_t je;
    int rc;

    /* the place needs the date (63 or 34 provinces); the body needs the
     * place ("tỉnh" or "thành phố") */
    rc = vns_meta_extract(text, len, title, &m, err);
    if (rc == VNS_OK)
        rc = vns_meta_place(ix->gaz, text, len, &m, err);
    if (rc == VNS_OK)
        rc = vns_meta_body(ix->bodies, text, len, &m, err);
    if (rc != VNS_OK)
        goto out;
    obj = vns_meta_to_json(&m, text, len);
    if (obj == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", id);
        goto out;
    }
    if (overrides != NULL) {
        over = json_loads(overrides, 0, &je);
        if (over == NULL) {
            rc = vns_err_set(err, VNS_EINVAL, "%s: metadata: %s (line %d)", id,
                             je.text, je.line);
            goto out;
        }
        rc = vns_meta_override(obj, over, ix->gaz, ix->bodies, id, err);
        if (rc != VNS_OK)
            goto out;
    }
    *out = obj;
    obj = NULL;
out:
    json_decref(over);
    json_decref(obj);
    vns_meta_fini(&m);
    return rc;
}

/* Recognized text says so in its metadata: "ocr": true and Tesseract's
 * mean confidence, 0-100. */
static int ocr_fields(json_t *meta, const struct vns_text *txt, const char *id,
                      struct vns_err *err)
{
    if (txt == NULL || !txt->ocr)
        return VNS_OK;
    if (json_object_set_new(meta, "ocr", json_true()) != 0 ||
        json_object_set_new(
            meta, "ocr_confidence",
            json_integer((json_int_t)(txt->ocr_confidence + 0.5))) != 0)
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", id);
    return VNS_OK;
}

/* Written pairs from every syllable while the index is small, then from
 * the first VNS_EXACT_PAIR_SPAN (index_impl.h). The documents before
 * src's decide: by its place in the run when known, so that the same
 * files make the same index. */
static uint32_t exact_pair_span(const struct vns_index *ix,
                                const struct vns_source *src)
{
    uint64_t n = src->seq > 0 ? src->seq - 1
                              : atomic_load((_Atomic uint64_t *)&ix->written);

    return n < VNS_EXACT_PAIR_FULL ? UINT32_MAX : VNS_EXACT_PAIR_SPAN;
}

/* Build the document of clean text (NFC, one paragraph per line); txt,
 * when not NULL, is the extraction it came from. */
static int build(const struct vns_index *ix, struct vns_worker *w,
                 const struct vns_source *src, const char *title,
                 const char *format, const char *text, size_t len,
                 const struct vns_text *txt, struct vns_prepared *out,
                 struct vns_err *err)
{
    struct vns_prepared p = {0};
    struct vns_docrec rec = {0};
    struct termctx tc;
    json_t *meta = NULL;
    struct vns_tokmap_builder tm = {0};
    struct vns_wordseq_builder ws = {0};
    char *mtext = NULL, *abs = NULL, *words = NULL, rootterm[240];
    size_t nwords = 0;
    int rc;

    rc = vns_index_id_term(src->id, p.idterm, sizeof(p.idterm), err);
    if (rc == VNS_OK)
        rc = meta_of(ix, src->id, title, text, len, src->meta_json, &meta, err);
    if (rc == VNS_OK)
        rc = ocr_fields(meta, txt, src->id, err);
    if (rc == VNS_OK)
        rc = vns_xdoc_new(&p.doc, err);
    if (rc != VNS_OK)
        goto out;
    tc = (struct termctx){.doc = p.doc,
                          .err = err,
                          .text = text,
                          .exact_pair_span = exact_pair_span(ix, src),
                          .tokmap = &tm,
                          .words = &ws};
    rc = vns_analyze(w->an, text, len, add_token, &tc, err);
    if (rc == VNS_OK) /* the body's words in order, for the record */
        rc = vns_wordseq_value(&ws, &words, &nwords, err);
    if (rc == VNS_OK)
        rc = add_fields(w, &tc, title, meta);
    if (rc == VNS_OK)
        rc = vns_xdoc_add_boolean(p.doc, p.idterm, strlen(p.idterm), err);
    if (rc == VNS_OK)
        rc = vns_index_meta_terms(p.doc, meta, err);
    if (rc == VNS_OK)
        rc = deadlines_value(p.doc, meta, err);
    if (rc == VNS_OK)
        rc = vns_xdoc_set_value(p.doc, VNS_SLOT_ID, src->id, strlen(src->id),
                                err);
    if (rc == VNS_OK && src->stamp != NULL)
        rc = vns_xdoc_set_value(p.doc, VNS_SLOT_STAMP, src->stamp,
                                strlen(src->stamp), err);
    if (rc == VNS_OK && src->hash != NULL)
        rc = vns_xdoc_set_value(p.doc, VNS_SLOT_HASH, src->hash,
                                strlen(src->hash), err);
    if (rc == VNS_OK && src->root != NULL) {
        /* the files of one root, for removing those that are gone */
        vns_index_root_term(src->root, rootterm, sizeof(rootterm));
        rc = vns_xdoc_add_boolean(p.doc, rootterm, strlen(rootterm), err);
    }
    if (rc != VNS_OK)
        goto out;
    mtext = json_dumps(meta, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (mtext == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", src->id);
        goto out;
    }
    /* the absolute path, for serving the original file later; a path that
     * is not UTF-8 cannot be stored and is left out */
    if (src->path != NULL)
        abs = realpath(src->path, NULL);
    rec.id = (char *)src->id;
    rec.title = (char *)(title ? title : "");
    rec.format = (char *)format;
    rec.path = abs && valid_utf8(abs) ? abs : "";
    rec.text = (char *)text;
    rec.text_len = len;
    rec.meta = mtext;
    rec.tokmap = tm.buf;
    rec.tokmap_len = tm.n;
    rec.words = words;
    rec.words_len = nwords;
    p.packed_with = vns_packdict_of(ix, vns_index_shard_of(ix, p.idterm));
    rc = vns_docrec_store(&rec, p.packed_with, p.doc, err);
    if (rc != VNS_OK)
        goto out;
    p.info.text_len = len;
    p.info.format = format;
    *out = p;
    p = (struct vns_prepared){0};
out:
    vns_prepared_fini(&p);
    vns_tokmap_fini(&tm);
    vns_wordseq_fini(&ws);
    free(words);
    free(abs);
    free(mtext);
    json_decref(meta);
    return rc;
}

int vns_prepare_blob(const struct vns_index *ix, struct vns_worker *w,
                     const struct vns_source *src, const char *data, size_t len,
                     struct vns_prepared *out, struct vns_err *err)
{
    struct vns_text txt = {0};
    int rc;

    rc = vns_extract_blob(w->ex, src->path, data, len, &txt, err);
    if (rc == VNS_OK)
        rc = build(ix, w, src, txt.title, txt.format, txt.text, txt.len, &txt,
                   out, err);
    if (rc == VNS_OK)
        out->info.bad_utf8 = txt.bad_utf8;
    vns_text_fini(&txt);
    return rc;
}

int vns_prepare_text(const struct vns_index *ix, struct vns_worker *w,
                     const struct vns_source *src, const char *title,
                     const char *text, size_t len, struct vns_prepared *out,
                     struct vns_err *err)
{
    char *clean = NULL, *para = NULL, *guess = NULL;
    size_t clen = 0, plen = 0;
    int rc;

    rc = vns_text_clean(text, len, &clean, &clen, NULL, err);
    if (rc == VNS_OK)
        rc = vns_paragraphs_repair(clean, clen, &para, &plen, err);
    if (rc == VNS_OK && title == NULL) {
        rc = vns_title_guess(para, plen, NULL, &guess, err);
        title = guess;
    }
    if (rc == VNS_OK)
        rc = build(ix, w, src, title, "text", para, plen, NULL, out, err);
    free(guess);
    free(para);
    free(clean);
    return rc;
}
