/* Harness: the extractors on a file's bytes. The first byte picks the
 * route (byte % 6): 0 the whole vns_extract_blob (libmagic decides; PDFs
 * are skipped, pdftotext runs in a sandbox process), 1 HTML (encoding
 * choice, libxml2), 2 Markdown (cmark), 3 DOCX/ODT, 4 the zip layer alone,
 * 5 the text sniffers and the title guess. */
#include "fuzz.h"

#include <string.h>

#include "extract.h"
#include "extract_formats.h"
#include "title.h"
#include "vnsearch/analyze.h"
#include "zip.h"

static struct vns_extractor *ex;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct vns_err err = {0};

    (void)argc;
    (void)argv;
    if (vns_extractor_new(&ex, &err) != VNS_OK) {
        fprintf(stderr, "fuzz_extract: %s\n", err.msg);
        abort();
    }
    vns_html_init();
    return 0;
}

static void check_text(char *s, size_t n)
{
    FUZZ_CHECK(s != NULL && s[n] == '\0');
}

static bool has_pdf(const char *s, size_t n)
{
    if (n > 1024)
        n = 1024;
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(s + i, "%PDF", 4) == 0)
            return true;
    return false;
}

static void blob(const char *s, size_t n)
{
    struct vns_text t = {0};
    struct vns_err err = {0};

    if (has_pdf(s, n))
        return;
    if (vns_extract_blob(ex, "fuzz", s, n, &t, &err) != VNS_OK)
        return;
    check_text(t.text, t.len);
    FUZZ_CHECK(fuzz_utf8_ok(t.text, t.len));
    FUZZ_CHECK(t.format != NULL);
    if (t.title != NULL)
        FUZZ_CHECK(fuzz_utf8_ok(t.title, strlen(t.title)));
    vns_text_fini(&t);
}

static void html(const char *s, size_t n, unsigned sel)
{
    static const char *const sniffed[] = {
        "utf-8", "us-ascii", "iso-8859-1", "unknown-8bit", "", "windows-1258"};
    char enc[64], *out = NULL, *title = NULL, *clean = NULL;
    size_t outlen = 0, clen = 0;

    if (!vns_html_encoding(s, n, sniffed[sel % 6], enc, sizeof(enc)))
        strcpy(enc, "UTF-8");
    if (strcmp(enc, "UTF-8") == 0) {
        /* as extract.c: libxml2 gets clean UTF-8 */
        if (vns_text_clean(s, n, &clean, &clen, NULL, NULL) != VNS_OK)
            return;
        s = clean;
        n = clen;
    }
    if (vns_html_extract(s, n, enc, &out, &outlen, &title, NULL) == VNS_OK)
        check_text(out, outlen);
    free(out);
    free(title);
    free(clean);
}

static void markdown(const char *s, size_t n)
{
    char *out = NULL;
    size_t outlen = 0;

    if (!fuzz_utf8_ok(s, n) || memchr(s, 0, n) != NULL)
        return;
    if (vns_md_extract(s, n, &out, &outlen, NULL) == VNS_OK) {
        check_text(out, outlen);
        FUZZ_CHECK(fuzz_utf8_ok(out, outlen));
    }
    free(out);
}

static void office(const char *s, size_t n)
{
    const char *format = NULL;
    char *out = NULL;
    size_t outlen = 0;

    if (vns_office_extract(s, n, &out, &outlen, &format, NULL) == VNS_OK) {
        check_text(out, outlen);
        FUZZ_CHECK(format != NULL);
    }
    free(out);
}

static void zip(const char *s, size_t n)
{
    static const char *const names[] = {
        "word/document.xml",   "content.xml", "mimetype",
        "[Content_Types].xml", "a",           ""};
    struct vns_zip *z = NULL;

    if (vns_zip_open(s, n, &z, NULL) != VNS_OK)
        return;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *out = NULL;
        size_t outlen = 0;
        bool has = vns_zip_has(z, names[i]);
        int rc = vns_zip_read(z, names[i], 1u << 20, &out, &outlen, NULL);
        if (rc == VNS_OK) {
            FUZZ_CHECK(has);
            FUZZ_CHECK(outlen <= 1u << 20);
            check_text(out, outlen);
        }
        free(out);
    }
    vns_zip_close(z);
}

static void sniff(const char *s, size_t n)
{
    char *title = NULL, *clean = NULL;
    size_t clen = 0;

    (void)vns_text_mostly_utf8(s, n);
    FUZZ_CHECK(vns_text_bom(s, n) <= n);
    if (vns_text_clean(s, n, &clean, &clen, NULL, NULL) != VNS_OK)
        return;
    (void)vns_text_is_markdown(clean, clen);
    if (vns_title_guess(clean, clen, NULL, &title, NULL) == VNS_OK &&
        title != NULL) {
        FUZZ_CHECK(strlen(title) <= VNS_TITLE_MAX);
        FUZZ_CHECK(fuzz_utf8_ok(title, strlen(title)));
    }
    free(title);
    free(clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data + 1;
    size_t n;

    if (size == 0)
        return 0;
    n = size - 1;
    switch (data[0] % 6) {
    case 0:
        blob(s, n);
        break;
    case 1:
        html(s, n, data[0] / 6);
        break;
    case 2:
        markdown(s, n);
        break;
    case 3:
        office(s, n);
        break;
    case 4:
        zip(s, n);
        break;
    default:
        sniff(s, n);
        break;
    }
    return 0;
}
