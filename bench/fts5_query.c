/* bench/compare's SQLite FTS5 anchor: run every query of a gen-notices
 * queries file over the fts5_load table (words OR-ed, bm25 order), keep the
 * top 100 documents the truth-derived filter allows, write a TREC run. */
#include "runlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#define RUN_DEPTH 100

/* The query's words, each a quoted FTS5 string, joined by OR: splitting
 * at ASCII punctuation and spaces keeps FTS5's syntax out of the way
 * ("90,8%", "22/11/2021" become phrases of their parts). */
static char *match_expr(const char *text)
{
    size_t n = strlen(text), o = 0;
    char *out = malloc(n * 6 + 16);
    int in_word = 0, words = 0;

    if (out == NULL)
        return NULL;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)text[i];
        int word_char = c >= 0x80 || (c >= '0' && c <= '9') ||
                        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (word_char && !in_word) {
            if (words++)
                memcpy(out + o, " OR ", 4), o += 4;
            out[o++] = '"';
            in_word = 1;
        } else if (!word_char && in_word) {
            out[o++] = '"';
            in_word = 0;
        }
        if (word_char)
            out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}

int main(int argc, char **argv)
{
    struct runlist rl;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    FILE *out;
    size_t errors = 0;
    double t0;

    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: fts5_query DB QUERIES RUN [ALLOW.tsv]\n");
        return 2;
    }
    if (runlist_load(&rl, argv[2], argc == 5 ? argv[4] : NULL) != 0)
        return 1;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT id, rank FROM docs WHERE docs MATCH ?1 "
                           "ORDER BY rank LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "fts5_query: %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    out = fopen(argv[3], "w");
    if (out == NULL) {
        perror(argv[3]);
        return 1;
    }
    t0 = runlist_now();
    for (size_t i = 0; i < rl.n; i++) {
        struct rl_query *q = &rl.q[i];
        double t = runlist_now();
        char *expr = match_expr(q->text);
        int rank = 0, rc = SQLITE_DONE;

        sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
        /* filtered: walk the whole bm25 order until 100 pass */
        sqlite3_bind_int(st, 2, q->filtered ? -1 : RUN_DEPTH);
        while (rank < RUN_DEPTH && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *id = (const char *)sqlite3_column_text(st, 0);
            if (!runlist_allows(&rl, q, id))
                continue;
            fprintf(out, "%s Q0 %s %d %.6f fts5\n", q->qid, id, ++rank,
                    -sqlite3_column_double(st, 1));
        }
        if (rank < RUN_DEPTH && rc != SQLITE_DONE) {
            fprintf(stderr, "fts5_query: %s: %s\n", q->qid, sqlite3_errmsg(db));
            errors++;
        }
        sqlite3_reset(st);
        free(expr);
        rl.ms[i] = (runlist_now() - t) * 1000.0;
    }
    fprintf(stderr, "fts5_query: %zu queries in %.2f s\n", rl.n,
            runlist_now() - t0);
    runlist_report(&rl, errors);
    sqlite3_finalize(st);
    sqlite3_close(db);
    runlist_fini(&rl);
    return fclose(out) == 0 ? 0 : 1;
}
