#!/usr/bin/env python3
"""nDCG@10 and MRR@10 of a TREC run against judged queries (the formulas
of ../shared/tools/eval-run), for the small evaluation inside make check,
which must not depend on ../shared. Usage: ndcg.py QUERIES.jsonl RUN"""
import json
import math
import sys


def main():
    queries = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    ranked = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        qid, _, doc, rank, score, _ = line.split()
        ranked.setdefault(qid, []).append((int(rank), -float(score), doc))
    ndcgs, rrs = [], []
    for q in queries:
        rel = q["relevant"]
        docs = []
        for _, _, d in sorted(ranked.get(q["qid"], [])):
            if d not in docs:
                docs.append(d)
        gains = [2 ** rel.get(d, 0) - 1 for d in docs[:10]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted((2 ** g - 1 for g in rel.values()), reverse=True)[:10]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcgs.append(dcg / idcg if idcg else 0.0)
        rr = next((1 / (i + 1) for i, d in enumerate(docs[:10]) if rel.get(d, 0) >= 1), 0.0)
        rrs.append(rr)
        print(f"{q['qid']} nDCG@10={ndcgs[-1]:.3f} RR={rr:.3f} {q['query']}")
    print(f"overall nDCG@10={sum(ndcgs) / len(ndcgs):.3f} MRR@10={sum(rrs) / len(rrs):.3f} queries={len(ndcgs)}")


if __name__ == "__main__":
    main()
