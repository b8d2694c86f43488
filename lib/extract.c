/* From a file's bytes to clean text: read, detect, dispatch to a format
 * extractor, clean, repair paragraphs, guess the title. */
#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "detect.h"
#include "encoding.h"
#include "extract_formats.h"
#include "ocr.h"
#include "title.h"
#include "vnsearch/analyze.h"

struct vns_extractor {
    struct vns_detector *det;
};

/* errno of a failed open/read as our code: a missing file is "not found",
 * everything else an I/O error. */
static int errno_code(int e)
{
    return e == ENOENT || e == ENOTDIR ? VNS_ENOTFOUND : VNS_EIO;
}

/* Read fd to its end, at most max bytes; size is fstat's guess, and the
 * file may shrink or grow while we read it. */
static int read_all(int fd, const char *path, size_t size, size_t max,
                    struct vns_blob *out, struct vns_err *err)
{
    size_t cap = size + 1 < max + 1 ? size + 1 : max + 1, len = 0;
    char *buf = NULL, *p;
    ssize_t got;
    int rc = VNS_OK;

    if (cap < 4096 && max >= 4096)
        cap = 4096; /* /proc-like files say 0 and still have bytes */
    buf = malloc(cap + 1);
    if (buf == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    for (;;) {
        if (len == cap) {
            /* grown since fstat: read on, up to one byte past max */
            if (cap > max) {
                rc = vns_err_set(err, VNS_ETOOBIG, "%s: file over %zu bytes",
                                 path, max);
                goto out;
            }
            cap = cap > max / 2 ? max + 1 : cap * 2;
            p = realloc(buf, cap + 1);
            if (p == NULL) {
                rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
                goto out;
            }
            buf = p;
        }
        got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    if (len > max) {
        rc =
            vns_err_set(err, VNS_ETOOBIG, "%s: file over %zu bytes", path, max);
        goto out;
    }
    buf[len] = '\0';
    out->data = buf;
    out->len = len;
    buf = NULL;
out:
    free(buf);
    return rc;
}

int vns_blob_read(const char *path, size_t max, struct vns_blob *out,
                  struct vns_err *err)
{
    struct stat st;
    int fd = -1, rc = VNS_OK;

    if (path == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_blob_read: no path");
    if (max > SIZE_MAX / 2)
        max = SIZE_MAX / 2; /* room for the byte past max and the NUL */
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat below
     * turns it away. Symlinks are followed like any reader would. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        rc = vns_err_set(err, errno_code(errno), "%s: %s", path,
                         strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0) {
        rc = vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = vns_err_set(err, VNS_EIO, "%s: %s", path, strerror(EISDIR));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = vns_err_set(err, VNS_EIO, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_size < 0 || (unsigned long long)st.st_size > max) {
        rc = vns_err_set(err, VNS_ETOOBIG, "%s: file is %lld bytes, over %zu",
                         path, (long long)st.st_size, max);
        goto out;
    }
    rc = read_all(fd, path, (size_t)st.st_size, max, out, err);
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

void vns_blob_fini(struct vns_blob *b)
{
    if (b == NULL)
        return;
    free(b->data);
    *b = (struct vns_blob){0};
}

void vns_text_fini(struct vns_text *t)
{
    if (t == NULL)
        return;
    free(t->text);
    free(t->title);
    *t = (struct vns_text){0};
}

int vns_extractor_new(struct vns_extractor **out, struct vns_err *err)
{
    struct vns_extractor *ex;
    int rc;

    if (out == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_extractor_new: no out");
    ex = calloc(1, sizeof(*ex));
    if (ex == NULL)
        return vns_err_set(err, VNS_ENOMEM, "extractor: out of memory");
    rc = vns_detector_new(&ex->det, err);
    if (rc != VNS_OK)
        goto out;
    vns_html_init();
    *out = ex;
    ex = NULL;
out:
    vns_extractor_free(ex);
    return rc;
}

void vns_extractor_free(struct vns_extractor *ex)
{
    if (ex == NULL)
        return;
    vns_detector_free(ex->det);
    free(ex);
}

enum format {
    F_NONE,
    F_TEXT, /* plain text or Markdown, told apart by content */
    F_HTML,
    F_OFFICE, /* DOCX or ODT, told apart by their zip entries */
    F_PDF,
    F_IMAGE /* PNG, JPEG or TIFF: only through OCR */
};

/* Scans come as these; "png", "jpeg" or "tiff" as the format, or NULL. */
static const char *image_format(const char *type)
{
    if (strcmp(type, "image/png") == 0)
        return "png";
    if (strcmp(type, "image/jpeg") == 0)
        return "jpeg";
    if (strcmp(type, "image/tiff") == 0)
        return "tiff";
    return NULL;
}

/* Zip packages: a bare "application/zip" may still hold a DOCX. */
static bool is_office_type(const char *type)
{
    return strcmp(type, "application/vnd.openxmlformats-officedocument."
                        "wordprocessingml.document") == 0 ||
           strcmp(type, "application/vnd.oasis.opendocument.text") == 0 ||
           strcmp(type, "application/zip") == 0;
}

/* OLE2 compound files: Word 97-2003 (libmagic says "application/cdfv2"
 * when it cannot tell which Office program wrote one). */
static bool is_ole_type(const char *type)
{
    return strcmp(type, "application/msword") == 0 ||
           strcmp(type, "application/cdfv2") == 0 ||
           strcmp(type, "application/x-ole-storage") == 0;
}

static bool is_utf8(const char *cs)
{
    return strcmp(cs, "utf-8") == 0 || strcmp(cs, "us-ascii") == 0;
}

/* "text/plain", "text/x-c" (libmagic mistakes prose for code), "text/csv",
 * "text/troff" (prose whose first line starts with a dot: ".Bd là tên
 * miền..."): any text that is not markup we read otherwise, nor RTF. */
static bool is_plain_type(const char *type)
{
    return strncmp(type, "text/", 5) == 0 && strcmp(type, "text/html") != 0 &&
           strcmp(type, "text/xml") != 0 && strcmp(type, "text/rtf") != 0;
}

/* XHTML with an XML prolog is "text/xml" to libmagic. */
static bool looks_xhtml(const char *data, size_t len)
{
    size_t n = len < 4096 ? len : 4096;

    for (size_t i = 0; i + 5 <= n; i++)
        if (data[i] == '<' && strncasecmp(data + i + 1, "html", 4) == 0)
            return true;
    return false;
}

/* Pick the extractor from the sniffed type, or say why not. */
static int choose(const char *data, size_t len, const struct vns_mime *mt,
                  enum format *fmt, struct vns_err *err)
{
    /* libmagic calls some prose audio or video when its first bytes look
     * like a stream header ("Vụ Watergate..." is audio/x-mp4a-latm); real
     * media is binary and fails the UTF-8 test below */
    bool misread_media = (strncmp(mt->type, "audio/", 6) == 0 ||
                          strncmp(mt->type, "video/", 6) == 0) &&
                         vns_text_mostly_utf8(data, len);
    bool text_like = is_plain_type(mt->type) ||
                     strcmp(mt->type, "application/octet-stream") == 0 ||
                     misread_media;

    if (strcmp(mt->type, "text/html") == 0 ||
        strcmp(mt->type, "application/xhtml+xml") == 0 ||
        ((strcmp(mt->type, "text/xml") == 0 ||
          strcmp(mt->type, "application/xml") == 0) &&
         looks_xhtml(data, len))) {
        *fmt = F_HTML;
        return VNS_OK;
    }
    if (is_office_type(mt->type)) {
        *fmt = F_OFFICE;
        return VNS_OK;
    }
    if (strcmp(mt->type, "application/pdf") == 0) {
        *fmt = F_PDF;
        return VNS_OK;
    }
    if (image_format(mt->type) != NULL && vns_ocr_mode() != VNS_OCR_OFF) {
        *fmt = F_IMAGE;
        return VNS_OK;
    }
    if (is_ole_type(mt->type))
        return vns_err_set(err, VNS_EUNSUPPORTED,
                           "legacy Word .doc (OLE) is not supported: save it "
                           "as DOCX or PDF");
    if (!text_like)
        return vns_err_set(err, VNS_EUNSUPPORTED, "unsupported type %s",
                           mt->type);
    /* UTF-8 with a stray bad byte is "unknown-8bit" (or even binary when
     * a NUL slipped in): still worth reading, the bad bytes become U+FFFD */
    if (is_utf8(mt->charset) || vns_text_mostly_utf8(data, len)) {
        *fmt = F_TEXT;
        return VNS_OK;
    }
    /* VISCII keeps six letters at C0 positions, so libmagic may call it
     * binary: only a clear Vietnamese reading makes such bytes text */
    if (strcmp(mt->type, "application/octet-stream") == 0 ||
        strcmp(mt->charset, "binary") == 0) {
        enum vns_encoding enc;

        if (vns_encoding_detect(data, len, mt->charset, &enc, NULL) != VNS_OK)
            return vns_err_set(err, VNS_EUNSUPPORTED, "unsupported type %s",
                               mt->type);
    }
    *fmt = F_TEXT; /* UTF-16 or an 8-bit encoding: extract_text decodes it */
    return VNS_OK;
}

static bool has_letter(const char *s, size_t len)
{
    int32_t i = 0, n = (int32_t)len;
    UChar32 c;

    while (i < n) {
        U8_NEXT((const uint8_t *)s, i, n, c);
        if (c >= 0 && u_isalpha(c))
            return true;
    }
    return false;
}

/* Plain text or Markdown: clean first (so bad bytes are counted), then
 * let Markdown give paragraphs or repair the PDF wrapping. */
static int extract_text(const char *data, size_t len, const char *charset,
                        char **body, size_t *blen, size_t *nbad,
                        const char **format, struct vns_err *err)
{
    char *clean = NULL, *utf8 = NULL;
    size_t clen = 0, ulen = 0, ubad = 0, bom;
    int rc;

    if (!is_utf8(charset) && !vns_text_mostly_utf8(data, len)) {
        /* UTF-16, Windows-1258, VISCII, TCVN3 or VNI: UTF-8 first */
        rc = vns_encoding_to_utf8(data, len, charset, &utf8, &ulen, &ubad, err);
        if (rc != VNS_OK)
            goto out;
        data = utf8;
        len = ulen;
    }
    bom = vns_text_bom(data, len);
    rc = vns_text_clean(data + bom, len - bom, &clean, &clen, nbad, err);
    if (rc != VNS_OK)
        goto out;
    *nbad += ubad;
    if (vns_text_is_markdown(clean, clen)) {
        *format = "markdown";
        rc = vns_md_extract(clean, clen, body, blen, err);
    } else {
        *format = "text";
        rc = vns_paragraphs_repair(clean, clen, body, blen, err);
    }
out:
    free(utf8);
    free(clean);
    return rc;
}

static int extract_html(const char *data, size_t len, const char *charset,
                        char **body, size_t *blen, size_t *nbad,
                        char **html_title, struct vns_err *err)
{
    char enc[64], *clean = NULL, *utf8 = NULL;
    size_t clen = 0, ulen = 0, ubad = 0;
    int rc;

    if (!vns_html_encoding(data, len, charset, enc, sizeof(enc))) {
        if (!vns_text_mostly_utf8(data, len)) {
            /* undeclared, or declared in a charset libxml2 cannot read
             * (VNI, TCVN3, Windows-1258 without iconv): decode it here */
            rc = vns_encoding_to_utf8(data, len, enc[0] != '\0' ? enc : charset,
                                      &utf8, &ulen, &ubad, err);
            if (rc != VNS_OK)
                goto out;
            data = utf8;
            len = ulen;
        }
        strcpy(enc, "UTF-8");
    }
    if (strcmp(enc, "UTF-8") == 0) {
        /* libxml2 stops or switches encoding at the first bad byte;
         * replace bad bytes ourselves and count them like for text */
        size_t bom = vns_text_bom(data, len);

        rc = vns_text_clean(data + bom, len - bom, &clean, &clen, nbad, err);
        if (rc != VNS_OK)
            goto out;
        *nbad += ubad;
        data = clean;
        len = clen;
    }
    rc = vns_html_extract(data, len, enc, body, blen, html_title, err);
out:
    free(utf8);
    free(clean);
    return rc;
}

/* The text of page images, and what the document says about it. pages:
 * how many to expect, 0 when unknown. */
static int extract_ocr(const char *data, size_t len, unsigned pages,
                       char **body, size_t *blen, struct vns_text *txt,
                       struct vns_err *err)
{
    struct vns_ocr_text o = {0};
    int rc;

    rc = vns_ocr_file(data, len, pages, &o, err);
    if (rc != VNS_OK)
        return rc;
    *body = o.text; /* moved */
    *blen = o.len;
    txt->ocr = true;
    txt->ocr_cached = o.cached;
    txt->ocr_pages = o.pages;
    txt->ocr_confidence = o.confidence;
    return VNS_OK;
}

/* A PDF's text layer; OCR instead when it has none worth the name (or
 * always, with --ocr force). */
static int extract_pdf(const char *data, size_t len, char **body, size_t *blen,
                       struct vns_text *txt, struct vns_err *err)
{
    size_t pages = 0;
    int rc;

    if (vns_ocr_mode() == VNS_OCR_FORCE)
        return extract_ocr(data, len, 0, body, blen, txt, err);
    rc = vns_pdf_extract(data, len, body, blen, &pages, err);
    if (rc != VNS_EUNSUPPORTED || pages == 0 || vns_ocr_mode() == VNS_OCR_OFF)
        return rc;
    return extract_ocr(data, len, pages > 10000 ? 0 : (unsigned)pages, body,
                       blen, txt, err);
}

/* Extract, normalize, title: everything but naming the file in errors. */
static int extract(struct vns_extractor *ex, const char *data, size_t len,
                   struct vns_text *out, struct vns_err *err)
{
    struct vns_mime mt;
    enum format fmt = F_NONE;
    char *body = NULL, *html_title = NULL, *fallback = NULL;
    size_t blen = 0, nbad = 0, flen;
    struct vns_text txt = {0};
    int rc;

    rc = vns_detector_sniff(ex->det, data, len, &mt, err);
    if (rc != VNS_OK)
        goto out;
    rc = choose(data, len, &mt, &fmt, err);
    if (rc != VNS_OK)
        goto out;
    if (fmt == F_HTML) {
        txt.format = "html";
        rc = extract_html(data, len, mt.charset, &body, &blen, &nbad,
                          &html_title, err);
    } else if (fmt == F_OFFICE) {
        rc = vns_office_extract(data, len, &body, &blen, &txt.format, err);
    } else if (fmt == F_PDF) {
        txt.format = "pdf";
        rc = extract_pdf(data, len, &body, &blen, &txt, err);
    } else if (fmt == F_IMAGE) {
        txt.format = image_format(mt.type);
        /* a TIFF may hold many pages, other images one */
        rc = extract_ocr(data, len, strcmp(txt.format, "tiff") != 0, &body,
                         &blen, &txt, err);
    } else {
        rc = extract_text(data, len, mt.charset, &body, &blen, &nbad,
                          &txt.format, err);
    }
    if (rc != VNS_OK)
        goto out;
    /* Markdown and HTML decode entities and legacy encodings (Windows-1258
     * spells tones as combining marks): one more pass makes it NFC. */
    rc = vns_text_clean(body, blen, &txt.text, &txt.len, NULL, err);
    if (rc != VNS_OK)
        goto out;
    if (!has_letter(txt.text, txt.len)) {
        rc = vns_err_set(err, VNS_EBADDATA,
                         txt.ocr ? "no text recognized (OCR)" : "no text");
        goto out;
    }
    if (html_title != NULL) {
        rc = vns_text_clean(html_title, strlen(html_title), &fallback, &flen,
                            NULL, err);
        if (rc != VNS_OK)
            goto out;
    }
    rc = vns_title_guess(txt.text, txt.len, fallback, &txt.title, err);
    if (rc != VNS_OK)
        goto out;
    txt.bad_utf8 = nbad;
    *out = txt; /* moved: the caller owns it now */
    txt = (struct vns_text){0};
out:
    vns_text_fini(&txt);
    free(fallback);
    free(html_title);
    free(body);
    return rc;
}

int vns_extract_blob(struct vns_extractor *ex, const char *name,
                     const char *data, size_t len, struct vns_text *out,
                     struct vns_err *err)
{
    struct vns_err why = {0};
    int rc;

    if (name == NULL)
        name = "(buffer)";
    if (ex == NULL || out == NULL || (data == NULL && len > 0))
        return vns_err_set(err, VNS_EINVAL, "%s: no extractor or buffer", name);
    if (len == 0)
        return vns_err_set(err, VNS_EBADDATA, "%s: empty file", name);
    if (len > VNS_MAX_FILE)
        return vns_err_set(err, VNS_ETOOBIG, "%s: %zu bytes, over %u", name,
                           len, VNS_MAX_FILE);
    /* the steps below do not know the name: say it once, here */
    rc = extract(ex, data, len, out, &why);
    if (rc != VNS_OK)
        return vns_err_set(err, rc, "%s: %s", name, why.msg);
    return VNS_OK;
}

int vns_extract_file(struct vns_extractor *ex, const char *path,
                     struct vns_text *out, struct vns_err *err)
{
    struct vns_blob raw = {0};
    struct vns_text txt = {0};
    int rc;

    rc = vns_blob_read(path, VNS_MAX_FILE, &raw, err);
    if (rc != VNS_OK)
        goto out;
    rc = vns_extract_blob(ex, path, raw.data, raw.len, &txt, err);
    if (rc != VNS_OK)
        goto out;
    *out = txt; /* moved: the caller owns it now */
    txt = (struct vns_text){0};
out:
    vns_text_fini(&txt);
    vns_blob_fini(&raw);
    return rc;
}
