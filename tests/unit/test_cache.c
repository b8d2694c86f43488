/* vnsearchd's response cache: normalized keys, hits and copies, LRU
 * eviction by bytes, the per-entry limit, generations. */
#include "cache.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The key of path?params, params given as "k=v" strings ("k" alone for a
 * key without "="). */
static char *key_of(const char *path, const char *const *kv, size_t n,
                    size_t *len)
{
    struct vns_param p[8];

    assert_true(n <= N(p));
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(kv[i], '=');
        p[i].key = kv[i];
        p[i].key_len = eq ? (size_t)(eq - kv[i]) : strlen(kv[i]);
        p[i].value = eq ? eq + 1 : NULL;
        p[i].value_len = eq ? strlen(eq + 1) : 0;
    }
    return cache_key(path, p, n, len);
}

static int same_key(const char *path1, const char *const *a, size_t na,
                    const char *path2, const char *const *b, size_t nb)
{
    size_t la, lb;
    char *ka = key_of(path1, a, na, &la), *kb = key_of(path2, b, nb, &lb);
    int same;

    assert_non_null(ka);
    assert_non_null(kb);
    same = la == lb && memcmp(ka, kb, la) == 0;
    free(ka);
    free(kb);
    return same;
}

static void test_key(void **state)
{
    static const char *const a[] = {"q=a", "page=1"};
    static const char *const b[] = {"page=1", "q=a"};
    static const char *const c[] = {"q=a", "page=2"};
    static const char *const d[] = {"q=a"};
    static const char *const e[] = {"q="};
    static const char *const f[] = {"q"};
    static const char *const g[] = {"q=a&page=1"};
    static const char *const h[] = {"qa="};

    (void)state;
    assert_true(same_key("/api/search", a, 2, "/api/search", b, 2));
    assert_false(same_key("/api/search", a, 2, "/api/search", c, 2));
    assert_false(same_key("/api/search", a, 2, "/api/search", d, 1));
    assert_false(same_key("/api/search", d, 1, "/api/suggest", d, 1));
    assert_false(same_key("/api/search", e, 1, "/api/search", f, 1));
    /* lengths keep bytes of one field from passing for another */
    assert_false(same_key("/api/search", a, 2, "/api/search", g, 1));
    assert_false(same_key("/api/search", d, 1, "/api/search", h, 1));
    assert_false(same_key("/", NULL, 0, "/api/search", NULL, 0));
}

static void put_s(struct cache *c, uint64_t gen, const char *key,
                  const char *body)
{
    cache_put(c, gen, key, strlen(key), body, strlen(body));
}

/* 1 and the body in buf when key is held. */
static int get_s(struct cache *c, uint64_t gen, const char *key, char *buf,
                 size_t cap)
{
    char *body = NULL;
    size_t len = 0;

    if (!cache_get(c, gen, key, strlen(key), &body, &len))
        return 0;
    assert_true(len < cap);
    memcpy(buf, body, len);
    buf[len] = '\0';
    assert_int_equal(strlen(body), len); /* NUL-terminated too */
    free(body);
    return 1;
}

static void test_hit_miss(void **state)
{
    struct cache *c = NULL;
    struct cache_stats st;
    char buf[64];

    (void)state;
    assert_int_equal(cache_new(1 << 20, 1 << 16, &c, NULL), VNS_OK);
    assert_false(get_s(c, 1, "k", buf, sizeof(buf)));
    put_s(c, 1, "k", "{\"total\":1}");
    assert_true(get_s(c, 1, "k", buf, sizeof(buf)));
    assert_string_equal(buf, "{\"total\":1}");
    put_s(c, 1, "k", "{\"total\":2}"); /* replaced, not doubled */
    assert_true(get_s(c, 1, "k", buf, sizeof(buf)));
    assert_string_equal(buf, "{\"total\":2}");
    cache_stats(c, &st);
    assert_int_equal(st.hits, 2);
    assert_int_equal(st.misses, 1);
    assert_int_equal(st.entries, 1);
    assert_true(st.bytes >= 1 + strlen("{\"total\":2}"));
    cache_free(c);
}

