/* The only C++ in vnsearch: Xapian behind the C calls of lib/xapian.h.
 * Terms, values and data in, doc ids, scores and data out; no analysis. */
#include "xapian.h"

/* lib/xapian.h shadows <xapian.h> under -Ilib; "xapian/.." only resolves
 * where Xapian's own xapian/ folder sits beside its xapian.h. */
#include <xapian.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

/* Xapian (glass) refuses longer terms; we say so before it throws. */

static const size_t max_term = 245;
/* Query trees come from our parser and stay shallow; this only stops a
 * runaway tree from eating the stack. */
static const int max_depth = 100;

struct vns_xdb {
    std::string dir;
    bool writable = false;
    /* Writes go inside a transaction so that closing without a commit
     * drops them, as lib/xapian.h promises. */
    bool in_txn = false;
    Xapian::Database rdb;         /* read mode */
    Xapian::WritableDatabase wdb; /* write mode; also searchable */
    /* Read mode: the folder rdb was opened from. A new folder under the
     * same name (vnsearch-index --compact swaps one in) means open again:
     * the revisions of the two are unrelated. */
    dev_t dev = 0;
    ino_t ino = 0;
    /* A remote shard (xapian-tcpsrv): opened by address, not folder. */
    std::string host;
    unsigned port = 0;
    unsigned timeout_ms = 0;
    /* A combined reader (vns_xdb_combine): rdb searches these together;
     * they belong to the caller. */
    std::vector<struct vns_xdb *> parts;
    /* A reader's term frequencies (a B-tree lookup each: the query's
     * words and pairs, again and again) and a combined reader's documents
     * (a remote part's come over the network): what it learnt, until it
     * moves to another revision. */
    std::unordered_map<std::string, Xapian::doccount> termfreqs;
    std::unordered_map<Xapian::docid, Xapian::Document> docs;
    /* A combined reader's values of slot known_slot that came ahead with
     * a match over remote shards (vns_xsearch.ahead_slot), by document. */
    std::unordered_map<Xapian::docid, std::string> known;
    size_t known_bytes = 0;
    unsigned known_slot = 0;
    /* A remote shard's further connections, for fetching documents side
     * by side (fetch_ahead); opened on first use, moved with rdb. */
    std::vector<Xapian::Database> extra;
    bool extra_tried = false; /* once a reader: a refused one is not retried */

    Xapian::Database &view()
    {
        if (writable)
            return wdb;
        return rdb;
    }
};

struct vns_xdoc {
    Xapian::Document doc;
};

/* Does path hold a Xapian database (a glass or older folder, or a stub)?
 * Tells "no index here" from "an index we cannot open". */
static bool has_database(const char *path)
{
    static const char *const marks[] = {"iamglass", "iamchert", "iamhoney",
                                        "iamflint", "XAPIANDB"};
    struct stat st;

    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    for (const char *mark : marks) {
        std::string p = std::string(path) + "/" + mark;
        if (stat(p.c_str(), &st) == 0)
            return true;
    }
    return false;
}

/* The system's reason an open failed, when it is not "no such file"
 * ("Too many open files", "Permission denied"); NULL otherwise. */
static const char *system_cause(const Xapian::Error &e)
{
    const char *s = e.get_error_string();

    if (s == NULL || strcmp(s, strerror(ENOENT)) == 0)
        return NULL;
    return s;
}

/* Called inside a catch block: turns the live exception into a code.
 * what is the database folder (or "document"): the message's subject. */
static int fail(struct vns_err *err, const char *what)
{
    try {
        throw;
    } catch (const Xapian::DatabaseOpeningError &e) {
        /* out of descriptors, no permission...: say so, not "no index" */
        const char *cause = system_cause(e);

        if (cause != NULL)
            return vns_err_set(err, VNS_EIO, "%s: cannot open the index: %s",
                               what, cause);
        /* A stray file or folder, versus a real index we cannot read;
         * DatabaseNotFoundError is one of these. */
        if (!has_database(what))
            return vns_err_set(err, VNS_ENOTFOUND, "%s: no index here", what);
        return vns_err_set(err, VNS_EINDEX, "%s: %s", what,
                           e.get_description().c_str());
    } catch (const Xapian::DatabaseCreateError &e) {
        const char *cause = system_cause(e);

        return vns_err_set(err, VNS_EIO, "%s: cannot create the index: %s",
                           what, cause ? cause : e.get_description().c_str());
    } catch (const Xapian::DatabaseLockError &) {
        return vns_err_set(err, VNS_EBUSY,
                           "%s: index is locked by another writer", what);
    } catch (const Xapian::DatabaseCorruptError &e) {
        return vns_err_set(err, VNS_EINDEX, "%s: index damaged (%s)", what,
                           e.get_description().c_str());
    } catch (const Xapian::DatabaseModifiedError &e) {
        return vns_err_set(err, VNS_EINDEX, "%s: %s", what,
                           e.get_description().c_str());
    } catch (const Xapian::DatabaseError &e) {
        /* a table cut short or unreadable: vnsearch-index --check */
        return vns_err_set(err, VNS_EINDEX,
                           "%s: index damaged or unreadable "
                           "(%s)",
                           what, e.get_description().c_str());
    } catch (const Xapian::NetworkError &e) {
        return vns_err_set(err, VNS_EREMOTE, "%s: a shard did not answer (%s)",
                           what, e.get_description().c_str());
    } catch (const Xapian::DocNotFoundError &) {
        return vns_err_set(err, VNS_ENOTFOUND, "%s: no such document", what);
    } catch (const Xapian::Error &e) {
        return vns_err_set(err, VNS_EINDEX, "%s: %s", what,
                           e.get_description().c_str());
    } catch (const std::bad_alloc &) {
        return vns_err_set(err, VNS_ENOMEM, "%s: out of memory", what);
    } catch (const std::exception &e) {
        return vns_err_set(err, VNS_EINTERNAL, "%s: C++ exception: %s", what,
                           e.what());
    } catch (...) {
        return vns_err_set(err, VNS_EINTERNAL, "%s: C++ exception", what);
    }
}

static int check_term(const char *what, const char *term, size_t len,
                      struct vns_err *err)
{
    if (term == NULL || len == 0)
        return vns_err_set(err, VNS_EINVAL, "%s: empty term", what);
    if (len > max_term)
        return vns_err_set(err, VNS_ETOOBIG,
                           "%s: term of %zu bytes is over Xapian's %zu-byte "
                           "limit",
                           what, len, max_term);
    return VNS_OK;
}

static int check_doc(const struct vns_xdoc *doc, struct vns_err *err)
{
    if (doc == NULL)
        return vns_err_set(err, VNS_EINVAL, "document: not created");
    return VNS_OK;
}

