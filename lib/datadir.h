/* Where vnsearch's data files (gazetteer, synonyms) live: one search order
 * for every program. Reading and parsing the files is their owners' job. */
#ifndef VNSEARCH_LIB_DATADIR_H
#define VNSEARCH_LIB_DATADIR_H

#include <stddef.h>

/* Find the data file name ("gazetteer.tsv") and write its path into out
 * (outsz bytes with the NUL). Looks, in order, in $VNSEARCH_DATA_DIR, in
 * <dir of the running program>/../data (an in-tree build/ finds the
 * repository's data/), in <dir of the running program>/../share/vnsearch
 * (an install, wherever it was copied), then in VNS_DATA_DIR (a string
 * macro given at build time: $(PREFIX)/share/vnsearch, see the Makefile).
 * The first readable file wins.
 * Returns VNS_OK, VNS_ENOTFOUND when no place has it, or VNS_ETOOBIG when
 * a path would not fit in out; out is untouched unless VNS_OK. */
int vns_datadir_find(const char *name, char *out, size_t outsz);

#endif
