/* Token checkpoints: where every VNS_TOKMAP_STEP-th token of a stored text
 * starts, in bytes (VNS_SLOT_TOKMAP). A hit's snippets start from the
 * positions the word-order re-rank read, not from a screen of its whole
 * text: position p is analyzed from the checkpoint at or before it. */
#ifndef VNSEARCH_LIB_TOKMAP_H
#define VNSEARCH_LIB_TOKMAP_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

/* Every 16th token: a long notice's ~2,000 syllables cost ~250 bytes, and
 * a snippet analyzes at most 15 tokens before the one it wants. */
#define VNS_TOKMAP_STEP 16

/* The value being built: the step as its first byte, then the offsets'
 * differences as LEB128 numbers. */
struct vns_tokmap_builder {
    char *buf;
    size_t n, cap;
    uint32_t next; /* the next position to mark */
    size_t last;   /* the offset marked last */
};

/* Note the token at position pos (the analyzer's, from 0, ascending)
 * starting at byte off; marks it when it is the next checkpoint. */
int vns_tokmap_add(struct vns_tokmap_builder *b, uint32_t pos, size_t off,
                   struct vns_err *err);
void vns_tokmap_fini(struct vns_tokmap_builder *b);

/* The checkpoints of value v[0..n) for a text of len bytes: *offs
 * (malloc'd, ascending, each < len) with *count of them, the step in
 * *step. VNS_EINDEX when the value is damaged (an offset past the text,
 * a number cut short, step 0). */
int vns_tokmap_read(const char *v, size_t n, size_t len, uint32_t **offs,
                    size_t *count, unsigned *step, struct vns_err *err);

#endif
