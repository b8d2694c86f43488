/* Unit tests for the gazetteer (lib/gazetteer.c) on the real
 * data/gazetteer.tsv, and for the data-file search of lib/datadir.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"
#include "gazetteer.h"

#define GAZ_PATH "data/gazetteer.tsv" /* tests run from the repo root */
#define NOUT 32

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))

/* Scratch files go here; teardown removes them even after a failure. */
static char tmpdir[] = "/tmp/vns-gaz-XXXXXX";
static const char *const tmpfiles[] = {"bad.tsv", "small.tsv", "synonyms.txt"};

static int setup(void **state)
{
    struct vns_gaz *gz = NULL;
    struct vns_err err = {0};

    if (mkdtemp(tmpdir) == NULL)
        return -1;
    if (vns_gaz_open(GAZ_PATH, &gz, &err) != VNS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = gz;
    return 0;
}

static int teardown(void **state)
{
    char path[64];

    vns_gaz_free(*state);
    for (size_t i = 0; i < sizeof(tmpfiles) / sizeof(tmpfiles[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmpdir, tmpfiles[i]);
        unlink(path); /* absent when its test passed */
    }
    return rmdir(tmpdir);
}

/* "58,56": the codes of units, comma-separated, for compact tables. */
static const char *codes(const struct vns_gaz_unit **u, size_t n)
{
    static char buf[512];
    size_t at = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && at + 20 < sizeof(buf); i++)
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%s", i ? "," : "",
                               u[i]->id);
    return buf;
}

static void test_counts(void **state)
{
    static const struct {
        unsigned kinds;
        size_t want;
    } cases[] = {
        {VNS_GAZ_PROVINCE, 63},
        {VNS_GAZ_PROVINCE_2025, 34},
        {VNS_GAZ_PROVINCES, 97},
        {VNS_GAZ_DISTRICT, 696},
        {VNS_GAZ_COMMUNE, 10047},
        {VNS_GAZ_COMMUNE_2025, 3321},
        {0, 0},
    };

    for (size_t i = 0; i < NCASES(cases); i++)
        assert_int_equal(vns_gaz_count(*state, cases[i].kinds), cases[i].want);
}

