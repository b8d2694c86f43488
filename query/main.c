/* vnsearch: query a local index from the command line: ranked hits with
 * snippets and metadata, filters, facets, --explain and --dump-meta. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "config.h"
#include "print.h"
#include "vnsearch/vnsearch.h"

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: vnsearch [--db DIR] [OPTIONS] QUERY...\n"
        "       vnsearch [--db DIR] --explain ID | --dump-meta\n"
        "Search the index. Words match with or without diacritics;\n"
        "\"quoted phrases\" must match in order; -word excludes.\n"
        "  --config FILE     settings (default %s)\n"
        "  --db DIR          index folder (default $VNSEARCH_DB, else %s),\n"
        "                    or a stub file listing shards, local or remote\n"
        "  --allow-partial   search the shards that answer when some do not\n"
        "  --limit N         hits to show (default 10)\n"
        "  --offset N        hits to skip (default 0)\n"
        "  --json            one JSON object per hit and line\n"
        "  --province NAME   the province a notice names, any spelling\n"
        "  --province-2025 NAME  one of the 34 since July 2025, with the old\n"
        "                    provinces merged into it\n"
        "  --body NAME       issuing body (\"Sở Y tế\", \"UBND tỉnh\")\n"
        "  --type TYPE       document type (\"Thông báo\", \"TB\", \"QĐ\")\n"
        "  --from DATE --to DATE  signing date range (ISO or dd/mm/yyyy)\n"
        "  --deadline-from DATE --deadline-to DATE  some deadline within\n"
        "  --has-deadline    only documents that set a deadline\n"
        "  --ocr             only scanned documents (text recognized by OCR)\n"
        "  --sort relevance|date  (date: newest first)\n"
        "  --facets          counts per province, body, type and month\n"
        "  --explain ID      the fields of a document and their evidence\n"
        "  --dump-meta       every document's fields, one JSON line each\n"
        "  --batch FILE --trec RUN  run a gen-notices queries file, write a\n"
        "                    TREC run (top 100), print latency percentiles\n"
        "With a filter, QUERY may be empty: every document it lets through.\n"
        "Exit: 0 (also with no results), 1 index error, 2 bad usage or "
        "query.\n",
        VNS_CONFIG_FILE, VNS_DEFAULT_DB);
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

/* The words of argv joined by spaces. */
static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    char *q;

    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    q = malloc(len);
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

static int dump_one(const char *meta_json, void *ctx)
{
    (void)ctx;
    return print_dump_line(meta_json) != 0;
}

enum {
    OPT_PROVINCE = 256,
    OPT_PROVINCE_2025,
    OPT_BODY,
    OPT_TYPE,
    OPT_FROM,
    OPT_TO,
    OPT_DL_FROM,
    OPT_DL_TO,
    OPT_HAS_DL,
    OPT_OCR,
    OPT_SORT,
    OPT_FACETS,
    OPT_EXPLAIN,
    OPT_DUMP,
    OPT_BATCH,
    OPT_TREC,
    OPT_CONFIG,
    OPT_PARTIAL
};

