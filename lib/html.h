/* HTML text out of untrusted UTF-8: the five characters that end a text
 * or an attribute value become entities; the rest is copied. */
#ifndef VNSEARCH_HTML_H
#define VNSEARCH_HTML_H

#include <stddef.h>

/* Bytes vns_html_escape writes for s (len bytes), without the NUL. */
size_t vns_html_escaped_len(const char *s, size_t len);

/* Write s (len bytes) to out (cap bytes) with & < > " ' as &amp; &lt;
 * &gt; &quot; &#39;, NUL-terminated. Returns the length written, or
 * (size_t)-1 when cap is too small (out then holds ""). Safe both in
 * element text and in a quoted attribute value. */
size_t vns_html_escape(const char *s, size_t len, char *out, size_t cap);

/* The same, malloc'd (free it); NULL when out of memory. */
char *vns_html_escape_dup(const char *s, size_t len);

#endif