static void test_province_spellings(void **state)
{
    static const struct {
        const char *name;
        unsigned kind;
        const char *id, *short_name; /* id NULL: no such province */
    } cases[] = {
        {"Ninh Thuận", VNS_GAZ_PROVINCE, "58", "Ninh Thuận"},
        {"ninh thuan", VNS_GAZ_PROVINCE, "58", "Ninh Thuận"},
        {"NINH THUẬN", VNS_GAZ_PROVINCE, "58", "Ninh Thuận"},
        {"tỉnh Ninh Thuận", VNS_GAZ_PROVINCE, "58", "Ninh Thuận"},
        {"  Tỉnh   Ninh-Thuận ", VNS_GAZ_PROVINCE, "58", "Ninh Thuận"},
        {"Thành phố Hồ Chí Minh", VNS_GAZ_PROVINCE, "79", "Hồ Chí Minh"},
        {"TP. Hồ Chí Minh", VNS_GAZ_PROVINCE, "79", "Hồ Chí Minh"},
        {"TP.HCM", VNS_GAZ_PROVINCE, "79", "Hồ Chí Minh"},
        {"TP HCM", VNS_GAZ_PROVINCE_2025, "79", "Hồ Chí Minh"},
        {"Hồ Chí Minh", VNS_GAZ_PROVINCE, "79", "Hồ Chí Minh"},
        {"Hồ Chí Minh", VNS_GAZ_PROVINCE_2025, "79", "Hồ Chí Minh"},
        {"Thừa Thiên Huế", VNS_GAZ_PROVINCE, "46", "Huế"},
        {"tỉnh Thừa Thiên Huế", VNS_GAZ_PROVINCE, "46", "Huế"},
        {"Thừa Thiên - Huế", VNS_GAZ_PROVINCE, "46", "Huế"},
        {"Huế", VNS_GAZ_PROVINCE, "46", "Huế"},
        {"Huế", VNS_GAZ_PROVINCE_2025, "46", "Huế"},
        {"Thành phố Huế", VNS_GAZ_PROVINCE_2025, "46", "Huế"},
        /* old and 2025 codes differ for the same name */
        {"Quảng Trị", VNS_GAZ_PROVINCE, "45", "Quảng Trị"},
        {"Quảng Trị", VNS_GAZ_PROVINCE_2025, "44", "Quảng Trị"},
        {"Bà Rịa - Vũng Tàu", VNS_GAZ_PROVINCE, "77", "Bà Rịa - Vũng Tàu"},
        {"Bà Rịa Vũng Tàu", VNS_GAZ_PROVINCE, "77", "Bà Rịa - Vũng Tàu"},
        {"BR-VT", VNS_GAZ_PROVINCE, "77", "Bà Rịa - Vũng Tàu"},
        {"Daklak", VNS_GAZ_PROVINCE, "66", "Đắk Lắk"},
        {"Đắc Lắc", VNS_GAZ_PROVINCE_2025, "66", "Đắk Lắk"},
        {"Hoà Bình", VNS_GAZ_PROVINCE, "17", "Hoà Bình"},
        {"Hòa Bình", VNS_GAZ_PROVINCE, "17", "Hoà Bình"},
        {"Thanh Hoá", VNS_GAZ_PROVINCE, "38", "Thanh Hóa"},
        {"Kontum", VNS_GAZ_PROVINCE, "62", "Kon Tum"},
        /* a type word must fit: these are the city and nothing */
        {"thành phố Thanh Hóa", VNS_GAZ_PROVINCE, NULL, NULL},
        {"tỉnh Hà Nội", VNS_GAZ_PROVINCE, NULL, NULL},
        /* gone in 2025, or never a province */
        {"Ninh Thuận", VNS_GAZ_PROVINCE_2025, NULL, NULL},
        {"Quảng Bình", VNS_GAZ_PROVINCE_2025, NULL, NULL},
        {"Thừa Thiên Huế", VNS_GAZ_PROVINCE_2025, NULL, NULL},
        {"Ninh Hải", VNS_GAZ_PROVINCE, NULL, NULL},
        {"", VNS_GAZ_PROVINCE, NULL, NULL},
        {"tỉnh", VNS_GAZ_PROVINCE, NULL, NULL},
        {"...", VNS_GAZ_PROVINCE, NULL, NULL},
        {"Ninh Thuận", VNS_GAZ_DISTRICT, NULL, NULL}, /* not a province kind */
    };

    for (size_t i = 0; i < NCASES(cases); i++) {
        const struct vns_gaz_unit *u =
            vns_gaz_province(*state, cases[i].name, cases[i].kind);
        if (cases[i].id == NULL) {
            if (u != NULL)
                fail_msg("%s: got %s", cases[i].name, u->full);
            continue;
        }
        if (u == NULL)
            fail_msg("%s: not found", cases[i].name);
        assert_string_equal(u->id, cases[i].id);
        assert_string_equal(u->name, cases[i].short_name);
        assert_int_equal(u->kind, cases[i].kind);
        assert_null(u->parent);
    }
}

static void test_find_provinces(void **state)
{
    static const struct {
        const char *name;
        unsigned kinds, types;
        const char *want; /* codes, old ones first */
        unsigned kind0;   /* kind of the first */
    } cases[] = {
        {"Huế", VNS_GAZ_PROVINCES, 0, "46,46", VNS_GAZ_PROVINCE},
        {"Quảng Trị", VNS_GAZ_PROVINCES, 0, "45,44", VNS_GAZ_PROVINCE},
        {"TP.HCM", VNS_GAZ_PROVINCES, 0, "79,79", VNS_GAZ_PROVINCE},
        {"Ninh Thuận", VNS_GAZ_PROVINCES, 0, "58", VNS_GAZ_PROVINCE},
        {"Hà Nội", VNS_GAZ_PROVINCES, VNS_GAZ_THANH_PHO, "01,01",
         VNS_GAZ_PROVINCE},
        {"Hà Nội", VNS_GAZ_PROVINCES, VNS_GAZ_TINH, "", 0},
    };
    const struct vns_gaz_unit *out[NOUT];

    for (size_t i = 0; i < NCASES(cases); i++) {
        size_t n = vns_gaz_find(*state, cases[i].name, cases[i].kinds,
                                cases[i].types, out, NOUT);
        assert_string_equal(codes(out, n), cases[i].want);
        if (n > 0)
            assert_int_equal(out[0]->kind, cases[i].kind0);
    }
}

