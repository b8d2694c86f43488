/* Pages to text: PDF pages rendered by poppler into cairo, images decoded
 * by Leptonica, each cleaned (gray, ~300 dpi, deskewed) and read by
 * Tesseract. Limits and reporting are main.c's. */
#include "recognize.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <leptonica/allheaders.h>
#include <poppler.h>
#include <tesseract/capi.h>

#include "vnsearch/err.h"

/* A page bigger than this is rendered or scaled smaller: an A4 page at
 * 300 dpi is 8.7 million pixels; a poster must not take gigabytes. */
#define MAX_PIXELS (40.0 * 1000 * 1000)
/* Images say their resolution, or we guess it from an A4 page's width. */
#define A4_WIDTH_INCHES 8.27
#define MIN_DPI 200 /* below: scaled up to TARGET_DPI */
#define TARGET_DPI 300
#define MAX_UPSCALE 4.0

struct ocr {
    const struct ocr_opts *o;
    TessBaseAPI *api;
    struct ocr_result *res;
    double weighted; /* sum of confidence x characters */
    size_t chars;
    char *why;
    size_t whysz;
};

static int fail(struct ocr *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct ocr *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(c->why, c->whysz, fmt, ap);
    va_end(ap);
    return 1;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int append(struct ocr *c, const char *s, size_t n)
{
    struct ocr_result *r = c->res;

    if (r->len + n + 1 > VNS_MAX_TEXT)
        return fail(c, "text over %u bytes", VNS_MAX_TEXT);
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 65536;
        char *p;

        while (cap < r->len + n + 1)
            cap *= 2;
        p = realloc(r->text, cap);
        if (p == NULL)
            return fail(c, "out of memory");
        r->text = p;
        r->cap = cap;
    }
    memcpy(r->text + r->len, s, n);
    r->len += n;
    r->text[r->len] = '\0';
    return 0;
}

/* Gray, about 300 dpi, straight: what Tesseract reads best. A scan at
 * 150 dpi has letters too small for its models; a page scanned 1-2°
 * askew breaks its lines. Returns a new Pix (or NULL: out of memory). */
static PIX *clean_page(PIX *in, int *dpi)
{
    PIX *gray, *big, *straight;
    int res = pixGetXRes(in), w = pixGetWidth(in);

    gray = pixConvertTo8(in, 0);
    if (gray == NULL)
        return NULL;
    if (res <= 0 || res > 2400) {
        res = (int)(w / A4_WIDTH_INCHES + 0.5);
        res = res < 72 ? 72 : res > 600 ? 600 : res;
    }
    if (res < MIN_DPI) {
        double f = (double)TARGET_DPI / res;

        if (f > MAX_UPSCALE)
            f = MAX_UPSCALE;
        if ((double)pixGetWidth(gray) * pixGetHeight(gray) * f * f <=
            MAX_PIXELS) {
            big = pixScale(gray, (float)f, (float)f);
            if (big != NULL) {
                pixDestroy(&gray);
                gray = big;
                res = (int)(res * f + 0.5);
            }
        }
    }
    /* a copy when no skew is found; NULL only when it cannot work */
    straight = pixDeskew(gray, 0);
    if (straight != NULL) {
        pixDestroy(&gray);
        gray = straight;
    }
    pixSetResolution(gray, res, res);
    *dpi = res;
    return gray;
}

/* Recognize one page; its text and a form feed go to the result. */
static int read_page(struct ocr *c, PIX *pix, unsigned pageno)
{
    ETEXT_DESC *mon = NULL;
    PIX *clean;
    char *text = NULL;
    double start;
    int dpi = TARGET_DPI, rc = 0, conf;
    size_t n;

    if (c->res->pages >= c->o->max_pages)
        return fail(c, "over %u pages", c->o->max_pages);
    clean = clean_page(pix, &dpi);
    if (clean == NULL)
        return fail(c, "page %u: cannot convert the image", pageno);
    TessBaseAPISetImage2(c->api, clean);
    TessBaseAPISetSourceResolution(c->api, dpi);
    mon = TessMonitorCreate();
    if (mon == NULL) {
        rc = fail(c, "out of memory");
        goto out;
    }
    TessMonitorSetDeadlineMSecs(mon, (int)c->o->page_seconds * 1000);
    start = now();
    if (TessBaseAPIRecognize(c->api, mon) != 0) {
        if (now() - start >= c->o->page_seconds)
            rc = fail(c, "page %u: recognition took over %u s", pageno,
                      c->o->page_seconds);
        else
            rc = fail(c, "page %u: recognition failed", pageno);
        goto out;
    }
    text = TessBaseAPIGetUTF8Text(c->api);
    conf = TessBaseAPIMeanTextConf(c->api);
    n = text != NULL ? strlen(text) : 0;
    if (n > 0 && conf >= 0) {
        c->weighted += (double)conf * (double)n;
        c->chars += n;
    }
    rc = append(c, text != NULL ? text : "", n);
    if (rc == 0)
        rc = append(c, "\f", 1);
    if (rc == 0)
        c->res->pages++;
out:
    if (text != NULL)
        TessDeleteText(text);
    TessMonitorDelete(mon);
    TessBaseAPIClear(c->api);
    pixDestroy(&clean);
    return rc;
}

/* One PDF page as an 8-bit gray Pix at the requested resolution (less
 * for a huge page). */
