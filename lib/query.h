/* The user's query string parsed into analyzed syllables: loose words,
 * "quoted phrases" and -exclusions. Turning it into Xapian terms and
 * weights is search.c's job. */
#ifndef VNSEARCH_LIB_QUERY_H
#define VNSEARCH_LIB_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch/analyze.h"

/* A syllable of the query (or a compound such as "2771/qđ-ubnd"). */
/* A query term's flag beside VNS_TOK_*: its exact form is the only way
 * the index writes it, so it is searched folded alone (search.c). */
#define VNS_QT_DOMINANT 0x100

struct vns_qterm {
    char exact[VNS_TERM_MAX];
    char folded[VNS_TERM_MAX];
    unsigned flags;  /* VNS_TOK_*, VNS_QT_DOMINANT */
    size_t off, len; /* where it was typed, in bytes of the query string */
};

enum vns_qkind {
    VNS_Q_LOOSE,  /* unquoted words: any may match, ranked */
    VNS_Q_PHRASE, /* "quoted": must match, in order */
    VNS_Q_NOT     /* -word or -"phrase": must not match */
};

/* A run of syllables typed together: one group per word or phrase.
 * Compounds of the group follow its parts in terms[]. */
struct vns_qgroup {
    enum vns_qkind kind;
    size_t first;  /* index in terms[] */
    size_t nparts; /* syllables, then ncompounds compounds */
    size_t ncompounds;
    /* words were left out before it (a deadline question's cue words,
     * vns_intent_deadline): it does not stand beside the group before */
    int apart;
};

struct vns_query {
    struct vns_qterm terms[VNS_MAX_QUERY_TERMS * 2];
    size_t nterms;
    struct vns_qgroup groups[VNS_MAX_QUERY_TERMS];
    size_t ngroups;
    size_t nsyllables; /* parts in all groups */
};

/* Parse (q, len). VNS_EQUERY for an unbalanced quote, a query over
 * VNS_MAX_QUERY bytes or VNS_MAX_QUERY_TERMS syllables, or one with
 * nothing to search for; err says which in one line. */
int vns_query_parse(struct vns_analyzer *an, const char *q, size_t len,
                    struct vns_query *out, struct vns_err *err);

/* The syllables of q's loose words and quoted phrases in the order typed
 * (compounds and exclusions left out), at most cap, into out: what the
 * word-order re-rank lines up. */
size_t vns_query_ordered(const struct vns_query *q,
                         const struct vns_qterm **out, size_t cap);

/* For each of typed[0..ntyped) (q's syllables as vns_query_ordered gave
 * them before vns_intent_deadline left a deadline question's cue words
 * out of q), whether q no longer holds it, into left[]: its cue words. */
void vns_query_left_out(const struct vns_query *q,
                        const struct vns_qterm *const *typed, size_t ntyped,
                        uint8_t *left);

/* The loose syllables of q in the order typed (compounds left out), at
 * most cap, into out; run (may be NULL) gets for each a number that
 * changes where a quoted phrase, an exclusion or words left out stand
 * between two loose words: syllables with equal run numbers stand side
 * by side. */
size_t vns_query_loose(const struct vns_query *q, const struct vns_qterm **out,
                       size_t *run, size_t cap);

#endif
