"""`python -m bench.corpus_deadlines [TSV]`: the deadline reader measured on real phrases.

Reads the corpus tables (`phrase  reference_date  kind  due  source`, one header row, UTF-8,
tab-separated, no quoting): by default the shared development corpus (`shared/corpus/` beside the
checkout or in a folder above it, or `$NHIEMVU_CORPUS`) and the phrases this repository adds in
`bench/corpus/deadlines.tsv`. It parses every phrase
against its reference date with `parse_deadline`, and prints the share read exactly (kind and
due date both equal), per kind, with every miss listed. Exit status 1 below `--target`.

`evaluate()` is also used by `python -m bench.corpus`, which measures the importers.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.tasks.deadlines import parse_deadline

ROOT = Path(__file__).resolve().parent.parent
OWN_CORPUS = ROOT / "bench" / "corpus"
TARGET = 0.98


def shared_corpus() -> Path | None:
    """The shared development corpus: `$NHIEMVU_CORPUS`, else `shared/corpus` in a parent folder."""
    if os.environ.get("NHIEMVU_CORPUS"):
        return Path(os.environ["NHIEMVU_CORPUS"])
    for folder in ROOT.parents:
        if (folder / "shared" / "corpus").is_dir():
            return folder / "shared" / "corpus"
    return None


def corpus_folders() -> list[Path]:
    """Every corpus folder to measure on: the shared one (when found) and this repository's."""
    shared = shared_corpus()
    return [folder for folder in (shared, OWN_CORPUS) if folder is not None and folder.is_dir()]


def default_tables() -> list[Path]:
    return [f / "deadlines.tsv" for f in corpus_folders() if (f / "deadlines.tsv").is_file()]


@dataclass(frozen=True)
class Phrase:
    """One annotated phrase of the corpus."""

    phrase: str
    reference: date
    kind: str
    due: date | None
    source: str


@dataclass(frozen=True)
class Miss:
    """A phrase read differently from its annotation."""

    phrase: Phrase
    kind: str
    due: date | None


@dataclass
class DeadlineEval:
    """What the reader got right, in total and per annotated kind."""

    total: Counter[str] = field(default_factory=Counter)
    exact: Counter[str] = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.total.values())

    @property
    def accuracy(self) -> float:
        return sum(self.exact.values()) / self.count if self.count else 1.0


def _day(value: str) -> date | None:
    value = value.strip()
    return date.fromisoformat(value) if value and value.lower() != "null" else None


def read_tsv(path: Path) -> list[Phrase]:
    """The annotated phrases of a corpus table."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        phrases = []
        for row in reader:
            reference = _day(row["reference_date"])
            if reference is None:
                raise ValueError(f"{path}: a phrase without a reference date: {row['phrase']!r}")
            phrases.append(
                Phrase(
                    phrase=row["phrase"],
                    reference=reference,
                    kind=row["kind"].strip(),
                    due=_day(row["due"]),
                    source=row.get("source") or "",
                )
            )
    return phrases


def evaluate(phrases: list[Phrase]) -> DeadlineEval:
    """Parse every phrase against its reference date and compare kind and due date."""
    result = DeadlineEval()
    for item in phrases:
        deadline = parse_deadline(item.phrase, reference=item.reference)
        result.total[item.kind] += 1
        if deadline.kind.value == item.kind and deadline.due == item.due:
            result.exact[item.kind] += 1
        else:
            result.misses.append(Miss(item, deadline.kind.value, deadline.due))
    return result


def report(result: DeadlineEval, out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    """Print the table per kind, the total and every miss."""
    print(f"{'kind':<12} {'exact':>7} {'of':>5} {'share':>8}", file=out)
    for kind in sorted(result.total):
        total, exact = result.total[kind], result.exact[kind]
        print(f"{kind:<12} {exact:>7} {total:>5} {exact / total:>8.1%}", file=out)
    exact_all = sum(result.exact.values())
    print(f"{'total':<12} {exact_all:>7} {result.count:>5} {result.accuracy:>8.1%}", file=out)
    for miss in result.misses:
        expected = f"{miss.phrase.kind} {miss.phrase.due or '-'}"
        got = f"{miss.kind} {miss.due or '-'}"
        print(
            f"  MISS {miss.phrase.phrase!r} (on {miss.phrase.reference}): "
            f"expected {expected}, read {got}",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus_deadlines")
    parser.add_argument("tsv", nargs="*", type=Path, help="default: every corpus table found")
    parser.add_argument("--target", type=float, default=TARGET)
    args = parser.parse_args(argv)
    tables = args.tsv or default_tables()
    if not tables:
        parser.error("no corpus found: set NHIEMVU_CORPUS or pass a TSV")
    result = evaluate([phrase for table in tables for phrase in read_tsv(table)])
    report(result)
    return 0 if result.accuracy >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
