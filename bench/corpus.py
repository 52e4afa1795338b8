"""`python -m bench.corpus` (`make eval`): the importers measured on the development corpus.

Every document of the corpus folders (`bench.corpus_deadlines.corpus_folders()`: the shared
corpus and this repository's `bench/corpus/`) goes through `build_preview`, the function behind
`flask import notice|plan|appendix FILE --dry-run --json`, on a fresh SQLite database holding
the seeded agencies. Its tasks are compared with the document's annotation (`NAME.json` beside
`NAME.txt`; the corpus README gives the format):

* a notice or letter (`notices/`) is imported as a notice; a table (`tables/`) as a progress
  appendix when its annotation gives any row a status, else as a plan. The file's first line
  (`# SOURCE: … | URL | REAL | reference_date YYYY-MM-DD`) is provenance, not document: it is
  left out, and its reference date is given as `--on` (the clerk's "read deadlines from"), and
  for an appendix as the reporting month (`--period YYYY-MM`);
* found and annotated tasks are paired in document order by their text (the task's title starts
  with `title_starts_with`); a pair is a **match** when the lead as written is the same too
  (the task's `lead_text`, else the lead agency as written). Precision = matches / tasks found,
  recall = matches / tasks annotated;
* each annotated field is compared on every pair: lead, coordinators (as written: a notice's
  "phối hợp với …" list; a table's cell split at ";"), deadline phrase (the same clause: one
  contains the other), kind, due, and for tables STT, section, status and explanation (starts
  with `explanation_starts_with`). Text is compared NFC with runs of whitespace collapsed;
* a table row is **exact** when it is matched and every annotated field is right;
* the deadline table (`deadlines.tsv`) is `bench.corpus_deadlines.evaluate`.

Targets (exit status 1 when one is missed): notices precision and recall ≥ 0.95, table rows
exact ≥ 95 %, deadline phrases ≥ 97 %. `-v` lists every miss.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from bench.corpus_deadlines import corpus_folders, default_tables, read_tsv
from bench.corpus_deadlines import evaluate as evaluate_deadlines

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NOTICE_P = NOTICE_R = 0.95
TABLE_EXACT = 0.95
DEADLINES = 0.97
NOTICE_FIELDS = ("lead", "coordinators", "deadline_phrase", "kind", "due")
TABLE_FIELDS = (
    "section",
    "stt",
    "lead",
    "coordinators",
    "deadline_phrase",
    "kind",
    "due",
    "status",
    "explanation",
)
_SOURCE = re.compile(r"^#\s*SOURCE:.*\breference_date\s+(\d{4}-\d{2}-\d{2})\s*$")


# -- the corpus -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusDocument:
    """One annotated document: its text (without the provenance line) and expected tasks."""

    name: str
    group: str  # "notices" or "tables"
    kind: str  # how it is imported: notice, plan or appendix
    reference: date
    text: str
    expected: list[dict[str, Any]]


def read_corpus_document(path: Path) -> CorpusDocument:
    """`path` (NAME.txt) and its annotation NAME.json; ValueError when either is malformed."""
    raw = path.read_text(encoding="utf-8")
    first, _, text = raw.partition("\n")
    source = _SOURCE.match(first.strip())
    if source is None:
        raise ValueError(f"{path}: the first line is not '# SOURCE: … | reference_date DATE'")
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if not isinstance(expected, list):
        raise ValueError(f"{path.with_suffix('.json')}: expected a list of tasks")
    group = path.parent.name
    if group == "notices":
        kind = "notice"
    else:
        kind = "appendix" if any(row.get("status") for row in expected) else "plan"
    return CorpusDocument(
        name=path.stem,
        group=group,
        kind=kind,
        reference=date.fromisoformat(source[1]),
        text=text,
        expected=expected,
    )


def corpus_documents(folders: Iterable[Path]) -> list[CorpusDocument]:
    """Every annotated document of `folders` (notices first, then tables, by name)."""
    documents = []
    for group in ("notices", "tables"):
        for folder in folders:
            for path in sorted((folder / group).glob("*.txt")):
                if path.with_suffix(".json").is_file():
                    documents.append(read_corpus_document(path))
    return documents


# -- what the importer found ------------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    """A task of the preview, reduced to the annotated fields."""

    title: str
    lead: str | None = None
    coordinators: tuple[str, ...] = ()
    deadline_phrase: str | None = None
    kind: str | None = None
    due: str | None = None
    stt: str | None = None
    section: str | None = None
    status: str | None = None
    explanation: str | None = None


def found_tasks(preview: Any, group: str) -> list[Found]:
    """The preview's tasks as the annotation describes them (a group's copies left out: they
    are the office's expansion, not the document's items)."""
    from app.imports.parsers.plan import split_names

    out = []
    for task in preview.tasks:
        if task.group and task.parent:
            continue
        lead = task.lead_text or (task.lead.written if task.lead else None)
        if task.coordinators_text:
            if group == "tables":
                names = tuple(p.strip() for p in task.coordinators_text.split(";") if p.strip())
            else:
                names = split_names(task.coordinators_text)
        else:
            names = tuple(c.written for c in task.coordinators)
        deadline = task.deadline or {}
        out.append(
            Found(
                title=task.title,
                lead=lead,
                coordinators=names,
                deadline_phrase=task.deadline_text,
                kind=deadline.get("kind") if task.deadline_text else None,
                due=deadline.get("due") if task.deadline_text else None,
                stt=task.outline,
                section=task.section,
                status=task.status,
                explanation=task.progress.explanation if task.progress else None,
            )
        )
    return out


# -- scoring (pure) ---------------------------------------------------------------------------
def squash(value: str | None) -> str:
    """NFC, runs of whitespace collapsed, trimmed; "" for None."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _name(value: str | None) -> str:
    return squash(value).strip(" ,.;:")


