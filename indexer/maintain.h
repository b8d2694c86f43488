/* vnsearch-index's keeping modes: --compact, --check, --stats, --backup,
 * --restore. Each prints its report and gives the exit code. */
#ifndef VNSEARCH_INDEXER_MAINTAIN_H
#define VNSEARCH_INDEXER_MAINTAIN_H

enum maint_mode {
    MAINT_NONE = 0,
    MAINT_COMPACT,
    MAINT_CHECK,
    MAINT_STATS,
    MAINT_BACKUP,
    MAINT_RESTORE
};

struct maint_opts {
    enum maint_mode mode;
    const char *db;   /* the index folder */
    const char *path; /* --backup DIR, --restore DIR */
    int json;         /* --stats --json */
    int merge;        /* --compact --merge-shards */
    int npaths;       /* PATHs given too: a usage error */
};

/* Record the mode option c ('K' --compact, 'X' --check, 'S' --stats,
 * 'B' --backup, 'R' --restore, 'J' --json, 'M' --merge-shards) with its
 * argument; -1 when c is not one of these or a second mode is asked for. */
int maint_option(struct maint_opts *o, int c, const char *arg);

/* Run o->mode on o->db. Exit codes: 0 done (and, for --check, sound),
 * 1 --check found damage, 2 could not run (no index, locked, I/O). */
int maint_run(const struct maint_opts *o);

#endif
