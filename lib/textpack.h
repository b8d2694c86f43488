/* Stored texts, compressed with zstd: the extracted text of a document
 * is its largest value (about the size of the file), and a shown hit
 * reads it whole for its snippets. A value that does not start with a
 * zstd frame is the text itself (indexes of format 2, and texts that
 * compression would not shrink); valid UTF-8 never starts like a frame. */
#ifndef VNSEARCH_LIB_TEXTPACK_H
#define VNSEARCH_LIB_TEXTPACK_H

#include <stddef.h>

#include "vnsearch/err.h"

/* The value to store for text (len bytes): *out (malloc'd, the caller
 * frees it) and its length. */
int vns_text_pack(const char *text, size_t len, char **out, size_t *outlen,
                  struct vns_err *err);
/* A stored value (*buf, *len, malloc'd and NUL-terminated) made the text
 * in place: unchanged when it is not a frame. VNS_EINDEX when a frame is
 * damaged or says it holds more than VNS_MAX_TEXT bytes. */
int vns_text_unpack(char **buf, size_t *len, struct vns_err *err);

#endif
