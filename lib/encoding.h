/* Text encodings Vietnamese notices come in besides UTF-8: which one a
 * file is in, and its bytes as UTF-8. NFC is vns_text_clean's job. */
#ifndef VNSEARCH_LIB_ENCODING_H
#define VNSEARCH_LIB_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#include "vnsearch/err.h"

enum vns_encoding {
    VNS_ENC_UTF16LE,
    VNS_ENC_UTF16BE,
    VNS_ENC_CP1258, /* Windows-1258: base letters + combining tone marks */
    VNS_ENC_VISCII, /* RFC 1456 */
    VNS_ENC_TCVN3,  /* TCVN 5712:1993 VN3, the ABC .VnTime fonts */
    VNS_ENC_VNI     /* VNI-Windows fonts: base letter + a mark byte */
};

/* "utf-16le", "utf-16be", "cp1258", "viscii", "tcvn3", "vni". */
const char *vns_encoding_name(enum vns_encoding e);

/* The encoding a charset label names ("UTF-16LE", "windows-1258",
 * "VISCII", "TCVN5712-1", "x-viet-vni"...), case-insensitive; false when
 * it names none of ours. */
bool vns_encoding_from_label(const char *label, enum vns_encoding *out);

/* Which encoding data[0..len), not UTF-8, is in. label is libmagic's
 * charset or a declared one (may be NULL): a UTF-16 byte order mark or a
 * label of ours is taken at its word; otherwise each Vietnamese 8-bit
 * encoding decodes the start of the text and the one whose words are
 * Vietnamese syllables wins, by a clear margin. Returns VNS_OK with *out,
 * or VNS_EUNSUPPORTED: "unsupported text encoding (looks like viscii or
 * tcvn3)" when two fit, "unsupported text encoding <label>" when none
 * does. */
int vns_encoding_detect(const char *data, size_t len, const char *label,
                        enum vns_encoding *out, struct vns_err *err);

/* Decode data[0..len) from e to UTF-8 (a UTF-16 byte order mark is
 * dropped; tones may stay combining marks). Undecodable bytes, odd
 * trailing bytes and lone surrogates become U+FFFD, counted in *nbad (may
 * be NULL). On VNS_OK *out is malloc'd (free it) and NUL-terminated.
 * VNS_ENOMEM, VNS_ETOOBIG past VNS_MAX_TEXT, VNS_EINTERNAL when iconv
 * lacks a converter. */
int vns_encoding_decode(enum vns_encoding e, const char *data, size_t len,
                        char **out, size_t *outlen, size_t *nbad,
                        struct vns_err *err);

/* vns_encoding_detect, then vns_encoding_decode. */
int vns_encoding_to_utf8(const char *data, size_t len, const char *label,
                         char **out, size_t *outlen, size_t *nbad,
                         struct vns_err *err);

#endif
