#!/usr/bin/python3
# bench/run's indexing tables in Markdown, from the raw figures the script
# wrote (one line a run); the measuring itself is bench/run's.
#
# usage: bench/index_table.py compare RES  (RES/systems.tsv, RES/<key>.runs)
#        bench/index_table.py scaling RES  (RES/profiles.tsv, RES/<p>.runs,
#                                           RES/<p>.lat, RES/<p>.ndcg)
#        bench/index_table.py shards RES   (RES/one.time, RES/sh2.time,
#                                           RES/<k>.lat, RES/<k>.run for k
#                                           one, sh2, remote)
#
# A .runs line: wall_s user_s sys_s maxrss_kb index_bytes documents exit
# (/usr/bin/time's %e %U %S %M, du -sb of the index, what the index holds).
# systems.tsv: key, label, files, bytes; profiles.tsv: profile, seed,
# files, bytes, queries. A .lat line: p50 p95 p99 of one pass; a .time
# file: /usr/bin/time's %e.
import statistics
import sys


def runs(path):
    out = []
    try:
        lines = open(path).readlines()
    except OSError:  # every run failed
        return out
    for line in lines:
        f = line.split()
        if len(f) >= 7:
            out.append({"wall": float(f[0]), "cpu": float(f[1]) + float(f[2]),
                        "rss": int(f[3]) * 1024, "size": int(f[4]),
                        "docs": int(f[5]) if f[5].isdigit() else None,
                        "rc": int(f[6])})
    return out


def cell(vals, fmt):
    """median (min–max), or the one value"""
    if len(vals) == 1:
        return fmt.format(vals[0])
    lo, mid, hi = min(vals), statistics.median(vals), max(vals)
    return f"{fmt.format(mid)} ({fmt.format(lo)}–{fmt.format(hi)})"


def rate_fmt(v):
    return "{:.0f}" if v >= 100 else "{:.1f}" if v >= 10 else "{:.2f}"


