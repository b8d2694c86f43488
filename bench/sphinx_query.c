/* bench/compare's Sphinx 2.2 anchor: run every query of a gen-notices
 * queries file against searchd over SphinxQL (MySQL protocol, libmariadb):
 * any word matches (the quorum "..."/1 that SPH_MATCH_ANY expands to),
 * ranker matchany, the truth-derived filter as "id IN (...)", top 100. */
#include "runlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#define RUN_DEPTH 100

/* The query's words, split at ASCII punctuation and spaces, so nothing of
 * Sphinx's query syntax (or SQL quoting) is left. */
static size_t words(const char *text, char *out)
{
    size_t o = 0;
    int in_word = 0;

    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        int word_char = c >= 0x80 || (c >= '0' && c <= '9') ||
                        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (word_char) {
            if (!in_word && o > 0)
                out[o++] = ' ';
            out[o++] = (char)c;
        }
        in_word = word_char;
    }
    out[o] = '\0';
    return o;
}

int main(int argc, char **argv)
{
    struct runlist rl;
    MYSQL *my;
    FILE *out;
    size_t errors = 0, cap = 1 << 16;
    char *sql, *w;
    long *rowid_of = NULL; /* allow[i].doc -> Sphinx id, via ids.tsv */
    double t0;

    if (argc != 6) {
        fprintf(stderr, "usage: sphinx_query PORT INDEX QUERIES RUN "
                        "ALLOW.tsv < IDS.tsv (\"id<TAB>docid\" lines)\n");
        return 2;
    }
    if (runlist_load(&rl, argv[3], argv[5]) != 0)
        return 1;
    /* document ids: the FTS5 rowids the index was built with */
    {
        struct {
            long id;
            char *doc;
        } *ids = NULL;
        size_t n = 0, icap = 0, lcap = 0;
        char *line = NULL;
        ssize_t len;

        while ((len = getline(&line, &lcap, stdin)) > 0) {
            char *tab = strchr(line, '\t');
            if (tab == NULL)
                continue;
            if (line[len - 1] == '\n')
                line[len - 1] = '\0';
            if (n == icap) {
                icap = icap ? icap * 2 : 4096;
                ids = realloc(ids, icap * sizeof(*ids));
                if (ids == NULL)
                    abort();
            }
            ids[n].id = strtol(line, NULL, 10);
            ids[n].doc = strdup(tab + 1);
            n++;
        }
        free(line);
        rowid_of = calloc(rl.n_allow + 1, sizeof(*rowid_of));
        /* small lists: a linear scan per allowed document is fine here,
         * outside the timed loop */
        for (size_t a = 0; a < rl.n_allow; a++)
            for (size_t i = 0; i < n; i++)
                if (strcmp(ids[i].doc, rl.allow[a].doc) == 0) {
                    rowid_of[a] = ids[i].id;
                    break;
                }
        for (size_t i = 0; i < n; i++)
            free(ids[i].doc);
        free(ids);
    }
    my = mysql_init(NULL);
    if (my == NULL ||
        mysql_real_connect(my, "127.0.0.1", NULL, NULL, NULL,
                           (unsigned)atoi(argv[1]), NULL, 0) == NULL) {
        fprintf(stderr, "sphinx_query: 127.0.0.1:%s: %s\n", argv[1],
                my ? mysql_error(my) : "out of memory");
        return 1;
    }
    out = fopen(argv[4], "w");
    sql = malloc(cap);
    w = malloc(cap);
    if (out == NULL || sql == NULL || w == NULL) {
        perror(argv[4]);
        return 1;
    }
    t0 = runlist_now();
    for (size_t i = 0; i < rl.n; i++) {
        struct rl_query *q = &rl.q[i];
        double t = runlist_now();
        size_t o;
        MYSQL_RES *r;
        MYSQL_ROW row;
        int rank = 0;

        if (strlen(q->text) + 1 > cap / 2)
            continue;
        words(q->text, w);
        o = (size_t)snprintf(sql, cap,
                             "SELECT path, WEIGHT() FROM %s WHERE "
                             "MATCH('\"%s\"/1')",
                             argv[2], w);
        if (q->filtered) {
            o += (size_t)snprintf(sql + o, cap - o, " AND id IN (0");
            for (size_t a = q->allow_lo; a < q->allow_hi && o + 32 < cap; a++)
                if (rowid_of[a] > 0)
                    o +=
                        (size_t)snprintf(sql + o, cap - o, ",%ld", rowid_of[a]);
            o += (size_t)snprintf(sql + o, cap - o, ")");
        }
        snprintf(sql + o, cap - o,
                 " ORDER BY WEIGHT() DESC, id ASC LIMIT %d "
                 "OPTION ranker=matchany",
                 RUN_DEPTH);
        if (mysql_query(my, sql) != 0 || (r = mysql_store_result(my)) == NULL) {
            fprintf(stderr, "sphinx_query: %s: %s\n", q->qid, mysql_error(my));
            errors++;
        } else {
            while ((row = mysql_fetch_row(r)) != NULL)
                fprintf(out, "%s Q0 %s %d %s sphinx\n", q->qid, row[0], ++rank,
                        row[1]);
            mysql_free_result(r);
        }
        rl.ms[i] = (runlist_now() - t) * 1000.0;
    }
    fprintf(stderr, "sphinx_query: %zu queries in %.2f s\n", rl.n,
            runlist_now() - t0);
    runlist_report(&rl, errors);
    mysql_close(my);
    free(sql);
    free(w);
    free(rowid_of);
    runlist_fini(&rl);
    return fclose(out) == 0 ? 0 : 1;
}