static int check_writer(struct vns_xdb *db, struct vns_err *err)
{
    if (db == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (!db->writable)
        return vns_err_set(err, VNS_EINVAL, "%s: not open for writing",
                           db->dir.c_str());
    return VNS_OK;
}

static void begin_writes(struct vns_xdb *db)
{
    if (!db->in_txn) {
        db->wdb.begin_transaction(true);
        db->in_txn = true;
    }
}

/* The identity of the folder at path; false when it cannot be read. A
 * folder holding a stub (XAPIANDB) is known by the stub file: a replica's
 * client rewrites it to point at a new copy. */
static bool folder_id(const std::string &path, dev_t *dev, ino_t *ino)
{
    struct stat st;

    if (stat((path + "/XAPIANDB").c_str(), &st) != 0 &&
        stat(path.c_str(), &st) != 0)
        return false;
    *dev = st.st_dev;
    *ino = st.st_ino;
    return true;
}

/* Open the reader afresh. The folder may be swapped for another while
 * Xapian opens its files one by one by name; only an open that saw the
 * same folder before and after read one index, else it is done again. */
static void reader_open(struct vns_xdb *db);

/* A combined reader searches its parts as one database. */
static void combine(struct vns_xdb *db)
{
    Xapian::Database all;

    for (struct vns_xdb *p : db->parts)
        all.add_database(p->writable ? p->wdb : p->rdb);
    db->rdb = all;
    db->termfreqs.clear();
    db->docs.clear();
    db->known.clear();
    db->known_bytes = 0;
}

/* Does the database read a shard over the network? */
static bool has_remote(const struct vns_xdb *db)
{
    if (db->port != 0)
        return true;
    for (const struct vns_xdb *p : db->parts)
        if (p->port != 0)
            return true;
    return false;
}

/* A reader caches term frequencies (a writer's change under it). */
static bool caching_terms(const struct vns_xdb *db)
{
    if (db->writable)
        return false;
    for (const struct vns_xdb *p : db->parts)
        if (p->writable)
            return false;
    return true;
}

/* A combined reader caches documents (the writer's parts change under
 * it). */
static bool caching(const struct vns_xdb *db)
{
    if (db->parts.empty())
        return false;
    for (const struct vns_xdb *p : db->parts)
        if (p->writable)
            return false;
    return true;
}

/* Document docid; a combined reader keeps the last few it fetched (a
 * remote one arrives whole, values and all, in one exchange). The
 * document is taken to exist (DOC_ASSUME_VALID): a plain get_document
 * first looks its term list up to say so, a block read or two for
 * nothing when the id came from a match (medium seed 21, batch p50
 * 2.33 -> 2.23 ms); a missing one reads as empty data and values, which
 * vns_xdb_get_data tells apart. */
static Xapian::Document document(struct vns_xdb *db, Xapian::docid docid)
{
    if (!caching(db))
        return db->view().get_document(docid, Xapian::DOC_ASSUME_VALID);
    auto it = db->docs.find(docid);
    if (it != db->docs.end())
        return it->second;
    if (db->docs.size() >= 256)
        db->docs.clear();
    Xapian::Document d = db->rdb.get_document(docid, Xapian::DOC_ASSUME_VALID);
    db->docs.emplace(docid, d);
    return d;
}

/* Connections a remote shard's documents are fetched over side by side
 * (fetch_ahead): its own and AHEAD_STREAMS - 1 more. */
#define AHEAD_STREAMS 2
/* A match's hits are fetched ahead this many at a time: the cache of
 * documents stays small for a match of a thousand. */
#define AHEAD_WINDOW 64

/* One connection's share of fetch_ahead: documents by the shard's own
 * ids, kept under the combined reader's. */
struct ahead_task {
    Xapian::Database *conn;
    std::vector<Xapian::docid> local, combined;
    std::vector<Xapian::Document> got;
};

static void ahead_run(struct ahead_task *t)
{
    try {
        for (Xapian::docid d : t->local)
            t->got.push_back(
                t->conn->get_document(d, Xapian::DOC_ASSUME_VALID));
    } catch (...) {
        /* what came is kept; the rest is fetched (and fails) as usual */
    }
}

/* A combined reader's documents ids[0..n) that remote shards hold,
 * fetched side by side into its cache: a remote document is a round trip
 * and ~13 messages (xapian-tcpsrv writes each value apart), ~0.3 ms on
 * loopback, and MSet::fetch does not send the requests together. Each
 * remote shard's go over AHEAD_STREAMS connections, one thread each; a
 * local shard's are left to document() (6-14 us each). Best effort: a
 * shard that fails is read as usual, and fails there. Combined ids
 * interleave the shards' (Xapian's multi-database numbering). Medium
 * seed 61 in 2 shards, each behind xapian-tcpsrv on loopback, its first
 * 300 queries (vnsearch --batch), runs interleaved on a noisy host: p50
 * 11.7-17.2 ms (median of five 13.2) -> 10.0-11.8 (median of seven
 * 11.4), the top 100 of every query the same; the shards opened locally
 * 2.9-3.8. One stream a shard 11.8-12.4, three 10.3-11.7, four
 * 10.2-12.5: both cores are busy by then, client, threads and servers
 * all making system calls for every message. */
static void fetch_ahead(struct vns_xdb *db, const Xapian::docid *ids, size_t n)
{
    const size_t np = db->parts.size();
    std::vector<ahead_task> tasks;
    std::vector<size_t> first(np, SIZE_MAX), nth(np, 0), streams(np, 0);
    size_t want = 0;

    if (!caching(db) || !has_remote(db) || n == 0)
        return;
    for (const struct vns_xdb *p : db->parts)
        if (!p->parts.empty())
            return; /* nested: ids interleave otherwise */
    if (db->docs.size() + n > 256)
        db->docs.clear(); /* as document() does, before: none is lost */
    for (size_t i = 0; i < n; i++) {
        Xapian::docid d = ids[i];
        if (d == 0 || db->docs.count(d) != 0 || db->known.count(d) != 0)
            continue;
        size_t s = (d - 1) % np;
        struct vns_xdb *p = db->parts[s];
        if (p->port == 0)
            continue;
        if (first[s] == SIZE_MAX) {
            try {
                while (!p->extra_tried && p->extra.size() + 1 < AHEAD_STREAMS)
                    p->extra.push_back(Xapian::Remote::open(
                        p->host, p->port, p->timeout_ms, p->timeout_ms));
            } catch (...) {
                /* fewer connections, then */
            }
            p->extra_tried = true;
            first[s] = tasks.size();
            streams[s] = p->extra.size() + 1;
            for (size_t k = 0; k < streams[s]; k++)
                tasks.push_back(ahead_task{
                    k == 0 ? &p->rdb : &p->extra[k - 1], {}, {}, {}});
        }
        ahead_task &t = tasks[first[s] + nth[s]++ % streams[s]];
        t.local.push_back((d - 1) / np + 1);
        t.combined.push_back(d);
        want++;
    }
    if (want == 0)
        return;
    std::vector<std::thread> run;
    for (size_t k = 1; k < tasks.size(); k++) {
        try {
            run.emplace_back(ahead_run, &tasks[k]);
        } catch (...) {
            ahead_run(&tasks[k]); /* no thread: here, in turn */
        }
    }
    ahead_run(&tasks[0]);
    for (std::thread &th : run)
        th.join();
    for (const ahead_task &t : tasks)
        for (size_t i = 0; i < t.got.size(); i++)
            db->docs.emplace(t.combined[i], t.got[i]);
}

static void reader_open(struct vns_xdb *db)
{
    if (!db->parts.empty()) {
        for (struct vns_xdb *p : db->parts)
            if (!p->writable)
                reader_open(p);
        combine(db);
        return;
    }
    db->termfreqs.clear();
    if (db->port != 0) {
        db->extra.clear();
        db->extra_tried = false;
        db->rdb = Xapian::Remote::open(db->host, db->port, db->timeout_ms,
                                       db->timeout_ms);
        return;
    }
    for (int tries = 0;; tries++) {
        dev_t d0 = 0, d1 = 0;
        ino_t i0 = 0, i1 = 0;
        bool had = folder_id(db->dir, &d0, &i0);
        try {
            db->rdb = Xapian::Database(db->dir);
        } catch (const Xapian::Error &) {
            /* half of one folder, half of the next: once more */
            if (tries < 3 && had && folder_id(db->dir, &d1, &i1) &&
                (d1 != d0 || i1 != i0))
                continue;
            throw;
        }
        if (!had || (folder_id(db->dir, &d1, &i1) && d1 == d0 && i1 == i0) ||
            tries >= 3) {
            db->dev = d0;
            db->ino = i0;
            return;
        }
    }
}

/* Move a reader to the newest revision; true when it moved. A folder
 * swapped in under the same name is opened afresh, never mixed with the
 * one before (a reopen reads each file by name again). */
static bool reader_refresh(struct vns_xdb *db)
{
    dev_t d = 0;
    ino_t i = 0;

    if (!db->parts.empty()) {
        bool moved = false;
        for (struct vns_xdb *p : db->parts)
            if (!p->writable && reader_refresh(p))
                moved = true;
        if (moved)
            combine(db); /* a part may hold a new Database */
        return moved;
    }
    bool moved;
    if (db->port != 0) {
        moved = db->rdb.reopen();
        if (moved)
            db->termfreqs.clear();
        try { /* to rdb's revision or past it, when rdb moves */
            for (size_t k = 0; moved && k < db->extra.size(); k++)
                db->extra[k].reopen();
        } catch (const Xapian::Error &) {
            db->extra.clear(); /* documents come over rdb alone */
        }
        return moved;
    }
    if (folder_id(db->dir, &d, &i) && (d != db->dev || i != db->ino)) {
        reader_open(db);
        return true;
    }
    try {
        moved = db->rdb.reopen();
        if (moved)
            db->termfreqs.clear();
    } catch (const Xapian::Error &) {
        if (folder_id(db->dir, &d, &i) && (d != db->dev || i != db->ino)) {
            reader_open(db);
            return true;
        }
        throw;
    }
    if (folder_id(db->dir, &d, &i) && (d != db->dev || i != db->ino)) {
        reader_open(db); /* swapped while reopening: maybe mixed */
        return true;
    }
    return moved;
}

/* A reader's revision can be recycled by a writer's later commits
 * (DatabaseModifiedError): move to the newest one and run f once more. */
template <typename F> static void with_retry(struct vns_xdb *db, F &&f)
{
    try {
        f();
    } catch (const Xapian::DatabaseModifiedError &) {
        if (db->writable)
            throw;
        reader_refresh(db);
        f();
    }
}

/* A malloc'd, NUL-terminated copy (the NUL is not counted). */
static char *dup_bytes(const std::string &s)
{
    char *p = static_cast<char *>(malloc(s.size() + 1));

    if (p == NULL)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

extern "C" {

int vns_xdb_open(const char *dir, int mode, struct vns_xdb **out,
                 struct vns_err *err)
{
    if (dir == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: no folder given");
    if (mode != VNS_XDB_READ && mode != VNS_XDB_WRITE)
        return vns_err_set(err, VNS_EINVAL, "%s: bad open mode %d", dir, mode);
    try {
        std::unique_ptr<vns_xdb> db(new vns_xdb);
        db->dir = dir;
        if (mode == VNS_XDB_WRITE) {
            db->wdb = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
            db->writable = true;
        } else {
            reader_open(db.get());
        }
        *out = db.release();
        return VNS_OK;
    } catch (...) {
        return fail(err, dir);
    }
}

int vns_xdb_open_remote(const char *host, unsigned port, unsigned timeout_ms,
                        struct vns_xdb **out, struct vns_err *err)
{
    if (host == NULL || out == NULL || port == 0 || port > 65535)
        return vns_err_set(err, VNS_EINVAL, "remote shard: bad address");
    std::string what = std::string(host) + ":" + std::to_string(port);
    try {
        std::unique_ptr<vns_xdb> db(new vns_xdb);
        db->dir = what;
        db->host = host;
        db->port = port;
        db->timeout_ms = timeout_ms;
        reader_open(db.get());
        *out = db.release();
        return VNS_OK;
    } catch (...) {
        return fail(err, what.c_str());
    }
}

int vns_xdb_combine(const char *name, struct vns_xdb *const *parts, size_t n,
                    struct vns_xdb **out, struct vns_err *err)
{
    if (name == NULL || parts == NULL || n == 0 || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: no shards to combine");
    try {
        std::unique_ptr<vns_xdb> db(new vns_xdb);
        db->dir = name;
        db->parts.assign(parts, parts + n);
        combine(db.get());
        *out = db.release();
        return VNS_OK;
    } catch (...) {
        return fail(err, name);
    }
}

void vns_xdb_close(struct vns_xdb *db)
{
    /* ~WritableDatabase cancels the open transaction: nothing commits. */
    delete db;
}

int vns_xdb_reopen(struct vns_xdb *db, int *changed, struct vns_err *err)
{
    if (db == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        /* A writer always sees its own newest state. */
        bool moved = !db->writable && reader_refresh(db);
        if (changed != NULL)
            *changed = moved;
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdoc_new(struct vns_xdoc **out, struct vns_err *err)
{
    if (out == NULL)
        return vns_err_set(err, VNS_EINVAL, "document: nowhere to put it");
    try {
        *out = new vns_xdoc;
        return VNS_OK;
    } catch (...) {
        return fail(err, "document");
    }
}

void vns_xdoc_free(struct vns_xdoc *doc)
{
    delete doc;
}

int vns_xdoc_add_posting(struct vns_xdoc *doc, const char *term, size_t len,
                         uint32_t pos, struct vns_err *err)
{
    int rc = check_doc(doc, err);

    if (rc == VNS_OK)
        rc = check_term("document", term, len, err);
    if (rc != VNS_OK)
        return rc;
    try {
        doc->doc.add_posting(std::string(term, len), pos);
        return VNS_OK;
    } catch (...) {
        return fail(err, "document");
    }
}

int vns_xdoc_add_term(struct vns_xdoc *doc, const char *term, size_t len,
                      uint32_t wdfinc, struct vns_err *err)
{
    int rc = check_doc(doc, err);

    if (rc == VNS_OK)
        rc = check_term("document", term, len, err);
    if (rc != VNS_OK)
        return rc;
    try {
        doc->doc.add_term(std::string(term, len), wdfinc);
        return VNS_OK;
    } catch (...) {
        return fail(err, "document");
    }
}

int vns_xdoc_add_boolean(struct vns_xdoc *doc, const char *term, size_t len,
                         struct vns_err *err)
{
    int rc = check_doc(doc, err);

    if (rc == VNS_OK)
        rc = check_term("document", term, len, err);
    if (rc != VNS_OK)
        return rc;
    try {
        doc->doc.add_boolean_term(std::string(term, len));
        return VNS_OK;
    } catch (...) {
        return fail(err, "document");
    }
}

int vns_xdoc_set_value(struct vns_xdoc *doc, unsigned slot, const char *val,
                       size_t len, struct vns_err *err)
{
    if (doc == NULL)
        return check_doc(doc, err);
    if (slot == Xapian::BAD_VALUENO)
        return vns_err_set(err, VNS_EINVAL, "document: bad value slot %u",
                           slot);
    if (val == NULL && len > 0)
        return vns_err_set(err, VNS_EINVAL, "document: value without bytes");
    try {
        /* An empty value removes the slot, as in Xapian. */
        doc->doc.add_value(slot, len ? std::string(val, len) : std::string());
        return VNS_OK;
    } catch (...) {
        return fail(err, "document");
    }
}

int vns_xdoc_set_data(struct vns_xdoc *doc, const char *data, size_t len,
                      struct vns_err *err)
{
    if (doc == NULL)
        return check_doc(doc, err);
    if (data == NULL && len > 0)
        return vns_err_set(err, VNS_EINVAL, "document: data without bytes");
    try {
        doc->doc.set_data(len ? std::string(data, len) : std::string());
        return VNS_OK;
    } catch (...) {
        return fail(err, "document");
    }
}

} /* extern "C" */

namespace
{
/* The stored document must hold its id term, or the next replace, delete
 * or find would miss it. Add the term for the call when the caller did
 * not, and take it out again so the caller's document is unchanged. */
struct with_idterm {
    Xapian::Document &doc;
    const std::string &term;
    bool added = false;

    with_idterm(Xapian::Document &d, const std::string &t) : doc(d), term(t)
    {
        /* a boolean term held already stays as it was: the count says
         * whether it was new (a term list's skip_to walks the document's
         * terms one by one: 3% of indexing) */
        Xapian::termcount before = doc.termlist_count();
        doc.add_boolean_term(term);
        added = doc.termlist_count() != before;
    }
    ~with_idterm()
    {
        if (!added)
            return;
        try {
            doc.remove_term(term);
        } catch (...) {
            /* Nothing to report from a destructor; the term stays. */
        }
    }
    with_idterm(const with_idterm &) = delete;
    with_idterm &operator=(const with_idterm &) = delete;
};
} // namespace

extern "C" {

int vns_xdb_replace(struct vns_xdb *db, const char *idterm,
                    const struct vns_xdoc *doc, uint32_t *docid,
                    struct vns_err *err)
{
    int rc = check_writer(db, err);

    if (rc != VNS_OK)
        return rc;
    if (doc == NULL)
        return vns_err_set(err, VNS_EINVAL, "%s: no document", db->dir.c_str());
    rc = check_term(db->dir.c_str(), idterm, idterm ? strlen(idterm) : 0, err);
    if (rc != VNS_OK)
        return rc;
    try {
        std::string id(idterm);
        /* Every vns_xdoc comes from new, so it is never really const. */
        Xapian::Document &xd = const_cast<vns_xdoc *>(doc)->doc;
        with_idterm guard(xd, id);
        begin_writes(db);
        Xapian::docid did = db->wdb.replace_document(id, xd);
        if (docid != NULL)
            *docid = did;
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_get_metadata_bytes(struct vns_xdb *db, const char *key, char **out,
                               size_t *len, struct vns_err *err)
{
    if (db == NULL || key == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        std::string v;
        with_retry(db, [&] { v = db->view().get_metadata(key); });
        *out = dup_bytes(v);
        if (len != NULL)
            *len = v.size();
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_get_metadata(struct vns_xdb *db, const char *key, char **out,
                         struct vns_err *err)
{
    return vns_xdb_get_metadata_bytes(db, key, out, NULL, err);
}

int vns_xdb_set_metadata_bytes(struct vns_xdb *db, const char *key,
                               const char *value, size_t len,
                               struct vns_err *err)
{
    int rc = check_writer(db, err);

    if (rc != VNS_OK)
        return rc;
    if (key == NULL || (value == NULL && len > 0))
        return vns_err_set(err, VNS_EINVAL, "%s: no metadata key or value",
                           db->dir.c_str());
    try {
        begin_writes(db);
        db->wdb.set_metadata(key, std::string(value ? value : "", len));
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_set_metadata(struct vns_xdb *db, const char *key, const char *value,
                         struct vns_err *err)
{
    return vns_xdb_set_metadata_bytes(db, key, value, value ? strlen(value) : 0,
                                      err);
}

int vns_xdb_metadata_keys(struct vns_xdb *db, const char *prefix,
                          vns_xterm_fn fn, void *ctx, struct vns_err *err)
{
    if (db == NULL || fn == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        std::string pre(prefix ? prefix : "");
        std::vector<std::string> keys;
        /* gathered first: a retry starts the list again */
        with_retry(db, [&] {
            Xapian::Database &d = db->view();
            keys.clear();
            for (Xapian::TermIterator it = d.metadata_keys_begin(pre);
                 it != d.metadata_keys_end(pre); ++it)
                keys.push_back(*it);
        });
        for (const std::string &k : keys) {
            int stop = fn(k.c_str(), k.size(), 0, ctx);
            if (stop != 0)
                return stop;
        }
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_delete(struct vns_xdb *db, const char *idterm, struct vns_err *err)
{
    int rc = check_writer(db, err);

    if (rc != VNS_OK)
        return rc;
    rc = check_term(db->dir.c_str(), idterm, idterm ? strlen(idterm) : 0, err);
    if (rc != VNS_OK)
        return rc;
    try {
        begin_writes(db);
        db->wdb.delete_document(std::string(idterm));
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_commit(struct vns_xdb *db, struct vns_err *err)
{
    int rc = check_writer(db, err);

    if (rc != VNS_OK)
        return rc;
    try {
        if (db->in_txn) {
            /* Whether it throws or not, the transaction ends here. */
            db->in_txn = false;
            db->wdb.commit_transaction();
        }
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_doccount(struct vns_xdb *db, uint64_t *out, struct vns_err *err)
{
    if (db == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        uint64_t n = 0;
        with_retry(db, [&] { n = db->view().get_doccount(); });
        *out = n;
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_lastdocid(struct vns_xdb *db, uint32_t *out, struct vns_err *err)
{
    if (db == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        uint32_t n = 0;
        with_retry(db, [&] { n = db->view().get_lastdocid(); });
        *out = n;
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

} /* extern "C" */

/* termfreq and collfreq differ only in the statistic they read. */
template <typename F>
static int term_stat(struct vns_xdb *db, const char *term, size_t len,
                     uint64_t *out, struct vns_err *err, F &&stat)
{
    if (db == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    int rc = check_term(db->dir.c_str(), term, len, err);
    if (rc != VNS_OK)
        return rc;
    try {
        std::string t(term, len);
        uint64_t n = 0;
        with_retry(db, [&] { n = stat(db->view(), t); });
        *out = n;
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

extern "C" {

int vns_xdb_termfreq(struct vns_xdb *db, const char *term, size_t len,
                     uint64_t *out, struct vns_err *err)
{
    if (db != NULL && caching_terms(db) && term != NULL && out != NULL) {
        auto it = db->termfreqs.find(std::string(term, len));
        if (it != db->termfreqs.end()) {
            *out = it->second;
            return VNS_OK;
        }
    }
    int rc = term_stat(db, term, len, out, err,
                       [](Xapian::Database &d, const std::string &t) {
                           return d.get_termfreq(t);
                       });
    if (rc == VNS_OK && caching_terms(db)) {
        try {
            if (db->termfreqs.size() >= 100000)
                db->termfreqs.clear();
            db->termfreqs.emplace(std::string(term, len),
                                  Xapian::doccount(*out));
        } catch (const std::bad_alloc &) {
            /* only a cache */
        }
    }
    return rc;
}

int vns_xdb_lookups_batched(struct vns_xdb *db)
{
    return db != NULL && caching_terms(db);
}

int vns_xdb_termfreqs_ahead(struct vns_xdb *db, const char *const *terms,
                            const size_t *lens, size_t n, struct vns_err *err)
{
    if (db == NULL || (n > 0 && (terms == NULL || lens == NULL)))
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (!caching_terms(db))
        return VNS_OK;
    try {
        std::vector<std::string> want;
        for (size_t i = 0; i < n; i++) {
            if (terms[i] == NULL ||
                check_term(db->dir.c_str(), terms[i], lens[i], NULL) != VNS_OK)
                continue;
            std::string t(terms[i], lens[i]);
            if (db->termfreqs.count(t) == 0)
                want.push_back(std::move(t));
        }
        if (want.empty())
            return VNS_OK;
        if (!has_remote(db)) { /* each leaf block read once */
            std::sort(want.begin(), want.end());
            want.erase(std::unique(want.begin(), want.end()), want.end());
            with_retry(db, [&] {
                if (db->termfreqs.size() + want.size() >= 100000)
                    db->termfreqs.clear();
                for (const std::string &t : want)
                    db->termfreqs.emplace(t, db->view().get_termfreq(t));
            });
            return VNS_OK;
        }
        /* a match of no hits still gathers every query term's frequency
         * from every shard, one exchange each */
        with_retry(db, [&] {
            Xapian::Enquire e(db->view());
            e.set_query(
                Xapian::Query(Xapian::Query::OP_OR, want.begin(), want.end()));
            Xapian::MSet m = e.get_mset(0, 0);
            if (db->termfreqs.size() + want.size() >= 100000)
                db->termfreqs.clear();
            for (const std::string &t : want)
                db->termfreqs.emplace(t, m.get_termfreq(t));
        });
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_documents_ahead(struct vns_xdb *db, const uint32_t *ids, size_t n,
                            struct vns_err *err)
{
    if (db == NULL || (n > 0 && ids == NULL))
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        std::vector<Xapian::docid> d(ids, ids + n);
        fetch_ahead(db, d.data(), d.size());
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_collfreq(struct vns_xdb *db, const char *term, size_t len,
                     uint64_t *out, struct vns_err *err)
{
    return term_stat(db, term, len, out, err,
                     [](Xapian::Database &d, const std::string &t) {
                         return d.get_collection_freq(t);
                     });
}

int vns_xdb_terms(struct vns_xdb *db, const char *prefix, vns_xterm_fn fn,
                  void *ctx, struct vns_err *err)
{
    if (db == NULL || fn == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        std::string pre(prefix ? prefix : "");
        std::string last;
        bool started = false;
        int stop = 0;
        /* After a retry, resume just past the last term handed out. */
        with_retry(db, [&] {
            Xapian::Database &d = db->view();
            Xapian::TermIterator it = d.allterms_begin(pre);
            Xapian::TermIterator end = d.allterms_end(pre);
            if (started)
                it.skip_to(last + '\0');
            for (; it != end; ++it) {
                std::string t = *it;
                Xapian::doccount tf = it.get_termfreq();
                /* Handed out: only now may a retry skip it. */
                stop = fn(t.data(), t.size(), tf, ctx);
                last.swap(t);
                started = true;
                if (stop != 0)
                    return;
            }
        });
        return stop;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_add_spelling(struct vns_xdb *db, const char *word, uint32_t inc,
                         struct vns_err *err)
{
    int rc = check_writer(db, err);

    if (rc != VNS_OK)
        return rc;
    rc = check_term(db->dir.c_str(), word, word ? strlen(word) : 0, err);
    if (rc != VNS_OK)
        return rc;
    try {
        begin_writes(db);
        db->wdb.add_spelling(std::string(word), inc);
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_spelling_suggestion(struct vns_xdb *db, const char *word,
                                unsigned max_edit, char **out,
                                struct vns_err *err)
{
    if (db == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    int rc = check_term(db->dir.c_str(), word, word ? strlen(word) : 0, err);
    if (rc != VNS_OK)
        return rc;
    try {
        std::string w(word);
        std::string s;
        with_retry(
            db, [&] { s = db->view().get_spelling_suggestion(w, max_edit); });
        *out = s.empty() ? NULL : dup_bytes(s);
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_add_synonym(struct vns_xdb *db, const char *term,
                        const char *synonym, struct vns_err *err)
{
    int rc = check_writer(db, err);

    if (rc != VNS_OK)
        return rc;
    rc = check_term(db->dir.c_str(), term, term ? strlen(term) : 0, err);
    if (rc != VNS_OK)
        return rc;
    rc = check_term(db->dir.c_str(), synonym, synonym ? strlen(synonym) : 0,
                    err);
    if (rc != VNS_OK)
        return rc;
    try {
        begin_writes(db);
        db->wdb.add_synonym(std::string(term), std::string(synonym));
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_synonyms(struct vns_xdb *db, const char *term, vns_xterm_fn fn,
                     void *ctx, struct vns_err *err)
{
    if (db == NULL || fn == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    int rc = check_term(db->dir.c_str(), term, term ? strlen(term) : 0, err);
    if (rc != VNS_OK)
        return rc;
    try {
        std::string t(term);
        std::vector<std::pair<std::string, uint64_t>> syns;
        /* Gathered first (the lists are short) so a retry repeats no
         * callback; each comes with its termfreq, 0 when not a term. */
        with_retry(db, [&] {
            Xapian::Database &d = db->view();
            syns.clear();
            for (Xapian::TermIterator it = d.synonyms_begin(t);
                 it != d.synonyms_end(t); ++it)
                syns.emplace_back(*it, d.get_termfreq(*it));
        });
        for (const auto &s : syns) {
            int stop = fn(s.first.data(), s.first.size(), s.second, ctx);
            if (stop != 0)
                return stop;
        }
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

} /* extern "C" */

/* The node's operator as a plain number. A C caller may store any int
 * there, and loading an out-of-range enum is undefined in C++. */
static unsigned op_of(const struct vns_xq *q)
{
    std::underlying_type<enum vns_xop>::type raw;

    static_assert(sizeof(raw) == sizeof(q->op), "enum vns_xop size");
    memcpy(&raw, &q->op, sizeof(raw));
    return static_cast<unsigned>(raw);
}

static const char *op_name(unsigned op)
{
    switch (op) {
    case VNS_XQ_TERM:
        return "TERM";
    case VNS_XQ_ALL:
        return "ALL";
    case VNS_XQ_NOTHING:
        return "NOTHING";
    case VNS_XQ_AND:
        return "AND";
    case VNS_XQ_OR:
        return "OR";
    case VNS_XQ_AND_NOT:
        return "AND_NOT";
    case VNS_XQ_AND_MAYBE:
        return "AND_MAYBE";
    case VNS_XQ_FILTER:
        return "FILTER";
    case VNS_XQ_PHRASE:
        return "PHRASE";
    case VNS_XQ_NEAR:
        return "NEAR";
    case VNS_XQ_SCALE:
        return "SCALE";
    case VNS_XQ_VALUE_RANGE:
        return "VALUE_RANGE";
    case VNS_XQ_SYNONYM:
        return "SYNONYM";
    }
    return "unknown";
}

/* Xapian takes PHRASE and NEAR kids that are terms, or ORs of terms. */
static bool positional_kid(const struct vns_xq *k)
{
    if (op_of(k) == VNS_XQ_TERM)
        return true;
    if (op_of(k) != VNS_XQ_OR)
        return false;
    for (size_t i = 0; i < k->nkids; i++)
        if (k->kids[i] == NULL || op_of(k->kids[i]) != VNS_XQ_TERM)
            return false;
    return true;
}

/* Translate the tree under q into *out. Never leaves the tree's shape to
 * Xapian: a bad tree is VNS_EQUERY with the reason; the message names the
 * operator, never the user's words. */
static int build(const struct vns_xq *q, int depth, const char *dir,
                 Xapian::Query *out, struct vns_err *err)
{
    typedef Xapian::Query Q;
    size_t min_kids = 0, max_kids = SIZE_MAX;
    Q::op xop = Q::OP_AND;

    if (q == NULL)
        return vns_err_set(err, VNS_EQUERY, "%s: bad query: missing node", dir);
    if (depth > max_depth)
        return vns_err_set(err, VNS_EQUERY, "%s: bad query: too deep", dir);
    const unsigned op = op_of(q);
    switch (op) {
    case VNS_XQ_TERM:
    case VNS_XQ_ALL:
    case VNS_XQ_NOTHING:
    case VNS_XQ_VALUE_RANGE:
        max_kids = 0;
        break;
    case VNS_XQ_AND:
        min_kids = 1;
        xop = Q::OP_AND;
        break;
    case VNS_XQ_OR:
        min_kids = 1;
        xop = Q::OP_OR;
        break;
    case VNS_XQ_SYNONYM:
        min_kids = 1;
        xop = Q::OP_SYNONYM;
        break;
    case VNS_XQ_AND_NOT:
        min_kids = 2;
        xop = Q::OP_AND_NOT;
        break;
    case VNS_XQ_AND_MAYBE:
        min_kids = 2;
        xop = Q::OP_AND_MAYBE;
        break;
    case VNS_XQ_FILTER:
        min_kids = 2;
        xop = Q::OP_FILTER;
        break;
    case VNS_XQ_PHRASE:
        min_kids = 1;
        xop = Q::OP_PHRASE;
        break;
    case VNS_XQ_NEAR:
        min_kids = 1;
        xop = Q::OP_NEAR;
        break;
    case VNS_XQ_SCALE:
        min_kids = max_kids = 1;
        break;
    default:
        return vns_err_set(err, VNS_EQUERY, "%s: bad query: unknown node %u",
                           dir, op);
    }
    if (q->nkids < min_kids || q->nkids > max_kids)
        return vns_err_set(err, VNS_EQUERY,
                           "%s: bad query: %s node with %zu kids", dir,
                           op_name(op), q->nkids);
    if (q->nkids > 0 && q->kids == NULL)
        return vns_err_set(err, VNS_EQUERY, "%s: bad query: %s without kids",
                           dir, op_name(op));
    for (size_t i = 0; i < q->nkids; i++)
        if (q->kids[i] == NULL)
            return vns_err_set(err, VNS_EQUERY,
                               "%s: bad query: %s node with a missing kid", dir,
                               op_name(op));

    switch (op) {
    case VNS_XQ_TERM:
        if (q->term == NULL || q->term_len == 0)
            return vns_err_set(err, VNS_EQUERY,
                               "%s: bad query: TERM node without a term", dir);
        if (q->term_len > max_term)
            return vns_err_set(err, VNS_ETOOBIG,
                               "%s: query term of %zu bytes is over Xapian's "
                               "%zu-byte limit",
                               dir, q->term_len, max_term);
        *out = Q(std::string(q->term, q->term_len), q->wqf ? q->wqf : 1);
        return VNS_OK;
    case VNS_XQ_ALL:
        *out = Q::MatchAll;
        return VNS_OK;
    case VNS_XQ_NOTHING:
        *out = Q::MatchNothing;
        return VNS_OK;
    case VNS_XQ_VALUE_RANGE:
        if (q->slot == Xapian::BAD_VALUENO)
            return vns_err_set(err, VNS_EQUERY,
                               "%s: bad query: bad value slot %u", dir,
                               q->slot);
        /* Both ends open: every document, as Xapian reads VALUE_GE "". */
        if (q->lo != NULL && q->hi != NULL)
            *out = Q(Q::OP_VALUE_RANGE, q->slot, q->lo, q->hi);
        else if (q->hi != NULL)
            *out = Q(Q::OP_VALUE_LE, q->slot, q->hi);
        else
            *out = Q(Q::OP_VALUE_GE, q->slot, q->lo ? q->lo : "");
        return VNS_OK;
    case VNS_XQ_SCALE: {
        if (!std::isfinite(q->scale) || q->scale < 0)
            return vns_err_set(err, VNS_EQUERY, "%s: bad query: SCALE by %g",
                               dir, q->scale);
        Q kid;
        int rc = build(q->kids[0], depth + 1, dir, &kid, err);
        if (rc != VNS_OK)
            return rc;
        *out = Q(Q::OP_SCALE_WEIGHT, kid, q->scale);
        return VNS_OK;
    }
    default:
        break;
    }

    bool positional = op == VNS_XQ_PHRASE || op == VNS_XQ_NEAR;
    std::vector<Q> kids;
    kids.reserve(q->nkids);
    for (size_t i = 0; i < q->nkids; i++) {
        if (positional && !positional_kid(q->kids[i]))
            return vns_err_set(err, VNS_EQUERY,
                               "%s: bad query: %s takes terms, not %s", dir,
                               op_name(op), op_name(op_of(q->kids[i])));
        Q kid;
        int rc = build(q->kids[i], depth + 1, dir, &kid, err);
        if (rc != VNS_OK)
            return rc;
        kids.push_back(kid);
    }
    Xapian::termcount window = 0;
    if (positional)
        window = q->window ? q->window : (Xapian::termcount)q->nkids;
    *out = Q(xop, kids.begin(), kids.end(), window);
    return VNS_OK;
}

namespace
{
/* Frees a half-built result unless it was handed over. */
struct results_guard {
    struct vns_xresults r = {};
    ~results_guard()
    {
        vns_xresults_fini(&r);
    }
};
} // namespace

/* Facet counts from one packed value a match (vns_xsearch.packed): the
 * matches are counted by their whole combination, which repeats (a
 * province, a body, a type, a month), then each combination's count goes
 * to its parts. Xapian's ValueCountMatchSpy reads a value and updates a
 * std::map per facet and match: five times the work. */
class PackedFacets : public Xapian::MatchSpy
{
  public:
    PackedFacets(const unsigned *slots, size_t n, unsigned packed)
        : slots_(slots, slots + n), packed_(packed)
    {
    }

    void operator()(const Xapian::Document &doc, double) override
    {
        std::string v = doc.get_value(packed_);
        if (v.empty()) /* indexed before the packed slot: slot by slot */
            for (size_t i = 0; i < slots_.size(); i++) {
                if (i > 0)
                    v += VNS_XFACET_SEP;
                v += doc.get_value(slots_[i]);
            }
        ++combos_[v];
    }

    /* The counts of every facet, each most frequent first, then by
     * value: one pass over the combinations (a pass per facet cost 5x
     * the splitting on a match of thousands of combinations). */
    std::vector<std::vector<std::pair<std::string, Xapian::doccount>>>
    counts() const
    {
        std::vector<std::unordered_map<std::string, Xapian::doccount>> c(
            slots_.size());
        for (const auto &kv : combos_) {
            const std::string &v = kv.first;
            size_t s = 0;
            for (size_t i = 0; i < c.size() && s <= v.size(); i++) {
                size_t e = v.find(VNS_XFACET_SEP, s);
                if (e == std::string::npos)
                    e = v.size();
                if (e > s)
                    c[i][v.substr(s, e - s)] += kv.second;
                s = e + 1;
            }
        }
        std::vector<std::vector<std::pair<std::string, Xapian::doccount>>> out;
        for (const auto &m : c) {
            out.emplace_back(m.begin(), m.end());
            std::sort(out.back().begin(), out.back().end(),
                      [](const auto &a, const auto &b) {
                          return a.second != b.second ? a.second > b.second
                                                      : a.first < b.first;
                      });
        }
        return out;
    }

  private:
    std::vector<unsigned> slots_;
    unsigned packed_;
    std::unordered_map<std::string, Xapian::doccount> combos_;
};

/* Tells the caller's vns_xspy of every match (facetcols.h counts them). */
class DocidSpy : public Xapian::MatchSpy
{
  public:
    explicit DocidSpy(const struct vns_xspy *spy) : spy_(spy)
    {
        spy_->begin(spy_->ctx);
    }

    void operator()(const Xapian::Document &doc, double) override
    {
        spy_->match(doc.get_docid(), spy_->ctx);
    }

  private:
    const struct vns_xspy *spy_;
};

/* A weight of 0 for every match: what counting them needs. Not Xapian's
 * BoolWeight: 1.4.22 reads posting lists without their wdfs when no
 * weight needs them, and that read throws "Unexpected end of posting
 * list" on a database merged from shards (xapian-check finds nothing
 * wrong; tests/cli/test_shards.sh meets it); asking for the wdf keeps
 * the read every BM25 match makes. */
class CountWeight : public Xapian::Weight
{
  public:
    CountWeight()
    {
        need_stat(WDF);
    }
    std::string name() const override
    {
        return "vnsearch.count";
    }
    CountWeight *clone() const override
    {
        return new CountWeight();
    }
    void init(double) override
    {
    }
    double get_sumpart(Xapian::termcount, Xapian::termcount,
                       Xapian::termcount) const override
    {
        return 0;
    }
    double get_maxpart() const override
    {
        return 0;
    }
    double get_sumextra(Xapian::termcount, Xapian::termcount) const override
    {
        return 0;
    }
    double get_maxextra() const override
    {
        return 0;
    }
};

/* The page's weights, order and time limit, as o asks. */
static void set_order(Xapian::Enquire &enq, const struct vns_xsearch *o)
{
    enq.set_weighting_scheme(Xapian::BM25Weight());
    if (o->sort_slot >= 0)
        enq.set_sort_by_value_then_relevance(Xapian::valueno(o->sort_slot),
                                             o->sort_desc != 0);
    else if (o->ties_by_value)
        enq.set_sort_by_relevance_then_value(Xapian::valueno(o->tie_slot),
                                             false);
    else
        enq.set_sort_by_relevance();
    enq.set_docid_order(Xapian::Enquire::ASCENDING);
    if (o->time_limit > 0)
        enq.set_time_limit(o->time_limit);
}

/* A combined reader keeps at most this many values that came ahead, and
 * this many bytes of them (Wikipedia's articles among gen-notices' files
 * store ~60 kB each). */
#define KNOWN_MAX 1024
#define KNOWN_BYTES (16u << 20)

/* Over remote shards, the values of slot of the page's first n hits
 * (page: the page's match, by relevance), by document, into *out: the
 * page's match run once more with that slot as its collapse key (none
 * collapsed: a key may stand for any number of hits) brings each hit's
 * value in its reply, one exchange a shard; its weight cutoff at the last
 * hit wanted keeps the servers from reading the value of every hit on the
 * way (a match without it read ~280 more blocks a query and shard than
 * the documents did). A remote document is a round trip and ~13 messages
 * (one a value) from a server that looks each value up apart (~36 writes
 * and ~50 block reads a document by strace). Not the page's own match:
 * collapsing changes its bounds (a lower bound of 116 for 8,449 hits). By
 * relevance only: a cutoff by weight would leave out hits of a page by
 * date. False (and *out as it was) when it cannot be done that way. */
static bool values_by_keys(struct vns_xdb *db, const Xapian::Query &q,
                           const struct vns_xsearch *o,
                           const Xapian::MSet &page, unsigned slot,
                           Xapian::doccount n, Xapian::MSet *out)
{
    n = std::min(n, Xapian::doccount(page.size()));
    if (n == 0 || o->sort_slot >= 0 || !caching(db) || !has_remote(db))
        return false;
    try {
        Xapian::Enquire enq(db->view());
        enq.set_query(q);
        set_order(enq, o);
        enq.set_collapse_key(Xapian::valueno(slot), Xapian::doccount(-1));
        const double floor = page[n - 1].get_weight();
        if (floor > 0)
            enq.set_cutoff(0, floor * (1 - 1e-9));
        *out = enq.get_mset(Xapian::doccount(o->offset), n);
        return true;
    } catch (const Xapian::DatabaseModifiedError &) {
        throw; /* with_retry opens the new revision */
    } catch (const Xapian::Error &) {
        return false; /* the documents are fetched instead, and fail there */
    }
}

/* The values of slot o->ahead_slot of the page's first o->ahead_n hits,
 * kept in db->known (the re-rank's 20 hits cost more than the rest of a
 * query as documents). Best effort: what does not come is read from its
 * document. */
static void values_ahead(struct vns_xdb *db, const Xapian::Query &q,
                         const struct vns_xsearch *o, const Xapian::MSet &page)
{
    Xapian::MSet ms;

    if (o->ahead_n == 0 ||
        !values_by_keys(
            db, q, o, page, o->ahead_slot,
            Xapian::doccount(std::min(o->ahead_n, size_t(KNOWN_MAX))), &ms))
        return;
    try {
        size_t bytes = 0;
        for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
            bytes += it.get_collapse_key().size();
        if (db->known_slot != o->ahead_slot ||
            db->known.size() + ms.size() > KNOWN_MAX ||
            db->known_bytes + bytes > KNOWN_BYTES) {
            db->known.clear();
            db->known_bytes = 0;
            db->known_slot = o->ahead_slot;
        }
        for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it)
            if (db->known.emplace(*it, it.get_collapse_key()).second)
                db->known_bytes += it.get_collapse_key().size();
    } catch (const std::bad_alloc &) {
        db->known.clear();
        db->known_bytes = 0;
    }
}

static void run_search(struct vns_xdb *db, const Xapian::Query &q,
                       const Xapian::Query &count, const struct vns_xsearch *o,
                       struct vns_xresults *res)
{
    Xapian::Database &d = db->view();
    const bool remote = has_remote(db);
    const size_t most = Xapian::doccount(-1);
    Xapian::Enquire enq(d);
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    std::unique_ptr<PackedFacets> packed;
    std::unique_ptr<DocidSpy> spy;
    Xapian::doccount check_at_least = 0;

    enq.set_query(q);
    set_order(enq, o);
    if (o->nfacets > 0 && o->spy != NULL && !remote) {
        spy.reset(new DocidSpy(o->spy));
        enq.add_matchspy(spy.get());
        res->spied = 1;
    } else if (o->nfacets > 0 && o->packed && !remote) {
        packed.reset(
            new PackedFacets(o->facet_slots, o->nfacets, o->packed_slot));
        enq.add_matchspy(packed.get());
    } else {
        for (size_t i = 0; i < o->nfacets; i++) {
            spies.emplace_back(new Xapian::ValueCountMatchSpy(
                Xapian::valueno(o->facet_slots[i])));
            enq.add_matchspy(spies.back().get());
        }
    }
    /* facets count every match, not just those needed for the page */
    if (o->nfacets > 0)
        check_at_least = d.get_doccount();
    Xapian::MSet counted;
    if (spy) {
        /* Counting every match under BM25 weighs every match; a match
         * without weights counts them, and the page's match stops early
         * (medium seed 21, vnsearch --facets --batch, interleaved: p50
         * 4.30-4.31 -> 3.94-4.04 ms; the same output on 300 queries) */
        Xapian::Enquire all(d);
        all.set_query(count.empty() ? q : count);
        all.set_weighting_scheme(CountWeight());
        if (o->time_limit > 0)
            all.set_time_limit(o->time_limit);
        enq.clear_matchspies();
        all.add_matchspy(spy.get());
        counted = all.get_mset(0, 0, check_at_least);
        check_at_least = 0;
    }
    if (remote && !spies.empty()) {
        /* Xapian 1.4 counts the hits a remote shard sends back twice in
         * the match spies: the facets from a match that asks for none;
         * of the count's tree, as one database's (totals too). BM25: the
         * servers know no CountWeight. */
        Xapian::Enquire all(d);
        all.set_query(count.empty() ? q : count);
        if (o->time_limit > 0)
            all.set_time_limit(o->time_limit);
        enq.clear_matchspies();
        for (auto &s : spies)
            all.add_matchspy(s.get());
        counted = all.get_mset(0, 0, check_at_least);
        check_at_least = 0;
    }
    Xapian::MSet ms = enq.get_mset(Xapian::doccount(std::min(o->offset, most)),
                                   Xapian::doccount(std::min(o->limit, most)),
                                   check_at_least);
    const Xapian::MSet &totals =
        spy || (remote && !spies.empty()) ? counted : ms;
    if (ms.size() > 0) {
        res->hits =
            static_cast<vns_xhit *>(calloc(ms.size(), sizeof(*res->hits)));
        if (res->hits == NULL)
            throw std::bad_alloc();
    }
    /* over remote shards one value a hit (a deadline question's, of 100
     * hits) comes by keys; else a remote shard's documents come
     * AHEAD_WINDOW at a time, side by side (fetch_ahead) */
    std::unordered_map<Xapian::docid, std::string> keyed;
    Xapian::MSet by_keys;
    if (o->no_data && o->nfetch == 1 &&
        values_by_keys(db, q, o, ms, o->fetch[0], ms.size(), &by_keys))
        for (Xapian::MSetIterator it = by_keys.begin(); it != by_keys.end();
             ++it)
            keyed.emplace(*it, it.get_collapse_key());
    const bool ahead = remote && caching(db) && keyed.empty() &&
                       !(o->no_data && o->nfetch == 0);
    if (!ahead) /* else their documents come whole below */
        values_ahead(db, q, o, ms);
    std::vector<Xapian::docid> window;
    for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
        struct vns_xhit *h = &res->hits[res->n];
        h->docid = *it;
        h->score = it.get_weight();
        if (ahead && res->n % AHEAD_WINDOW == 0) {
            window.clear();
            for (Xapian::MSetIterator w = it;
                 w != ms.end() && window.size() < AHEAD_WINDOW; ++w)
                window.push_back(*w);
            fetch_ahead(db, window.data(), window.size());
        }
        res->n++; /* counted now: fini frees what is set below */
        if (o->no_data && o->nfetch == 0)
            continue; /* ids and scores only */
        auto k = keyed.find(h->docid);
        if (k != keyed.end()) { /* no_data, one value: it came by keys */
            h->values[0] = dup_bytes(k->second);
            h->value_len[0] = k->second.size();
            continue;
        }
        Xapian::Document doc =
            ahead ? document(db, h->docid) : it.get_document();
        if (!o->no_data) {
            std::string data = doc.get_data();
            h->data = dup_bytes(data);
            h->data_len = data.size();
        }
        for (size_t v = 0; v < o->nfetch; v++) {
            std::string val = doc.get_value(Xapian::valueno(o->fetch[v]));
            h->values[v] = dup_bytes(val);
            h->value_len[v] = val.size();
        }
    }
    res->estimate = totals.get_matches_estimated();
    res->lower = totals.get_matches_lower_bound();
    res->upper = totals.get_matches_upper_bound();
    std::vector<std::vector<std::pair<std::string, Xapian::doccount>>> all;
    if (packed)
        all = packed->counts();
    for (size_t i = 0; i < all.size() && i < o->nfacets; i++) {
        struct vns_xfacet *f = &res->facets[i];
        const auto &c = all[i];
        f->slot = o->facet_slots[i];
        res->nfacets = i + 1;
        if (c.empty())
            continue;
        f->counts =
            static_cast<vns_xcount *>(calloc(c.size(), sizeof(*f->counts)));
        if (f->counts == NULL)
            throw std::bad_alloc();
        for (const auto &kv : c) {
            f->counts[f->n].value = dup_bytes(kv.first);
            f->counts[f->n].len = kv.first.size();
            f->counts[f->n].count = kv.second;
            f->n++;
        }
    }
    for (size_t i = 0; i < spies.size(); i++) {
        struct vns_xfacet *f = &res->facets[i];
        size_t n = 0, cap = spies[i]->get_total() ? 16 : 0;
        f->slot = o->facet_slots[i];
        res->nfacets = i + 1;
        /* top_values_begin reserves room for as many values as asked */
        const Xapian::doccount want = spies[i]->get_total();
        for (Xapian::TermIterator t = spies[i]->top_values_begin(want);
             t != spies[i]->top_values_end(want); ++t) {
            if (n == cap || f->counts == NULL) {
                cap = cap ? cap * 2 : 16;
                void *p = realloc(f->counts, cap * sizeof(*f->counts));
                if (p == NULL)
                    throw std::bad_alloc();
                f->counts = static_cast<vns_xcount *>(p);
            }
            std::string v = *t;
            f->counts[n].value = dup_bytes(v);
            f->counts[n].len = v.size();
            f->counts[n].count = t.get_termfreq();
            f->n = ++n;
        }
    }
}

extern "C" {

int vns_xdb_run(struct vns_xdb *db, const struct vns_xq *q,
                const struct vns_xsearch *opts, struct vns_xresults *out,
                struct vns_err *err)
{
    if (db == NULL || out == NULL || opts == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (opts->nfetch > VNS_XMAX_FETCH)
        return vns_err_set(err, VNS_EINVAL, "%s: more than %d values",
                           db->dir.c_str(), VNS_XMAX_FETCH);
    if (opts->nfacets > VNS_XMAX_FACETS)
        return vns_err_set(err, VNS_EINVAL, "%s: more than %d facets",
                           db->dir.c_str(), VNS_XMAX_FACETS);
    try {
        Xapian::Query xq, count;
        int rc = build(q, 0, db->dir.c_str(), &xq, err);
        if (rc == VNS_OK && opts->nfacets > 0 && opts->count != NULL &&
            (opts->spy != NULL || has_remote(db)))
            rc = build(opts->count, 0, db->dir.c_str(), &count, err);
        if (rc != VNS_OK)
            return rc;
        results_guard res;
        with_retry(db, [&] {
            vns_xresults_fini(&res.r);
            run_search(db, xq, count, opts, &res.r);
        });
        *out = res.r; /* moved: the caller owns it now */
        res.r = vns_xresults{};
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_search(struct vns_xdb *db, const struct vns_xq *q, size_t offset,
                   size_t limit, double time_limit, struct vns_xresults *out,
                   struct vns_err *err)
{
    struct vns_xsearch o = {};

    o.offset = offset;
    o.limit = limit;
    o.time_limit = time_limit;
    o.sort_slot = -1;
    return vns_xdb_run(db, q, &o, out, err);
}

void vns_xresults_fini(struct vns_xresults *res)
{
    if (res == NULL)
        return;
    for (size_t i = 0; i < res->n; i++) {
        free(res->hits[i].data);
        for (size_t v = 0; v < VNS_XMAX_FETCH; v++)
            free(res->hits[i].values[v]);
    }
    free(res->hits);
    for (size_t f = 0; f < res->nfacets; f++) {
        for (size_t i = 0; i < res->facets[f].n; i++)
            free(res->facets[f].counts[i].value);
        free(res->facets[f].counts);
    }
    *res = vns_xresults{};
}

int vns_xdb_get_data(struct vns_xdb *db, uint32_t docid, char **data,
                     size_t *len, struct vns_err *err)
{
    if (db == NULL || data == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (docid == 0)
        return vns_err_set(err, VNS_ENOTFOUND, "%s: no such document",
                           db->dir.c_str());
    try {
        std::string s;
        with_retry(db, [&] {
            s = document(db, docid).get_data();
            /* every document of ours has a record: none, perhaps no
             * document (DocNotFoundError) */
            if (s.empty())
                (void)db->view().get_document(docid);
        });
        *data = dup_bytes(s);
        if (len != NULL)
            *len = s.size();
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_find(struct vns_xdb *db, const char *idterm, uint32_t *docid,
                 struct vns_err *err)
{
    if (db == NULL || docid == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    int rc =
        check_term(db->dir.c_str(), idterm, idterm ? strlen(idterm) : 0, err);
    if (rc != VNS_OK)
        return rc;
    try {
        std::string id(idterm);
        Xapian::docid did = 0;
        with_retry(db, [&] {
            Xapian::Database &d = db->view();
            Xapian::PostingIterator it = d.postlist_begin(id);
            did = it == d.postlist_end(id) ? 0 : *it;
        });
        if (did == 0)
            return vns_err_set(err, VNS_ENOTFOUND,
                               "%s: no document holds that id term",
                               db->dir.c_str());
        *docid = did;
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_get_value(struct vns_xdb *db, uint32_t docid, unsigned slot,
                      char **out, size_t *len, struct vns_err *err)
{
    if (db == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (docid == 0)
        return vns_err_set(err, VNS_ENOTFOUND, "%s: no such document",
                           db->dir.c_str());
    try {
        std::string s;
        with_retry(db, [&] {
            auto k = db->known.find(docid);
            if (slot == db->known_slot && k != db->known.end())
                s = k->second;
            else
                s = document(db, docid).get_value(Xapian::valueno(slot));
        });
        *out = dup_bytes(s);
        if (len != NULL)
            *len = s.size();
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_positions(struct vns_xdb *db, uint32_t docid, const char *term,
                      size_t len, uint32_t **out, size_t *n,
                      struct vns_err *err)
{
    if (db == NULL || out == NULL || n == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    *out = NULL;
    *n = 0;
    try {
        std::vector<uint32_t> v;
        std::string t(term, len);
        with_retry(db, [&] {
            v.clear();
            Xapian::Database &d = db->view();
            for (Xapian::PositionIterator it = d.positionlist_begin(docid, t);
                 it != d.positionlist_end(docid, t); ++it)
                v.push_back(*it);
        });
        if (v.empty())
            return VNS_OK;
        *out = static_cast<uint32_t *>(malloc(v.size() * sizeof(uint32_t)));
        if (*out == NULL)
            return vns_err_set(err, VNS_ENOMEM, "index: out of memory");
        memcpy(*out, v.data(), v.size() * sizeof(uint32_t));
        *n = v.size();
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_holding(struct vns_xdb *db, const char *term, size_t len,
                    const uint32_t *docids, size_t n, uint8_t *has,
                    struct vns_err *err)
{
    if (db == NULL || term == NULL ||
        (n > 0 && (docids == NULL || has == NULL)))
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (has_remote(db)) { /* a remote posting list comes whole */
        memset(has, 1, n);
        return VNS_OK;
    }
    try {
        std::string t(term, len);
        with_retry(db, [&] {
            Xapian::Database &d = db->view();
            Xapian::PostingIterator it = d.postlist_begin(t);
            memset(has, 0, n);
            for (size_t i = 0; i < n && it != d.postlist_end(t); i++) {
                it.skip_to(docids[i]);
                if (it != d.postlist_end(t) && *it == docids[i])
                    has[i] = 1;
            }
        });
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

/* Values read over remote shards come this many documents a match. */
#define VALUES_WINDOW 65536

/* vns_xdb_values over remote shards: Xapian's value stream of a remote
 * shard fetches each document whole, one round trip each (the id cache of
 * medium seed 21 in 2 shards behind xapian-tcpsrv: 22,000 documents,
 * 6.5 s). A match of every document in docid order (no weights: it stops
 * at the window's end) with the slot as its collapse key (none collapsed)
 * brings the values of a window of documents in one exchange a shard. */
static int remote_values(struct vns_xdb *db, Xapian::valueno v,
                         vns_xvalue_fn fn, void *ctx)
{
    int stop = 0;

    with_retry(db, [&] {
        Xapian::Enquire enq(db->view());
        enq.set_query(Xapian::Query::MatchAll);
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_docid_order(Xapian::Enquire::ASCENDING);
        enq.set_collapse_key(v, Xapian::doccount(-1));
        for (Xapian::doccount first = 0; stop == 0; first += VALUES_WINDOW) {
            Xapian::MSet ms = enq.get_mset(first, VALUES_WINDOW);
            for (Xapian::MSetIterator it = ms.begin();
                 it != ms.end() && stop == 0; ++it) {
                const std::string &val = it.get_collapse_key();
                if (!val.empty())
                    stop = fn(*it, val.data(), val.size(), ctx);
            }
            if (ms.size() < VALUES_WINDOW)
                break;
        }
    });
    return stop;
}

int vns_xdb_values(struct vns_xdb *db, unsigned slot, vns_xvalue_fn fn,
                   void *ctx, struct vns_err *err)
{
    if (db == NULL || fn == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        int stop = 0;
        if (has_remote(db))
            return remote_values(db, Xapian::valueno(slot), fn, ctx);
        with_retry(db, [&] {
            Xapian::Database &d = db->view();
            Xapian::valueno v = Xapian::valueno(slot);
            for (Xapian::ValueIterator it = d.valuestream_begin(v);
                 it != d.valuestream_end(v) && stop == 0; ++it) {
                std::string val = *it;
                stop = fn(it.get_docid(), val.data(), val.size(), ctx);
            }
        });
        return stop;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_postlist(struct vns_xdb *db, const char *term, vns_xdoc_fn fn,
                     void *ctx, struct vns_err *err)
{
    if (db == NULL || fn == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (term == NULL)
        return vns_err_set(err, VNS_EINVAL, "%s: no term", db->dir.c_str());
    int rc = term[0] == '\0'
                 ? VNS_OK /* every document */
                 : check_term(db->dir.c_str(), term, strlen(term), err);
    if (rc != VNS_OK)
        return rc;
    try {
        /* collected first: fn may change the database (delete) */
        std::vector<Xapian::docid> ids;
        std::string t(term);
        with_retry(db, [&] {
            Xapian::Database &d = db->view();
            ids.clear();
            for (Xapian::PostingIterator it = d.postlist_begin(t);
                 it != d.postlist_end(t); ++it)
                ids.push_back(*it);
        });
        for (Xapian::docid id : ids) {
            int stop = fn(id, ctx);
            if (stop != 0)
                return stop;
        }
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_set_value(struct vns_xdb *db, uint32_t docid, unsigned slot,
                      const char *value, size_t len, struct vns_err *err)
{
    if (db == NULL || value == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    if (!db->writable)
        return vns_err_set(err, VNS_EINVAL, "%s: opened read-only",
                           db->dir.c_str());
    try {
        begin_writes(db);
        Xapian::Document doc = db->wdb.get_document(docid);
        doc.add_value(Xapian::valueno(slot), std::string(value, len));
        db->wdb.replace_document(docid, doc);
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

} /* extern "C" */

extern "C" {

int vns_xdb_revision(struct vns_xdb *db, uint64_t *out, struct vns_err *err)
{
    if (db == NULL || out == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: not open");
    try {
        uint64_t r = 0;
        with_retry(db, [&] {
            r = 0;
            if (db->parts.empty())
                r = db->view().get_revision();
            for (struct vns_xdb *p : db->parts)
                r += p->view().get_revision();
        });
        *out = r;
        return VNS_OK;
    } catch (...) {
        return fail(err, db->dir.c_str());
    }
}

int vns_xdb_pending(const struct vns_xdb *db)
{
    return db != NULL && db->writable && db->in_txn;
}

int vns_xdb_check(const char *dir, uint64_t *nerrors, char **report,
                  struct vns_err *err)
{
    if (dir == NULL || nerrors == NULL || report == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: no folder given");
    if (!has_database(dir))
        return vns_err_set(err, VNS_ENOTFOUND, "%s: no index here", dir);
    try {
        for (int tries = 0;; tries++) {
            std::ostringstream out;
            size_t n = 0;
            try {
                n = Xapian::Database::check(dir, 0, &out);
            } catch (const Xapian::DatabaseModifiedError &) {
                if (tries < 3)
                    continue; /* a writer committed meanwhile */
                throw;
            } catch (const Xapian::DatabaseError &e) {
                /* a table too broken to walk: that is the finding */
                out << "error: " << e.get_description() << "\n";
                n++;
            }
            *report = dup_bytes(out.str());
            *nerrors = n;
            return VNS_OK;
        }
    } catch (...) {
        return fail(err, dir);
    }
}

int vns_xdb_compact(const char *src, const char *dst, int merge,
                    struct vns_err *err)
{
    if (src == NULL || dst == NULL)
        return vns_err_set(err, VNS_EINVAL, "index: no folder given");
    for (int tries = 0;; tries++) {
        try {
            Xapian::Database db(src);
            /* the same document ids: nothing keyed by them goes stale;
             * shards merged take theirs one after the other */
            db.compact(dst, merge ? 0 : Xapian::DBCOMPACT_NO_RENUMBER);
            return VNS_OK;
        } catch (const Xapian::DatabaseModifiedError &) {
            if (tries < 3)
                continue; /* a writer recycled the snapshot: again */
            return fail(err, src);
        } catch (...) {
            return fail(err, src);
        }
    }
}

} /* extern "C" */
