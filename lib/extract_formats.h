/* Internal to extraction: the per-format extractors behind vns_extract_blob
 * and the text buffer they write into. Callers outside lib/ use extract.h. */
#ifndef VNSEARCH_LIB_EXTRACT_FORMATS_H
#define VNSEARCH_LIB_EXTRACT_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "vnsearch/err.h"

/* extract_text.c ------------------------------------------------------ */

/* Extracted text growing one paragraph per line: runs of white space
 * (NO-BREAK SPACE too) become one space, lines are trimmed, empty lines
 * never appear. Stops at VNS_MAX_TEXT bytes. Start it zeroed. */
struct vns_textbuf {
    char *data; /* malloc'd; NUL-terminated while len > 0 */
    size_t len, cap;
    bool space; /* a collapsed blank waits for the next word */
};

/* Append s[0..n). With keep_breaks, '\n' in s ends a line (code blocks,
 * <pre>); else it is white space like any other.
 * Returns VNS_OK, VNS_ETOOBIG or VNS_ENOMEM. */
int vns_textbuf_add(struct vns_textbuf *tb, const char *s, size_t n,
                    bool keep_breaks, struct vns_err *err);
/* Same for a NUL-terminated string. */
int vns_textbuf_puts(struct vns_textbuf *tb, const char *s,
                     struct vns_err *err);
/* End the current line, if any text is on it. */
int vns_textbuf_break(struct vns_textbuf *tb, struct vns_err *err);
/* Move the text out: *out is malloc'd (free it), NUL-terminated, never
 * NULL on VNS_OK; tb is empty afterwards. */
int vns_textbuf_take(struct vns_textbuf *tb, char **out, size_t *outlen,
                     struct vns_err *err);
void vns_textbuf_fini(struct vns_textbuf *tb);

/* Length of a UTF-8 byte order mark at the start of s (3 or 0). */
size_t vns_text_bom(const char *s, size_t len);

/* True when s, sniffed as text by libmagic with an unknown 8-bit or no
 * charset, is UTF-8 with a few broken bytes rather than a legacy
 * encoding or binary data. */
bool vns_text_mostly_utf8(const char *s, size_t len);

/* True when clean UTF-8 text reads as Markdown (ATX headings, fenced code,
 * links, pipe tables, emphasis), scored on its content alone. */
bool vns_text_is_markdown(const char *s, size_t len);

/* extract_md.c -------------------------------------------------------- */

/* Markdown (CommonMark) to one paragraph per line: headings and paragraphs
 * are lines, list items start with "- " or "3. ", emphasis vanishes, code
 * and HTML blocks keep their literal text. s must be valid UTF-8.
 * On VNS_OK *out is malloc'd (free it). VNS_ENOMEM, VNS_ETOOBIG. */
int vns_md_extract(const char *s, size_t len, char **out, size_t *outlen,
                   struct vns_err *err);

/* extract_html.c ------------------------------------------------------ */

/* Start libxml2 once per process; safe to call from any thread. */
void vns_html_init(void);

/* The encoding to parse an HTML document with, given libmagic's charset:
 * "UTF-8" for UTF-8 and ASCII, else the <meta> declaration, else the
 * sniffed charset unless the bytes read as a Vietnamese 8-bit encoding,
 * as long as libxml2 can decode it. Writes it into enc (encsz bytes) and
 * returns true; or returns false and leaves in enc the declared charset
 * libxml2 cannot read, or "" when none is declared (encoding.h then
 * decodes the bytes). */
bool vns_html_encoding(const char *data, size_t len, const char *sniffed,
                       char *enc, size_t encsz);

/* Parse HTML in encoding enc and extract its visible text, one block per
 * line (script, style, noscript, template and head are skipped). *title
 * gets the <title> text, malloc'd, or NULL. On VNS_OK *out is malloc'd.
 * VNS_EBADDATA when libxml2 gives up, VNS_ENOMEM, VNS_ETOOBIG. */
int vns_html_extract(const char *data, size_t len, const char *enc, char **out,
                     size_t *outlen, char **title, struct vns_err *err);

/* extract_docx.c ------------------------------------------------------ */

/* A zip package to one paragraph per line: DOCX (word/document.xml: runs,
 * tabs, breaks; a table row per line) or ODT (content.xml: text:p, text:h,
 * spans, table rows), told apart by their entries. Each part inflates to
 * at most 64 MiB and nests at most 200 deep. On VNS_OK *out is malloc'd and
 * *format is "docx" or "odt". VNS_EBADDATA for a damaged zip or invalid
 * XML ("word/document.xml: invalid XML at line N: ..."), VNS_ETOOBIG (zip
 * bomb, too many entries, text over VNS_MAX_TEXT), VNS_EUNSUPPORTED (no
 * document inside, encrypted entry), VNS_ENOMEM. */
int vns_office_extract(const char *data, size_t len, char **out, size_t *outlen,
                       const char **format, struct vns_err *err);

/* extract_pdf.c ------------------------------------------------------- */

/* A PDF's text through pdftotext -layout in a sandbox (20 s of CPU, 1 GiB
 * of memory, 30 s of wall clock, 64 MiB of output), hard wrapping
 * repaired. On VNS_OK *out is malloc'd. VNS_EUNSUPPORTED for "PDF is
 * encrypted", "no text layer (scanned?)" (then *scanned, unless NULL, is
 * the number of pages) or a missing pdftotext;
 * VNS_EBADDATA "PDF cannot be read: <poppler's reason>"; VNS_ETOOBIG
 * when a limit was hit; VNS_EIO, VNS_ENOMEM. */
int vns_pdf_extract(const char *data, size_t len, char **out, size_t *outlen,
                    size_t *scanned, struct vns_err *err);

#endif