static PIX *render(PopplerPage *page, unsigned dpi)
{
    double pw = 0, ph = 0, scale = dpi / 72.0;
    cairo_surface_t *s;
    cairo_t *cr;
    PIX *pix = NULL;
    int w, h, stride, wpl;
    const unsigned char *px;
    l_uint32 *d;

    poppler_page_get_size(page, &pw, &ph);
    if (!(pw > 0 && ph > 0))
        return NULL;
    if (pw * scale * ph * scale > MAX_PIXELS)
        scale = sqrt(MAX_PIXELS / (pw * ph));
    w = (int)(pw * scale + 0.5);
    h = (int)(ph * scale + 0.5);
    if (w < 1 || h < 1)
        return NULL;
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1); /* paper: transparent is black */
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    px = cairo_image_surface_get_data(s);
    stride = cairo_image_surface_get_stride(s);
    pix = px != NULL ? pixCreate(w, h, 8) : NULL;
    if (pix != NULL) {
        d = pixGetData(pix);
        wpl = pixGetWpl(pix);
        for (int y = 0; y < h; y++) {
            const uint32_t *row = (const uint32_t *)(px + (size_t)y * stride);
            l_uint32 *line = d + (size_t)y * wpl;

            for (int x = 0; x < w; x++) {
                uint32_t v = row[x];
                unsigned r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;

                SET_DATA_BYTE(line, x, (r * 77 + g * 150 + b * 29) >> 8);
            }
        }
        pixSetResolution(pix, (int)(scale * 72 + 0.5), (int)(scale * 72 + 0.5));
    }
    cairo_surface_destroy(s);
    return pix;
}

static int read_pdf(struct ocr *c, const unsigned char *data, size_t len)
{
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc;
    int n, rc = 0;

    doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    if (doc == NULL) {
        rc = fail(c, "PDF cannot be read: %s",
                  gerr != NULL ? gerr->message : "no reason given");
        goto out;
    }
    n = poppler_document_get_n_pages(doc);
    if (n < 1) {
        rc = fail(c, "PDF has no pages");
        goto out;
    }
    if ((unsigned)n > c->o->max_pages) {
        rc = fail(c, "PDF has %d pages, over %u", n, c->o->max_pages);
        goto out;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        PIX *pix = page != NULL ? render(page, c->o->dpi) : NULL;

        if (pix == NULL)
            rc = fail(c, "page %d cannot be rendered", i + 1);
        else
            rc = read_page(c, pix, (unsigned)i + 1);
        pixDestroy(&pix);
        if (page != NULL)
            g_object_unref(page);
    }
out:
    if (doc != NULL)
        g_object_unref(doc);
    if (gerr != NULL)
        g_error_free(gerr);
    g_bytes_unref(bytes);
    return rc;
}

static int is_tiff(l_int32 format)
{
    switch (format) {
    case IFF_TIFF:
    case IFF_TIFF_PACKBITS:
    case IFF_TIFF_RLE:
    case IFF_TIFF_G3:
    case IFF_TIFF_G4:
    case IFF_TIFF_LZW:
    case IFF_TIFF_ZIP:
    case IFF_TIFF_JPEG:
        return 1;
    }
    return 0;
}

static int read_image(struct ocr *c, const unsigned char *data, size_t len)
{
    l_int32 format = IFF_UNKNOWN, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    PIX *pix;
    int rc = 0;

    if (pixReadHeaderMem(data, len, &format, &w, &h, &bps, &spp, &cmap) != 0 ||
        format == IFF_UNKNOWN)
        return fail(c, "not a PDF nor an image that can be decoded "
                       "(damaged or truncated?)");
    if ((double)w * h > MAX_PIXELS * 4)
        return fail(c, "image is %dx%d pixels, over %.0f million", w, h,
                    MAX_PIXELS * 4 / 1e6);
    if (!is_tiff(format)) {
        pix = pixReadMem(data, len);
        if (pix == NULL)
            return fail(c, "image cannot be decoded (damaged or truncated?)");
        rc = read_page(c, pix, 1);
        pixDestroy(&pix);
        return rc;
    }
    /* every page of a TIFF: the offset of the next one, 0 after the last */
    for (size_t offset = 0, page = 1; rc == 0; page++) {
        pix = pixReadMemFromMultipageTiff(data, len, &offset);
        if (pix == NULL)
            return fail(c,
                        "TIFF page %zu cannot be decoded (damaged or "
                        "truncated?)",
                        page);
        rc = read_page(c, pix, (unsigned)page);
        pixDestroy(&pix);
        if (offset == 0)
            break;
    }
    return rc;
}

int ocr_recognize(const unsigned char *data, size_t len,
                  const struct ocr_opts *o, struct ocr_result *res, char *why,
                  size_t whysz)
{
    struct ocr c = {.o = o, .res = res, .why = why, .whysz = whysz};
    int rc;

    *res = (struct ocr_result){0};
    c.api = TessBaseAPICreate();
    if (c.api == NULL)
        return fail(&c, "out of memory");
    /* NULL: the packaged tessdata folder, or $TESSDATA_PREFIX */
    if (TessBaseAPIInit3(c.api, NULL, o->lang) != 0) {
        rc = fail(&c,
                  "Tesseract cannot load the languages %s (Debian: "
                  "tesseract-ocr-vie tesseract-ocr-eng)",
                  o->lang);
        goto out;
    }
    TessBaseAPISetPageSegMode(c.api, PSM_AUTO);
    if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        rc = read_pdf(&c, data, len);
    else
        rc = read_image(&c, data, len);
    if (rc == 0 && res->pages == 0)
        rc = fail(&c, "no page");
    res->confidence = c.chars > 0 ? c.weighted / (double)c.chars : 0;
out:
    TessBaseAPIEnd(c.api);
    TessBaseAPIDelete(c.api);
    if (rc != 0) {
        free(res->text);
        *res = (struct ocr_result){0};
    }
    return rc;
}
