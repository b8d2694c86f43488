/* Markdown to one paragraph per line with cmark: markup goes, text stays.
 * Deciding that a text is Markdown is extract_text.c's job. */
#include "extract_formats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

/* Numbers of the ordered lists we are inside, innermost last. */
struct counters {
    int *v;
    size_t n, cap;
};

struct walk {
    struct vns_textbuf tb;
    struct counters lists;
    char prefix[24]; /* "- " or "12. " waiting for the item's first text */
    int pipe_para;   /* inside a paragraph of "| a | b |" rows */
    struct vns_err *err;
};

static int push_list(struct walk *w, cmark_node *list)
{
    int *v;
    size_t cap;

    if (w->lists.n == w->lists.cap) {
        cap = w->lists.cap > 0 ? w->lists.cap * 2 : 16;
        v = realloc(w->lists.v, cap * sizeof(*v));
        if (v == NULL)
            return vns_err_set(w->err, VNS_ENOMEM, "markdown: out of memory");
        w->lists.v = v;
        w->lists.cap = cap;
    }
    w->lists.v[w->lists.n++] = cmark_node_get_list_start(list);
    return VNS_OK;
}

/* Start a block on a fresh line, the pending list marker first. */
static int block_start(struct walk *w)
{
    int rc = vns_textbuf_break(&w->tb, w->err);

    if (rc == VNS_OK && w->prefix[0] != '\0') {
        rc = vns_textbuf_puts(&w->tb, w->prefix, w->err);
        w->prefix[0] = '\0';
    }
    return rc;
}

static int item_start(struct walk *w, cmark_node *item)
{
    cmark_node *list = cmark_node_parent(item);
    size_t used = strlen(w->prefix);
    int rc;

    rc = vns_textbuf_break(&w->tb, w->err);
    if (rc != VNS_OK)
        return rc;
    /* "- - x": an item opening with a list keeps the outer marker too */
    if (list != NULL && cmark_node_get_list_type(list) == CMARK_ORDERED_LIST &&
        w->lists.n > 0)
        snprintf(w->prefix + used, sizeof(w->prefix) - used, "%d%c ",
                 w->lists.v[w->lists.n - 1]++,
                 cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')'
                                                                      : '.');
    else
        snprintf(w->prefix + used, sizeof(w->prefix) - used, "- ");
    return VNS_OK;
}

/* A paragraph whose text starts with '|' is a pipe table (no GFM table
 * extension here): keep its rows as lines instead of one run-on line. */
static int is_pipe_paragraph(cmark_node *para)
{
    cmark_node *first = cmark_node_first_child(para);
    const char *lit;

    if (first == NULL || cmark_node_get_type(first) != CMARK_NODE_TEXT)
        return 0;
    lit = cmark_node_get_literal(first);
    return lit != NULL && lit[0] == '|';
}

static int literal(struct walk *w, cmark_node *node, bool keep_breaks)
{
    const char *lit = cmark_node_get_literal(node);

    if (lit == NULL)
        return VNS_OK;
    return vns_textbuf_add(&w->tb, lit, strlen(lit), keep_breaks, w->err);
}

static int enter(struct walk *w, cmark_node *node)
{
    int rc;

    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_LIST:
        if (cmark_node_get_list_type(node) == CMARK_ORDERED_LIST)
            return push_list(w, node);
        return VNS_OK;
    case CMARK_NODE_ITEM:
        return item_start(w, node);
    case CMARK_NODE_PARAGRAPH:
        w->pipe_para = is_pipe_paragraph(node);
        return block_start(w);
    case CMARK_NODE_HEADING:
    case CMARK_NODE_BLOCK_QUOTE:
        return block_start(w);
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_HTML_BLOCK:
        rc = block_start(w);
        if (rc == VNS_OK)
            rc = literal(w, node, true);
        if (rc == VNS_OK)
            rc = vns_textbuf_break(&w->tb, w->err);
        return rc;
    case CMARK_NODE_THEMATIC_BREAK:
        /* the same separator the plain text notices use */
        rc = block_start(w);
        if (rc == VNS_OK)
            rc = vns_textbuf_puts(&w->tb, "-----", w->err);
        if (rc == VNS_OK)
            rc = vns_textbuf_break(&w->tb, w->err);
        return rc;
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        return literal(w, node, false);
    case CMARK_NODE_SOFTBREAK:
        if (w->pipe_para)
            return vns_textbuf_break(&w->tb, w->err);
        return vns_textbuf_add(&w->tb, " ", 1, false, w->err);
    case CMARK_NODE_LINEBREAK:
        return vns_textbuf_break(&w->tb, w->err);
    case CMARK_NODE_HTML_INLINE: {
        /* inline tags are markup; only <br> means something to a reader */
        const char *lit = cmark_node_get_literal(node);

        if (lit != NULL && strncasecmp(lit, "<br", 3) == 0)
            return vns_textbuf_break(&w->tb, w->err);
        return VNS_OK;
    }
    default:
        /* emphasis, strong, links, images: their children carry the text */
        return VNS_OK;
    }
}

static int leave(struct walk *w, cmark_node *node)
{
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_LIST:
        if (cmark_node_get_list_type(node) == CMARK_ORDERED_LIST &&
            w->lists.n > 0)
            w->lists.n--;
        return VNS_OK;
    case CMARK_NODE_PARAGRAPH:
        w->pipe_para = 0;
        return vns_textbuf_break(&w->tb, w->err);
    case CMARK_NODE_ITEM:
        w->prefix[0] = '\0'; /* an empty item leaves no marker behind */
        return vns_textbuf_break(&w->tb, w->err);
    case CMARK_NODE_HEADING:
    case CMARK_NODE_BLOCK_QUOTE:
        return vns_textbuf_break(&w->tb, w->err);
    default:
        return VNS_OK;
    }
}

int vns_md_extract(const char *s, size_t len, char **out, size_t *outlen,
                   struct vns_err *err)
{
    struct walk w = {.err = err};
    cmark_node *doc = NULL;
    cmark_iter *it = NULL;
    cmark_event_type ev;
    int rc = VNS_OK;

    doc = cmark_parse_document(s, len, CMARK_OPT_DEFAULT);
    if (doc == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "markdown: cannot parse");
        goto out;
    }
    /* cmark's iterator walks the tree without recursion, so nesting
     * depth costs no stack */
    it = cmark_iter_new(doc);
    if (it == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "markdown: out of memory");
        goto out;
    }
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);

        rc = ev == CMARK_EVENT_ENTER ? enter(&w, node) : leave(&w, node);
        if (rc != VNS_OK)
            goto out;
    }
    rc = vns_textbuf_take(&w.tb, out, outlen, err);
out:
    if (it != NULL)
        cmark_iter_free(it);
    if (doc != NULL)
        cmark_node_free(doc);
    free(w.lists.v);
    vns_textbuf_fini(&w.tb);
    return rc;
}
