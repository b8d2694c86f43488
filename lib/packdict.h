/* The index's dictionaries for packing stored records (textpack.h).
 *
 * A shard's writer trains them on the first VNS_PACK_TRAIN documents it
 * writes while the shard has none, packs those documents again with
 * them, and keeps them in the shard's metadata (one key a dictionary,
 * VNS_PACK_KEY + kind letter + id, so merging shards keeps them all),
 * in the same commit as the documents. Documents built before that
 * (by workers running ahead) are packed again as they are written. A
 * shard whose documents teach zstd nothing keeps packing without.
 *
 * Every opening of the index, and every move to a new revision,
 * registers the dictionaries of every shard (local or remote), so a
 * document of any shard unpacks in this process. */
#ifndef VNSEARCH_LIB_PACKDICT_H
#define VNSEARCH_LIB_PACKDICT_H

#include <stdint.h>

#include "textpack.h"
#include "vnsearch/err.h"

#define VNS_PACK_KEY "vnsearch.dict."
/* Documents to learn from: 300 notices teach as much as 1,000 (small seed
 * 703: text 4.68 against 4.87 MB), in ~0.3 s. VNSEARCH_PACK_TRAIN in the
 * environment asks for fewer (tests). */
#define VNS_PACK_TRAIN 300

struct vns_index;
struct vns_xdb;

/* Register the dictionaries of every open shard of ix; a writer also
 * takes, for each shard, the first of each kind to pack with. One that
 * will not register (damaged) is left out: the documents packed with it
 * say so when read, and vnsearch-index --check names it. */
int vns_packdict_load(struct vns_index *ix, struct vns_err *err);
/* Register the dictionaries db holds (one database, not a combined one:
 * Xapian lists the metadata of a combined one's first part only);
 * VNS_EINDEX, said in err, when one would not. */
int vns_packdict_register_db(struct vns_xdb *db, struct vns_err *err);
/* What a worker packs a document of shard with: NULL until there are
 * dictionaries. Any thread. */
const struct vns_packdicts *vns_packdict_of(const struct vns_index *ix,
                                            unsigned shard);
/* Shard's writer wrote document docid (an id of that shard) packed with
 * used: pack it again if the shard has dictionaries now, or keep it to
 * learn from, training when VNS_PACK_TRAIN are kept. Never an error: a
 * document not packed again reads as it was written, and a shard that
 * cannot train packs without. */
int vns_packdict_written(struct vns_index *ix, unsigned shard, uint32_t docid,
                         const struct vns_packdicts *used, struct vns_err *err);
/* The dictionaries stored in every open shard of ix, into *out. */
int vns_packdict_count(struct vns_index *ix, uint64_t *out,
                       struct vns_err *err);
/* Free the writers' dictionaries (the registered ones stay). */
void vns_packdict_fini(struct vns_index *ix);

#endif
