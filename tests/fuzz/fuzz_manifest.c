/* Harness: manifests of metadata overrides (lib/manifest.c): JSON Lines or
 * CSV (RFC 4180 quoting) read from a file, and the sidecar put on top.
 * Input: the manifest's bytes, then optionally 0x01 and a sidecar's.
 * Opening either fails with a message naming the file or succeeds; then
 * the overrides for each id the manifest holds (and for one it does not)
 * are a JSON object, with the sidecar's fields on top. */
#include "fuzz.h"

#include <string.h>

#include <jansson.h>

#include "vnsearch/manifest.h"

static char dir[64], mpath[96], dpath[96], spath[128];

static void cleanup(void)
{
    remove(mpath);
    remove(spath);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");

    (void)argc;
    (void)argv;
    snprintf(dir, sizeof(dir), "%s/vns-fuzz-manifest-XXXXXX",
             tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        abort();
    atexit(cleanup);
    snprintf(mpath, sizeof(mpath), "%s/m.csv", dir);
    snprintf(dpath, sizeof(dpath), "%s/doc.txt", dir);
    snprintf(spath, sizeof(spath), "%s/doc.txt.meta.json", dir);
    return 0;
}

static void put(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(fwrite(p, 1, n, f) == n || n == 0);
    FUZZ_CHECK(fclose(f) == 0);
}

/* The overrides for id: an error with a message, or NULL (nothing to
 * override: no entry, no sidecar), or a JSON object with each of the
 * sidecar's fields as the sidecar has it. */
static void overrides(const struct vns_manifest *m, const char *id,
                      const json_t *side)
{
    struct vns_err err = {0};
    char *out = NULL;
    json_t *o, *v;
    const char *k;

    if (vns_overrides_for(m, id, dpath, &out, &err) != VNS_OK) {
        FUZZ_CHECK(out == NULL || err.msg[0] != '\0');
        FUZZ_CHECK(err.msg[0] != '\0');
        return;
    }
    if (out == NULL) {
        FUZZ_CHECK(side == NULL || json_object_size(side) == 0);
        return;
    }
    o = json_loads(out, JSON_ALLOW_NUL, NULL);
    FUZZ_CHECK(json_is_object(o));
    if (side != NULL)
        json_object_foreach((json_t *)side, k, v)
            FUZZ_CHECK(json_equal(json_object_get(o, k), v));
    json_decref(o);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *cut = memchr(data, 0x01, size);
    size_t mlen = cut ? (size_t)(cut - data) : size;
    struct vns_manifest *m = NULL;
    struct vns_err err = {0};
    json_t *side = NULL, *ids;
    int rc;

    put(mpath, data, mlen);
    if (cut != NULL) {
        put(spath, cut + 1, size - mlen - 1);
        side = json_loadb((const char *)cut + 1, size - mlen - 1, 0, NULL);
        if (!json_is_object(side)) {
            json_decref(side);
            side = NULL;
        }
    } else {
        remove(spath);
    }
    rc = vns_manifest_open(mpath, &m, &err);
    if (rc != VNS_OK) {
        FUZZ_CHECK(m == NULL || rc == VNS_OK);
        /* the message names the manifest */
        FUZZ_CHECK(strstr(err.msg, mpath) != NULL);
        overrides(NULL, "x", side);
        json_decref(side);
        return 0;
    }
    FUZZ_CHECK(vns_manifest_count(m) <= mlen);
    /* ids: the first field of each line, as a CSV or JSON manifest has it */
    ids = json_array();
    for (const uint8_t *p = data; p < data + mlen;) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(data + mlen - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(data + mlen - p);
        size_t f = 0;
        char id[64];
        while (f < l && p[f] != ',')
            f++;
        if (f >= sizeof(id))
            f = sizeof(id) - 1;
        memcpy(id, p, f);
        id[f] = '\0';
        json_array_append_new(ids, json_string(id));
        p += l + 1;
    }
    for (size_t i = 0; i < json_array_size(ids) && i < 8; i++) {
        const char *id = json_string_value(json_array_get(ids, i));
        if (id != NULL)
            overrides(m, id, side);
    }
    overrides(m, "vb-no-such-id", side);
    json_decref(ids);
    json_decref(side);
    vns_manifest_free(m);
    return 0;
}