static void test_get(void **state)
{
    static const struct {
        unsigned kind;
        const char *id, *full; /* full NULL: no such code */
    } cases[] = {
        {VNS_GAZ_PROVINCE, "44", "Tỉnh Quảng Bình"},
        {VNS_GAZ_PROVINCE_2025, "44", "Tỉnh Quảng Trị"},
        {VNS_GAZ_PROVINCE, "01", "Thành phố Hà Nội"},
        {VNS_GAZ_PROVINCE, "58", "Tỉnh Ninh Thuận"},
        {VNS_GAZ_DISTRICT, "407", "Thị xã Nghi Sơn"},
        {VNS_GAZ_DISTRICT, "760", "Quận 1"},
        {VNS_GAZ_COMMUNE, "03418", "Xã Bản Giang"},
        {VNS_GAZ_COMMUNE, "27046", "Phường 5"}, /* typed Xã in the source */
        {VNS_GAZ_COMMUNE_2025, "26732", "Đặc khu Côn Đảo"},
        {VNS_GAZ_PROVINCE, "99", NULL},
        {VNS_GAZ_PROVINCE, "4", NULL},
        {VNS_GAZ_PROVINCES, "44", NULL}, /* one kind at a time */
    };

    for (size_t i = 0; i < NCASES(cases); i++) {
        const struct vns_gaz_unit *u =
            vns_gaz_get(*state, cases[i].kind, cases[i].id);
        if (cases[i].full == NULL) {
            assert_null(u);
            continue;
        }
        assert_non_null(u);
        assert_string_equal(u->full, cases[i].full);
        assert_string_equal(u->id, cases[i].id);
    }
}

