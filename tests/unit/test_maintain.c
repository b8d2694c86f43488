/* Keeping an index (lib/maintain.c): the check finds our own faults, the
 * statistics count, compaction swaps in place under the lock, a backup
 * restores. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "index_impl.h"
#include "lock.h"
#include "vnsearch/maintain.h"
#include "xapian.h"

#ifdef __SANITIZE_ADDRESS__
/* libxapian 1.4.22's Database::check frees one of its objects through a
 * base class of another size (new-delete-type-mismatch inside libxapian);
 * every other sanitizer check stays on. */
__attribute__((visibility("default"))) const char *__asan_default_options(void);
__attribute__((visibility("default"))) const char *__asan_default_options(void)
{
    return "new_delete_type_mismatch=0";
}
#endif

struct fixture {
    char dir[64];
    char db[96];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    static const char text[] = "THÔNG BÁO\nVề việc tiêm vắc xin mũi 2.\n";

    if (fx == NULL || setenv("VNSEARCH_DATA_DIR", "data", 0) != 0)
        return -1;
    strcpy(fx->dir, "/tmp/vns-test-maintain-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->db, sizeof(fx->db), "%s/db", fx->dir);
    if (vns_index_open(fx->db, VNS_INDEX_WRITE, &ix, &err) != VNS_OK ||
        vns_index_add_text(ix, "a.txt", "A", text, sizeof(text) - 1,
                           "{\"province\": \"Trà Vinh\", "
                           "\"date\": \"2021-12-02\"}",
                           &err) != VNS_OK ||
        vns_index_add_text(ix, "b.txt", "B", text, sizeof(text) - 1, NULL,
                           &err) != VNS_OK) {
        fprintf(stderr, "setup: %s\n", err.msg);
        vns_index_close(ix);
        return -1;
    }
    vns_index_close(ix);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
    free(fx);
    return system(cmd) == 0 ? 0 : -1;
}

/* The report's lines, one after the other. */
struct report {
    char text[8192];
    int faults;
};

static void on_line(int fault, const char *line, void *ctx)
{
    struct report *r = ctx;
    size_t n = strlen(r->text);

    r->faults += fault;
    snprintf(r->text + n, sizeof(r->text) - n, "%s%s\n", fault ? "! " : "",
             line);
}

static void test_check_sound(void **state)
{
    struct fixture *fx = *state;
    struct report r = {0};
    struct vns_err err = {0};
    uint64_t faults = 99;

    assert_int_equal(vns_index_check(fx->db, on_line, &r, &faults, &err),
                     VNS_OK);
    assert_int_equal(faults, 0);
    assert_non_null(strstr(r.text, "documents: 2 read"));
    snprintf(r.text, sizeof(r.text), "%s/none", fx->dir);
    assert_int_equal(vns_index_check(r.text, NULL, NULL, &faults, &err),
                     VNS_ENOTFOUND);
}

/* Documents written past the library: no id value, no metadata, a
 * record that is not ours, and the layout stamp of another version. */
static void test_check_our_faults(void **state)
{
    struct fixture *fx = *state;
    struct report r = {0};
    struct vns_err err = {0};
    struct vns_xdb *db = NULL;
    struct vns_xdoc *doc = NULL;
    uint64_t faults = 0;

    assert_int_equal(vns_xdb_open(fx->db, VNS_XDB_WRITE, &db, &err), VNS_OK);
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_set_data(doc, "{\"id\":\"raw\"}", 12, &err),
                     VNS_OK);
    assert_int_equal(vns_xdb_replace(db, "Qraw", doc, NULL, &err), VNS_OK);
    vns_xdoc_free(doc);
    assert_int_equal(vns_xdoc_new(&doc, &err), VNS_OK);
    assert_int_equal(vns_xdoc_set_data(doc, "junk", 4, &err), VNS_OK);
    assert_int_equal(vns_xdb_replace(db, "Qjunk", doc, NULL, &err), VNS_OK);
    vns_xdoc_free(doc);
    assert_int_equal(vns_xdb_set_metadata(db, VNS_FORMAT_KEY, "1", &err),
                     VNS_OK);
    assert_int_equal(vns_xdb_commit(db, &err), VNS_OK);
    vns_xdb_close(db);

    assert_int_equal(vns_index_check(fx->db, on_line, &r, &faults, &err),
                     VNS_OK);
    assert_true(faults >= 5);
    assert_int_equal(faults, (uint64_t)r.faults);
    assert_non_null(strstr(r.text, "! layout: format '1'"));
    assert_non_null(strstr(r.text, "(raw): no id value"));
    assert_non_null(strstr(r.text, "(raw): no metadata"));
    assert_non_null(strstr(r.text, ": record unreadable"));
}

static uint64_t count_of(const struct vns_stat_count *v, size_t n,
                         const char *value)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].value, value) == 0)
            return v[i].count;
    return 0;
}

