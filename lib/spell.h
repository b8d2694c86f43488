/* "Did you mean": a query with its diacritics restored ("tiem mui 2" ->
 * "tiêm mũi 2") and a misspelled syllable corrected ("tiêm mủi 2",
 * "tiêm muii 2" -> "tiêm mũi 2"), from the index's own statistics: the
 * written forms of each syllable (E terms) and how often two written
 * syllables stand together (C pair terms). */
#ifndef VNSEARCH_LIB_SPELL_H
#define VNSEARCH_LIB_SPELL_H

#include <stddef.h>

#include "query.h"
#include "words.h"
#include "xapian.h"

/* The written forms of the index's syllables, by folded form; built from
 * the E terms on first use, per reader (not thread-safe). */
struct vns_spell;

int vns_spell_new(struct vns_xdb *db, struct vns_spell **out,
                  struct vns_err *err);
void vns_spell_free(struct vns_spell *sp);

/* Whether exact is, by far, the way the index writes its folded form
 * folded: no other written form is used more than 1/RARE_FORM as often.
 * Then searching the exact form beside the folded one ranks nothing
 * differently and costs a posting list (search.c). */
int vns_spell_dominant(const struct vns_spell *sp, const char *folded,
                       const char *exact);

/* Whether exact is a way the index writes its folded form folded seldom
 * or never: in 1/RARE_FORM of the documents of its commonest written
 * form or fewer ("mủi" beside "mũi", "bằn" beside "bàn", "bán"...).
 * False when the index holds no written form of folded. */
int vns_spell_rare_form(const struct vns_spell *sp, const char *folded,
                        const char *exact);

/* Whether folded word folded has a written form (or its bare self) one
 * change from typed: a letter dropped, added or changed with the same
 * tone, or the tone alone changed. A fix keeps what a misspelled word was
 * typed with: "têm" is "tiêm", not "kém" nor "kềm"; "soá" is "soát".
 * Typed with a vowel dropped and its marks left on the letter before
 * ("h̀nh"), a form with the vowels those marks fit ("hành", "hình").
 * True when typed holds no Vietnamese letters to judge by. */
int vns_spell_near_form(const struct vns_spell *sp, const char *typed,
                        const char *folded);

struct vns_fixes; /* fixes.h */
struct vns_gaz;   /* gazetteer.h */

/* The gazetteer, loaded only when a suggestion is written: get(arg)
 * returns it, or NULL when there is none. */
struct vns_spell_places {
    const struct vns_gaz *(*get)(void *arg);
    void *arg;
};

/* The query string (qs, qlen), parsed as q, with its loose syllables
 * rewritten where the index says they are better written otherwise; a
 * syllable with fixes (fx, vns_fixes_find's for q; may be NULL) is
 * rewritten as one of them or left as typed; words (may be NULL) as for
 * vns_spell_edits. When it is rewritten, a deadline question's cue words
 * and the place names of places' gazetteer (places may be NULL) that
 * the index does not spell are written too, where typed bare. *out is malloc'd
 * (free it), or NULL when the query is best as typed. */
int vns_spell_suggest(struct vns_spell *sp, struct vns_xdb *db,
                      const struct vns_words *words,
                      const struct vns_spell_places *places,
                      const struct vns_query *q, const struct vns_fixes *fx,
                      const char *qs, size_t qlen, char **out,
                      struct vns_err *err);

/* The folded words one edit away from folded word w (a letter dropped,
 * added, changed, or two swapped) that some document holds, the max most
 * frequent first, into best[0..*n). For a query word no document holds
 * ("hỏg", "soá"): search.c looks for these too, a little lower. The
 * edits words covers (words.h; may be NULL) are looked up there, the
 * others in db. */
struct vns_spell_edit {
    char word[VNS_TERM_MAX];
    uint64_t df;
};
int vns_spell_edits(struct vns_xdb *db, const struct vns_words *words,
                    const char *w, struct vns_spell_edit *best, size_t max,
                    size_t *n, struct vns_err *err);

#endif
