/* "Did you mean": a query with its diacritics restored ("tiem mui 2" ->
 * "tiêm mũi 2") and a misspelled syllable corrected ("tiêm mủi 2",
 * "tiêm muii 2" -> "tiêm mũi 2"), from the index's own statistics: the
 * written forms of each syllable (E terms) and how often two written
 * syllables stand together (C pair terms). */
#ifndef VNSEARCH_LIB_SPELL_H
#define VNSEARCH_LIB_SPELL_H

#include <stddef.h>

#include "query.h"
#include "xapian.h"

/* The written forms of the index's syllables, by folded form; built from
 * the E terms on first use, per reader (not thread-safe). */
struct vns_spell;

int vns_spell_new(struct vns_xdb *db, struct vns_spell **out,
                  struct vns_err *err);
void vns_spell_free(struct vns_spell *sp);

/* The query string (qs, qlen), parsed as q, with its loose syllables
 * rewritten where the index says they are better written otherwise. *out
 * is malloc'd (free it), or NULL when the query is best as typed. */
int vns_spell_suggest(struct vns_spell *sp, struct vns_xdb *db,
                      const struct vns_query *q, const char *qs, size_t qlen,
                      char **out, struct vns_err *err);

#endif
