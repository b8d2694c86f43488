/* vnsearch-index --compact, --check, --stats, --backup, --restore: call
 * lib/maintain.c, print what it says, choose the exit code. */
#include "maintain.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vnsearch/vnsearch.h"

#ifdef __SANITIZE_ADDRESS__
/* The sanitizer build: libxapian 1.4.22's own Database::check frees a
 * 440-byte object of its own as a 432-byte one (a sized delete through a
 * base class, inside libxapian), which ASan reports as
 * new-delete-type-mismatch. Not ours; every other check stays on. */
__attribute__((visibility("default"))) const char *__asan_default_options(void);
__attribute__((visibility("default"))) const char *__asan_default_options(void)
{
    return "new_delete_type_mismatch=0";
}
#endif

/* "169.2 MB" */
static const char *human(uint64_t bytes, char *buf, size_t cap)
{
    static const char *const units[] = {"bytes", "kB", "MB", "GB", "TB"};
    double v = (double)bytes;
    size_t u = 0;

    while (v >= 1000 && u + 1 < sizeof(units) / sizeof(units[0])) {
        v /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(buf, cap, "%llu bytes", (unsigned long long)bytes);
    else
        snprintf(buf, cap, "%.1f %s", v, units[u]);
    return buf;
}

static int fail(const char *msg)
{
    fprintf(stderr, "vnsearch-index: %s\n", msg);
    return 2;
}

static void print_sizes(const char *what, const char *db,
                        const struct vns_compact_result *r)
{
    char a[32], b[32];

    printf("%s %s: %s -> %s (%.0f%%) in %.2f s%s\n", what, db,
           human(r->bytes_before, a, sizeof(a)),
           human(r->bytes_after, b, sizeof(b)),
           r->bytes_before
               ? 100.0 * (double)r->bytes_after / (double)r->bytes_before
               : 100.0,
           r->seconds,
           r->exchanged ? "; swapped in atomically"
                        : "; swapped in with two renames (no atomic "
                          "exchange on this filesystem)");
}

static int compact(const struct maint_opts *o)
{
    struct vns_compact_result r = {0};
    struct vns_err err = {0};

    if ((o->merge ? vns_index_merge(o->db, &r, &err)
                  : vns_index_compact(o->db, &r, &err)) != VNS_OK)
        return fail(err.msg);
    print_sizes(o->merge ? "merged into one database and compacted"
                         : "compacted",
                o->db, &r);
    return 0;
}

static int backup(const struct maint_opts *o)
{
    struct vns_compact_result r = {0};
    struct vns_err err = {0};
    char a[32], b[32];

    if (vns_index_backup(o->db, o->path, &r, &err) != VNS_OK)
        return fail(err.msg);
    printf("backed up %s (%s) to %s (%s, compacted) in %.2f s\n", o->db,
           human(r.bytes_before, a, sizeof(a)), o->path,
           human(r.bytes_after, b, sizeof(b)), r.seconds);
    return 0;
}

static int restore(const struct maint_opts *o)
{
    struct vns_compact_result r = {0};
    struct vns_err err = {0};
    char a[32], b[32];

    if (vns_index_restore(o->db, o->path, &r, &err) != VNS_OK)
        return fail(err.msg);
    printf("restored %s from %s: %s -> %s in %.2f s%s\n", o->db, o->path,
           human(r.bytes_before, a, sizeof(a)),
           human(r.bytes_after, b, sizeof(b)), r.seconds,
           r.exchanged ? "; swapped in atomically" : "; swapped in");
    return 0;
}

static void on_line(int fault, const char *line, void *ctx)
{
    (void)ctx;
    printf("  %s%s\n", fault ? "FAULT: " : "", line);
}

static int check(const struct maint_opts *o)
{
    struct vns_err err = {0};
    uint64_t faults = 0;

    printf("checking %s\n", o->db);
    fflush(stdout);
    if (vns_index_check(o->db, on_line, NULL, &faults, &err) != VNS_OK)
        return fail(err.msg);
    if (faults == 0) {
        printf("%s: sound\n", o->db);
        return 0;
    }
    printf("%s: DAMAGED (%llu fault%s). Rebuild it with\n"
           "  vnsearch-index --rebuild --db %s FOLDER...\n"
           "or put a backup in its place with\n"
           "  vnsearch-index --restore BACKUP --db %s\n",
           o->db, (unsigned long long)faults, faults == 1 ? "" : "s", o->db,
           o->db);
    return 1;
}

static void print_counts(const char *title, const struct vns_stat_count *v,
                         size_t n)
{
    printf("%s:\n", title);
    for (size_t i = 0; i < n; i++)
        printf("  %8llu  %s\n", (unsigned long long)v[i].count,
               v[i].value[0] ? v[i].value : "(none)");
}

static int stats(const struct maint_opts *o)
{
    struct vns_index_stats st = {0};
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    char when[64] = "unknown", size[32], *json = NULL;
    int rc;

    rc = vns_index_open(o->db, VNS_INDEX_READ, &ix, &err);
    if (rc == VNS_OK)
        rc = vns_index_stats(ix, &st, &err);
    vns_index_close(ix);
    if (rc == VNS_OK && o->json)
        rc = vns_index_stats_json(&st, o->db, &json, &err);
    if (rc != VNS_OK) {
        vns_index_stats_fini(&st);
        return fail(err.msg);
    }
    if (json != NULL) {
        printf("%s\n", json);
        free(json);
        vns_index_stats_fini(&st);
        return 0;
    }
    if (st.last_commit > 0) {
        time_t t = (time_t)st.last_commit;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
    }
    printf("index        %s\n"
           "documents    %llu\n"
           "terms        %llu distinct\n"
           "size         %s (%llu bytes)\n"
           "revision     %llu\n"
           "last commit  %s%s\n"
           "layout       format %s\n"
           "packing      %llu dictionaries\n",
           o->db, (unsigned long long)st.documents,
           (unsigned long long)st.terms, human(st.bytes, size, sizeof(size)),
           (unsigned long long)st.bytes, (unsigned long long)st.revision, when,
           st.last_commit > 0 && !st.commit_from_meta ? " (file time)" : "",
           st.format[0] ? st.format : "(none)",
           (unsigned long long)st.dictionaries);
    print_counts("provinces", st.provinces, st.nprovinces);
    print_counts("document types", st.types, st.ntypes);
    print_counts("years", st.years, st.nyears);
    vns_index_stats_fini(&st);
    return 0;
}

int maint_option(struct maint_opts *o, int c, const char *arg)
{
    enum maint_mode m;

    switch (c) {
    case 'J':
        o->json = 1;
        return 0;
    case 'M':
        o->merge = 1;
        return 0;
    case 'K':
        m = MAINT_COMPACT;
        break;
    case 'X':
        m = MAINT_CHECK;
        break;
    case 'S':
        m = MAINT_STATS;
        break;
    case 'B':
        m = MAINT_BACKUP;
        break;
    case 'R':
        m = MAINT_RESTORE;
        break;
    default:
        return -1;
    }
    if (o->mode != MAINT_NONE && o->mode != m) {
        fprintf(stderr, "vnsearch-index: --compact, --check, --stats, "
                        "--backup and --restore go one at a time\n");
        return -1;
    }
    o->mode = m;
    o->path = arg;
    return 0;
}

int maint_run(const struct maint_opts *o)
{
    if (o->npaths > 0)
        return fail("PATH arguments go with indexing, not with --compact, "
                    "--check, --stats, --backup or --restore");
    if (o->merge && o->mode != MAINT_COMPACT)
        return fail("--merge-shards goes with --compact");
    if (o->json && o->mode != MAINT_STATS)
        return fail("--json goes with --stats");
    switch (o->mode) {
    case MAINT_COMPACT:
        return compact(o);
    case MAINT_CHECK:
        return check(o);
    case MAINT_STATS:
        return stats(o);
    case MAINT_BACKUP:
        return backup(o);
    case MAINT_RESTORE:
        return restore(o);
    case MAINT_NONE:
        break;
    }
    return 2;
}
