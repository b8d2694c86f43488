/* vnsearchd's work queue and its waits for an answer being computed:
 * every job pushed runs, a full queue refuses, the first asker of a key
 * computes it and those after it wait, each woken once when it lands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "flight.h"
#include "work.h"

static atomic_int ran;

static void count(void *job)
{
    atomic_fetch_add(&ran, *(int *)job);
}

/* work_free runs what is still queued before it returns. */
static void test_every_job_runs(void **state)
{
    static int one = 1;
    struct work *w = NULL;
    struct vns_err err = {0};

    (void)state;
    atomic_store(&ran, 0);
    assert_int_equal(work_new(2, 64, count, &w, &err), VNS_OK);
    for (int i = 0; i < 50; i++)
        assert_int_equal(work_push(w, &one), 0);
    work_free(w);
    assert_int_equal(atomic_load(&ran), 50);
}

static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;

static void blocked(void *job)
{
    (void)job;
    pthread_mutex_lock(&gate);
    pthread_mutex_unlock(&gate);
    atomic_fetch_add(&ran, 1);
}

/* One worker held: the queue takes cap jobs, then refuses. */
static void test_full_queue_refuses(void **state)
{
    struct work *w = NULL;
    struct vns_err err = {0};
    int refused = 0;

    (void)state;
    atomic_store(&ran, 0);
    pthread_mutex_lock(&gate);
    assert_int_equal(work_new(1, 3, blocked, &w, &err), VNS_OK);
    /* the worker takes at most one job off the queue while held */
    for (int i = 0; i < 5; i++)
        refused += work_push(w, NULL) != 0;
    assert_true(refused >= 1 && refused <= 2);
    pthread_mutex_unlock(&gate);
    work_free(w);
    assert_int_equal(atomic_load(&ran), 5 - refused);
}

struct asker {
    int parked, woken;
};

static void park(void *a)
{
    ((struct asker *)a)->parked++;
}

static void wake(void *a)
{
    ((struct asker *)a)->woken++;
}

static void test_flights(void **state)
{
    struct flights *f = flights_new();
    struct asker a[4] = {{0}};

    (void)state;
    assert_non_null(f);
    /* the first computes, the next two wait; another key is apart */
    assert_int_equal(flights_join(f, "k1", 2, &a[0], park), 0);
    assert_int_equal(flights_join(f, "k1", 2, &a[1], park), 1);
    assert_int_equal(flights_join(f, "k1", 2, &a[2], park), 1);
    assert_int_equal(flights_join(f, "k2", 2, &a[3], park), 0);
    assert_int_equal(a[0].parked, 0);
    assert_int_equal(a[1].parked, 1);
    assert_int_equal(a[2].parked, 1);
    flights_land(f, "k1", 2, wake);
    assert_int_equal(a[1].woken, 1);
    assert_int_equal(a[2].woken, 1);
    assert_int_equal(a[0].woken, 0);
    assert_int_equal(a[3].woken, 0);
    /* landed: the next asker computes again; landing twice wakes no one */
    flights_land(f, "k1", 2, wake);
    assert_int_equal(a[1].woken, 1);
    assert_int_equal(flights_join(f, "k1", 2, &a[1], park), 0);
    flights_free(f); /* with k1 and k2 still noted */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_job_runs),
        cmocka_unit_test(test_full_queue_refuses),
        cmocka_unit_test(test_flights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
