#!/usr/bin/python3
# The request list of bench/soak and bench/load, one path a line, shuffled:
# every judged query of a gen-notices queries file with its filters, the
# queries' first words as completions, documents by id; with --bad, bad
# requests too (400s and 404s: the soak checks that they stay 4xx).
# usage: bench/paths.py DOCS_DIR [QUERIES.jsonl] [--bad] > paths.txt
import json
import os
import random
import sys
import urllib.parse

args = [a for a in sys.argv[1:] if a != "--bad"]
bad = "--bad" in sys.argv[1:]
docs = args[0]
queries = args[1] if len(args) > 1 else ""
random.seed(7)
keys = {"province": "province", "province_2025": "province_2025",
        "issuing_body": "body", "doc_type": "type", "date_from": "from",
        "date_to": "to"}
paths, words = [], []
if queries and os.path.exists(queries):
    for line in open(queries, encoding="utf-8"):
        q = json.loads(line)
        p = {"q": q["query"]}
        for k, v in (q.get("filters") or {}).items():
            if k in keys:
                p[keys[k]] = v
        paths.append("/api/search?" + urllib.parse.urlencode(p))
        words.extend(q["query"].split()[:2])
else:
    for w in ["tiêm mũi 2", "covid", "phòng chống dịch", "hạn chót",
              "kết luận", "xét nghiệm", "cách ly", "ủy ban nhân dân"]:
        paths.append("/api/search?" + urllib.parse.urlencode({"q": w}))
        words.append(w)
for w in random.sample(words, min(300, len(words))):
    paths.append("/api/suggest?" + urllib.parse.urlencode({"q": w[:3]}))
ids = []
for root, _, files in os.walk(docs):
    for f in files:
        ids.append(os.path.relpath(os.path.join(root, f), docs))
for i in random.sample(ids, min(300, len(ids))):
    paths.append("/api/doc/" + urllib.parse.quote(i, safe=""))
if bad:
    for p in ["/api/search?q=%FF%FE", "/api/search?q=covid&page=0",
              "/api/search?q=covid&sort=name", "/api/search?q=covid&pgae=2",
              "/api/doc/no-such-id", "/api/search?q=%22covid"] * 10:
        paths.append(p)
random.shuffle(paths)
print("\n".join(paths))