/* What to do about an index that cannot be read. */
static void advise(const struct vns_err *err, const char *db)
{
    if (err->code == VNS_EINDEX)
        fprintf(stderr,
                "vnsearch: the index may be damaged: `vnsearch-index --check "
                "--db %s` tells; `vnsearch-index --rebuild --db %s "
                "FOLDER...` builds it again while searches go on\n",
                db, db);
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"province", required_argument, NULL, OPT_PROVINCE},
        {"province-2025", required_argument, NULL, OPT_PROVINCE_2025},
        {"body", required_argument, NULL, OPT_BODY},
        {"type", required_argument, NULL, OPT_TYPE},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"deadline-from", required_argument, NULL, OPT_DL_FROM},
        {"deadline-to", required_argument, NULL, OPT_DL_TO},
        {"has-deadline", no_argument, NULL, OPT_HAS_DL},
        {"ocr", no_argument, NULL, OPT_OCR},
        {"sort", required_argument, NULL, OPT_SORT},
        {"facets", no_argument, NULL, OPT_FACETS},
        {"explain", required_argument, NULL, OPT_EXPLAIN},
        {"dump-meta", no_argument, NULL, OPT_DUMP},
        {"batch", required_argument, NULL, OPT_BATCH},
        {"trec", required_argument, NULL, OPT_TREC},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"allow-partial", no_argument, NULL, OPT_PARTIAL},
        {NULL, 0, NULL, 0},
    };
    struct vns_config *cfg = NULL;
    const char *cfg_path = NULL;
    char dbbuf[4096];
    struct vns_search_opts o = {0};
    struct vns_results res = {0};
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    const char *db = VNS_DEFAULT_DB, *explain = NULL;
    const char *batch = NULL, *trec = NULL;
    char *q = NULL, *meta = NULL;
    int c, json = 0, dump = 0, status = 0, filtered, mode = VNS_INDEX_READ;

    /* --config first: the file (then $VNSEARCH_DB) under the options */
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        if (c == OPT_CONFIG)
            cfg_path = optarg;
        if (c == 'h') { /* even when the config file is broken */
            usage(stdout);
            return 0;
        }
    }
    opterr = 1;
    optind = 0;
    if (vns_config_init(cfg_path, &cfg, &err) != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", err.msg);
        return 2;
    }
    if (vns_config_str(cfg, VNS_CONF_DB) != NULL) {
        snprintf(dbbuf, sizeof(dbbuf), "%s", vns_config_str(cfg, VNS_CONF_DB));
        db = dbbuf;
    }
    if (vns_config_str(cfg, VNS_CONF_ALLOW_PARTIAL) != NULL &&
        strcmp(vns_config_str(cfg, VNS_CONF_ALLOW_PARTIAL), "yes") == 0)
        mode |= VNS_INDEX_PARTIAL;
    vns_config_free(cfg);
    o.limit = 10;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case OPT_CONFIG:
            break;
        case 'd':
            db = optarg;
            break;
        case 'l':
            if (parse_count(optarg, 10000, &o.limit) || o.limit == 0) {
                fprintf(stderr, "vnsearch: --limit takes 1 to 10000\n");
                return 2;
            }
            break;
        case 'o':
            if (parse_count(optarg, 1000000, &o.offset)) {
                fprintf(stderr, "vnsearch: --offset takes 0 to 1000000\n");
                return 2;
            }
            break;
        case 'j':
            json = 1;
            break;
        case OPT_PARTIAL:
            mode |= VNS_INDEX_PARTIAL;
            break;
        case OPT_PROVINCE:
            o.province = optarg;
            break;
        case OPT_PROVINCE_2025:
            o.province_2025 = optarg;
            break;
        case OPT_BODY:
            o.body = optarg;
            break;
        case OPT_TYPE:
            o.type = optarg;
            break;
        case OPT_FROM:
            o.date_from = optarg;
            break;
        case OPT_TO:
            o.date_to = optarg;
            break;
        case OPT_DL_FROM:
            o.deadline_from = optarg;
            break;
        case OPT_DL_TO:
            o.deadline_to = optarg;
            break;
        case OPT_HAS_DL:
            o.has_deadline = 1;
            break;
        case OPT_OCR:
            o.ocr = 1;
            break;
        case OPT_SORT:
            if (strcmp(optarg, "date") == 0) {
                o.sort = VNS_SORT_DATE;
            } else if (strcmp(optarg, "relevance") != 0) {
                fprintf(stderr, "vnsearch: --sort takes relevance or date\n");
                return 2;
            }
            break;
        case OPT_FACETS:
            o.facets = 1;
            break;
        case OPT_EXPLAIN:
            explain = optarg;
            break;
        case OPT_DUMP:
            dump = 1;
            break;
        case OPT_BATCH:
            batch = optarg;
            break;
        case OPT_TREC:
            trec = optarg;
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
    filtered = o.province || o.province_2025 || o.body || o.type ||
               o.date_from || o.date_to || o.deadline_from || o.deadline_to ||
               o.has_deadline || o.ocr;
    if ((batch == NULL) != (trec == NULL)) {
        fprintf(stderr, "vnsearch: --batch and --trec go together\n");
        return 2;
    }
    if (optind >= argc && !filtered && !explain && !dump && !batch) {
        usage(stderr);
        return 2;
    }
    q = join_args(argc - optind, argv + optind);
    if (q == NULL) {
        fprintf(stderr, "vnsearch: out of memory\n");
        return 1;
    }
    if (vns_index_open(db, mode, &ix, &err) != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", err.msg);
        advise(&err, db);
        status = 1;
        goto out;
    }
    if (batch != NULL) {
        status = batch_run(ix, batch, trec, &o);
        goto out;
    }
    if (explain != NULL || dump) {
        int rc = explain ? vns_index_doc_meta(ix, explain, &meta, &err)
                         : vns_index_each_meta(ix, dump_one, NULL, &err);
        if (rc < 0) {
            fprintf(stderr, "vnsearch: %s\n", err.msg);
            status = rc == VNS_ENOTFOUND ? 2 : 1;
        } else if (explain && print_explain(meta, json) != 0) {
            status = 1;
        }
        goto out;
    }
    if (vns_search(ix, q, strlen(q), &o, &res, &err) != VNS_OK) {
        fprintf(stderr, "vnsearch: %s%s\n",
                err.code == VNS_EQUERY ? "bad query: " : "", err.msg);
        advise(&err, db);
        status = err.code == VNS_EQUERY ? 2 : 1;
        goto out;
    }
    if (res.nmissing > 0)
        fprintf(stderr,
                "vnsearch: partial results: %zu shard%s did not answer (%s)\n",
                res.nmissing, res.nmissing == 1 ? "" : "s", res.missing);
    if (json) {
        /* the summary line: totals, facets, suggestion, missing shards */
        if (((o.facets || res.suggestion || res.nmissing) &&
             print_facets_json(&res) != 0) ||
            print_hits_json(&res) != 0)
            status = 1;
    } else {
        if (res.suggestion != NULL)
            printf("Did you mean: %s\n", res.suggestion);
        if (o.facets)
            print_facets_text(&res);
        if (res.n == 0)
            printf("No results for: %s\n", q);
        print_hits_text(&res, isatty(STDOUT_FILENO));
    }
out:
    vns_results_fini(&res);
    vns_index_close(ix);
    free(meta);
    free(q);
    return status;
}
