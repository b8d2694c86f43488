/* HTML to one paragraph per line with libxml2's HTML parser: visible text
 * only, blocks as lines, <title> kept aside. Detection is detect.c's job. */
#include "extract_formats.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "encoding.h"

/* A <meta charset> is looked for this far into the document; HTML5 says
 * it must sit in the first 1024 bytes, old pages are sloppier. */
#define META_SNIFF_BYTES 4096
/* <title> beyond this is not a title; title.c cuts it shorter anyway. */
#define TITLE_MAX 1024

enum kind {
    K_INLINE = 0, /* not in the table */
    K_BLOCK,      /* a line of its own */
    K_SKIP,       /* never shown: script, style... */
    K_HEAD,       /* hidden, but holds <title> */
    K_TITLE,
    K_BR,
    K_HR,
    K_LI,
    K_CELL, /* td, th: a space between cells of a row */
    K_PRE
};

/* Sorted by name for bsearch. */
static const struct tag {
    const char *name;
    enum kind kind;
} tags[] = {
    {"address", K_BLOCK},  {"article", K_BLOCK},
    {"aside", K_BLOCK},    {"blockquote", K_BLOCK},
    {"body", K_BLOCK},     {"br", K_BR},
    {"button", K_SKIP},    {"canvas", K_SKIP},
    {"caption", K_BLOCK},  {"center", K_BLOCK},
    {"dd", K_BLOCK},       {"details", K_BLOCK},
    {"dialog", K_BLOCK},   {"dir", K_BLOCK},
    {"div", K_BLOCK},      {"dl", K_BLOCK},
    {"dt", K_BLOCK},       {"embed", K_SKIP},
    {"fieldset", K_BLOCK}, {"figcaption", K_BLOCK},
    {"figure", K_BLOCK},   {"footer", K_BLOCK},
    {"form", K_BLOCK},     {"frameset", K_SKIP},
    {"h1", K_BLOCK},       {"h2", K_BLOCK},
    {"h3", K_BLOCK},       {"h4", K_BLOCK},
    {"h5", K_BLOCK},       {"h6", K_BLOCK},
    {"head", K_HEAD},      {"header", K_BLOCK},
    {"hgroup", K_BLOCK},   {"hr", K_HR},
    {"html", K_BLOCK},     {"iframe", K_SKIP},
    {"legend", K_BLOCK},   {"li", K_LI},
    {"listing", K_PRE},    {"main", K_BLOCK},
    {"map", K_SKIP},       {"math", K_SKIP},
    {"menu", K_BLOCK},     {"nav", K_BLOCK},
    {"noembed", K_SKIP},   {"noframes", K_SKIP},
    {"noscript", K_SKIP},  {"object", K_SKIP},
    {"ol", K_BLOCK},       {"option", K_SKIP},
    {"p", K_BLOCK},        {"plaintext", K_PRE},
    {"pre", K_PRE},        {"script", K_SKIP},
    {"section", K_BLOCK},  {"select", K_SKIP},
    {"style", K_SKIP},     {"summary", K_BLOCK},
    {"svg", K_SKIP},       {"table", K_BLOCK},
    {"tbody", K_BLOCK},    {"td", K_CELL},
    {"template", K_SKIP},  {"textarea", K_SKIP},
    {"tfoot", K_BLOCK},    {"th", K_CELL},
    {"thead", K_BLOCK},    {"title", K_TITLE},
    {"tr", K_BLOCK},       {"ul", K_BLOCK},
    {"xmp", K_PRE},
};

static int tag_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct tag *)elem)->name);
}

static enum kind kind_of(const xmlNode *n)
{
    const struct tag *t;

    if (n->type != XML_ELEMENT_NODE || n->name == NULL)
        return K_INLINE;
    /* the HTML parser lower-cases element names */
    t = bsearch(n->name, tags, sizeof(tags) / sizeof(tags[0]), sizeof(tags[0]),
                tag_cmp);
    return t != NULL ? t->kind : K_INLINE;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_parser(void)
{
    xmlInitParser();
}

void vns_html_init(void)
{
    pthread_once(&init_once, init_parser);
}

static bool encoding_known(const char *name)
{
    xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(name);

    if (h == NULL)
        return false;
    xmlCharEncCloseFunc(h); /* frees iconv/ICU handlers, no-op for built-ins */
    return true;
}

/* The charset a <meta charset="x"> or <meta http-equiv content="...;
 * charset=x"> declares, copied into out; false when none. */
static bool meta_charset(const char *data, size_t len, char *out, size_t outsz)
{
    static const char key[] = "charset";
    size_t n = len < META_SNIFF_BYTES ? len : META_SNIFF_BYTES, i, k;

    for (i = 0; i + sizeof(key) - 1 < n; i++) {
        if (strncasecmp(data + i, key, sizeof(key) - 1) != 0)
            continue;
        i += sizeof(key) - 1;
        while (i < n && data[i] == ' ')
            i++;
        if (i >= n || data[i] != '=')
            continue;
        i++;
        while (i < n && (data[i] == ' ' || data[i] == '"' || data[i] == '\''))
            i++;
        for (k = 0; i + k < n && k + 1 < outsz &&
                    strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXY"
                           "Z0123456789-_.:",
                           data[i + k]) != NULL &&
                    data[i + k] != '\0';
             k++)
            out[k] = data[i + k];
        out[k] = '\0';
        if (k > 0)
            return true;
    }
    return false;
}

