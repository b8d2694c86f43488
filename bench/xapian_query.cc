// bench/compare's stock-Xapian anchor: run every query of a gen-notices
// queries file over an omindex database through Xapian::QueryParser (OR, no
// stemming), keep the top 100 the truth-derived filter allows, TREC run.
#include "runlist.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

static const unsigned RUN_DEPTH = 100;

// The allowed Xapian docids of one filtered query.
class AllowDecider : public Xapian::MatchDecider
{
  public:
    std::unordered_set<Xapian::docid> ok;
    bool operator()(const Xapian::Document &doc) const override
    {
        return ok.count(doc.get_docid()) != 0;
    }
};

// omindex keeps "url=/000/vb-000412.txt" in the document data: the
// gen-notices id once the leading slash goes.
static std::string doc_id(const std::string &data)
{
    size_t at = data.compare(0, 4, "url=") == 0 ? 0 : data.find("\nurl=");
    if (at == std::string::npos)
        return std::string();
    if (at != 0)
        at++;
    size_t end = data.find('\n', at);
    std::string url = data.substr(
        at + 4, end == std::string::npos ? std::string::npos : end - at - 4);
    return url.size() && url[0] == '/' ? url.substr(1) : url;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        std::fprintf(stderr,
                     "usage: xapian_query DB QUERIES RUN [ALLOW.tsv]\n");
        return 2;
    }
    struct runlist rl;
    if (runlist_load(&rl, argv[2], argc == 5 ? argv[4] : nullptr) != 0)
        return 1;
    FILE *out = std::fopen(argv[3], "w");
    if (out == nullptr) {
        std::perror(argv[3]);
        return 1;
    }
    size_t errors = 0;
    try {
        Xapian::Database db(argv[1]);
        // docid <-> gen-notices id, read once, as a metadata table would be
        std::unordered_map<std::string, Xapian::docid> by_id;
        std::vector<std::string> ids(db.get_lastdocid() + 1);
        for (Xapian::PostingIterator p = db.postlist_begin("");
             p != db.postlist_end(""); ++p) {
            std::string id = doc_id(db.get_document(*p).get_data());
            by_id[id] = *p;
            ids[*p] = id;
        }
        std::vector<AllowDecider> allow(rl.n);
        for (size_t i = 0; i < rl.n; i++)
            for (size_t a = rl.q[i].allow_lo; a < rl.q[i].allow_hi; a++) {
                auto it = by_id.find(rl.allow[a].doc);
                if (it != by_id.end())
                    allow[i].ok.insert(it->second);
            }
        std::fprintf(stderr, "xapian_query: %u documents\n", db.get_doccount());

        Xapian::QueryParser qp;
        qp.set_database(db);
        qp.set_default_op(Xapian::Query::OP_OR);
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
        Xapian::Enquire enq(db);
        double t0 = runlist_now();
        for (size_t i = 0; i < rl.n; i++) {
            const struct rl_query *q = &rl.q[i];
            double t = runlist_now();
            try {
                Xapian::Query query;
                try {
                    query = qp.parse_query(q->text);
                } catch (const Xapian::QueryParserError &) {
                    // as Omega does: the words alone when the syntax fails
                    query = qp.parse_query(q->text, 0);
                }
                enq.set_query(query);
                Xapian::MSet ms =
                    enq.get_mset(0, RUN_DEPTH, 0, nullptr,
                                 q->filtered ? &allow[i] : nullptr);
                unsigned rank = 0;
                for (Xapian::MSetIterator m = ms.begin(); m != ms.end(); ++m)
                    std::fprintf(out, "%s Q0 %s %u %.6f xapian\n", q->qid,
                                 ids[*m].c_str(), ++rank, m.get_weight());
            } catch (const Xapian::Error &e) {
                std::fprintf(stderr, "xapian_query: %s: %s\n", q->qid,
                             e.get_description().c_str());
                errors++;
            }
            rl.ms[i] = (runlist_now() - t) * 1000.0;
        }
        std::fprintf(stderr, "xapian_query: %zu queries in %.2f s\n", rl.n,
                     runlist_now() - t0);
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian_query: %s: %s\n", argv[1],
                     e.get_description().c_str());
        return 1;
    }
    runlist_report(&rl, errors);
    runlist_fini(&rl);
    return std::fclose(out) == 0 ? 0 : 1;
}
