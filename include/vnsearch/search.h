/* Searching an index: a query string in, ranked hits out, each with its
 * title, score and highlighted snippets. */
#ifndef VNSEARCH_SEARCH_H
#define VNSEARCH_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"
#include "vnsearch/index.h"

#ifdef __cplusplus
extern "C" {
#endif

enum vns_sort {
    VNS_SORT_RELEVANCE = 0,
    VNS_SORT_DATE = 1 /* newest first, then relevance */
};

struct vns_search_opts {
    size_t offset;       /* hits to skip */
    size_t limit;        /* hits wanted; 0 means 10 */
    double time_limit;   /* seconds for the match, 0 for none */
    size_t snippets;     /* per hit, 0 means 2 */
    size_t snippet_len;  /* bytes per snippet, 0 means 300 (~200 chars) */
    size_t snippet_hits; /* only the first N hits get snippets, metadata
                            and matching deadlines; 0: all */
    /* Filters, NULL for none. Names in any case, with or without
     * diacritics. province: the province a notice names (one of the 63
     * before July 2025, of the 34 after); province_2025: one of the 34,
     * with every old province merged into it. */
    const char *province;
    const char *province_2025;
    const char *body;      /* issuing body: "Sở Y tế", "UBND tỉnh" */
    const char *type;      /* "Thông báo", "thong bao", "TB" */
    const char *date_from; /* signing date, inclusive: ISO or dd/mm/yyyy */
    const char *date_to;
    const char *deadline_from; /* some deadline within, inclusive */
    const char *deadline_to;
    int has_deadline;
    enum vns_sort sort;
    int facets; /* count province, issuing_body, doc_type, month */
    int ocr;    /* only documents whose text was recognized (OCR) */
};

/* A highlighted span, in bytes from the start of the snippet text. */
struct vns_highlight {
    uint32_t off;
    uint32_t len;
};

struct vns_snippet {
    char *text; /* UTF-8, one line, cut at syllable boundaries */
    size_t len;
    struct vns_highlight *hl;
    size_t nhl;
    int cut_start; /* text goes on before the snippet */
    int cut_end;   /* ... and after it */
};

/* A deadline of a hit that answers the query ("tiêm mũi 2 deadline"). */
struct vns_hit_deadline {
    char *date; /* "2021-12-05" */
    char *text; /* the sentence that sets it */
};

struct vns_hit {
    uint32_t rank; /* 1-based, counting the offset */
    char *id;
    char *title; /* may be empty, never NULL */
    double score;
    struct vns_snippet *snippets;
    size_t nsnippets;
    char *meta; /* the metadata as a JSON object text: date, number,
                   doc_type, issuing_body, province, province_2025,
                   deadlines [{date, text}], signer, subject... */
    /* When the query asks for a deadline: the hit's deadlines whose
     * sentence holds most of the query's words, best first. */
    struct vns_hit_deadline *matching_deadlines;
    size_t nmatching_deadlines;
};

struct vns_facet_count {
    char *value;
    uint64_t count;
};

/* Counts over every matching document, most frequent first. */
#define VNS_NFACETS 5
struct vns_facet {
    /* "province", "issuing_body", "doc_type", "month", and "ocr" (value
     * "1": the scans among the matches) */
    const char *name;
    struct vns_facet_count *counts;
    size_t n;
};

struct vns_results {
    struct vns_hit *hits;
    size_t n;
    uint64_t estimate; /* matching documents, estimated */
    int exact;         /* estimate is the exact count */
    struct vns_facet facets[VNS_NFACETS];
    size_t nfacets;
    /* "Did you mean": the query with diacritics restored or a misspelled
     * syllable corrected, on the first page; NULL when best as typed. */
    char *suggestion;
    /* A sharded index opened with VNS_INDEX_PARTIAL: how many shards did
     * not answer (0: the results are whole) and their names, ", "
     * between them. */
    size_t nmissing;
    char missing[512];
};

/* Run the query (q, qlen) on ix. Query syntax: words (with or without
 * diacritics), "quoted phrases", -word and -"phrase" exclusions; words of
 * data/synonyms.tsv also find what they mean ("UBND": "Ủy ban nhân dân");
 * a query asking for a deadline ("deadline", "hạn", "trước ngày") drops
 * those words, keeps documents with a deadline and ranks first those
 * whose deadline sentence holds the rest of the query. An empty
 * query with a filter lists every document the filters let through.
 * Errors: VNS_EQUERY with the reason ("unbalanced quote", "nothing to
 * search for", "more than 64 words", "unknown province "Ninh Thuann": did
 * you mean Ninh Thuận?"), VNS_EINDEX, VNS_ENOMEM, VNS_EREMOTE (a remote
 * shard did not answer; with VNS_INDEX_PARTIAL only when none did).
 * On VNS_OK free *out with vns_results_fini. */
VNS_API int vns_search(struct vns_index *ix, const char *q, size_t qlen,
                       const struct vns_search_opts *opts,
                       struct vns_results *out, struct vns_err *err);
VNS_API void vns_results_fini(struct vns_results *res);

/* A hit as one JSON object text: rank, id, title, score, the metadata
 * fields (date, number, doc_type, issuing_body, province, province_2025,
 * signer, subject, recipients, deadlines [{date, text}]),
 * matching_deadlines [{date, text}] when the query asked for one, and snippets
 * [{text, highlights [[byte offset, byte length]...], cut_start,
 * cut_end}]. malloc'd (free it); NULL when out of memory. */
VNS_API char *vns_hit_json(const struct vns_hit *hit);

/* {"total", "total_exact", "facets": {name: {value: count}}} as JSON
 * text, malloc'd (free it); NULL when out of memory. */
VNS_API char *vns_results_summary_json(const struct vns_results *res);
/* The summary's "facets" alone, {name: {value: count}}; malloc'd, NULL
 * when out of memory. */
VNS_API char *vns_results_facets_json(const struct vns_results *res);
/* The shards that did not answer as a JSON array of names ("[]" when the
 * results are whole); malloc'd, NULL when out of memory. */
VNS_API char *vns_results_missing_json(const struct vns_results *res);

#ifdef __cplusplus
}
#endif

#endif