static bool is_utf8_name(const char *cs)
{
    return strcasecmp(cs, "utf-8") == 0 || strcasecmp(cs, "utf8") == 0 ||
           strcasecmp(cs, "us-ascii") == 0;
}

bool vns_html_encoding(const char *data, size_t len, const char *sniffed,
                       char *enc, size_t encsz)
{
    char meta[64];
    enum vns_encoding legacy;

    /* Bytes that are valid UTF-8 are UTF-8 whatever the page claims; an
     * explicit encoding also stops libxml2 from switching at the <meta>. */
    if (is_utf8_name(sniffed)) {
        snprintf(enc, encsz, "UTF-8");
        return true;
    }
    if (meta_charset(data, len, meta, sizeof(meta))) {
        if (is_utf8_name(meta)) {
            snprintf(enc, encsz, "UTF-8");
            return true;
        }
        /* declared, and libxml2 cannot read it (VNI, TCVN3, Windows-1258
         * without iconv): the caller decodes the bytes itself */
        snprintf(enc, encsz, "%s", meta);
        return encoding_known(meta);
    }
    /* undeclared: libmagic calls any 8-bit text iso-8859-1, Vietnamese
     * encodings too; the caller decodes those itself */
    enc[0] = '\0';
    if (vns_encoding_detect(data, len, sniffed, &legacy, NULL) == VNS_OK)
        return false;
    /* libmagic's "unknown-8bit" and "binary" are not encodings */
    if (sniffed[0] != '\0' && strcmp(sniffed, "unknown-8bit") != 0 &&
        strcmp(sniffed, "binary") != 0 && encoding_known(sniffed)) {
        snprintf(enc, encsz, "%s", sniffed);
        return true;
    }
    return false;
}

struct walk {
    struct vns_textbuf tb;
    char *title;
    unsigned hidden; /* inside <head> */
    unsigned pre;    /* inside <pre>: line breaks are kept */
    bool item;       /* an <li> waits for its first words */
    struct vns_err *err;
};

/* The text of a <title>, white space collapsed, capped at a UTF-8
 * boundary. */
static int take_title(struct walk *w, const xmlNode *el)
{
    struct vns_textbuf tb = {0};
    size_t n;
    int rc = VNS_OK;

    if (w->title != NULL)
        return VNS_OK;
    for (const xmlNode *c = el->children; c != NULL; c = c->next) {
        const char *s = (const char *)c->content;

        if (c->type != XML_TEXT_NODE || s == NULL)
            continue;
        if (tb.len >= TITLE_MAX)
            break;
        n = strlen(s);
        if (n > TITLE_MAX - tb.len) {
            n = TITLE_MAX - tb.len;
            while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
                n--;
        }
        rc = vns_textbuf_add(&tb, s, n, false, w->err);
        if (rc != VNS_OK)
            break;
    }
    if (rc == VNS_OK && tb.len > 0)
        rc = vns_textbuf_take(&tb, &w->title, &n, w->err);
    vns_textbuf_fini(&tb);
    return rc;
}

/* Does s hold anything but blanks? */
static bool has_ink(const char *s)
{
    for (; *s != '\0'; s++)
        if (strchr(" \t\n\r\f\v", *s) == NULL)
            return true;
    return false;
}

static int text(struct walk *w, const char *s)
{
    int rc = VNS_OK;

    if (w->hidden > 0 || s == NULL)
        return VNS_OK;
    /* the marker goes before the item's first words, even when they sit
     * in a <p> inside the <li> */
    if (w->item && has_ink(s)) {
        w->item = false;
        rc = vns_textbuf_break(&w->tb, w->err);
        if (rc == VNS_OK)
            rc = vns_textbuf_puts(&w->tb, "- ", w->err);
    }
    if (rc == VNS_OK)
        rc = vns_textbuf_add(&w->tb, s, strlen(s), w->pre > 0, w->err);
    return rc;
}

