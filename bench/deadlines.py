"""`python -m bench.deadlines`: time the deadline reader on 100,000 phrases.

The phrases are the three shapes the reader meets, in fixed shares and a fixed random order
(seed 15), so that runs on different days time the same work:

* cells (70 %) -- a plan's deadline column, in the forms and kind shares the province generator
  writes (bench/province.py): "Quý II năm 2024", "Giai đoạn 2023-2025", "Hằng năm", "Thường
  xuyên", "Theo lộ trình …";
* sentences (15 %) -- a task's text with its deadline inside ("Sở Tài chính rà soát …, hoàn
  thành trước ngày 30/6/2025."), read through the clause finder;
* real phrases (15 %) -- the phrases quoted in issue 15 and those of the shared corpus
  (`shared/corpus/deadlines.tsv`, when found; the count is printed so that runs compare).

Each run parses every phrase once with `parse_deadline` against its own reference date, timed
in CPU seconds of the process (`time.process_time`: on a machine shared with other work, wall
time would mostly measure the others); the best of `--repeat` runs is compared with the figure recorded before issue 15's rules
(`--baseline`, seconds; bench/README.md says on which machine and under what load). Exit status
1 when the best run takes more than 1.5 times the baseline.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

from app.tasks.deadlines import parse_deadline
from bench.corpus_deadlines import read_tsv, shared_corpus
from bench.texts import (
    CONTINUOUS_PHRASES,
    RECURRING_PHRASES,
    ROMAN,
    TOPICS,
    UNSPECIFIED_PHRASES,
    VERBS,
)

PHRASES = 100_000
SEED = 15
# Seconds for 100,000 phrases on main before issue 15 (bench/README.md, "Deadline reader").
BASELINE_SECONDS = 6.20
SLACK = 1.5
SHARES = (("cells", 0.70), ("sentences", 0.15), ("real", 0.15))
KIND_WEIGHTS = (("date", 50), ("period", 15), ("recurring", 15), ("continuous", 10), ("other", 10))
ISSUE_PHRASES = (
    "Chậm nhất ngày 15 (mười lăm) của tháng báo cáo đối với báo cáo định kỳ hằng tháng",
    "chậm nhất ngày 06 (sáu) tháng 06 (sáu)",
    "Hằng năm (trước ngày 20/11)",
    "Định kỳ hằng năm, trước ngày 15/01 năm sau",
    "Quý I, II/2027",
    "Quý II, IV/2025, 2026",
    "Phấn đấu đến năm 2030",
    "trong quý",
    "trong tháng",
    "đầu năm 2025",
    "giữa năm 2025",
    "cuối quý",
    "trước Tết Nguyên đán",
    "sau Tết",
    "trước Tết Nguyên đán Bính Ngọ",
    "từ ngày 02/9/2027 đến hết ngày 05/9/2027",
    "Định kỳ 3 năm/lần, bắt đầu từ năm 2025",
    "hằng năm kể từ năm 2028",
    "tháng 6/24",
    "Quý I-II/2025",
    "Nhiệm vụ thường xuyên",
    "Điều chỉnh thời hạn theo NQ71 là tháng 9/2025",
)


def _cell(rng: random.Random, reference: date) -> str:
    kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
    due = reference + timedelta(days=rng.randint(20, 1400))
    if kind == "date":
        quarter = ROMAN[(due.month - 1) // 3]
        return rng.choice(
            [
                f"trước ngày {due.day}/{due.month}/{due.year}",
                f"Tháng {due.month}/{due.year}",
                f"Quý {quarter} năm {due.year}",
                f"trong năm {due.year}",
                f"trong tháng {due.month:02d} năm {due.year}",
                f"chậm nhất ngày {due.day:02d}/{due.month:02d}/{due.year}",
            ]
        )
    if kind == "period":
        first, month = due.year - rng.randint(1, 4), rng.randint(1, 9)
        return rng.choice(
            [
                f"Giai đoạn {first}-{due.year}",
                f"{first} {due.year}",
                f"Tháng {month}/{due.year} - Tháng {month + rng.randint(1, 3)}/{due.year}",
                f"từ tháng {month}/{first} đến tháng {rng.randint(1, 12)}/{due.year}",
                f"{first}; {due.year}",
            ]
        )
    if kind == "recurring":
        return rng.choice(RECURRING_PHRASES)
    if kind == "continuous":
        return rng.choice(CONTINUOUS_PHRASES)
    return rng.choice(UNSPECIFIED_PHRASES) or ""


def _sentence(rng: random.Random, reference: date) -> str:
    deadline = _cell(rng, reference)
    return f"{rng.choice(VERBS)} {rng.choice(TOPICS)}, hoàn thành {deadline}."


def real_phrases() -> list[str]:
    """The issue's phrases, then the shared corpus's (when found), each once."""
    phrases = list(ISSUE_PHRASES)
    folder = shared_corpus()
    if folder is not None and (folder / "deadlines.tsv").is_file():
        phrases += [item.phrase for item in read_tsv(folder / "deadlines.tsv")]
    return list(dict.fromkeys(phrases))


def workload(count: int = PHRASES, seed: int = SEED) -> dict[str, list[tuple[str, date]]]:
    """The phrases of each shape with their reference dates, the same for a given seed."""
    rng = random.Random(seed)
    real = real_phrases()
    groups: dict[str, list[tuple[str, date]]] = {}
    for name, share in SHARES:
        items = []
        for _ in range(round(count * share)):
            reference = date(2019, 1, 1) + timedelta(days=rng.randint(0, 8 * 365))
            if name == "cells":
                phrase = _cell(rng, reference)
            elif name == "sentences":
                phrase = _sentence(rng, reference)
            else:
                phrase = rng.choice(real)
            items.append((phrase, reference))
        groups[name] = items
    return groups


def _time(items: list[tuple[str, date]]) -> float:
    """CPU seconds of this process: on a shared machine, wall time mostly measures the others."""
    started = time.process_time()
    for phrase, reference in items:
        parse_deadline(phrase, reference=reference)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.deadlines")
    parser.add_argument("--phrases", type=int, default=PHRASES)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best counts)")
    parser.add_argument(
        "--baseline",
        type=float,
        default=BASELINE_SECONDS,
        help="seconds before issue 15 (default: the recorded figure; 0 = no comparison)",
    )
    args = parser.parse_args(argv)
    groups = workload(args.phrases)
    total = sum(len(items) for items in groups.values())
    print(
        f"{total:,} phrases: "
        + ", ".join(f"{name} {len(items):,}" for name, items in groups.items())
        + f" ({len(real_phrases())} distinct real phrases); load average "
        + " ".join(f"{load:.2f}" for load in os.getloadavg())
    )
    for items in groups.values():  # warm up: compile the patterns, fill caches
        _time(items[:200])
    runs: list[dict[str, float]] = []
    for _ in range(max(args.repeat, 1)):
        gc.collect()
        runs.append({name: _time(items) for name, items in groups.items()})
    totals = [sum(run.values()) for run in runs]
    best = runs[totals.index(min(totals))]
    print(f"{'shape':<10} {'best CPU s':>10} {'µs/phrase':>10}")
    for name, items in groups.items():
        print(f"{name:<10} {best[name]:>10.3f} {best[name] / len(items) * 1e6:>10.1f}")
    print(
        f"{'total':<10} {min(totals):>10.3f} {min(totals) / total * 1e6:>10.1f}"
        f"   (runs: {', '.join(f'{t:.3f}' for t in totals)}; median {statistics.median(totals):.3f})"
    )
    if args.baseline <= 0:
        return 0
    ratio = min(totals) / args.baseline
    verdict = "within" if ratio <= SLACK else "OVER"
    print(
        f"before issue 15: {args.baseline:.3f} s; now {min(totals):.3f} s = {ratio:.2f}x "
        f"({verdict} the {SLACK}x target)"
    )
    return 0 if ratio <= SLACK else 1


if __name__ == "__main__":
    sys.exit(main())
