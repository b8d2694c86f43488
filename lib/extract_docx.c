/* DOCX word/document.xml and ODT content.xml to one paragraph per line,
 * streamed through libxml2's reader. Unzipping is zip.c's job. */
#include "extract_formats.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "zip.h"

/* One XML part may inflate to this much, like a file we read (zip bombs
 * stop here: the check runs while inflating). */
#define PART_MAX (64u * 1024 * 1024)
/* Elements nested deeper than this are hostile: Word nests tables in
 * tables, not two hundred levels of them. */
#define MAX_DEPTH 200

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_MC "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define ODT_MIME "application/vnd.oasis.opendocument.text"

enum kind {
    K_OTHER = 0,
    K_PARA,   /* a line of its own; in a table cell, a space */
    K_RUN,    /* DOCX w:t: only text inside one is shown */
    K_SPACE,  /* tabs, ODT's text:s */
    K_BREAK,  /* a line break inside a paragraph */
    K_HYPHEN, /* a non-breaking hyphen */
    K_TABLE,
    K_ROW,  /* a table row is one line */
    K_CELL, /* cells of a row are separated by a space */
    K_SKIP  /* never shown: deleted text, fallbacks, comments */
};

struct tag {
    const char *ns, *name;
    enum kind kind;
};

static const struct tag docx_tags[] = {
    {NS_W, "p", K_PARA},
    {NS_W, "t", K_RUN},
    {NS_W, "tab", K_SPACE},
    {NS_W, "ptab", K_SPACE},
    {NS_W, "br", K_BREAK},
    {NS_W, "cr", K_BREAK},
    {NS_W, "noBreakHyphen", K_HYPHEN},
    {NS_W, "tbl", K_TABLE},
    {NS_W, "tr", K_ROW},
    {NS_W, "tc", K_CELL},
    {NS_W, "del", K_SKIP},
    {NS_W, "instrText", K_SKIP},
    {NS_MC, "Fallback", K_SKIP}, /* the same text box, drawn the old way */
    {NULL, NULL, K_OTHER},
};

static const struct tag odt_tags[] = {
    {NS_TEXT, "p", K_PARA},
    {NS_TEXT, "h", K_PARA},
    {NS_TEXT, "s", K_SPACE},
    {NS_TEXT, "tab", K_SPACE},
    {NS_TEXT, "line-break", K_BREAK},
    {NS_TABLE, "table", K_TABLE},
    {NS_TABLE, "table-row", K_ROW},
    {NS_TABLE, "table-cell", K_CELL},
    {NS_TEXT, "note-citation", K_SKIP},
    {NS_TEXT, "tracked-changes", K_SKIP},
    {NS_OFFICE, "annotation", K_SKIP},
    {NS_OFFICE, "automatic-styles", K_SKIP},
    {NULL, NULL, K_OTHER},
};

struct walk {
    const char *part; /* "word/document.xml", for messages */
    const struct tag *tags;
    bool runs_only; /* DOCX: text outside w:t is not shown */
    unsigned in_run, in_cell;
    struct vns_textbuf tb;
    int xml_line; /* of the parser's fatal error, or its last error */
    char xml_msg[128];
    bool xml_fatal;
    struct vns_err *err;
};

static enum kind kind_of(const struct walk *w, const char *ns, const char *name)
{
    if (ns == NULL || name == NULL)
        return K_OTHER;
    for (const struct tag *t = w->tags; t->ns != NULL; t++)
        if (strcmp(t->name, name) == 0 && strcmp(t->ns, ns) == 0)
            return t->kind;
    return K_OTHER;
}

/* A paragraph or break ends the line, except inside a table cell, where
 * the whole row makes one line. */
static int line_end(struct walk *w)
{
    if (w->in_cell > 0)
        return vns_textbuf_add(&w->tb, " ", 1, false, w->err);
    return vns_textbuf_break(&w->tb, w->err);
}

static int start(struct walk *w, enum kind k)
{
    switch (k) {
    case K_RUN:
        w->in_run++;
        return VNS_OK;
    case K_SPACE:
        return vns_textbuf_add(&w->tb, " ", 1, false, w->err);
    case K_BREAK:
        return line_end(w);
    case K_HYPHEN:
        return vns_textbuf_add(&w->tb, "-", 1, false, w->err);
    case K_TABLE:
    case K_ROW:
        return vns_textbuf_break(&w->tb, w->err);
    case K_CELL:
        w->in_cell++;
        return vns_textbuf_add(&w->tb, " ", 1, false, w->err);
    default:
        return VNS_OK;
    }
}

static int end(struct walk *w, enum kind k)
{
    switch (k) {
    case K_RUN:
        w->in_run--;
        return VNS_OK;
    case K_PARA:
        return line_end(w);
    case K_TABLE:
    case K_ROW:
        return vns_textbuf_break(&w->tb, w->err);
    case K_CELL:
        w->in_cell--;
        return vns_textbuf_add(&w->tb, " ", 1, false, w->err);
    default:
        return VNS_OK;
    }
}

/* Keeps the parser's reason; the first fatal error is the one to tell. */
static void on_error(void *ctx, xmlErrorPtr e)
{
    struct walk *w = ctx;
    size_t n;

    if (e == NULL || e->level < XML_ERR_ERROR || w->xml_fatal)
        return;
    w->xml_fatal = e->level == XML_ERR_FATAL;
    w->xml_line = e->line;
    snprintf(w->xml_msg, sizeof(w->xml_msg), "%s",
             e->message != NULL ? e->message : "");
    n = strlen(w->xml_msg);
    while (n > 0 && (w->xml_msg[n - 1] == '\n' || w->xml_msg[n - 1] == ' '))
        w->xml_msg[--n] = '\0';
}

