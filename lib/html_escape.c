/* HTML escaping for the search page: text from documents and queries is
 * never markup. Which bytes are valid UTF-8 is the caller's business. */
#include "html.h"

#include <stdlib.h>
#include <string.h>

static const char *entity(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

size_t vns_html_escaped_len(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        const char *e = entity(s[i]);
        n += e ? strlen(e) : 1;
    }
    return n;
}

size_t vns_html_escape(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0;

    if (cap == 0)
        return (size_t)-1;
    for (size_t i = 0; i < len; i++) {
        const char *e = entity(s[i]);
        size_t k = e ? strlen(e) : 1;
        if (o + k >= cap) {
            out[0] = '\0';
            return (size_t)-1;
        }
        if (e)
            memcpy(out + o, e, k);
        else
            out[o] = s[i];
        o += k;
    }
    out[o] = '\0';
    return o;
}

char *vns_html_escape_dup(const char *s, size_t len)
{
    size_t n = vns_html_escaped_len(s, len);
    char *out = malloc(n + 1);

    if (out != NULL)
        vns_html_escape(s, len, out, n + 1);
    return out;
}
