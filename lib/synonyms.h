/* Query-time synonyms from data/synonyms.tsv: which folded syllable runs
 * of a query also mean other phrases. Building the query is search.c's. */
#ifndef VNSEARCH_LIB_SYNONYMS_H
#define VNSEARCH_LIB_SYNONYMS_H

#include <stddef.h>

#include "vnsearch/err.h"

struct vns_synonyms;

/* Most syllables in one phrase of the file. */
#define VNS_SYN_MAX_WORDS 16

/* A phrase of folded syllables ("uy", "ban", "nhan", "dan"). */
struct vns_synphrase {
    const char *const *words;
    size_t n;
};

/* Load path, or with path NULL $VNSEARCH_SYNONYMS (the configured file),
 * else "synonyms.tsv" found by vns_datadir_find (VNS_ENOTFOUND when no
 * data directory has it). Free with
 * vns_synonyms_free. Errors: VNS_EIO, VNS_ETOOBIG (over 1 MB), VNS_EBADDATA
 * (a line with one column, or a phrase over VNS_SYN_MAX_WORDS
 * syllables), VNS_ENOMEM. */
int vns_synonyms_open(const char *path, struct vns_synonyms **out,
                      struct vns_err *err);
/* Parse text[0..len) in the file's format; name is for messages. */
int vns_synonyms_parse(const char *name, const char *text, size_t len,
                       struct vns_synonyms **out, struct vns_err *err);
void vns_synonyms_free(struct vns_synonyms *s);

/* The longest rule whose words open the folded syllables seq[0..n):
 * returns how many syllables it covers (0: none) and sets *alts and
 * *nalts to its expansions, borrowed from s. */
size_t vns_synonyms_match(const struct vns_synonyms *s, const char *const *seq,
                          size_t n, const struct vns_synphrase **alts,
                          size_t *nalts);

#endif
