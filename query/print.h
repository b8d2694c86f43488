/* Output of the vnsearch command: hits, facets and metadata as text for
 * people or as JSON lines for scripts. */
#ifndef VNSEARCH_QUERY_PRINT_H
#define VNSEARCH_QUERY_PRINT_H

#include "vnsearch/vnsearch.h"

/* Hits as text; tty: bold matches, else «guillemets». */
void print_hits_text(const struct vns_results *res, int tty);
/* One JSON object per hit and line: rank, id, title, score, the metadata
 * fields, snippets. -1 when out of memory. */
int print_hits_json(const struct vns_results *res);

/* Facet counts: a text block, or one JSON line {"total", "facets"}. */
void print_facets_text(const struct vns_results *res);
int print_facets_json(const struct vns_results *res);

/* vnsearch --explain: the fields and the line that decided each. */
int print_explain(const char *meta_json, int json);

/* vnsearch --dump-meta: the fields eval-meta reads, one line. */
int print_dump_line(const char *meta_json);

#endif
