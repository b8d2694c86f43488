/* Title guessing: the heading block of an extracted notice ("THÔNG BÁO
 * KẾT LUẬN CỦA ... về công tác phòng, chống dịch Covid-19") on one line. */
#ifndef VNSEARCH_LIB_TITLE_H
#define VNSEARCH_LIB_TITLE_H

#include <stddef.h>

#include "vnsearch/err.h"

/* Longest title in bytes (without the NUL); longer ones are cut at a
 * space, or at a UTF-8 boundary inside one very long word. */
#define VNS_TITLE_MAX 300

/* Guess the title of text (one paragraph per line, as extraction gives
 * it): the block that starts at a document-type line in capitals
 * ("THÔNG BÁO", "QUYẾT ĐỊNH"...) within the first 40 lines; else fallback
 * (an HTML <title>, may be NULL); else a letter's "V/v ..." subject;
 * else the first short lines past letterhead and salutation (of a body
 * line, its first clause; of a long paragraph, its first sentence).
 * On VNS_OK *out is malloc'd (free it), or NULL when nothing looks like a
 * title. Returns VNS_OK or VNS_ENOMEM. */
int vns_title_guess(const char *text, size_t len, const char *fallback,
                    char **out, struct vns_err *err);

#endif
