/* The configuration file: the shipped sample, every broken file with its
 * exact message (file, line, key), command-line overrides and where each
 * value came from, and --print-config read back. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vnsearch/vnsearch.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SAMPLE "packaging/vnsearch.conf"

/* Writes text to a fresh temporary file; its name goes into path. */
static void write_tmp(const char *text, char *path, size_t pathsz)
{
    int fd;
    FILE *f;

    snprintf(path, pathsz, "/tmp/vns-config-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_sample(void **state)
{
    struct vns_config *c = NULL;
    struct vns_err err = {0};
    const char *const *dirs;

    (void)state;
    assert_int_equal(vns_config_new(&c, &err), VNS_OK);
    assert_int_equal(vns_config_load(c, SAMPLE, &err), VNS_OK);
    assert_string_equal(vns_config_file(c), SAMPLE);
    assert_string_equal(vns_config_str(c, VNS_CONF_DB),
                        "/var/lib/vnsearch/vnsearch.db");
    assert_string_equal(vns_config_from(c, VNS_CONF_DB), SAMPLE ":7");
    assert_int_equal(vns_config_folders(c, &dirs), 1);
    assert_string_equal(dirs[0], "/srv/notices");
    assert_string_equal(vns_config_str(c, VNS_CONF_LISTEN), "127.0.0.1:8080");
    assert_int_equal(vns_config_uint(c, VNS_CONF_COMMIT_EVERY, 1), 250);
    assert_int_equal(vns_config_uint(c, VNS_CONF_MAX_INFLIGHT, 1), 64);
    assert_true(vns_config_seconds(c, VNS_CONF_TIME_LIMIT, 9) == 2.0);
    /* commented out in the sample: unset, the program's default */
    assert_null(vns_config_str(c, VNS_CONF_JOBS));
    assert_int_equal(vns_config_uint(c, VNS_CONF_JOBS, 3), 3);
    assert_string_equal(vns_config_from(c, VNS_CONF_JOBS), "default");
    assert_null(vns_config_str(c, VNS_CONF_SYNONYMS));
    vns_config_free(c);
}

/* Every way a file can be wrong, and the exact message ("L" stands for
 * the temporary file's name). */
static void test_broken(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"[server]\nlisen = 1.2.3.4:80\n", "L:2: [server] lisen: unknown key"},
        {"[index]\npath = a\n[sever]\nlisten = 1.2.3.4:80\n",
         "L:4: [sever] listen: unknown section"},
        {"path = a\n", "L:1: path: key outside any [section]"},
        {"; c\n[indexer]\njobs = 0\n",
         "L:3: [indexer] jobs: takes 1 to 64, not \"0\""},
        {"[indexer]\njobs = 65\n",
         "L:2: [indexer] jobs: takes 1 to 64, not \"65\""},
        {"[indexer]\njobs = two\n",
         "L:2: [indexer] jobs: takes 1 to 64, not \"two\""},
        {"[indexer]\njobs = -1\n",
         "L:2: [indexer] jobs: takes 1 to 64, not \"-1\""},
        {"[indexer]\njobs = 99999999999999999999999\n",
         "L:2: [indexer] jobs: takes 1 to 64, not "
         "\"99999999999999999999999\""},
        {"[server]\nthreads = 257\n",
         "L:2: [server] threads: takes 1 to 256, not \"257\""},
        {"[server]\nlisten = localhost:8080\n",
         "L:2: [server] listen: takes HOST:PORT with a numeric host "
         "(127.0.0.1:8080, [::1]:8080), not \"localhost:8080\""},
        {"[server]\nlisten = 8080\n",
         "L:2: [server] listen: takes HOST:PORT with a numeric host "
         "(127.0.0.1:8080, [::1]:8080), not \"8080\""},
        {"[limits]\ntime_limit = 0\n",
         "L:2: [limits] time_limit: takes seconds, over 0 and at most 600, "
         "not \"0\""},
        {"[limits]\ntime_limit = 2s\n",
         "L:2: [limits] time_limit: takes seconds, over 0 and at most 600, "
         "not \"2s\""},
        {"[limits]\nper_ip =\n",
         "L:2: [limits] per_ip: takes a value, not nothing"},
        {"[index]\npath = a\npath = b\n",
         "L:3: [index] path: given twice (first on line 2)"},
        {"[index]\nsynonyms = /nonexistent/syn.tsv\n",
         "L:2: [index] synonyms: cannot read \"/nonexistent/syn.tsv\": No "
         "such file or directory"},
        {"[index]\npath a\n", "L:2: neither [section] nor key = value"},
        {"[index\npath = a\n", "L:1: neither [section] nor key = value"},
        /* the first error is the one told */
        {"[server]\nthreads = 0\nlisen = x\n",
         "L:2: [server] threads: takes 1 to 256, not \"0\""},
    };
    char path[64], want[512];

    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct vns_config *c = NULL;
        struct vns_err err = {0};
        const char *l = strchr(cases[i].want, ':');

        write_tmp(cases[i].text, path, sizeof(path));
        snprintf(want, sizeof(want), "%s%s", path, l);
        assert_int_equal(vns_config_new(&c, &err), VNS_OK);
        assert_int_equal(vns_config_load(c, path, &err), VNS_EINVAL);
        assert_int_equal(err.code, VNS_EINVAL);
        assert_string_equal(err.msg, want);
        vns_config_free(c);
        unlink(path);
    }
}

