/* vnsearch: query a local index from the command line and print ranked
 * hits with highlighted snippets, as text or one JSON object per line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "vnsearch/vnsearch.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vnsearch [--db DIR] [--limit N] [--offset N] [--json] "
            "QUERY...\n"
            "Search the index. Words match with or without diacritics;\n"
            "\"quoted phrases\" must match in order; -word excludes.\n"
            "  --db DIR    index folder (default $VNSEARCH_DB, else %s)\n"
            "  --limit N   hits to show (default 10)\n"
            "  --offset N  hits to skip (default 0)\n"
            "  --json      one JSON object per hit and line\n"
            "Exit: 0 (also with no results), 1 index error, 2 bad usage or "
            "query.\n",
            VNS_DEFAULT_DB);
}

static int parse_count(const char *s, size_t max, size_t *out)
{
    char *end;
    unsigned long long v;

    if (*s == '\0' || *s == '-')
        return -1;
    v = strtoull(s, &end, 10);
    if (*end != '\0' || v > max)
        return -1;
    *out = (size_t)v;
    return 0;
}

/* The words of argv joined by spaces, within VNS_MAX_QUERY. */
static char *join_args(int argc, char **argv)
{
    size_t len = 0;
    char *q;

    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    q = malloc(len + 1);
    if (q == NULL)
        return NULL;
    q[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

/* Bold on a terminal, «guillemets» elsewhere. */
static void print_snippet(const struct vns_snippet *s, int tty)
{
    const char *on = tty ? "\033[1m" : "«", *off = tty ? "\033[0m" : "»";
    size_t at = 0;

    fputs("   ", stdout);
    if (s->cut_start)
        fputs("…", stdout);
    for (size_t i = 0; i < s->nhl; i++) {
        fwrite(s->text + at, 1, s->hl[i].off - at, stdout);
        fputs(on, stdout);
        fwrite(s->text + s->hl[i].off, 1, s->hl[i].len, stdout);
        fputs(off, stdout);
        at = s->hl[i].off + s->hl[i].len;
    }
    fwrite(s->text + at, 1, s->len - at, stdout);
    if (s->cut_end)
        fputs("…", stdout);
    fputc('\n', stdout);
}

static void print_text(const struct vns_results *res, int tty)
{
    for (size_t i = 0; i < res->n; i++) {
        const struct vns_hit *h = &res->hits[i];
        printf("%u. %s  (score %.3f)\n", h->rank, h->id, h->score);
        if (h->title[0] != '\0')
            printf("   %s\n", h->title);
        for (size_t s = 0; s < h->nsnippets; s++)
            print_snippet(&h->snippets[s], tty);
        fputc('\n', stdout);
    }
}

static int print_json(const struct vns_results *res)
{
    for (size_t i = 0; i < res->n; i++) {
        const struct vns_hit *h = &res->hits[i];
        json_t *o = json_object(), *snips = json_array();
        char *line;

        for (size_t s = 0; s < h->nsnippets; s++) {
            const struct vns_snippet *sn = &h->snippets[s];
            json_t *hl = json_array(), *so = json_object();
            for (size_t k = 0; k < sn->nhl; k++)
                json_array_append_new(hl, json_pack("[II]",
                                                    (json_int_t)sn->hl[k].off,
                                                    (json_int_t)sn->hl[k].len));
            json_object_set_new(so, "text", json_stringn(sn->text, sn->len));
            json_object_set_new(so, "highlights", hl);
            json_object_set_new(so, "cut_start", json_boolean(sn->cut_start));
            json_object_set_new(so, "cut_end", json_boolean(sn->cut_end));
            json_array_append_new(snips, so);
        }
        json_object_set_new(o, "rank", json_integer(h->rank));
        json_object_set_new(o, "id", json_string(h->id));
        json_object_set_new(o, "title", json_string(h->title));
        json_object_set_new(o, "score", json_real(h->score));
        json_object_set_new(o, "snippets", snips);
        line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        if (line == NULL)
            return -1;
        puts(line);
        free(line);
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct vns_search_opts opts = {0};
    struct vns_results res = {0};
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    const char *db = getenv("VNSEARCH_DB");
    char *q = NULL;
    int c, json = 0, status = 0;

    if (db == NULL || *db == '\0')
        db = VNS_DEFAULT_DB;
    opts.limit = 10;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            if (parse_count(optarg, 10000, &opts.limit) || opts.limit == 0) {
                fprintf(stderr, "vnsearch: --limit takes 1 to 10000\n");
                return 2;
            }
            break;
        case 'o':
            if (parse_count(optarg, 1000000, &opts.offset)) {
                fprintf(stderr, "vnsearch: --offset takes 0 to 1000000\n");
                return 2;
            }
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("vnsearch %s\n", VNS_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    q = join_args(argc - optind, argv + optind);
    if (q == NULL) {
        fprintf(stderr, "vnsearch: out of memory\n");
        return 1;
    }
    if (vns_index_open(db, VNS_INDEX_READ, &ix, &err) != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", err.msg);
        status = 1;
        goto out;
    }
    if (vns_search(ix, q, strlen(q), &opts, &res, &err) != VNS_OK) {
        fprintf(stderr, "vnsearch: %s%s\n",
                err.code == VNS_EQUERY ? "bad query: " : "", err.msg);
        status = err.code == VNS_EQUERY ? 2 : 1;
        goto out;
    }
    if (res.n == 0) {
        if (!json)
            printf("No results for: %s\n", q);
    } else if (json) {
        if (print_json(&res) != 0)
            status = 1;
    } else {
        print_text(&res, isatty(STDOUT_FILENO));
    }
out:
    vns_results_fini(&res);
    vns_index_close(ix);
    free(q);
    return status;
}
