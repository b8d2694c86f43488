/* vnsearchd's per-address token buckets: the burst, the refill, addresses
 * apart (IPv4 and IPv6), a flood of addresses that cannot grow the table.
 * Rates are low enough that a scheduler pause never refills a bucket
 * between two takes the test expects to be refused. */
#include "ratelimit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

static struct sockaddr_in v4(const char *ip)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
    return a;
}

static const struct sockaddr *sa(const void *a)
{
    return (const struct sockaddr *)a;
}

static void test_burst_then_wait(void **state)
{
    struct ratelimit *rl = ratelimit_new(2, 4);
    struct sockaddr_in a = v4("10.0.0.1");
    double wait;

    (void)state;
    assert_non_null(rl);
    for (int i = 0; i < 4; i++)
        assert_true(ratelimit_take(rl, sa(&a)) == 0);
    wait = ratelimit_take(rl, sa(&a));
    /* the fifth waits for a token at 2 a second: at most half a second */
    assert_true(wait > 0 && wait <= 0.5);
    ratelimit_free(rl);
}

static void test_refill(void **state)
{
    struct ratelimit *rl = ratelimit_new(5, 1);
    struct sockaddr_in a = v4("10.0.0.2");
    struct timespec pause = {0, 300 * 1000 * 1000}; /* 1.5 tokens' time */

    (void)state;
    assert_true(ratelimit_take(rl, sa(&a)) == 0);
    assert_true(ratelimit_take(rl, sa(&a)) > 0);
    nanosleep(&pause, NULL);
    assert_true(ratelimit_take(rl, sa(&a)) == 0);
    /* the bucket holds at most the burst, however long the pause */
    assert_true(ratelimit_take(rl, sa(&a)) > 0);
    ratelimit_free(rl);
}

static void test_addresses_apart(void **state)
{
    struct ratelimit *rl = ratelimit_new(1, 1);
    struct sockaddr_in a = v4("10.0.0.3"), b = v4("10.0.0.4");
    struct sockaddr_in6 c, d;

    (void)state;
    memset(&c, 0, sizeof(c));
    c.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", &c.sin6_addr), 1);
    d = c;
    d.sin6_port = htons(4444); /* another connection, same address */
    assert_true(ratelimit_take(rl, sa(&a)) == 0);
    assert_true(ratelimit_take(rl, sa(&a)) > 0);
    assert_true(ratelimit_take(rl, sa(&b)) == 0);
    assert_true(ratelimit_take(rl, sa(&c)) == 0);
    assert_true(ratelimit_take(rl, sa(&d)) > 0);
    /* no address (a Unix socket): never limited */
    assert_true(ratelimit_take(rl, NULL) == 0);
    assert_true(ratelimit_take(rl, NULL) == 0);
    ratelimit_free(rl);
}

static void test_flood_of_addresses(void **state)
{
    struct ratelimit *rl = ratelimit_new(1, 1);
    struct sockaddr_in hog = v4("10.9.9.9"), a;
    char ip[32];

    (void)state;
    assert_true(ratelimit_take(rl, sa(&hog)) == 0);
    /* 100,000 other addresses pass through the fixed table... */
    for (int i = 0; i < 100000; i++) {
        snprintf(ip, sizeof(ip), "172.%d.%d.%d", 16 + (i >> 16) % 16,
                 (i >> 8) & 255, i & 255);
        a = v4(ip);
        assert_true(ratelimit_take(rl, sa(&a)) == 0);
    }
    /* ...and each new one still starts with its own burst, the last ones
     * still limited */
    assert_true(ratelimit_take(rl, sa(&a)) > 0);
    ratelimit_free(rl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_wait),
        cmocka_unit_test(test_refill),
        cmocka_unit_test(test_addresses_apart),
        cmocka_unit_test(test_flood_of_addresses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
