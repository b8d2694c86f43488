/* Gazetteer of Vietnamese administrative units before and after the 1 July
 * 2025 merger: name lookups only; finding place names in a notice is meta's. */
#ifndef VNSEARCH_LIB_GAZETTEER_H
#define VNSEARCH_LIB_GAZETTEER_H

#include <stddef.h>

#include "vnsearch/err.h"

/* Kinds of unit, as bits so one lookup can ask for several. Before July
 * 2025: 63 provinces, their districts (quận, huyện, thị xã, thành phố)
 * and communes (xã, phường, thị trấn); from then: 34 provinces and their
 * communes (xã, phường, đặc khu), with no districts between. */
#define VNS_GAZ_PROVINCE 0x01
#define VNS_GAZ_DISTRICT 0x02
#define VNS_GAZ_COMMUNE 0x04
#define VNS_GAZ_PROVINCE_2025 0x08
#define VNS_GAZ_COMMUNE_2025 0x10
#define VNS_GAZ_PROVINCES (VNS_GAZ_PROVINCE | VNS_GAZ_PROVINCE_2025)

/* Types, as bits for the filters below, where 0 means any type.
 * VNS_GAZ_THANH_PHO is a province-level and a district-level city alike. */
#define VNS_GAZ_TINH 0x001
#define VNS_GAZ_THANH_PHO 0x002
#define VNS_GAZ_QUAN 0x004
#define VNS_GAZ_HUYEN 0x008
#define VNS_GAZ_THI_XA 0x010
#define VNS_GAZ_PHUONG 0x020
#define VNS_GAZ_XA 0x040
#define VNS_GAZ_THI_TRAN 0x080
#define VNS_GAZ_DAC_KHU 0x100

/* Most suggestions vns_gaz_suggest returns. */
#define VNS_GAZ_SUGGEST_MAX 16

/* One unit. Every pointer lives as long as its gazetteer. */
struct vns_gaz_unit {
    const char *id;   /* GSO code as written: "58", "589", "22738" */
    const char *name; /* without its type: "Ninh Thuận", "Ninh Hải", "1" */
    const char *full; /* with it: "Tỉnh Ninh Thuận", "Quận 1" */
    unsigned kind;    /* one VNS_GAZ_PROVINCE... bit */
    unsigned type;    /* one VNS_GAZ_TINH... bit */
    /* district -> province, commune -> district, 2025 commune -> 2025
     * province; NULL for provinces */
    const struct vns_gaz_unit *parent;
};

/* Read-only once open: any number of threads may query one gazetteer. */
struct vns_gaz;

/* Load the gazetteer file at path, or when path is NULL the first
 * gazetteer.tsv that vns_datadir_find finds. Free with vns_gaz_free.
 * Errors name the file and line ("data/gazetteer.tsv:123: bad line
 * (...)"): VNS_ENOTFOUND (no file), VNS_EIO, VNS_ETOOBIG, VNS_EBADDATA
 * (not our format, a broken or out-of-order line, an unknown parent
 * code), VNS_ENOMEM. */
int vns_gaz_open(const char *path, struct vns_gaz **out, struct vns_err *err);
void vns_gaz_free(struct vns_gaz *gz);

/* How many units of the kinds in the mask (63 for VNS_GAZ_PROVINCE). */
size_t vns_gaz_count(const struct vns_gaz *gz, unsigned kinds);

/* The unit of one kind with this GSO code ("58"), or NULL. Old and 2025
 * codes overlap and differ: old 44 is Quảng Bình, 2025 44 is Quảng Trị. */
const struct vns_gaz_unit *vns_gaz_get(const struct vns_gaz *gz, unsigned kind,
                                       const char *id);

/* Units of the kinds in the mask named name, with any case, diacritics,
 * spacing or punctuation ("Ninh Thuận", "NINH THUAN", "Phan Rang Tháp
 * Chàm"), and with or without a type word in front ("tỉnh Ninh Thuận",
 * "TP. Hồ Chí Minh", "Q.1"); such a word must fit the unit (so "thành phố
 * Thanh Hóa" is the city, not the province), except for a province's other
 * names ("Thừa Thiên Huế", "TP.HCM"). types (0: any) narrows further.
 * Writes up to cap units to out, grouped by province in code order (old
 * units before 2025 ones), and returns how many there are (more than cap
 * when out was too small). */
size_t vns_gaz_find(const struct vns_gaz *gz, const char *name, unsigned kinds,
                    unsigned types, const struct vns_gaz_unit **out,
                    size_t cap);

/* The one province of this kind (VNS_GAZ_PROVINCE or VNS_GAZ_PROVINCE_2025)
 * named name, as vns_gaz_find reads names; NULL when none (or, should
 * the data ever have it, several). */
const struct vns_gaz_unit *vns_gaz_province(const struct vns_gaz *gz,
                                            const char *name, unsigned kind);

/* The provinces that hold a unit of the kinds in the mask named name
 * (e.g. VNS_GAZ_DISTRICT "Châu Thành": ten old provinces), each once, in
 * code order: old provinces for districts and communes, 2025 provinces for
 * 2025 communes. types as for vns_gaz_find. Writes up to cap to out and
 * returns how many there are. */
size_t vns_gaz_provinces_of(const struct vns_gaz *gz, const char *name,
                            unsigned kinds, unsigned types,
                            const struct vns_gaz_unit **out, size_t cap);

/* The 2025 province(s) an old unit's province went into (a district or a
 * commune is taken through its province). Writes up to cap to out and
 * returns how many there are; 0 for a unit that is not old. */
size_t vns_gaz_to_2025(const struct vns_gaz *gz, const struct vns_gaz_unit *old,
                       const struct vns_gaz_unit **out, size_t cap);

/* The old provinces merged into a 2025 province, in code order. Writes up
 * to cap to out and returns how many there are; 0 when p is not a 2025
 * province. */
size_t vns_gaz_merged_from(const struct vns_gaz *gz,
                           const struct vns_gaz_unit *p,
                           const struct vns_gaz_unit **out, size_t cap);

/* "Did you mean": units of the kinds in the mask whose name (or other
 * name) is within a few edits of name once both are folded ("Ninh Thuann"
 * -> Ninh Thuận; "Quang Tri" is 0 edits from Quảng Trị), closest first,
 * each once. Scans every name: for messages, not for the hot path.
 * Writes up to min(cap, VNS_GAZ_SUGGEST_MAX) units and returns that
 * count. */
size_t vns_gaz_suggest(const struct vns_gaz *gz, const char *name,
                       unsigned kinds, const struct vns_gaz_unit **out,
                       size_t cap);

#endif