static void test_long_line(void **state)
{
    struct vns_config *c = NULL;
    struct vns_err err = {0};
    char text[600], path[64], want[128];

    (void)state;
    memset(text, 'a', sizeof(text));
    memcpy(text, "[index]\npath = ", 15);
    text[sizeof(text) - 2] = '\n';
    text[sizeof(text) - 1] = '\0';
    write_tmp(text, path, sizeof(path));
    assert_int_equal(vns_config_new(&c, &err), VNS_OK);
    assert_int_equal(vns_config_load(c, path, &err), VNS_EINVAL);
    snprintf(want, sizeof(want), "%s:2: line longer than 198 bytes", path);
    assert_string_equal(err.msg, want);
    vns_config_free(c);
    unlink(path);
}

static void test_missing_files(void **state)
{
    struct vns_config *c = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(vns_config_new(&c, &err), VNS_OK);
    /* named: must exist */
    assert_int_equal(vns_config_load(c, "/nonexistent/vnsearch.conf", &err),
                     VNS_EIO);
    assert_string_equal(err.msg, "/nonexistent/vnsearch.conf: cannot open: "
                                 "No such file or directory");
    setenv("VNSEARCH_CONFIG", "/nonexistent/env.conf", 1);
    assert_int_equal(vns_config_load(c, NULL, &err), VNS_EIO);
    /* VNSEARCH_CONFIG empty: no file */
    setenv("VNSEARCH_CONFIG", "", 1);
    assert_int_equal(vns_config_load(c, NULL, &err), VNS_OK);
    assert_null(vns_config_file(c));
    setenv("VNSEARCH_CONFIG", SAMPLE, 1);
    assert_int_equal(vns_config_load(c, NULL, &err), VNS_OK);
    assert_string_equal(vns_config_file(c), SAMPLE);
    unsetenv("VNSEARCH_CONFIG");
    vns_config_free(c);
}

static void test_overrides(void **state)
{
    struct vns_config *c = NULL;
    struct vns_err err = {0};
    const char *const *dirs;
    char path[64];

    (void)state;
    write_tmp("[indexer]\nfolders = /srv/a\n  /srv/b\nfolders = /srv/c\n"
              "jobs = 2 ; inline comment\n",
              path, sizeof(path));
    assert_int_equal(vns_config_new(&c, &err), VNS_OK);
    assert_int_equal(vns_config_load(c, path, &err), VNS_OK);
    /* a continuation line and a repeated key both add a folder */
    assert_int_equal(vns_config_folders(c, &dirs), 3);
    assert_string_equal(dirs[1], "/srv/b");
    assert_string_equal(dirs[2], "/srv/c");
    assert_string_equal(vns_config_str(c, VNS_CONF_JOBS), "2");

    /* the command line wins, and says so */
    assert_int_equal(vns_config_set(c, VNS_CONF_JOBS, "4", "--jobs", &err),
                     VNS_OK);
    assert_int_equal(vns_config_uint(c, VNS_CONF_JOBS, 1), 4);
    assert_string_equal(vns_config_from(c, VNS_CONF_JOBS), "--jobs");
    assert_int_equal(vns_config_set(c, VNS_CONF_JOBS, "0", "--jobs", &err),
                     VNS_EINVAL);
    assert_string_equal(err.msg, "--jobs: takes 1 to 64, not \"0\"");
    assert_int_equal(vns_config_uint(c, VNS_CONF_JOBS, 1), 4);
    /* PATHs on the command line replace the file's folders */
    assert_int_equal(
        vns_config_set(c, VNS_CONF_FOLDERS, "x", "command line", &err), VNS_OK);
    assert_int_equal(
        vns_config_set(c, VNS_CONF_FOLDERS, "y", "command line", &err), VNS_OK);
    assert_int_equal(vns_config_folders(c, &dirs), 2);
    assert_string_equal(dirs[0], "x");
    assert_string_equal(dirs[1], "y");
    assert_string_equal(vns_config_from(c, VNS_CONF_FOLDERS), "command line");
    assert_int_equal(
        vns_config_set(c, VNS_CONF_LISTEN, "[::1]:0", "--listen", &err),
        VNS_OK);
    vns_config_free(c);
    unlink(path);
}

/* --print-config's output is a config file that gives the same values. */
static void test_print_reads_back(void **state)
{
    struct vns_config *c = NULL, *back = NULL;
    struct vns_err err = {0};
    char path[64], *text = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    assert_int_equal(vns_config_new(&c, &err), VNS_OK);
    assert_int_equal(vns_config_load(c, SAMPLE, &err), VNS_OK);
    assert_int_equal(vns_config_set(c, VNS_CONF_DB, "/tmp/x.db", "--db", &err),
                     VNS_OK);
    f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(vns_config_print(c, f, &err), VNS_OK);
    fclose(f);
    assert_non_null(strstr(text, "path = /tmp/x.db ; --db\n"));
    assert_non_null(strstr(text, "folders = /srv/notices ; " SAMPLE ":15\n"));
    assert_non_null(strstr(text, "; jobs = (one per core) ; default\n"));

    write_tmp(text, path, sizeof(path));
    assert_int_equal(vns_config_new(&back, &err), VNS_OK);
    assert_int_equal(vns_config_load(back, path, &err), VNS_OK);
    for (int k = 0; k < VNS_CONF_NKEYS; k++) {
        const char *a = vns_config_str(c, (enum vns_conf_key)k);
        const char *b = vns_config_str(back, (enum vns_conf_key)k);

        if (a == NULL)
            assert_null(b);
        else
            assert_string_equal(a, b);
    }
    free(text);
    vns_config_free(back);
    vns_config_free(c);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_print_reads_back),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
