#!/usr/bin/env python3
"""Prints a table of JMH results with the distkit / peer ratio of medians.

Usage: python3 distkit-benchmarks/report.py [RESULT.json ...]
       (default: every distkit-benchmarks/results/*.json)

Reads JMH JSON result files (-rf json). Rows are grouped by benchmark, thread count and every
parameter except `contestant`; within a group, contestants whose name starts with DISTKIT are
distkit's and the others are peers. A contestant's score is the median of its iteration scores.
The ratio printed on a peer's row is distkit's median divided by the peer's (one figure per distkit
contestant): above 1 means distkit is faster. For time-per-operation modes (avgt, sample, ss) the
script divides the other way round, so above 1 still means distkit is faster, and also prints distkit's
time minus the peer's (the overhead per call, median of the per-run differences).

When the same row appears in several files (repeated runs), the score shown is the median of the
per-run medians and the ratio is the median of the per-run ratios, which is how the targets of
issue 5 are judged.
"""

import glob
import json
import os
import statistics
import sys
from collections import OrderedDict

CONTESTANT = "contestant"
TIME_MODES = {"avgt", "sample", "ss"}
ALLOC = "gc.alloc.rate.norm"


def iteration_scores(metric):
    return [score for fork in metric.get("rawData", []) for score in fork]


def secondary(entry, suffix):
    for name, metric in entry.get("secondaryMetrics", {}).items():
        if name.endswith(suffix):
            scores = iteration_scores(metric)
            return statistics.median(scores) if scores else metric.get("score")
    return None


def load(paths):
    """Returns {group: {contestant: [per-run record]}} in first-seen order."""
    groups = OrderedDict()
    for run, path in enumerate(paths):
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)
        for entry in entries:
            params = dict(entry.get("params", {}))
            contestant = params.pop(CONTESTANT, "-")
            group = (entry["benchmark"], entry["mode"], entry["threads"], tuple(sorted(params.items())))
            scores = iteration_scores(entry["primaryMetric"])
            record = {
                "run": run,
                "median": statistics.median(scores) if scores else entry["primaryMetric"]["score"],
                "unit": entry["primaryMetric"]["scoreUnit"],
                "alloc": secondary(entry, ALLOC),
            }
            groups.setdefault(group, OrderedDict()).setdefault(contestant, []).append(record)
    return groups


def ratio(mode, distkit, peer):
    if distkit <= 0 or peer <= 0:
        return None
    return peer / distkit if mode in TIME_MODES else distkit / peer


def median_ratio(mode, distkit_runs, peer_runs):
    peer_by_run = {r["run"]: r["median"] for r in peer_runs}
    ratios = [ratio(mode, d["median"], peer_by_run[d["run"]]) for d in distkit_runs if d["run"] in peer_by_run]
    ratios = [r for r in ratios if r is not None]
    return (statistics.median(ratios), len(ratios)) if ratios else (None, 0)


def number(value):
    if value is None:
        return "-"
    if value >= 1_000_000:
        return f"{value / 1_000_000:.3g} M"
    if value >= 1_000:
        return f"{value / 1_000:.3g} k"
    return f"{value:.3g}"


def alloc_number(value):
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def median_difference(distkit_runs, peer_runs):
    peer_by_run = {r["run"]: r["median"] for r in peer_runs}
    differences = [d["median"] - peer_by_run[d["run"]] for d in distkit_runs if d["run"] in peer_by_run]
    return statistics.median(differences) if differences else None


def table(groups):
    header = ["benchmark", "params", "threads", "contestant", "score (median)", "unit", "runs", "B/op",
              "distkit ÷ peer"]
    rows = []
    for (benchmark, mode, threads, params), contestants in groups.items():
        distkit = [name for name in contestants if name.upper().startswith("DISTKIT")]
        for name, runs in contestants.items():
            score = statistics.median(r["median"] for r in runs)
            allocs = [r["alloc"] for r in runs if r["alloc"] is not None]
            cells = []
            if name not in distkit:
                for own in distkit:
                    value, count = median_ratio(mode, contestants[own], runs)
                    if value is not None:
                        label = f"{value:.2f}" if len(distkit) == 1 else f"{own}: {value:.2f}"
                        if mode in TIME_MODES:
                            difference = median_difference(contestants[own], runs)
                            label += f" (distkit {difference:+.1f} {runs[0]['unit']})"
                        cells.append(label)
            rows.append([
                benchmark.rsplit(".", 2)[-2] + "." + benchmark.rsplit(".", 1)[-1],
                " ".join(f"{k}={v}" for k, v in params) or "-",
                str(threads),
                name,
                number(score),
                runs[0]["unit"],
                str(len(runs)),
                alloc_number(statistics.median(allocs)) if allocs else "-",
                ", ".join(cells) if cells else ("(distkit)" if name in distkit else "-"),
            ])
    return header, rows


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    paths = argv[1:] or sorted(glob.glob(os.path.join(here, "results", "*.json")))
    if not paths:
        print("No result files: run distkit-benchmarks/run.sh first, or name JMH JSON files.", file=sys.stderr)
        return 1
    header, rows = table(load(paths))
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