static void test_provinces_of(void **state)
{
    static const struct {
        const char *name;
        unsigned kinds, types;
        const char *want; /* province codes */
    } cases[] = {
        {"Châu Thành", VNS_GAZ_DISTRICT, 0, "72,80,82,83,84,87,89,91,93,94"},
        {"Châu Thành", VNS_GAZ_DISTRICT, VNS_GAZ_QUAN, ""},
        {"Ninh Hải", VNS_GAZ_DISTRICT, 0, "58"},
        {"Bác Ái", VNS_GAZ_DISTRICT, 0, "58"},
        {"huyện Bác Ái", VNS_GAZ_DISTRICT, 0, "58"},
        {"H. Bác Ái", VNS_GAZ_DISTRICT, 0, "58"},
        {"Nghi Sơn", VNS_GAZ_DISTRICT, 0, "38"},
        {"Nghi Sơn", VNS_GAZ_DISTRICT, VNS_GAZ_THI_XA, "38"},
        {"Nghi Sơn", VNS_GAZ_DISTRICT, VNS_GAZ_HUYEN, ""},
        {"thị xã Nghi Sơn", VNS_GAZ_DISTRICT, 0, "38"},
        {"TX. Nghi Sơn", VNS_GAZ_DISTRICT, 0, "38"},
        {"huyện Nghi Sơn", VNS_GAZ_DISTRICT, 0, ""},
        {"thành phố Thanh Hóa", VNS_GAZ_DISTRICT, 0, "38"},
        {"TP Thanh Hoá", VNS_GAZ_DISTRICT, 0, "38"},
        {"Thanh Hóa", VNS_GAZ_DISTRICT, VNS_GAZ_THANH_PHO, "38"},
        {"Phan Rang-Tháp Chàm", VNS_GAZ_DISTRICT, 0, "58"},
        {"Phan Rang - Tháp Chàm", VNS_GAZ_DISTRICT, 0, "58"},
        {"phan rang thap cham", VNS_GAZ_DISTRICT, 0, "58"},
        {"Kỳ Anh", VNS_GAZ_DISTRICT, 0, "42"}, /* a huyện and a thị xã */
        {"Quận 1", VNS_GAZ_DISTRICT, 0, "79"},
        {"Q.1", VNS_GAZ_DISTRICT, 0, "79"},
        {"Ea H'leo", VNS_GAZ_DISTRICT, 0, "66"},
        {"Ea Hleo", VNS_GAZ_DISTRICT, 0, "66"},
        {"Quan Hóa", VNS_GAZ_DISTRICT, 0, "38"}, /* not "quận Hóa" */
        {"Bản Giang", VNS_GAZ_COMMUNE, 0, "12"},
        {"xã Bản Giang", VNS_GAZ_COMMUNE, 0, "12"},
        {"phường Bản Giang", VNS_GAZ_COMMUNE, 0, ""},
        {"Bản Giang", VNS_GAZ_DISTRICT, 0, ""},
        {"Hiệp Hòa", VNS_GAZ_COMMUNE_2025, 0, "22,24,80"},
        {"xã Hiệp Hòa", VNS_GAZ_COMMUNE_2025, 0, "24,80"},
        {"Côn Đảo", VNS_GAZ_COMMUNE_2025, 0, "79"},
        {"đặc khu Phú Quốc", VNS_GAZ_COMMUNE_2025, 0, "91"},
        {"Tân Phú Trung", VNS_GAZ_COMMUNE_2025, 0, "82"},
        {"Phú Quốc", VNS_GAZ_DISTRICT | VNS_GAZ_COMMUNE_2025, 0, "91,91"},
        {"Không Có Nơi Này", VNS_GAZ_DISTRICT | VNS_GAZ_COMMUNE, 0, ""},
    };
    const struct vns_gaz_unit *out[NOUT];

    for (size_t i = 0; i < NCASES(cases); i++) {
        size_t n = vns_gaz_provinces_of(*state, cases[i].name, cases[i].kinds,
                                        cases[i].types, out, NOUT);
        if (strcmp(codes(out, n), cases[i].want) != 0)
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].name,
                     codes(out, n), cases[i].want);
    }
}

static void test_find_units(void **state)
{
    const struct vns_gaz_unit *out[NOUT];
    size_t n;

    /* Kỳ Anh: two districts, one province */
    n = vns_gaz_find(*state, "Kỳ Anh", VNS_GAZ_DISTRICT, 0, out, NOUT);
    assert_int_equal(n, 2);
    assert_string_equal(out[0]->full, "Huyện Kỳ Anh");
    assert_string_equal(out[1]->full, "Thị xã Kỳ Anh");
    assert_ptr_equal(out[0]->parent, out[1]->parent);
    assert_string_equal(out[0]->parent->name, "Hà Tĩnh");

    /* a commune's parent is its district, then its province */
    n = vns_gaz_find(*state, "Bản Giang", VNS_GAZ_COMMUNE, 0, out, NOUT);
    assert_int_equal(n, 1);
    assert_string_equal(out[0]->parent->full, "Huyện Tam Đường");
    assert_string_equal(out[0]->parent->parent->full, "Tỉnh Lai Châu");

    /* a 2025 commune hangs from its 2025 province directly */
    n = vns_gaz_find(*state, "Côn Đảo", VNS_GAZ_COMMUNE_2025, 0, out, NOUT);
    assert_int_equal(n, 1);
    assert_int_equal(out[0]->type, VNS_GAZ_DAC_KHU);
    assert_string_equal(out[0]->parent->full, "Thành phố Hồ Chí Minh");
    assert_int_equal(out[0]->parent->kind, VNS_GAZ_PROVINCE_2025);

    /* a short array: the count says how many there are */
    n = vns_gaz_find(*state, "Châu Thành", VNS_GAZ_DISTRICT, 0, out, 3);
    assert_int_equal(n, 10);
    assert_string_equal(codes(out, 3), "708,808,821");
    assert_int_equal(
        vns_gaz_find(*state, "Châu Thành", VNS_GAZ_DISTRICT, 0, NULL, 0), 10);
    assert_int_equal(
        vns_gaz_provinces_of(*state, "Phường 1", VNS_GAZ_COMMUNE, 0, out, 2),
        vns_gaz_provinces_of(*state, "Phường 1", VNS_GAZ_COMMUNE, 0, NULL, 0));
    assert_int_equal(vns_gaz_find(NULL, "Huế", VNS_GAZ_PROVINCES, 0, out, 2),
                     0);
    assert_int_equal(vns_gaz_find(*state, NULL, VNS_GAZ_PROVINCES, 0, out, 2),
                     0);
}

