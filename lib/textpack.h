/* Stored record parts compressed with zstd. The extracted text of a
 * document is its largest part (about the size of the file), then its
 * words in order and its metadata JSON; a shown hit reads them whole.
 *
 * Notices are formulaic (the same headings, bodies, closing lines and
 * metadata keys), so each index trains a dictionary for its texts and
 * one for its JSON on its first documents (packdict.h): a part packed
 * with one names it by the frame's dictionary id, and unpacks wherever
 * that dictionary was registered (vns_pack_register). Small seed 703
 * (2,500 notices), level 3: texts 8.2 -> 4.7 MB, JSON 3.7 -> 0.7 MB.
 * The words in order (wordseq.h) stay as they are: a dictionary takes
 * them from 8.5 to 5.6 MB, but the re-rank reads ~15 a query, and
 * unpacking them cost more than the smaller values saved (medium seed
 * 21, batch p50 2.15-2.27 ms packed against 2.03-2.05 left as they are;
 * 2.09-2.20 before any dictionary).
 *
 * A part that does not start with a zstd frame is the part itself
 * (indexes of format 2, parts packing would not shrink, JSON packed
 * without a dictionary): valid UTF-8 and JSON never start like a
 * frame. */
#ifndef VNSEARCH_LIB_TEXTPACK_H
#define VNSEARCH_LIB_TEXTPACK_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/err.h"

/* The kinds of part with a dictionary of their own. */
enum vns_pack_kind {
    VNS_PACK_TEXT, /* without a dictionary: packed plain all the same */
    VNS_PACK_JSON, /* the record and metadata; without one: as it is */
    VNS_PACK_KINDS
};

/* A writer's dictionaries, one a kind, any of them absent; immutable once
 * made, so any thread may pack with them. */
struct vns_packdicts;

/* The value to store for part s (len bytes) of kind: *out (malloc'd, the
 * caller frees it) and its length. With z's dictionary for kind when
 * there is one (z may be NULL). */
int vns_pack(const struct vns_packdicts *z, enum vns_pack_kind kind,
             const char *s, size_t len, char **out, size_t *outlen,
             struct vns_err *err);
/* vns_pack of a text without a dictionary. */
int vns_text_pack(const char *text, size_t len, char **out, size_t *outlen,
                  struct vns_err *err);
/* A stored part (*buf, *len, malloc'd and NUL-terminated) made the part
 * in place: unchanged when it is not a frame. VNS_EINDEX when a frame is
 * damaged, says it holds more than VNS_MAX_TEXT bytes, or names a
 * dictionary not registered in this process. */
int vns_unpack(char **buf, size_t *len, struct vns_err *err);
/* The same, for the text part. */
int vns_text_unpack(char **buf, size_t *len, struct vns_err *err);
/* Is s (len bytes) a frame? */
int vns_is_packed(const char *s, size_t len);
/* The id of the dictionary frame s (len bytes) was packed with; 0 when
 * none or s is not a frame. */
uint32_t vns_packed_dict(const char *s, size_t len);

/* Train a dictionary of kind on samples: n of them, sizes[i] bytes each,
 * one after the other in buf. *dict (malloc'd) and its length; *dict NULL
 * when the samples are too few or too alike to make one (not an error).
 * The dictionary's id comes from its content. */
int vns_pack_train(enum vns_pack_kind kind, const char *buf,
                   const size_t *sizes, size_t n, char **dict, size_t *len,
                   struct vns_err *err);
/* The id a dictionary's bytes give; 0 when they are not one. */
uint32_t vns_pack_dict_id(const char *dict, size_t len);
/* Dictionaries to pack with from their bytes (dict[k], len[k]; NULL
 * for none of kind k). */
int vns_packdicts_new(const char *const dict[VNS_PACK_KINDS],
                      const size_t len[VNS_PACK_KINDS],
                      struct vns_packdicts **out, struct vns_err *err);
void vns_packdicts_free(struct vns_packdicts *z);
/* The id of z's dictionary of kind, 0 when none. */
uint32_t vns_packdicts_id(const struct vns_packdicts *z,
                          enum vns_pack_kind kind);

/* Let frames naming dict's id unpack in this process from now on (a
 * reader registers its index's dictionaries when it opens or moves to a
 * new revision). Registering one twice is nothing; another dictionary
 * under an id already taken is VNS_EINDEX. At most VNS_PACK_MAX_DICTS. */
#define VNS_PACK_MAX_DICTS 1024
int vns_pack_register(const char *dict, size_t len, struct vns_err *err);

#endif