/* libxml2 may still report through the thread's generic handler; a
 * library prints nothing. */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* One node under the reader; *skip asks for its subtree to be passed. */
static int visit(struct walk *w, xmlTextReaderPtr r, bool *skip)
{
    int type = xmlTextReaderNodeType(r);
    enum kind k;
    int rc;

    *skip = false;
    if (xmlTextReaderDepth(r) > MAX_DEPTH)
        return vns_err_set(w->err, VNS_EBADDATA,
                           "%s: XML nested deeper than %d", w->part, MAX_DEPTH);
    switch (type) {
    case XML_READER_TYPE_ELEMENT:
        k = kind_of(w, (const char *)xmlTextReaderConstNamespaceUri(r),
                    (const char *)xmlTextReaderConstLocalName(r));
        if (k == K_SKIP) {
            *skip = !xmlTextReaderIsEmptyElement(r);
            return VNS_OK;
        }
        rc = start(w, k);
        if (rc == VNS_OK && xmlTextReaderIsEmptyElement(r))
            rc = end(w, k);
        return rc;
    case XML_READER_TYPE_END_ELEMENT:
        k = kind_of(w, (const char *)xmlTextReaderConstNamespaceUri(r),
                    (const char *)xmlTextReaderConstLocalName(r));
        return end(w, k);
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        if (w->runs_only && w->in_run == 0)
            return VNS_OK;
        {
            const char *s = (const char *)xmlTextReaderConstValue(r);

            return s != NULL
                       ? vns_textbuf_add(&w->tb, s, strlen(s), false, w->err)
                       : VNS_OK;
        }
    default:
        return VNS_OK;
    }
}

/* Stream the XML in xml[0..len) into w->tb. */
static int walk_xml(struct walk *w, const char *xml, size_t len)
{
    xmlTextReaderPtr r = NULL;
    xmlGenericErrorFunc old_fn = xmlGenericError;
    void *old_ctx = xmlGenericErrorContext;
    bool skip;
    int ret, rc = VNS_OK;

    if (len > INT32_MAX)
        return vns_err_set(w->err, VNS_ETOOBIG, "%s: over 2 GiB", w->part);
    vns_html_init();
    xmlSetGenericErrorFunc(NULL, quiet);
    /* no XML_PARSE_HUGE (libxml2 keeps its own limits), no DTD loading,
     * no entity substitution, no network */
    r = xmlReaderForMemory(xml, (int)len, w->part, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR |
                               XML_PARSE_NOWARNING);
    if (r == NULL) {
        rc = vns_err_set(w->err, VNS_ENOMEM, "%s: out of memory", w->part);
        goto out;
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_error, w);
    ret = xmlTextReaderRead(r);
    while (ret == 1) {
        rc = visit(w, r, &skip);
        if (rc != VNS_OK)
            goto out;
        ret = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
    }
    if (ret < 0 || w->xml_fatal) {
        if (w->xml_line > 0)
            rc = vns_err_set(w->err, VNS_EBADDATA,
                             "%s: invalid XML at line %d: %s", w->part,
                             w->xml_line, w->xml_msg);
        else
            rc = vns_err_set(w->err, VNS_EBADDATA, "%s: invalid XML", w->part);
    }
out:
    xmlFreeTextReader(r);
    xmlSetGenericErrorFunc(old_ctx, old_fn);
    return rc;
}

/* Inflate part from the archive and walk it. */
static int extract_part(struct vns_zip *z, struct walk *w, char **out,
                        size_t *outlen)
{
    char *xml = NULL;
    size_t len = 0;
    int rc;

    rc = vns_zip_read(z, w->part, PART_MAX, &xml, &len, w->err);
    if (rc != VNS_OK)
        goto out;
    rc = walk_xml(w, xml, len);
    if (rc != VNS_OK)
        goto out;
    rc = vns_textbuf_take(&w->tb, out, outlen, w->err);
out:
    vns_textbuf_fini(&w->tb);
    free(xml);
    return rc;
}

/* ODF packages name their type in a "mimetype" entry. */
static bool is_odt(struct vns_zip *z)
{
    char *mime = NULL;
    size_t n = 0;
    bool yes;

    if (!vns_zip_has(z, "content.xml") ||
        vns_zip_read(z, "mimetype", 256, &mime, &n, NULL) != VNS_OK)
        return false;
    while (n > 0 && (mime[n - 1] == '\n' || mime[n - 1] == '\r'))
        mime[--n] = '\0';
    yes = strcmp(mime, ODT_MIME) == 0;
    free(mime);
    return yes;
}

int vns_office_extract(const char *data, size_t len, char **out, size_t *outlen,
                       const char **format, struct vns_err *err)
{
    struct vns_zip *z = NULL;
    struct walk w = {.err = err};
    const char *fmt;
    int rc;

    rc = vns_zip_open(data, len, &z, err);
    if (rc != VNS_OK)
        goto out;
    if (vns_zip_has(z, "word/document.xml")) {
        fmt = "docx";
        w.part = "word/document.xml";
        w.tags = docx_tags;
        w.runs_only = true;
    } else if (is_odt(z)) {
        fmt = "odt";
        w.part = "content.xml";
        w.tags = odt_tags;
    } else {
        rc = vns_err_set(err, VNS_EUNSUPPORTED,
                         "zip archive holds no DOCX or ODT document");
        goto out;
    }
    rc = extract_part(z, &w, out, outlen);
    if (rc == VNS_OK)
        *format = fmt;
out:
    vns_zip_close(z);
    return rc;
}
