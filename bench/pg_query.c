/* bench/compare's PostgreSQL anchor: run every query of a gen-notices
 * queries file over bench/postgres's table (libpq, one connection): the
 * query's words AND-ed by plainto_tsquery, or OR-ed, ranked by ts_rank_cd,
 * the truth-derived filter as "id = ANY(...)", top 100, a TREC run. */
#include "runlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define RUN_DEPTH "100"

/* The words of the query: plainto_tsquery parses and folds them ('vn' is
 * unaccent then simple) and joins them with &; the OR variant turns each
 * top-level & into | (a hyphenated word stays the phrase plainto makes). */
#define Q_AND "plainto_tsquery('vn', $1)"
#define Q_OR "replace(plainto_tsquery('vn', $1)::text, ' & ', ' | ')::tsquery"
#define SELECT(tsq, where)                                                     \
    "SELECT id, ts_rank_cd(tsv, q) AS r FROM docs, (SELECT " tsq ") AS s(q) "  \
    "WHERE tsv @@ q" where " ORDER BY r DESC, id LIMIT " RUN_DEPTH

/* The allowed documents as a text[] literal: {"a","b"}, with " and \
 * escaped; NULL when it does not fit in cap. */
static char *allow_array(const struct runlist *rl, const struct rl_query *q,
                         char *buf, size_t cap)
{
    size_t o = 0;

    buf[o++] = '{';
    for (size_t a = q->allow_lo; a < q->allow_hi; a++) {
        if (o + 2 * strlen(rl->allow[a].doc) + 4 >= cap)
            return NULL;
        if (a > q->allow_lo)
            buf[o++] = ',';
        buf[o++] = '"';
        for (const char *p = rl->allow[a].doc; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf[o++] = '\\';
            buf[o++] = *p;
        }
        buf[o++] = '"';
    }
    buf[o++] = '}';
    buf[o] = '\0';
    return buf;
}

static int prepare(PGconn *pg, const char *name, const char *sql, int nparams)
{
    PGresult *r = PQprepare(pg, name, sql, nparams, NULL);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

    if (!ok)
        fprintf(stderr, "pg_query: %s: %s", name, PQerrorMessage(pg));
    PQclear(r);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    struct runlist rl;
    PGconn *pg;
    FILE *out;
    size_t errors = 0, cap = 1 << 20;
    char *arr;
    const char *tag;
    int or_mode;
    double t0;

    if (argc != 6 ||
        (strcmp(argv[2], "and") != 0 && strcmp(argv[2], "or") != 0)) {
        fprintf(stderr, "usage: pg_query CONNINFO and|or QUERIES RUN "
                        "ALLOW.tsv\n");
        return 2;
    }
    or_mode = strcmp(argv[2], "or") == 0;
    tag = or_mode ? "pg_or" : "pg_and";
    if (runlist_load(&rl, argv[3], argv[5]) != 0)
        return 1;
    pg = PQconnectdb(argv[1]);
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "pg_query: %s", PQerrorMessage(pg));
        return 1;
    }
    if (prepare(pg, "all", or_mode ? SELECT(Q_OR, "") : SELECT(Q_AND, ""), 1) !=
            0 ||
        prepare(pg, "allowed",
                or_mode ? SELECT(Q_OR, " AND id = ANY($2::text[])")
                        : SELECT(Q_AND, " AND id = ANY($2::text[])"),
                2) != 0)
        return 1;
    out = fopen(argv[4], "w");
    arr = malloc(cap);
    if (out == NULL || arr == NULL) {
        perror(argv[4]);
        return 1;
    }
    t0 = runlist_now();
    for (size_t i = 0; i < rl.n; i++) {
        struct rl_query *q = &rl.q[i];
        double t = runlist_now();
        const char *params[2] = {q->text, NULL};
        PGresult *r;

        if (q->filtered) {
            params[1] = allow_array(&rl, q, arr, cap);
            if (params[1] == NULL) {
                fprintf(stderr, "pg_query: %s: allow list too long\n", q->qid);
                errors++;
                continue;
            }
        }
        r = PQexecPrepared(pg, q->filtered ? "allowed" : "all",
                           q->filtered ? 2 : 1, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            fprintf(stderr, "pg_query: %s: %s", q->qid, PQerrorMessage(pg));
            errors++;
        } else {
            for (int row = 0; row < PQntuples(r); row++)
                fprintf(out, "%s Q0 %s %d %s %s\n", q->qid,
                        PQgetvalue(r, row, 0), row + 1, PQgetvalue(r, row, 1),
                        tag);
        }
        PQclear(r);
        rl.ms[i] = (runlist_now() - t) * 1000.0;
    }
    fprintf(stderr, "pg_query: %zu queries in %.2f s\n", rl.n,
            runlist_now() - t0);
    runlist_report(&rl, errors);
    PQfinish(pg);
    free(arr);
    runlist_fini(&rl);
    return fclose(out) == 0 ? 0 : 1;
}
