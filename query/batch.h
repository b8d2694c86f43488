/* vnsearch --batch: a queries file in, a TREC run and latency figures out
 * (the relevance evaluation's input). */
#ifndef VNSEARCH_QUERY_BATCH_H
#define VNSEARCH_QUERY_BATCH_H

#include "vnsearch/vnsearch.h"

/* Run every line of queries (JSON Lines: qid, query, filters {province,
 * province_2025, issuing_body, doc_type, date_from, date_to}) with the
 * options of base, write the top 100 of each to runpath as
 * "qid Q0 docid rank score vnsearch", and print latency p50/p95/p99.
 * Returns the exit status: 0, 1 (some queries failed), 2 (bad files). */
int batch_run(struct vns_index *ix, const char *queries, const char *runpath,
              const struct vns_search_opts *base);

#endif