static void test_merger(void **state)
{
    static const struct {
        const char *old; /* an old province, or a district if kind says */
        unsigned kind;
        const char *want; /* 2025 codes */
        const char *name; /* name of the first */
    } to_new[] = {
        {"Quảng Bình", VNS_GAZ_PROVINCE, "44", "Quảng Trị"},
        {"Quảng Trị", VNS_GAZ_PROVINCE, "44", "Quảng Trị"},
        {"Thừa Thiên Huế", VNS_GAZ_PROVINCE, "46", "Huế"},
        {"Ninh Thuận", VNS_GAZ_PROVINCE, "56", "Khánh Hòa"},
        {"Hà Giang", VNS_GAZ_PROVINCE, "08", "Tuyên Quang"},
        {"Bình Dương", VNS_GAZ_PROVINCE, "79", "Hồ Chí Minh"},
        {"Hà Nội", VNS_GAZ_PROVINCE, "01", "Hà Nội"},
        {"Ninh Hải", VNS_GAZ_DISTRICT, "56", "Khánh Hòa"},
        {"Bản Giang", VNS_GAZ_COMMUNE, "12", "Lai Châu"},
    };
    static const struct {
        const char *p2025;
        const char *want; /* old codes */
    } from_old[] = {
        {"Tây Ninh", "72,80"},     {"Hồ Chí Minh", "74,77,79"},
        {"Ninh Bình", "35,36,37"}, {"Lâm Đồng", "60,67,68"},
        {"Quảng Trị", "44,45"},    {"Huế", "46"},
        {"Cao Bằng", "04"},
    };
    const struct vns_gaz_unit *out[NOUT], *u[2];
    size_t n;

    for (size_t i = 0; i < NCASES(to_new); i++) {
        assert_int_equal(
            vns_gaz_find(*state, to_new[i].old, to_new[i].kind, 0, u, 2), 1);
        n = vns_gaz_to_2025(*state, u[0], out, NOUT);
        assert_string_equal(codes(out, n), to_new[i].want);
        assert_string_equal(out[0]->name, to_new[i].name);
        assert_int_equal(out[0]->kind, VNS_GAZ_PROVINCE_2025);
    }
    for (size_t i = 0; i < NCASES(from_old); i++) {
        const struct vns_gaz_unit *p =
            vns_gaz_province(*state, from_old[i].p2025, VNS_GAZ_PROVINCE_2025);
        assert_non_null(p);
        n = vns_gaz_merged_from(*state, p, out, NOUT);
        assert_string_equal(codes(out, n), from_old[i].want);
        assert_int_equal(out[0]->kind, VNS_GAZ_PROVINCE);
        /* and back again */
        for (size_t j = 0; j < n; j++) {
            assert_int_equal(vns_gaz_to_2025(*state, out[j], u, 2), 1);
            assert_ptr_equal(u[0], p);
        }
    }
    /* every old province lands somewhere, every 2025 one has sources */
    n = 0;
    for (size_t i = 0; i < 100; i++) {
        char id[8];
        const struct vns_gaz_unit *p;
        snprintf(id, sizeof(id), "%02zu", i);
        if ((p = vns_gaz_get(*state, VNS_GAZ_PROVINCE, id)) != NULL)
            assert_true(vns_gaz_to_2025(*state, p, NULL, 0) >= 1);
        if ((p = vns_gaz_get(*state, VNS_GAZ_PROVINCE_2025, id)) != NULL)
            n += vns_gaz_merged_from(*state, p, NULL, 0);
    }
    assert_int_equal(n, 63);
    /* the wrong era gives nothing */
    u[0] = vns_gaz_province(*state, "Huế", VNS_GAZ_PROVINCE_2025);
    assert_int_equal(vns_gaz_to_2025(*state, u[0], out, NOUT), 0);
    u[0] = vns_gaz_province(*state, "Huế", VNS_GAZ_PROVINCE);
    assert_int_equal(vns_gaz_merged_from(*state, u[0], out, NOUT), 0);
}

