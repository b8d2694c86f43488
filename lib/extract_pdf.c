/* PDF to one paragraph per line: poppler's pdftotext in a sandboxed child,
 * its failures told in one line, the hard wrapping repaired afterwards. */
#include "extract_formats.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox.h"
#include "vnsearch/analyze.h"

/* What one PDF may cost; omindex runs its filters the same way. */
#define PDF_CPU_SECONDS 20
#define PDF_MEMORY (1024u * 1024 * 1024)
#define PDF_TIMEOUT_MS 30000
/* -layout pads columns with spaces: allow more than VNS_MAX_TEXT. */
#define PDF_MAX_OUTPUT VNS_MAX_FILE
/* Fewer letters than this per page on average: a scan with, at most, a
 * page number or a stamp as text. */
#define MIN_LETTERS_PER_PAGE 20

/* Letters in s: ASCII ones and the lead bytes of UTF-8 sequences (every
 * Vietnamese letter with a mark is one). Digits and punctuation are not
 * text a scan lacks. */
static size_t count_letters(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        n += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0xC0;
    }
    return n;
}

/* The line of poppler's stderr that says why: the last "Error" line,
 * else the last line, without its "Syntax Error (123): " prefix. */
static void reason(const char *errtext, char *buf, size_t bufsz)
{
    char line[200];
    const char *p = errtext, *colon;
    bool found = false;

    snprintf(buf, bufsz, "no reason given");
    while (*p != '\0') {
        size_t len = strcspn(p, "\n");

        if (len > 0) {
            snprintf(line, sizeof(line), "%.*s", (int)len, p);
            if (!found || strstr(line, "Error") != NULL) {
                colon = strstr(line, ": ");
                snprintf(buf, bufsz, "%s", colon != NULL ? colon + 2 : line);
                found = strstr(line, "Error") != NULL;
            }
        }
        p += len + (p[len] == '\n');
    }
}

/* Turn how pdftotext ended into our code and one line. */
static int judge(const struct vns_sandbox_result *res, struct vns_err *err)
{
    char why[200];

    switch (res->end) {
    case VNS_SANDBOX_TIMEOUT:
        return vns_err_set(err, VNS_ETOOBIG, "PDF took over %d s to read",
                           PDF_TIMEOUT_MS / 1000);
    case VNS_SANDBOX_CUT:
        return vns_err_set(err, VNS_ETOOBIG, "PDF text over %u bytes",
                           PDF_MAX_OUTPUT);
    case VNS_SANDBOX_SIGNALED:
        if (res->code == SIGXCPU || res->code == SIGKILL)
            return vns_err_set(err, VNS_ETOOBIG,
                               "PDF took over %d s of CPU to read",
                               PDF_CPU_SECONDS);
        reason(res->errtext, why, sizeof(why));
        return vns_err_set(err, VNS_EBADDATA,
                           "PDF cannot be read: pdftotext died of signal "
                           "%d (%s)",
                           res->code, why);
    case VNS_SANDBOX_EXITED:
        break;
    }
    if (res->code == 0)
        return VNS_OK;
    if (strstr(res->errtext, "Incorrect password") != NULL)
        return vns_err_set(err, VNS_EUNSUPPORTED, "PDF is encrypted");
    if (res->code == 3)
        return vns_err_set(err, VNS_EUNSUPPORTED,
                           "PDF is encrypted (copying text not allowed)");
    reason(res->errtext, why, sizeof(why));
    return vns_err_set(err, VNS_EBADDATA, "PDF cannot be read: %s", why);
}

int vns_pdf_extract(const char *data, size_t len, char **out, size_t *outlen,
                    size_t *scanned, struct vns_err *err)
{
    /* "-" twice: the PDF on stdin, the text on stdout; no file on disk */
    static const char *const argv[] = {"pdftotext", "-layout", "-enc", "UTF-8",
                                       "-",         "-",       NULL};
    static const struct vns_sandbox_limits lim = {
        .cpu_seconds = PDF_CPU_SECONDS,
        .memory = PDF_MEMORY,
        .max_output = PDF_MAX_OUTPUT,
        .timeout_ms = PDF_TIMEOUT_MS,
    };
    struct vns_sandbox_result res = {0};
    char *clean = NULL;
    size_t pages = 0, clen = 0;
    int rc;

    rc = vns_sandbox_run(argv, data, len, &lim, &res, err);
    if (rc == VNS_ENOTFOUND) {
        rc = vns_err_set(err, VNS_EUNSUPPORTED,
                         "PDF needs pdftotext (poppler-utils), not found");
        goto out;
    }
    if (rc != VNS_OK)
        goto out;
    rc = judge(&res, err);
    if (rc != VNS_OK)
        goto out;
    /* pdftotext ends every page with a form feed */
    for (size_t i = 0; i < res.out_len; i++) {
        if (res.out[i] == '\f') {
            pages++;
            res.out[i] = '\n';
        }
    }
    if (pages == 0)
        pages = 1;
    if (count_letters(res.out, res.out_len) < pages * MIN_LETTERS_PER_PAGE) {
        if (scanned != NULL)
            *scanned = pages; /* for OCR: how many pages to expect */
        rc = vns_err_set(err, VNS_EUNSUPPORTED, "no text layer (scanned?)");
        goto out;
    }
    rc = vns_text_clean(res.out, res.out_len, &clean, &clen, NULL, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_paragraphs_repair(clean, clen, out, outlen, err);
out:
    free(clean);
    vns_sandbox_result_fini(&res);
    return rc;
}
