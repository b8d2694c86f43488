#!/usr/bin/env python3
"""bench/compare helper: the documents each filtered query may return, from
the ground truth (gen-notices' own filter rules), for the anchor systems.

usage: truth_filter.py QUERIES.jsonl TRUTH.jsonl OUT.tsv
OUT.tsv: "qid<TAB>docid" per allowed document, only for queries with
filters (a query absent from it is unrestricted; a filtered query that
allows nothing gets one line "qid<TAB>" so that it stays restricted).
"""
import json
import sys
import unicodedata


def _fold_table():
    t = {}
    for cp in range(0xC0, 0x2000):
        d = unicodedata.normalize("NFD", chr(cp))
        if len(d) > 1 and d[0].isascii():
            t[cp] = d[0]
    for cp in range(0x300, 0x370):
        t[cp] = None
    t[ord("đ")], t[ord("Đ")] = "d", "D"
    return t


FOLD = _fold_table()


def key(s):
    return (s or "").translate(FOLD).lower()


def matches(r, flt):
    # the rules of gen-notices make_queries.matches: provinces compared
    # folded and lower-cased, body and type exactly, dates as ISO strings
    if "province" in flt and key(r.get("province")) != key(flt["province"]):
        return False
    if "province_2025" in flt and \
            key(r.get("province_2025")) != key(flt["province_2025"]):
        return False
    if "issuing_body" in flt and r.get("issuing_body") != flt["issuing_body"]:
        return False
    if "doc_type" in flt and r.get("doc_type") != flt["doc_type"]:
        return False
    date = r.get("date")
    if ("date_from" in flt or "date_to" in flt) and not date:
        return False
    if "date_from" in flt and date < flt["date_from"]:
        return False
    if "date_to" in flt and date > flt["date_to"]:
        return False
    return True


def main():
    queries, truth, out = sys.argv[1:4]
    # only notices carry metadata: background articles and hostile files
    # never pass a filter
    docs = []
    with open(truth, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if "date" in r and not r.get("background"):
                docs.append(r)
    with open(queries, encoding="utf-8") as f, \
            open(out, "w", encoding="utf-8") as w:
        for line in f:
            q = json.loads(line)
            flt = q.get("filters") or {}
            if not flt:
                continue
            ok = [r["id"] for r in docs if matches(r, flt)]
            for d in ok:
                w.write(f"{q['qid']}\t{d}\n")
            if not ok:
                w.write(f"{q['qid']}\t\n")


if __name__ == "__main__":
    main()