static void test_stats(void **state)
{
    struct fixture *fx = *state;
    struct vns_index_stats st = {0};
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    json_t *j;
    char *text = NULL;

    assert_int_equal(vns_index_open(fx->db, VNS_INDEX_READ, &ix, &err), VNS_OK);
    assert_int_equal(vns_index_stats(ix, &st, &err), VNS_OK);
    vns_index_close(ix);
    assert_int_equal(st.documents, 2);
    assert_true(st.terms > 10);
    assert_true(st.bytes > 0);
    assert_true(st.revision >= 1);
    assert_true(st.commit_from_meta);
    assert_true(st.last_commit > 1700000000);
    assert_string_equal(st.format, VNS_INDEX_FORMAT);
    assert_int_equal(count_of(st.provinces, st.nprovinces, "Trà Vinh"), 1);
    assert_int_equal(count_of(st.provinces, st.nprovinces, ""), 1);
    assert_int_equal(count_of(st.years, st.nyears, "2021"), 1);
    assert_int_equal(vns_index_stats_json(&st, fx->db, &text, &err), VNS_OK);
    j = json_loads(text, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), 2);
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(j, "provinces"), "Trà Vinh")),
                     1);
    assert_true(json_is_string(json_object_get(j, "last_commit")));
    json_decref(j);
    free(text);
    vns_index_stats_fini(&st);
}

static void test_compact(void **state)
{
    struct fixture *fx = *state;
    struct vns_compact_result r = {0};
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    char path[160];
    uint64_t n = 0;
    struct stat before, after;
    int fd = -1;

    snprintf(path, sizeof(path), "%s/notes.txt", fx->db);
    {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("kept\n", f);
        fclose(f);
    }
    assert_int_equal(stat(fx->db, &before), 0);
    assert_int_equal(vns_index_compact(fx->db, &r, &err), VNS_OK);
    assert_true(r.bytes_after <= r.bytes_before);
    assert_int_equal(stat(fx->db, &after), 0);
    assert_true(after.st_ino != before.st_ino); /* another folder */
    assert_int_equal(access(path, F_OK), 0);    /* carried over */
    snprintf(path, sizeof(path), "%s%s", fx->db, ".compact-tmp");
    assert_int_equal(access(path, F_OK), -1); /* the old one is gone */
    assert_int_equal(vns_index_open(fx->db, VNS_INDEX_READ, &ix, &err), VNS_OK);
    assert_int_equal(vns_index_doccount(ix, &n, &err), VNS_OK);
    assert_int_equal(n, 2);
    vns_index_close(ix);

    /* another writer holds the lock: refused, nothing changes */
    assert_int_equal(vns_lock_take(fx->db, &fd, &err), VNS_OK);
    assert_int_equal(vns_index_compact(fx->db, &r, &err), VNS_EBUSY);
    assert_non_null(strstr(err.msg, "locked by PID"));
    vns_lock_release(fd);
    snprintf(path, sizeof(path), "%s/none", fx->dir);
    assert_int_equal(vns_index_compact(path, &r, &err), VNS_ENOTFOUND);
}

static void test_backup_restore(void **state)
{
    struct fixture *fx = *state;
    struct vns_compact_result r = {0};
    struct vns_index *ix = NULL;
    struct vns_err err = {0};
    char bk[160], other[160];
    uint64_t n = 0;
    static const char text[] = "Văn bản thứ ba.\n";

    snprintf(bk, sizeof(bk), "%s/bk", fx->dir);
    snprintf(other, sizeof(other), "%s/other", fx->dir);
    assert_int_equal(vns_index_backup(fx->db, bk, &r, &err), VNS_OK);
    assert_int_equal(vns_index_backup(fx->db, bk, &r, &err), VNS_EINVAL);
    /* the index moves on; the restore brings back the backup's 2 */
    assert_int_equal(vns_index_open(fx->db, VNS_INDEX_WRITE, &ix, &err),
                     VNS_OK);
    assert_int_equal(vns_index_add_text(ix, "c.txt", "C", text,
                                        sizeof(text) - 1, NULL, &err),
                     VNS_OK);
    vns_index_close(ix);
    assert_int_equal(vns_index_restore(fx->db, bk, &r, &err), VNS_OK);
    assert_int_equal(vns_index_open(fx->db, VNS_INDEX_READ, &ix, &err), VNS_OK);
    assert_int_equal(vns_index_doccount(ix, &n, &err), VNS_OK);
    assert_int_equal(n, 2);
    vns_index_close(ix);
    /* into a folder that is not there yet */
    assert_int_equal(vns_index_restore(other, bk, &r, &err), VNS_OK);
    assert_int_equal(vns_index_open(other, VNS_INDEX_READ, &ix, &err), VNS_OK);
    vns_index_close(ix);
    /* never over a folder that holds something else */
    assert_int_equal(vns_index_restore(fx->dir, bk, &r, &err), VNS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_check_sound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_our_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backup_restore, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
