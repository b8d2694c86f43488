/* Unit tests for lib/ocr.c with a stand-in helper (fake-vnsearch-ocr): the
 * helper's output parsed and repaired, its failures told, the cache hit,
 * a damaged entry missed (the helper runs again), a missing helper named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ocr.h"

#define FAKE "tests/unit/fake-vnsearch-ocr"

struct fixture {
    char dir[64], cache[96];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    strcpy(f->dir, "/tmp/test_ocr.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->cache, sizeof(f->cache), "%s/cache", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static void use(const struct fixture *f, const char *helper, const char *mode)
{
    struct vns_ocr_opts o = {.mode = VNS_OCR_AUTO,
                             .jobs = 1,
                             .page_seconds = 5,
                             .cache_dir = f->cache,
                             .helper = helper};

    setenv("FAKE_OCR", mode, 1);
    assert_int_equal(vns_ocr_setup(&o, NULL), VNS_OK);
}

/* The one cache entry's path, found by walking the cache folder. */
static void entry_path(const struct fixture *f, char *out, size_t outsz)
{
    char cmd[200];
    FILE *p;

    snprintf(cmd, sizeof(cmd), "find '%s' -type f", f->cache);
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out, (int)outsz, p));
    out[strcspn(out, "\n")] = '\0';
    pclose(p);
}

static void test_recognize_then_cache(void **state)
{
    struct fixture *f = *state;
    struct vns_ocr_text t = {0};
    struct vns_err err = {0};
    char path[256];
    FILE *fp;

    use(f, FAKE, "ok");
    assert_int_equal(vns_ocr_file("scan-1", 6, 2, &t, &err), VNS_OK);
    assert_string_equal(t.text, "Quyết định\nTrang hai");
    assert_int_equal(t.pages, 2);
    assert_true(t.confidence > 91.4 && t.confidence < 91.6);
    assert_false(t.cached);
    vns_ocr_text_fini(&t);
    /* the same bytes again: from the cache; a helper run would fail */
    use(f, FAKE, "fail");
    assert_int_equal(vns_ocr_file("scan-1", 6, 2, &t, &err), VNS_OK);
    assert_true(t.cached);
    assert_string_equal(t.text, "Quyết định\nTrang hai");
    vns_ocr_text_fini(&t);
    /* a damaged entry is a miss: the helper runs and the entry is whole */
    entry_path(f, path, sizeof(path));
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("vnsearch-ocr 1 pages=2 confidence=91.5\nQuy", fp);
    fclose(fp);
    assert_int_equal(vns_ocr_file("scan-1", 6, 2, &t, &err), VNS_EBADDATA);
    use(f, FAKE, "ok");
    assert_int_equal(vns_ocr_file("scan-1", 6, 2, &t, &err), VNS_OK);
    assert_false(t.cached);
    vns_ocr_text_fini(&t);
    assert_int_equal(vns_ocr_file("scan-1", 6, 2, &t, &err), VNS_OK);
    assert_true(t.cached);
    vns_ocr_text_fini(&t);
}

static void test_failures(void **state)
{
    static const struct {
        const char *helper, *mode;
        int code;
        const char *msg;
    } cases[] = {
        {FAKE, "fail", VNS_EBADDATA, "OCR: image cannot be decoded"},
        {FAKE, "garbage", VNS_EBADDATA,
         "OCR: vnsearch-ocr printed something else than text"},
        {"tests/unit/no-such-helper", "ok", VNS_EUNSUPPORTED,
         "OCR needs vnsearch-ocr, not found in tests/unit/no-such-helper "
         "(install it, or --ocr off)"},
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vns_ocr_text t = {0};
        struct vns_err err = {0};
        char data[16];

        /* new bytes each time: nothing from the cache */
        snprintf(data, sizeof(data), "other-%zu", i);
        use(f, cases[i].helper, cases[i].mode);
        assert_int_equal(vns_ocr_file(data, strlen(data), 1, &t, &err),
                         cases[i].code);
        assert_string_equal(err.msg, cases[i].msg);
        assert_null(t.text);
    }
}

struct call {
    char data[16];
    int rc;
};

static void *call_main(void *arg)
{
    struct call *c = arg;
    struct vns_ocr_text t = {0};

    c->rc = vns_ocr_file(c->data, strlen(c->data), 1, &t, NULL);
    vns_ocr_text_fini(&t);
    return NULL;
}

/* Wall-clock seconds of two threads each asking for a new file (the
 * stand-in sleeps 1 s) with at most jobs helpers at once. */
static double two_at_once(const struct fixture *f, unsigned jobs, int round)
{
    struct vns_ocr_opts o = {.mode = VNS_OCR_AUTO,
                             .jobs = jobs,
                             .page_seconds = 5,
                             .cache_dir = f->cache,
                             .helper = FAKE};
    struct call calls[2];
    pthread_t th[2];
    struct timespec a, b;

    setenv("FAKE_OCR", "slow", 1);
    assert_int_equal(vns_ocr_setup(&o, NULL), VNS_OK);
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < 2; i++) {
        snprintf(calls[i].data, sizeof(calls[i].data), "slow-%d-%d", round, i);
        assert_int_equal(pthread_create(&th[i], NULL, call_main, &calls[i]), 0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(calls[i].rc, VNS_OK);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a.tv_sec) +
           (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

/* --ocr-jobs: one helper at a time makes two files take twice as long. */
static void test_jobs_bound(void **state)
{
    struct fixture *f = *state;
    double one = two_at_once(f, 1, 1), two = two_at_once(f, 2, 2);

    assert_true(one >= 2.0);
    assert_true(two < one);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recognize_then_cache),
        cmocka_unit_test(test_failures),
        cmocka_unit_test(test_jobs_bound),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
