/* Metadata, province and issuer of every file under the given paths, one
 * JSON object a line, for eval-meta; scoring is left to that tool. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "gazetteer.h"
#include "meta.h"

/* nftw's callback takes no context: the run's state lives here. */
static struct vns_extractor *ex;
static struct vns_gaz *gz;
static struct vns_bodies *bodies;
static const char *root;
static size_t n_ok, n_failed;

static void put_json(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void put_field(const char *key, const char *value)
{
    if (value[0] == '\0')
        return;
    printf(", \"%s\": ", key);
    put_json(value);
}

/* The id eval-meta knows: the path relative to root. */
static const char *rel(const char *path)
{
    size_t n = strlen(root);

    while (n > 0 && root[n - 1] == '/')
        n--;
    if (strncmp(path, root, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

static int one(const char *path, const struct stat *st, int kind,
               struct FTW *ftw)
{
    struct vns_text txt = {0};
    struct vns_meta m = {0};
    struct vns_err err = {0};

    (void)st;
    (void)ftw;
    if (kind != FTW_F)
        return 0;
    if (vns_extract_file(ex, path, &txt, &err) != VNS_OK ||
        vns_meta_extract(txt.text, txt.len, txt.title, &m, &err) != VNS_OK ||
        vns_meta_place(gz, txt.text, txt.len, &m, &err) != VNS_OK ||
        vns_meta_body(bodies, txt.text, txt.len, &m, &err) != VNS_OK) {
        fprintf(stderr, "meta_eval: %s\n", err.msg);
        vns_text_fini(&txt);
        n_failed++;
        return 0;
    }
    printf("{\"id\": ");
    put_json(rel(path));
    put_field("date", m.date);
    put_field("doc_type", m.doc_type);
    put_field("number", m.number);
    put_field("signer", m.signer);
    put_field("province", m.province);
    put_field("province_2025", m.province_2025);
    put_field("issuing_body", m.issuing_body);
    if (m.n_candidates > 0) {
        printf(", \"candidates\": [");
        for (size_t k = 0; k < m.n_candidates; k++) {
            printf("%s", k ? ", " : "");
            put_json(m.candidates[k]);
        }
        printf("]");
    }
    put_field("subject", m.subject);
    printf(", \"deadlines\": [");
    for (size_t k = 0; k < m.n_deadlines; k++)
        printf("%s{\"date\": \"%s\"}", k ? ", " : "", m.deadlines[k].date);
    printf("], \"references\": [");
    for (size_t k = 0; k < m.n_refs; k++) {
        printf("%s", k ? ", " : "");
        put_json(m.refs[k].number);
    }
    printf("]}\n");
    n_ok++;
    vns_meta_fini(&m);
    vns_text_fini(&txt);
    return 0;
}

int main(int argc, char **argv)
{
    struct vns_err err = {0};
    int argi = 1;

    if (argc >= 3 && strcmp(argv[1], "--root") == 0) {
        root = argv[2];
        argi = 3;
    }
    if (argi >= argc) {
        fprintf(stderr, "usage: meta_eval [--root DIR] PATH... > OUT.jsonl\n"
                        "  ids are paths relative to DIR (default: the "
                        "first PATH)\n");
        return 2;
    }
    if (root == NULL)
        root = argv[argi];
    if (vns_extractor_new(&ex, &err) != VNS_OK ||
        vns_gaz_open(NULL, &gz, &err) != VNS_OK ||
        vns_bodies_open(NULL, &bodies, &err) != VNS_OK) {
        fprintf(stderr, "meta_eval: %s\n", err.msg);
        vns_gaz_free(gz);
        vns_extractor_free(ex);
        return 1;
    }
    for (int i = argi; i < argc; i++)
        if (nftw(argv[i], one, 16, FTW_PHYS) != 0)
            perror(argv[i]);
    vns_bodies_free(bodies);
    vns_gaz_free(gz);
    vns_extractor_free(ex);
    fprintf(stderr, "meta_eval: %zu files, %zu not extracted\n", n_ok,
            n_failed);
    return 0;
}
