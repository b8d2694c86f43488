/* Harness: stored document records (lib/docrec.c). Input: a document's
 * parts value (VNS_SLOT_SHOWN) as the index holds it, any bytes (a
 * damaged or hostile index); then the same bytes as its JSON data.
 * Decoding returns VNS_OK or an error with a message; when OK, the parts
 * are NUL-terminated copies no longer than the input, and the text
 * unpacks or the index is said to be damaged. */
#include "fuzz.h"

#include <string.h>

#include "docrec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vns_docrec r = {0};
    struct vns_err err = {0};
    int rc = vns_docrec_parts((const char *)data, size, &r, &err);

    if (rc != VNS_OK) {
        FUZZ_CHECK(!r.whole && err.msg[0] != '\0');
    } else if (r.whole) {
        FUZZ_CHECK(r.meta != NULL && strlen(r.meta) < size);
        FUZZ_CHECK(r.tokmap == NULL || r.tokmap_len < size);
        FUZZ_CHECK(r.packed_len < size);
        /* the text from the parts themselves: no index is read */
        rc = vns_docrec_read_text(NULL, 1, &r, &err);
        FUZZ_CHECK(rc == VNS_OK || rc == VNS_EINDEX || rc == VNS_ENOMEM);
        if (rc == VNS_OK)
            FUZZ_CHECK(r.text != NULL && r.text[r.text_len] == '\0');
    } else {
        FUZZ_CHECK(size == 0 && r.older);
    }
    vns_docrec_fini(&r);
    /* the bytes as the record's JSON */
    rc = vns_docrec_decode((const char *)data, size, &r, &err);
    if (rc == VNS_OK)
        FUZZ_CHECK(r.id && r.title && r.format && r.path);
    else
        FUZZ_CHECK(r.id == NULL && err.msg[0] != '\0');
    vns_docrec_fini(&r);
    return 0;
}
