/* Harness: legacy encodings: detection among CP1258, VISCII, TCVN3, VNI
 * and UTF-16, and decoding to UTF-8. The first byte picks what runs:
 * low 3 bits 0-5 decode as that encoding, 6 detects then decodes with no
 * label, 7 with the label (byte >> 3) of the table below. The output must
 * be UTF-8, NUL-terminated at its length. */
#include "fuzz.h"

#include <string.h>

#include "encoding.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static const char *const labels[] = {
    "UTF-16LE",       "utf-16be",     "windows-1258",
    "cp1258",         "VISCII",       "TCVN5712-1",
    "tcvn3",          "x-viet-vni",   "vni",
    "iso-8859-1",     "unknown-8bit", "binary",
    "us-ascii",       "utf-8",        "",
    "UTF-16",         "x-viet-tcvn",  "VN3",
    "x-user-defined", "windows-1252", "ebcdic",
    "utf-32",         "abc",          "viscii1.1",
    "cp1258 ",        "CP-1258",      "utf16le",
    "tcvn",           "x-viet-vps",   "vps",
    "unicode",        "latin1"};

static void check_out(int rc, char *out, size_t outlen)
{
    if (rc != VNS_OK)
        return;
    FUZZ_CHECK(out != NULL && out[outlen] == '\0');
    FUZZ_CHECK(fuzz_utf8_ok(out, outlen));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data + 1;
    enum vns_encoding e;
    char *out = NULL, lab[64];
    size_t outlen = 0, nbad = 0, n = size ? size - 1 : 0;
    unsigned sel;
    int rc;

    if (size == 0)
        return 0;
    sel = data[0];
    if ((sel & 7) <= VNS_ENC_VNI) {
        e = (enum vns_encoding)(sel & 7);
        FUZZ_CHECK(vns_encoding_name(e) != NULL);
        rc = vns_encoding_decode(e, in, n, &out, &outlen, &nbad, NULL);
        check_out(rc, out, outlen);
    } else {
        const char *label = NULL;
        if ((sel & 7) == 7)
            label = labels[(sel >> 3) % (sizeof(labels) / sizeof(labels[0]))];
        rc = vns_encoding_detect(in, n, label, &e, NULL);
        FUZZ_CHECK(rc == VNS_OK || rc == VNS_EUNSUPPORTED);
        if (rc == VNS_OK)
            FUZZ_CHECK(e <= VNS_ENC_VNI);
        rc = vns_encoding_to_utf8(in, n, label, &out, &outlen, &nbad, NULL);
        check_out(rc, out, outlen);
    }
    free(out);
    /* the input as a charset label, as a <meta charset> gives it */
    if (n < sizeof(lab)) {
        memcpy(lab, in, n);
        lab[n] = '\0';
        if (vns_encoding_from_label(lab, &e))
            FUZZ_CHECK(e <= VNS_ENC_VNI);
    }
    return 0;
}