/* Returns VNS_OK and sets *down when the walk should visit n's children. */
static int enter(struct walk *w, const xmlNode *n, bool *down)
{
    int rc = VNS_OK;

    *down = false;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
        return text(w, (const char *)n->content);
    if (n->type != XML_ELEMENT_NODE)
        return VNS_OK; /* comments, processing instructions, DTD */
    switch (kind_of(n)) {
    case K_SKIP:
        return VNS_OK;
    case K_TITLE:
        return take_title(w, n);
    case K_HEAD:
        w->hidden++;
        break;
    case K_BR:
        return vns_textbuf_break(&w->tb, w->err);
    case K_HR:
        rc = vns_textbuf_break(&w->tb, w->err);
        if (rc == VNS_OK)
            rc = vns_textbuf_puts(&w->tb, "-----", w->err);
        if (rc == VNS_OK)
            rc = vns_textbuf_break(&w->tb, w->err);
        return rc;
    case K_LI:
        w->item = true;
        rc = vns_textbuf_break(&w->tb, w->err);
        break;
    case K_CELL:
        rc = vns_textbuf_add(&w->tb, " ", 1, false, w->err);
        break;
    case K_PRE:
        w->pre++;
        rc = vns_textbuf_break(&w->tb, w->err);
        break;
    case K_BLOCK:
        rc = vns_textbuf_break(&w->tb, w->err);
        break;
    case K_INLINE:
        break;
    }
    *down = true;
    return rc;
}

/* Called after n's children, for the elements enter() descended into. */
static int leave(struct walk *w, const xmlNode *n)
{
    switch (kind_of(n)) {
    case K_HEAD:
        w->hidden--;
        return VNS_OK;
    case K_PRE:
        w->pre--;
        return vns_textbuf_break(&w->tb, w->err);
    case K_CELL:
        return vns_textbuf_add(&w->tb, " ", 1, false, w->err);
    case K_LI:
        w->item = false; /* an empty item leaves no marker behind */
        return vns_textbuf_break(&w->tb, w->err);
    case K_BLOCK:
        return vns_textbuf_break(&w->tb, w->err);
    default:
        return VNS_OK;
    }
}

/* Depth-first over the tree by its parent/next links: no recursion and no
 * stack, so nesting depth cannot hurt us (libxml2 caps it at 256 anyway
 * without HTML_PARSE_HUGE). */
static int walk_tree(struct walk *w, xmlDoc *doc)
{
    xmlNode *n = doc->children;
    bool down;
    int rc;

    while (n != NULL) {
        rc = enter(w, n, &down);
        if (rc != VNS_OK)
            return rc;
        if (down && n->children != NULL) {
            n = n->children;
            continue;
        }
        for (;;) {
            if (down) {
                rc = leave(w, n);
                if (rc != VNS_OK)
                    return rc;
            }
            if (n->next != NULL) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (n == NULL || n == (xmlNode *)doc) {
                n = NULL;
                break;
            }
            down = true; /* every parent was descended into */
        }
    }
    return VNS_OK;
}

/* libxml2 reports encoding and I/O errors through the thread's generic
 * handler even with HTML_PARSE_NOERROR; a library prints nothing. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void quiet_structured(void *ctx, xmlErrorPtr error)
{
    (void)ctx;
    (void)error;
}

int vns_html_extract(const char *data, size_t len, const char *enc, char **out,
                     size_t *outlen, char **title, struct vns_err *err)
{
    struct walk w = {.err = err};
    htmlDocPtr doc = NULL;
    xmlGenericErrorFunc old_fn;
    xmlStructuredErrorFunc old_sfn;
    void *old_ctx, *old_sctx;
    int rc = VNS_OK;

    if (len > INT32_MAX)
        return vns_err_set(err, VNS_ETOOBIG, "HTML over 2 GiB");
    vns_html_init();
    /* per-thread handlers: silence them for this parse only */
    old_fn = xmlGenericError;
    old_ctx = xmlGenericErrorContext;
    old_sfn = xmlStructuredError;
    old_sctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet);
    xmlSetStructuredErrorFunc(NULL, quiet_structured);
    /* no HTML_PARSE_HUGE: libxml2 keeps its depth and size limits */
    doc = htmlReadMemory(data, (int)len, NULL, enc,
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
    xmlSetGenericErrorFunc(old_ctx, old_fn);
    xmlSetStructuredErrorFunc(old_sctx, old_sfn);
    if (doc == NULL) {
        rc = vns_err_set(err, VNS_EBADDATA, "HTML cannot be parsed");
        goto out;
    }
    rc = walk_tree(&w, doc);
    if (rc != VNS_OK)
        goto out;
    rc = vns_textbuf_take(&w.tb, out, outlen, err);
    if (rc != VNS_OK)
        goto out;
    *title = w.title;
    w.title = NULL;
out:
    free(w.title);
    vns_textbuf_fini(&w.tb);
    xmlFreeDoc(doc);
    return rc;
}
