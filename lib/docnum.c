/* Document number keys (docnum.h). */
#include "docnum.h"

#include <stdlib.h>
#include <string.h>

#include "fold.h"

int vns_docnum_key(const char *s, size_t len, char *out)
{
    char *f;
    size_t n, o = 0, i = 0;
    int letters = 0, seps = 0;

    out[0] = '\0';
    if (len == 0 || len > 4 * VNS_DOCNUM_MAX)
        return 0;
    f = malloc(len + 1);
    if (f == NULL)
        return 0;
    n = vns_fold_text(s, len, f);
    while (i < n && f[i] == ' ')
        i++;
    if (n - i > 2 && f[i] == 's' && f[i + 1] == 'o' &&
        (f[i + 2] == ' ' || f[i + 2] == ':'))
        i += 2; /* "Số: 2771/QĐ-UBND" */
    for (; i < n; i++) {
        char c = f[i];
        if (c == ':' && o == 0)
            continue;
        if (c == ' ') {
            /* "135 - TB/TU", "2771 / QĐ": spaces around a separator only */
            size_t j = i;
            while (j < n && f[j] == ' ')
                j++;
            if (o == 0 || j == n || f[j] == '/' || f[j] == '-' ||
                out[o - 1] == '/' || out[o - 1] == '-')
                continue;
            o = 0;
            break;
        }
        if (c == '0' && (o == 0 || out[o - 1] < '0' || out[o - 1] > '9') &&
            i + 1 < n && f[i + 1] >= '0' && f[i + 1] <= '9' && seps == 0)
            continue; /* leading zeros of the first number */
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
              c == '-') ||
            o + 1 >= VNS_DOCNUM_MAX) {
            o = 0;
            break;
        }
        letters += c >= 'a' && c <= 'z';
        seps += c == '/' || c == '-';
        out[o++] = c;
    }
    free(f);
    out[o] = '\0';
    if (o == 0 || out[0] < '0' || out[0] > '9' || letters == 0 || seps == 0) {
        out[0] = '\0';
        return 0;
    }
    return 1;
}