static void test_evict_by_bytes(void **state)
{
    struct cache *c = NULL;
    struct cache_stats st;
    char body[1000], key[16], buf[1100];
    size_t one;

    (void)state;
    memset(body, 'x', sizeof(body) - 1);
    body[sizeof(body) - 1] = '\0';
    /* room for about 4 entries of ~1 KiB */
    assert_int_equal(cache_new(4500, 4500, &c, NULL), VNS_OK);
    put_s(c, 1, "k0", body);
    cache_stats(c, &st);
    one = st.bytes;
    assert_true(one > 999 && 4 * one <= 4500 && 5 * one > 4500);
    for (int i = 1; i < 4; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        put_s(c, 1, key, body);
    }
    cache_stats(c, &st);
    assert_int_equal(st.entries, 4);
    /* k0 used: k1 is now the least recently used, and goes first */
    assert_true(get_s(c, 1, "k0", buf, sizeof(buf)));
    put_s(c, 1, "k4", body);
    cache_stats(c, &st);
    assert_int_equal(st.entries, 4);
    assert_true(st.bytes <= 4500);
    assert_false(get_s(c, 1, "k1", buf, sizeof(buf)));
    assert_true(get_s(c, 1, "k0", buf, sizeof(buf)));
    assert_true(get_s(c, 1, "k2", buf, sizeof(buf)));
    assert_true(get_s(c, 1, "k4", buf, sizeof(buf)));
    /* then k3, the oldest untouched, and so on */
    put_s(c, 1, "k5", body);
    assert_false(get_s(c, 1, "k3", buf, sizeof(buf)));
    assert_true(get_s(c, 1, "k5", buf, sizeof(buf)));
    cache_free(c);
}

static void test_entry_limit(void **state)
{
    struct cache *c = NULL;
    struct cache_stats st;
    char big[3000], buf[3100];

    (void)state;
    memset(big, 'y', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(cache_new(100000, 2000, &c, NULL), VNS_OK);
    put_s(c, 1, "small", "{}");
    put_s(c, 1, "big", big);
    assert_false(get_s(c, 1, "big", buf, sizeof(buf)));
    assert_true(get_s(c, 1, "small", buf, sizeof(buf)));
    cache_stats(c, &st);
    assert_int_equal(st.entries, 1);
    cache_free(c);
}

static void test_generation(void **state)
{
    struct cache *c = NULL;
    struct cache_stats st;
    char buf[64];

    (void)state;
    assert_int_equal(cache_new(1 << 20, 1 << 16, &c, NULL), VNS_OK);
    put_s(c, 5, "a", "old");
    put_s(c, 5, "b", "old");
    assert_true(get_s(c, 5, "a", buf, sizeof(buf)));
    /* a newer revision: everything goes */
    assert_false(get_s(c, 6, "a", buf, sizeof(buf)));
    cache_stats(c, &st);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.bytes, 0);
    assert_false(get_s(c, 6, "b", buf, sizeof(buf)));
    /* an answer computed before the move is not kept */
    put_s(c, 5, "a", "stale");
    assert_false(get_s(c, 6, "a", buf, sizeof(buf)));
    put_s(c, 6, "a", "new");
    assert_true(get_s(c, 6, "a", buf, sizeof(buf)));
    assert_string_equal(buf, "new");
    /* nor served to a request that read the older generation */
    assert_false(get_s(c, 5, "a", buf, sizeof(buf)));
    /* a put of a newer generation drops the rest too */
    put_s(c, 7, "b", "newer");
    assert_false(get_s(c, 7, "a", buf, sizeof(buf)));
    assert_true(get_s(c, 7, "b", buf, sizeof(buf)));
    cache_free(c);
}

static void test_disabled(void **state)
{
    struct cache *c = (struct cache *)1;
    struct cache_stats st;
    char buf[8];

    (void)state;
    assert_int_equal(cache_new(0, 1000, &c, NULL), VNS_OK);
    assert_null(c);
    put_s(c, 1, "k", "v");
    assert_false(get_s(c, 1, "k", buf, sizeof(buf)));
    cache_stats(c, &st);
    assert_int_equal(st.hits + st.misses + st.bytes + st.entries, 0);
    cache_free(c);
}

/* Many keys: the table grows, and every entry stays reachable. */
static void test_many(void **state)
{
    struct cache *c = NULL;
    struct cache_stats st;
    char key[32], want[32], buf[32];

    (void)state;
    assert_int_equal(cache_new(64 << 20, 1 << 16, &c, NULL), VNS_OK);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "/api/search?q=%d", i);
        snprintf(want, sizeof(want), "%d", i * 7);
        put_s(c, 1, key, want);
    }
    cache_stats(c, &st);
    assert_int_equal(st.entries, 5000);
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "/api/search?q=%d", i);
        snprintf(want, sizeof(want), "%d", i * 7);
        assert_true(get_s(c, 1, key, buf, sizeof(buf)));
        assert_string_equal(buf, want);
    }
    cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_hit_miss),
        cmocka_unit_test(test_evict_by_bytes),
        cmocka_unit_test(test_entry_limit),
        cmocka_unit_test(test_generation),
        cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_many),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
