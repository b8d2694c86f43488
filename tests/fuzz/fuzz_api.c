/* Harness: vnsearchd's API without HTTP: a query string ("q=...&province=
 * ...&page=2") split and percent-decoded as the daemon does, then
 * vns_api_search, vns_api_suggest and vns_api_doc on a small index built
 * once from corpus/ at start. Every answer must be valid JSON, and every
 * highlight must lie inside its snippet on UTF-8 boundaries. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>

#include "vnsearch/api.h"
#include "vnsearch/index.h"

#define MAX_PARAMS 32

static struct vns_index *ix;
static char tmpdir[] = "/tmp/vns-fuzz-api-XXXXXX";

static int rm_one(const char *path, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void cleanup(void)
{
    vns_index_close(ix);
    ix = NULL;
    nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Index every regular file of dir (VNS_FUZZ_DOCS, default corpus/). */
static void build_index(void)
{
    const char *docs = getenv("VNS_FUZZ_DOCS");
    struct vns_err err = {0};
    struct dirent *e;
    DIR *d;
    size_t n = 0;

    if (docs == NULL)
        docs = "corpus";
    if (mkdtemp(tmpdir) == NULL) {
        fprintf(stderr, "fuzz_api: %s: %s\n", tmpdir, strerror(errno));
        abort();
    }
    atexit(cleanup);
    if (vns_index_open(tmpdir, VNS_INDEX_WRITE, &ix, &err) != VNS_OK) {
        fprintf(stderr, "fuzz_api: %s\n", err.msg);
        abort();
    }
    d = opendir(docs);
    if (d == NULL) {
        fprintf(stderr,
                "fuzz_api: %s: %s (run from the top of the tree or "
                "set VNS_FUZZ_DOCS)\n",
                docs, strerror(errno));
        abort();
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' ||
            (l > 10 && strcmp(e->d_name + l - 10, ".meta.json") == 0))
            continue;
        snprintf(path, sizeof(path), "%s/%s", docs, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (vns_index_add_file(ix, path, e->d_name, NULL, NULL, &err) == VNS_OK)
            n++;
    }
    closedir(d);
    vns_index_close(ix);
    ix = NULL;
    if (n == 0) {
        fprintf(stderr, "fuzz_api: nothing indexed from %s\n", docs);
        abort();
    }
    if (vns_index_open(tmpdir, VNS_INDEX_READ, &ix, &err) != VNS_OK) {
        fprintf(stderr, "fuzz_api: %s\n", err.msg);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_datadir();
    build_index();
    return 0;
}

static void check_snippets(json_t *hit)
{
    json_t *sn = json_object_get(hit, "snippets"), *s;
    size_t i;

    if (sn == NULL)
        return;
    FUZZ_CHECK(json_is_array(sn));
    json_array_foreach(sn, i, s)
    {
        json_t *text = json_object_get(s, "text"), *hl, *h;
        size_t j;
        FUZZ_CHECK(json_is_string(text));
        const char *t = json_string_value(text);
        size_t tl = json_string_length(text);
        hl = json_object_get(s, "highlights");
        FUZZ_CHECK(json_is_array(hl));
        json_array_foreach(hl, j, h)
        {
            json_int_t off = json_integer_value(json_array_get(h, 0));
            json_int_t len = json_integer_value(json_array_get(h, 1));
            FUZZ_CHECK(off >= 0 && len > 0 && (size_t)off <= tl &&
                       (size_t)len <= tl - (size_t)off);
            FUZZ_CHECK(fuzz_utf8_boundary(t, tl, (size_t)off));
            FUZZ_CHECK(fuzz_utf8_boundary(t, tl, (size_t)(off + len)));
        }
    }
}

/* out must be a JSON object; search answers are checked further. */
static void check_json(const char *out, int search)
{
    json_error_t je;
    json_t *o, *hits, *h;
    size_t i;

    FUZZ_CHECK(out != NULL);
    o = json_loads(out, 0, &je);
    if (o == NULL)
        fprintf(stderr, "bad JSON: %s: %s\n", je.text, out);
    FUZZ_CHECK(o != NULL && json_is_object(o));
    if (search) {
        hits = json_object_get(o, "hits");
        FUZZ_CHECK(json_is_array(hits));
        json_array_foreach(hits, i, h) check_snippets(h);
    }
    json_decref(o);
}

static void check_error(int rc, const struct vns_err *err)
{
    int status = vns_api_status(rc);
    char *msg;

    FUZZ_CHECK(rc < 0 && err->code == rc);
    FUZZ_CHECK(status >= 400 && status <= 599);
    msg = vns_api_error_json(status, err->msg);
    check_json(msg, 0);
    free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vns_param p[MAX_PARAMS];
    char *buf, *s, *out = NULL;
    struct vns_err err = {0};
    size_t n = 0;
    int rc;

    if (size > VNS_API_MAX_URL)
        return 0;
    buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    /* "a=1&b&c=%C4%91" as the daemon's HTTP library hands it over; a NUL
     * byte ends the URL there */
    s = buf;
    while (n < MAX_PARAMS && *s != '\0') {
        char *amp = strchr(s, '&'), *eq;
        if (amp != NULL)
            *amp = '\0';
        for (char *c = s; *c; c++)
            if (*c == '+')
                *c = ' ';
        eq = strchr(s, '=');
        if (eq != NULL)
            *eq = '\0';
        p[n].key = s;
        p[n].key_len = vns_api_unescape(s);
        p[n].value = eq ? eq + 1 : NULL;
        p[n].value_len = eq ? vns_api_unescape(eq + 1) : 0;
        n++;
        if (amp == NULL)
            break;
        s = amp + 1;
    }

    rc = vns_api_search(ix, p, n, 0, &out, &err);
    if (rc == VNS_OK)
        check_json(out, 1);
    else
        check_error(rc, &err);
    free(out);
    out = NULL;

    rc = vns_api_suggest(ix, p, n, &out, &err);
    if (rc == VNS_OK)
        check_json(out, 0);
    else
        check_error(rc, &err);
    free(out);
    out = NULL;

    if (n > 0 && p[0].value != NULL) {
        rc = vns_api_doc(ix, p[0].value, p[0].value_len, &out, &err);
        if (rc == VNS_OK)
            check_json(out, 0);
        else
            check_error(rc, &err);
        free(out);
    }
    free(buf);
    return 0;
}