def compare(res):
    systems = [l.rstrip("\n").split("\t") for l in open(f"{res}/systems.tsv")
               if l.strip()]
    med = {}
    print("| system | docs/s | MB/s | wall s | CPU s (user+sys) | peak RSS MB "
          "| index MB | index ÷ input | documents in the index |")
    print("|---|---|---|---|---|---|---|---|---|")
    for key, label, files, nbytes in systems:
        files, nbytes = int(files), int(nbytes)
        rs = runs(f"{res}/{key}.runs")
        if not rs:
            print(f"| {label} | failed | | | | | | | |")
            continue
        dps = [files / r["wall"] for r in rs]
        mbs = [nbytes / 1e6 / r["wall"] for r in rs]
        sizes = [r["size"] / 1e6 for r in rs]
        med[key] = (statistics.median(mbs), statistics.median(sizes))
        docs = sorted({r["docs"] for r in rs if r["docs"] is not None})
        ndocs = "/".join(f"{d:,}" for d in docs) or "?"
        if any(r["rc"] != 0 for r in rs):
            ndocs += " (exit " + "/".join(sorted({str(r["rc"]) for r in rs})) + ")"
        print(f"| {label} | {cell(dps, rate_fmt(statistics.median(dps)))} "
              f"| {cell(mbs, rate_fmt(statistics.median(mbs)))} "
              f"| {cell([r['wall'] for r in rs], '{:.1f}')} "
              f"| {cell([r['cpu'] for r in rs], '{:.1f}')} "
              f"| {cell([r['rss'] / 1e6 for r in rs], '{:.0f}')} "
              f"| {cell(sizes, '{:.1f}')} "
              f"| {statistics.median(sizes) * 1e6 / nbytes:.2f}× "
              f"| {ndocs} of {files:,} files |")
    ours = [(k, l) for k, l, *_ in systems if k.startswith("vns") and k in med]
    others = [(k, l) for k, l, *_ in systems
              if not k.startswith("vns") and k in med]
    if not ours or not others:
        return
    print()
    print("vnsearch ÷ the others (medians; above 1: vnsearch indexes faster "
          "or its index is larger):")
    print()
    head = ["÷"] + [f"MB/s, {l}" for _, l in ours] + \
        [f"index size, {ours[0][1]}"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for k, l in others:
        row = [l] + [f"{med[o][0] / med[k][0]:.2f}" for o, _ in ours]
        row.append(f"{med[ours[0][0]][1] / med[k][1]:.2f}")
        print("| " + " | ".join(row) + " |")


def scaling(res):
    profiles = [l.rstrip("\n").split("\t") for l in open(f"{res}/profiles.tsv")
                if l.strip()]
    print("| corpus | files | MB | index wall s | docs/s | MB/s "
          "| CPU ms/doc | s/doc ÷ first | peak RSS MB | index MB | queries "
          "| p50 ms | p95 ms | p99 ms | p50 ÷ first | nDCG@10 |")
    print("|---|" + "---|" * 15)
    first = None
    for name, seed, files, nbytes, nq in profiles:
        files, nbytes = int(files), int(nbytes)
        rs = runs(f"{res}/{name}.runs")
        if not rs:
            print(f"| {name} (seed {seed}) | {files:,} | failed |" + " |" * 13)
            continue
        try:
            lat = [list(map(float, l.split()))
                   for l in open(f"{res}/{name}.lat") if l.strip()]
        except OSError:
            lat = []
        spd = statistics.median(r["wall"] for r in rs) / files
        p50 = statistics.median(l[0] for l in lat) if lat else None
        if first is None:
            first = (spd, p50)
        dps = [files / r["wall"] for r in rs]
        mbs = [nbytes / 1e6 / r["wall"] for r in rs]
        try:
            ndcg = open(f"{res}/{name}.ndcg").read().strip() or "–"
        except OSError:
            ndcg = "–"
        row = [f"{name} (seed {seed})", f"{files:,}", f"{nbytes / 1e6:.0f}",
               cell([r["wall"] for r in rs], "{:.1f}"),
               cell(dps, rate_fmt(statistics.median(dps))),
               cell(mbs, rate_fmt(statistics.median(mbs))),
               cell([r["cpu"] * 1000 / files for r in rs], "{:.1f}"),
               f"{spd / first[0]:.2f}",
               cell([r["rss"] / 1e6 for r in rs], "{:.0f}"),
               cell([r["size"] / 1e6 for r in rs], "{:.0f}"), nq]
        if lat:
            row += [cell([l[i] for l in lat], "{:.2f}") for i in range(3)]
            row.append(f"{p50 / first[1]:.2f}" if first[1] else "–")
        else:
            row += ["–"] * 4
        row.append(ndcg)
        print("| " + " | ".join(row) + " |")


def top10(path):
    """each query's first ten (id, score) of a TREC run"""
    out = {}
    for line in open(path):
        q, _, d, r, sc = line.split()[:5]
        if int(r) <= 10:
            out.setdefault(q, []).append((d, float(sc)))
    return out


def shards(res):
    def lat(k):
        rows = [list(map(float, l.split()))
                for l in open(f"{res}/{k}.lat") if l.strip()]
        return [[r[j] for r in rows] for j in range(3)]

    def secs(k):
        return float(open(f"{res}/{k}.time").read().split()[-1])

    t1, t2 = secs("one"), secs("sh2")
    print("| indexing | wall s | ÷ one writer |")
    print("|---|---|---|")
    print(f"| vnsearch-index --jobs 1 | {t1:.1f} | 1.00 |")
    print(f"| vnsearch-index --shards 2 --jobs 2 | {t2:.1f} | {t1 / t2:.2f}x faster |")
    print()
    base = lat("one")[0]
    print("| queries through | p50 ms | p95 ms | p99 ms "
          "| p50 ÷ one database's, pass by pass |")
    print("|---|---|---|---|---|")
    for k, name in (("one", "one database"), ("sh2", "2 local shards"),
                    ("remote", "2 shards behind xapian-tcpsrv")):
        p50, p95, p99 = lat(k)
        ratio = [x / y for x, y in zip(p50, base)]
        print(f"| {name} | {cell(p50, '{:.2f}')} | {cell(p95, '{:.2f}')} "
              f"| {cell(p99, '{:.2f}')} | {cell(ratio, '{:.2f}')} |")
    a, b = top10(f"{res}/one.run"), top10(f"{res}/remote.run")
    queries = set(a) | set(b)
    bad = sum(1 for q in queries
              if len(a.get(q, [])) != len(b.get(q, [])) or any(
                  x[0] != y[0] or abs(x[1] - y[1]) > 1e-9
                  for x, y in zip(a.get(q, []), b.get(q, []))))
    print()
    print("Top 10 (ids, scores to 1e-9) through the remote shards against one"
          f" database: {bad} of {len(queries)} queries differ.")


TABLES = {"compare": compare, "scaling": scaling, "shards": shards}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in TABLES:
        sys.exit("usage: bench/index_table.py compare|scaling|shards RES")
    TABLES[sys.argv[1]](sys.argv[2])