static void test_suggest(void **state)
{
    static const struct {
        const char *name;
        unsigned kinds;
        const char *first; /* full name of the first; NULL: none */
    } cases[] = {
        {"Ninh Thuann", VNS_GAZ_PROVINCE, "Tỉnh Ninh Thuận"},
        {"Nihn Thuận", VNS_GAZ_PROVINCE, "Tỉnh Ninh Thuận"},
        {"tỉnh Ninh Thuan", VNS_GAZ_PROVINCE, "Tỉnh Ninh Thuận"},
        {"Quang Tri", VNS_GAZ_PROVINCE, "Tỉnh Quảng Trị"},
        {"Quang Tri", VNS_GAZ_PROVINCE_2025, "Tỉnh Quảng Trị"},
        {"Lam Dong", VNS_GAZ_PROVINCES, "Tỉnh Lâm Đồng"},
        {"Ho Chi Min", VNS_GAZ_PROVINCE, "Thành phố Hồ Chí Minh"},
        {"Thua Thien Hue", VNS_GAZ_PROVINCE, "Thành phố Huế"},
        {"Kon Tom", VNS_GAZ_PROVINCE, "Tỉnh Kon Tum"},
        {"Bac Aii", VNS_GAZ_DISTRICT, "Huyện Bác Ái"},
        {"xyzzy qwerty", VNS_GAZ_PROVINCES, NULL},
        {"", VNS_GAZ_PROVINCES, NULL},
    };
    const struct vns_gaz_unit *out[NOUT];
    size_t n;

    for (size_t i = 0; i < NCASES(cases); i++) {
        n = vns_gaz_suggest(*state, cases[i].name, cases[i].kinds, out, 5);
        if (cases[i].first == NULL) {
            assert_int_equal(n, 0);
            continue;
        }
        if (n == 0)
            fail_msg("%s: no suggestion", cases[i].name);
        assert_true(n <= 5);
        assert_string_equal(out[0]->full, cases[i].first);
        for (size_t j = 1; j < n; j++)
            assert_ptr_not_equal(out[j], out[0]);
    }
    /* both eras at 0 edits, old first; each unit once */
    n = vns_gaz_suggest(*state, "Quang Tri", VNS_GAZ_PROVINCES, out, NOUT);
    assert_true(n >= 2 && n <= VNS_GAZ_SUGGEST_MAX);
    assert_int_equal(out[0]->kind, VNS_GAZ_PROVINCE);
    assert_string_equal(out[0]->id, "45");
    assert_int_equal(out[1]->kind, VNS_GAZ_PROVINCE_2025);
    assert_string_equal(out[1]->id, "44");
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_ptr_not_equal(out[i], out[j]);
    assert_int_equal(
        vns_gaz_suggest(*state, "Ninh Thuann", VNS_GAZ_PROVINCE, out, 0), 0);
    assert_int_equal(
        vns_gaz_suggest(*state, "Ninh Thuann", VNS_GAZ_PROVINCE, out, 1), 1);
}

/* Lookups from several threads at once agree with one thread's. */
static void *lookups(void *arg)
{
    const struct vns_gaz *gz = arg;
    const struct vns_gaz_unit *out[NOUT];
    size_t bad = 0;

    for (int i = 0; i < 2000; i++) {
        bad += vns_gaz_provinces_of(gz, "Châu Thành", VNS_GAZ_DISTRICT, 0, out,
                                    NOUT) != 10;
        bad += vns_gaz_province(gz, "TP.HCM", VNS_GAZ_PROVINCE) == NULL;
        bad +=
            vns_gaz_find(gz, "Bản Giang", VNS_GAZ_COMMUNE, 0, out, NOUT) != 1;
    }
    return (void *)(uintptr_t)bad;
}