def title_matches(expected: dict[str, Any], found: Found) -> bool:
    return squash(found.title).startswith(squash(expected["title_starts_with"]))


def field_right(name: str, expected: dict[str, Any], found: Found) -> bool:
    """Whether `found` has the annotated value of field `name` (rules in the docstring)."""
    if name == "lead":
        return _name(expected.get("lead")) == _name(found.lead)
    if name == "coordinators":
        wanted = [_name(c) for c in expected.get("coordinators") or []]
        return wanted == [_name(c) for c in found.coordinators]
    if name == "deadline_phrase":
        wanted, got = squash(expected.get("deadline_phrase")), squash(found.deadline_phrase)
        if not wanted or not got:
            return wanted == got
        return wanted.casefold() in got.casefold() or got.casefold() in wanted.casefold()
    if name == "explanation":
        wanted = squash(expected.get("explanation_starts_with"))
        got = squash(found.explanation)
        return got.startswith(wanted) if wanted else not got
    wanted_value = expected.get(name)
    got_value = getattr(found, name)
    if name in ("stt", "section"):
        return squash(wanted_value).rstrip(".") == squash(got_value).rstrip(".")
    return (wanted_value or None) == (got_value or None)


@dataclass
class DocumentScore:
    """How the importer did on one document."""

    name: str
    group: str
    kind: str
    expected: int = 0
    found: int = 0
    matched: int = 0
    exact: int = 0  # tables: matched rows right in every field
    right: Counter[str] = field(default_factory=Counter)
    compared: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else float(self.expected == 0)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def _short(text: str | None, width: int = 60) -> str:
    text = squash(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def score(document: CorpusDocument, found: Sequence[Found]) -> DocumentScore:
    """Pair annotated and found tasks in order by their text; count matches and fields."""
    result = DocumentScore(document.name, document.group, document.kind)
    result.expected, result.found = len(document.expected), len(found)
    fields = NOTICE_FIELDS if document.group == "notices" else TABLE_FIELDS
    claimed: set[int] = set()
    cursor = 0
    for expected in document.expected:
        index = next(
            (
                i
                for i in [*range(cursor, len(found)), *range(cursor)]
                if i not in claimed and title_matches(expected, found[i])
            ),
            None,
        )
        label = expected.get("stt") or _short(expected["title_starts_with"], 40)
        if index is None:
            result.misses.append(f"not found: [{expected.get('lead')}] {label}")
            continue
        claimed.add(index)
        cursor = index + 1
        task = found[index]
        wrong = []
        for name in fields:
            result.compared[name] += 1
            if field_right(name, expected, task):
                result.right[name] += 1
            else:
                wrong.append(name)
        lead_right = "lead" not in wrong
        result.matched += lead_right
        if lead_right and not wrong and document.group == "tables":
            result.exact += 1
        for name in wrong:
            wanted = expected.get(name if name != "explanation" else "explanation_starts_with")
            got = getattr(task, name)
            result.misses.append(f"{label} {name}: expected {wanted!r}, found {got!r}")
    for index, task in enumerate(found):
        if index not in claimed:
            result.misses.append(f"extra: [{task.lead}] {task.stt or ''} {_short(task.title)}")
    return result


@dataclass
class Totals:
    """The figures the targets are checked on."""

    notices_expected: int = 0
    notices_found: int = 0
    notices_matched: int = 0
    rows_expected: int = 0
    rows_exact: int = 0
    right: Counter[str] = field(default_factory=Counter)
    compared: Counter[str] = field(default_factory=Counter)
    deadlines: float = 1.0
    deadline_count: int = 0

    @property
    def precision(self) -> float:
        return self.notices_matched / self.notices_found if self.notices_found else 1.0

    @property
    def recall(self) -> float:
        return self.notices_matched / self.notices_expected if self.notices_expected else 1.0

    @property
    def rows(self) -> float:
        return self.rows_exact / self.rows_expected if self.rows_expected else 1.0

    def failures(self) -> list[str]:
        """The targets missed, in words."""
        out = []
        if self.precision < NOTICE_P:
            out.append(f"notices precision {self.precision:.3f} < {NOTICE_P}")
        if self.recall < NOTICE_R:
            out.append(f"notices recall {self.recall:.3f} < {NOTICE_R}")
        if self.rows < TABLE_EXACT:
            out.append(f"table rows exact {self.rows:.1%} < {TABLE_EXACT:.0%}")
        if self.deadlines < DEADLINES:
            out.append(f"deadline phrases {self.deadlines:.1%} < {DEADLINES:.0%}")
        return out


def totals(scores: Iterable[DocumentScore]) -> Totals:
    out = Totals()
    for item in scores:
        out.right.update(item.right)
        out.compared.update(item.compared)
        if item.group == "notices":
            out.notices_expected += item.expected
            out.notices_found += item.found
            out.notices_matched += item.matched
        else:
            out.rows_expected += item.expected
            out.rows_exact += item.exact
    return out


# -- running the importer ---------------------------------------------------------------------
def _app(url: str) -> Any:
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-corpus-" + "x" * 32})


def import_all(documents: Sequence[CorpusDocument], today: date) -> list[DocumentScore]:
    """Preview every document on a fresh seeded SQLite database and score it."""
    from flask_migrate import upgrade

    from app.audit import set_actor
    from app.extensions import db
    from app.imports.services import ImportFile, ImportOptions, ImportRefused, build_preview
    from app.seed import load_seeds

    scores = []
    with tempfile.TemporaryDirectory(prefix="nhiemvu-corpus-") as folder:
        app = _app(f"sqlite:///{folder}/corpus.db")
        with app.app_context():
            logging.disable(logging.INFO)  # Alembic configures its own INFO logging
            try:
                upgrade()
            finally:
                logging.disable(logging.NOTSET)
            set_actor(db.session, None, "bench corpus")
            load_seeds(db.session, SEEDS, today=today, demo_users=False)
            db.session.commit()
            for document in documents:
                options = ImportOptions(
                    kind=document.kind,
                    reference=document.reference,
                    period=document.reference.strftime("%Y-%m")
                    if document.kind == "appendix"
                    else None,
                    province=app.config.get("PROVINCE_NAME"),
                )
                file = ImportFile(f"{document.name}.txt", document.text.encode("utf-8"))
                try:
                    preview = build_preview(db.session, file, options, today=today)
                except ImportRefused as error:
                    result = score(document, [])
                    result.error = f"{error.message} {error.detail}".strip()
                else:
                    result = score(document, found_tasks(preview, document.group))
                db.session.rollback()
                scores.append(result)
            db.session.remove()
            db.engine.dispose()
    return scores


# -- the report -------------------------------------------------------------------------------
def report(scores: Sequence[DocumentScore], result: Totals, verbose: bool, out: TextIO) -> None:
    """The table per document, the totals per field, and the targets."""
    print(f"{'document':<44} {'kind':<8} {'ann':>4} {'found':>5} {'match':>5} "
          f"{'P':>5} {'R':>5} {'exact':>5}", file=out)  # fmt: skip
    for item in scores:
        exact = f"{item.exact:>5}" if item.group == "tables" else f"{'':>5}"
        print(
            f"{item.name[:44]:<44} {item.kind:<8} {item.expected:>4} {item.found:>5} "
            f"{item.matched:>5} {item.precision:>5.2f} {item.recall:>5.2f} {exact}",
            file=out,
        )
        if item.error:
            print(f"    REFUSED: {item.error}", file=out)
        if verbose:
            for miss in item.misses:
                print(f"    {miss}", file=out)
    print(file=out)
    print(
        f"notices: {result.notices_matched} matched of {result.notices_expected} annotated, "
        f"{result.notices_found} found: precision {result.precision:.3f}, "
        f"recall {result.recall:.3f}",
        file=out,
    )
    print(
        f"table rows exact in every field: {result.rows_exact} of {result.rows_expected} "
        f"({result.rows:.1%})",
        file=out,
    )
    fields = ", ".join(
        f"{name} {result.right[name]}/{result.compared[name]}"
        for name in dict.fromkeys((*TABLE_FIELDS, *NOTICE_FIELDS))
        if result.compared[name]
    )
    print(f"fields right on the paired tasks: {fields}", file=out)
    print(
        f"deadline phrases read exactly: {result.deadlines:.1%} of {result.deadline_count}",
        file=out,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, help="default: every corpus found")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--deadline-misses", action="store_true", help="list deadline misses")
    args = parser.parse_args(argv)
    folders = args.folders or corpus_folders()
    documents = corpus_documents(folders)
    if not documents:
        parser.error("no corpus found: set NHIEMVU_CORPUS or pass a folder")
    latest = max(d.reference for d in documents)
    scores = import_all(documents, today=latest)
    result = totals(scores)
    tables = [f / "deadlines.tsv" for f in folders if (f / "deadlines.tsv").is_file()]
    tables = tables if args.folders else default_tables()
    phrases = [phrase for table in tables for phrase in read_tsv(table)]
    deadlines = evaluate_deadlines(phrases)
    result.deadlines, result.deadline_count = deadlines.accuracy, deadlines.count
    report(scores, result, args.verbose, sys.stdout)
    if args.deadline_misses:
        for miss in deadlines.misses:
            print(f"  MISS {miss.phrase.phrase!r}: read {miss.kind} {miss.due or '-'}")
    failures = result.failures()
    for failure in failures:
        print(f"TARGET MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