static void test_threads(void **state)
{
    pthread_t t[4];

    for (size_t i = 0; i < NCASES(t); i++)
        assert_int_equal(pthread_create(&t[i], NULL, lookups, *state), 0);
    for (size_t i = 0; i < NCASES(t); i++) {
        void *bad = NULL;
        assert_int_equal(pthread_join(t[i], &bad), 0);
        assert_null(bad);
    }
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

#define MAGIC "# vnsearch-gazetteer 1\n"
#define NP01 "NP\t01\tthành phố\tHà Nội\tThành phố Hà Nội\n"
#define P01 "P\t01\tthành phố\tHà Nội\tThành phố Hà Nội\t01\n"

static void test_bad_files(void **state)
{
    static const struct {
        const char *text;
        const char *want; /* after "<path>" */
    } cases[] = {
        {"", ": empty file"},
        {"NP\t01\ttỉnh\tX\tTỉnh X\n", ":1: not a vnsearch gazetteer"},
        {MAGIC, ": no units"},
        {MAGIC "# a comment\n\nNP\t01\ttỉnh\tX\n",
         ":4: bad line (wrong number of fields for NP)"},
        {MAGIC "X\t01\ttỉnh\tX\tTỉnh X\n", ":2: bad line (unknown record X)"},
        {MAGIC "NP\t01\thuyện\tX\tHuyện X\n", ":2: bad line (unknown type"},
        {MAGIC "NP\t1A\ttỉnh\tX\tTỉnh X\n", ":2: bad line (bad code 1A)"},
        {MAGIC "NP\t01\ttỉnh\t\tTỉnh\n", ":2: bad line (empty field)"},
        {MAGIC "NP\t01\ttỉnh\t--\tTỉnh --\n", ":2: bad line (name without"},
        {MAGIC "P\t01\ttỉnh\tA\tB\t01\textra\n",
         ":2: bad line (too many fields)"},
        {MAGIC NP01 NP01, ":3: bad line (duplicate or unsorted code 01)"},
        {MAGIC "NP\t02\ttỉnh\tX\tTỉnh X\n" NP01,
         ":3: bad line (duplicate or unsorted code 01)"},
        {MAGIC NP01 P01, ":3: bad line (out of order: P)"},
        {MAGIC "D\t001\tquận\tBa Đình\t01\n",
         ":2: bad line (no P with the code 01)"},
        {MAGIC P01 "C\t00001\tphường\tPhúc Xá\t001\n",
         ":3: bad line (no D with the code 001)"},
        {MAGIC NP01 "NC\t00004\tphường\tBa Đình\t02\n",
         ":3: bad line (no NP with the code 02)"},
        {MAGIC "P\t01\tthành phố\tHà Nội\tThành phố Hà Nội\t02\n" NP01,
         ":2: bad line (no NP with the code 02)"},
        {MAGIC "P\t01\tthành phố\tHà Nội\tThành phố Hà Nội\t01,\n" NP01,
         ":2: bad line (no NP with the code 01,)"},
        {MAGIC NP01 "A\tP\t01\tHN\n",
         ":3: bad line (no province with the code 01)"},
        {MAGIC NP01 "A\tD\t01\tHN\n", ":3: bad line (alias of neither"},
    };
    char path[64], want[128];
    struct vns_gaz *gz = NULL;
    struct vns_err err = {0};

    (void)state;
    snprintf(path, sizeof(path), "%s/bad.tsv", tmpdir);
    for (size_t i = 0; i < NCASES(cases); i++) {
        write_file(path, cases[i].text);
        vns_err_clear(&err);
        assert_int_equal(vns_gaz_open(path, &gz, &err), VNS_EBADDATA);
        assert_null(gz);
        assert_int_equal(err.code, VNS_EBADDATA);
        snprintf(want, sizeof(want), "%s%s", path, cases[i].want);
        if (strncmp(err.msg, want, strlen(want)) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s...\"", i, err.msg, want);
    }
    /* a NUL byte inside a line */
    {
        static const char nul[] = MAGIC "NP\t01\tt\0nh\tX\tTỉnh X\n";
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
        assert_int_equal(fclose(f), 0);
        assert_int_equal(vns_gaz_open(path, &gz, &err), VNS_EBADDATA);
        assert_non_null(strstr(err.msg, ":2: bad line (NUL byte)"));
    }
    /* a directory is no file */
    assert_int_equal(vns_gaz_open(tmpdir, &gz, &err), VNS_EIO);
    assert_non_null(strstr(err.msg, tmpdir));
    assert_int_equal(unlink(path), 0);
    /* missing: the error names the path */
    assert_int_equal(vns_gaz_open(path, &gz, &err), VNS_ENOTFOUND);
    assert_null(gz);
    snprintf(want, sizeof(want), "%s: No such file or directory", path);
    assert_string_equal(err.msg, want);
}

/* A small file of every record kind, CRLF endings, no final newline. */
static void test_small_file(void **state)
{
    static const char text[] =
        MAGIC "# comment\r\n" P01 "D\t001\tquận\tBa Đình\t01\r\n"
              "C\t00001\tphường\tPhúc Xá\t001\r\n" NP01
              "NC\t00004\tphường\tBa Đình\t01\r\n"
              "A\tP\t01\tHN";
    char path[64];
    struct vns_gaz *gz = NULL;
    struct vns_err err = {0};
    const struct vns_gaz_unit *out[4];

    (void)state;
    snprintf(path, sizeof(path), "%s/small.tsv", tmpdir);
    write_file(path, text);
    if (vns_gaz_open(path, &gz, &err) != VNS_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(vns_gaz_count(gz, VNS_GAZ_PROVINCE), 1);
    assert_int_equal(vns_gaz_count(gz, VNS_GAZ_COMMUNE_2025), 1);
    assert_int_equal(vns_gaz_find(gz, "Ba Đình", ~0u, 0, out, 4), 2);
    assert_int_equal(out[0]->kind, VNS_GAZ_DISTRICT);
    assert_int_equal(out[1]->kind, VNS_GAZ_COMMUNE_2025);
    assert_string_equal(vns_gaz_province(gz, "hn", VNS_GAZ_PROVINCE)->id, "01");
    assert_int_equal(
        vns_gaz_provinces_of(gz, "Phúc Xá", VNS_GAZ_COMMUNE, 0, out, 4), 1);
    assert_string_equal(out[0]->full, "Thành phố Hà Nội");
    vns_gaz_free(gz);
    vns_gaz_free(NULL);
}

/* path NULL: $VNSEARCH_DATA_DIR first, then the places beside the program */
static void test_default_path(void **state)
{
    char path[64], got[128];
    struct vns_gaz *gz = NULL;
    struct vns_err err = {0};

    (void)state;
    assert_int_equal(setenv("VNSEARCH_DATA_DIR", "data", 1), 0);
    assert_int_equal(vns_datadir_find("gazetteer.tsv", got, sizeof(got)),
                     VNS_OK);
    assert_string_equal(got, "data/gazetteer.tsv");
    assert_int_equal(vns_datadir_find("gazetteer.tsv", got, 10), VNS_ETOOBIG);
    if (vns_gaz_open(NULL, &gz, &err) != VNS_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(vns_gaz_count(gz, VNS_GAZ_PROVINCE), 63);
    vns_gaz_free(gz);

    snprintf(path, sizeof(path), "%s/synonyms.txt", tmpdir);
    write_file(path, "x\n");
    assert_int_equal(setenv("VNSEARCH_DATA_DIR", tmpdir, 1), 0);
    assert_int_equal(vns_datadir_find("synonyms.txt", got, sizeof(got)),
                     VNS_OK);
    assert_string_equal(got, path);
    assert_int_equal(
        vns_datadir_find("no-such-file-anywhere.tsv", got, sizeof(got)),
        VNS_ENOTFOUND);
    assert_int_equal(vns_datadir_find("", got, sizeof(got)), VNS_ENOTFOUND);
    assert_int_equal(unsetenv("VNSEARCH_DATA_DIR"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_province_spellings),
        cmocka_unit_test(test_find_provinces),
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_provinces_of),
        cmocka_unit_test(test_find_units),
        cmocka_unit_test(test_merger),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_small_file),
        cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
