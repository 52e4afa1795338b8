"""`python -m bench.reports`: time the report writers on a province's quarter (and ten of them).

Tasks have the shape of seed 001's appendix, at scale: Vietnamese names of 60-300 characters and
explanations of 250-2,000 characters, in Roman-numeral sections, with a summary of 40 agencies.
Each measurement runs in its own process, so its peak memory (ru_maxrss, the whole process:
interpreter, data and writer) is its own. In the same run the PDF writer is compared with the
bare way of doing it: a platypus LongTable of Paragraph cells holding the same content, with the
same fonts and header (skipped at 10,000 tasks unless --full: it takes about 15 minutes).

Targets (exit status 1 when one is missed or a writer fails):
  PDF at 1,000 tasks at least 4x faster than the bare table (or under 5 s when the bare table
  was not measured); PDF cost linear in tasks (the per-task time at a larger size at most 1.5x
  that at 1,000); PDF at 10,000 tasks under 60 s and 400 MB; DOCX and XLSX at 1,000 tasks
  under 5 s (reported "not available" until app/reports/docx.py / xlsx.py exist).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "appendix_131.yaml"
DEFAULT_SIZES = (100, 1_000, 10_000)
BARE_LIMIT = 1_000  # larger sizes time the bare table only with --full
WRITERS = ("pdf", "bare", "docx", "xlsx")
PDF_RATIO = 4.0
PDF_SECONDS_1000 = 5.0
PDF_SECONDS_10000 = 60.0
PDF_MB_10000 = 400.0
LINEAR_SLACK = 1.5
OFFICE_SECONDS_1000 = 5.0
AGENCIES = 40
DEADLINES = (
    "Thường xuyên",
    "Tháng 6/2023",
    "Quý III năm 2023",
    "Giai đoạn 2023-2025",
    "Trước ngày 30/9/2023",
    "Theo lộ trình Nghị định số 107/2021/NĐ-CP",
    "Theo tiến độ của Đề án 06",
    "Hằng năm",
    "Năm 2024",
)
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
         (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


# --- the data ---------------------------------------------------------------------------------


def vocabulary() -> list[str]:
    """The words of seed 001's appendix (real Vietnamese administrative prose)."""
    import yaml

    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    text = " ".join(
        f"{task['title']} {task.get('explanation', '')}"
        for section in data["sections"]
        for task in section["tasks"]
    )
    return [word.strip(".,;:“”()") for word in text.split() if word.strip(".,;:“”()")]


def prose(rng: random.Random, words: list[str], length: int, numbered: bool = False) -> str:
    """About `length` characters of sentences; numbered points on separate lines."""
    paragraphs: list[str] = []
    size = 0
    while size < length:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 30)))
        sentence = sentence[0].upper() + sentence[1:] + rng.choice(".;.")
        if numbered and (not paragraphs or rng.random() < 0.35):
            paragraphs.append(f"{len(paragraphs) + 1}. {sentence}")
        elif paragraphs:
            paragraphs[-1] += " " + sentence
        else:
            paragraphs.append(sentence)
        size += len(sentence) + 1
    text = "\n".join(paragraphs)
    return text[: text.rfind(" ", 0, length)].rstrip(",;") + "." if len(text) > length else text


def roman(number: int) -> str:
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def appendix_of(size: int) -> Any:
    """A deterministic appendix of `size` tasks, explanations of 250-2,000 characters."""
    from app.reports.documents import (
        AgencyCounts,
        Appendix,
        AppendixSection,
        AppendixTask,
        Progress,
    )

    rng = random.Random(size)
    words = vocabulary()
    per_section = 50
    sections = []
    for number, start in enumerate(range(0, size, per_section), start=1):
        tasks = tuple(
            AppendixTask(
                stt=str(stt),
                name=prose(rng, words, rng.randint(60, 300)),
                deadline_text=rng.choice(DEADLINES),
                progress=rng.choice(list(Progress)),
                explanation=prose(rng, words, rng.randint(250, 2_000), numbered=True),
            )
            for stt in range(start + 1, min(start + per_section, size) + 1)
        )
        sections.append(AppendixSection(roman(number), prose(rng, words, 90), tasks))
    summary = tuple(
        AgencyCounts(
            f"Sở {' '.join(rng.choice(words) for _ in range(3))} {n}",
            *(rng.randint(0, size // AGENCIES + 1) for _ in range(5)),
        )
        for n in range(1, AGENCIES + 1)
    )
    return Appendix(
        title="Tình hình, tiến độ thực hiện các nhiệm vụ trên địa bàn tỉnh Bình Định",
        subtitle="(Kèm theo Công văn số      /UBND-KSTT ngày     tháng 03 năm 2023 của Chủ tịch "
        "UBND tỉnh)",
        sections=tuple(sections),
        summary=summary,
        period_label="Quý I năm 2023",
        built_at=datetime(2023, 3, 20, tzinfo=UTC),
    )


# --- the bare way -----------------------------------------------------------------------------


def bare_table_pdf(appendix: Any) -> bytes:
    """The same appendix as a platypus LongTable of Paragraph cells (what we compare with)."""
    from io import BytesIO
    from xml.sax.saxutils import escape

    from reportlab import rl_config
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    from app.reports.layout import BOLD, ITALIC, REGULAR, register_fonts
    from app.reports.pdf.appendix import APPENDIX_COLUMNS
    from app.reports.texts import APPENDIX_HEADER, MARKS

    register_fonts()
    rl_config.useA85 = 0  # as the writer does: compare layout with layout, not stream encodings
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=12, leading=14, alignment=TA_JUSTIFY)
    centre = ParagraphStyle("centre", parent=body, alignment=TA_CENTER)
    head = ParagraphStyle("head", parent=centre, fontName=BOLD)
    italic = ParagraphStyle("italic", parent=centre, fontName=ITALIC)

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    h = [para(text, head) for text in APPENDIX_HEADER]
    rows: list[list[Any]] = [[h[0], h[1], h[2], h[3], "", h[6]], ["", "", "", h[4], h[5], ""]]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        *(("SPAN", (c, 0), (c, 1)) for c in (0, 1, 2, 5)),
        ("SPAN", (3, 0), (4, 0)),
    ]
    for section in appendix.sections:
        style.append(("SPAN", (1, len(rows)), (5, len(rows))))
        rows.append([para(section.number, head), para(section.title, head), "", "", "", ""])
        for task in section.tasks:
            done, ongoing = MARKS[task.progress]
            rows.append(
                [
                    para(task.stt, centre),
                    para(task.name, body),
                    para(task.deadline_text, centre),
                    para(done, centre),
                    para(ongoing, centre),
                    para(task.explanation, body),
                ]
            )
    size = landscape(A4)
    width = size[0] - 35 * mm
    widths = [*APPENDIX_COLUMNS, width - sum(APPENDIX_COLUMNS)]
    table = LongTable(rows, colWidths=widths, repeatRows=2, splitInRow=1, style=TableStyle(style))
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=size, leftMargin=20 * mm, rightMargin=15 * mm, topMargin=20 * mm,
        bottomMargin=15 * mm, invariant=1,
    )  # fmt: skip
    doc.build(
        [
            para(appendix.heading, head),
            para(appendix.title, head),
            para(appendix.subtitle, italic),
            table,
        ]
    )
    return buffer.getvalue()


# --- one measurement, in its own process ------------------------------------------------------


def writer(kind: str) -> Any:
    """The function that turns an Appendix into bytes, or raises LookupError."""
    if kind == "pdf":
        from app.reports.pdf import appendix_pdf

        return appendix_pdf
    if kind == "bare":
        return bare_table_pdf
    module = f"app.reports.{kind}"
    try:
        loaded = __import__(module, fromlist=[f"appendix_{kind}"])
        return getattr(loaded, f"appendix_{kind}")
    except (ImportError, AttributeError) as error:
        raise LookupError(f"{module}.appendix_{kind}: {type(error).__name__}: {error}") from error


def child(kind: str, size: int) -> dict[str, Any]:
    """Build one document; what the parent prints."""
    try:
        build = writer(kind)
    except LookupError as reason:
        return {"unavailable": str(reason)}
    appendix = appendix_of(size)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = build(appendix)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = result.getvalue() if hasattr(result, "getvalue") else bytes(result)
    pages = len(re.findall(rb"/Type /Page\b(?!s)", data)) if kind in ("pdf", "bare") else None
    return {
        "seconds": seconds,
        "peak_mb": peak / 1024,
        "data_mb": before / 1024,
        "bytes": len(data),
        "pages": pages,
    }


@dataclass
class Measure:
    size: int
    kind: str
    seconds: float | None = None
    peak_mb: float | None = None
    data_mb: float | None = None
    bytes: int | None = None
    pages: int | None = None
    note: str = ""  # "skipped …", "not available …", or an error
    failed: bool = False
    verdict: str = ""


def measure(kind: str, size: int) -> Measure:
    process = subprocess.run(  # noqa: S603 (this very module, run by this interpreter)
        [sys.executable, "-m", "bench.reports", "--child", kind, str(size)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    found = Measure(size, kind)
    if process.returncode != 0:
        last = (process.stderr.strip().splitlines() or ["no output"])[-1]
        found.note, found.failed = f"failed: {last[:150]}", True
        return found
    result = json.loads(process.stdout.strip().splitlines()[-1])
    if "unavailable" in result:
        found.note = f"not available ({result['unavailable'][:110]})"
        return found
    for key in ("seconds", "peak_mb", "data_mb", "bytes", "pages"):
        setattr(found, key, result[key])
    return found


# --- targets and the table --------------------------------------------------------------------


def _verdict(m: Measure, ok: bool, text: str, misses: list[str]) -> None:
    m.verdict = ("PASS " if ok else "MISS ") + text
    if not ok:
        misses.append(f"{m.kind} at {m.size:,} tasks: {text}")


def _judge_pdf(results: dict[tuple[str, int], Measure], misses: list[str]) -> None:
    pdf_1000 = results.get(("pdf", 1_000))
    bare_1000 = results.get(("bare", 1_000))
    base = pdf_1000.seconds if pdf_1000 and pdf_1000.seconds is not None else None
    if pdf_1000 and base is not None:
        if bare_1000 and bare_1000.seconds is not None:
            ratio = bare_1000.seconds / base
            text = f"{ratio:.1f}× faster than bare (≥ {PDF_RATIO:.0f}×)"
            _verdict(pdf_1000, ratio >= PDF_RATIO, text, misses)
        else:
            text = f"≤ {PDF_SECONDS_1000:.0f} s (bare table not measured)"
            _verdict(pdf_1000, base <= PDF_SECONDS_1000, text, misses)
    for (kind, size), m in results.items():
        if kind != "pdf" or m.seconds is None or size <= 1_000:
            continue
        parts, ok = [], True
        if base is not None:
            growth = (m.seconds / size) / (base / 1_000)
            ok = growth <= LINEAR_SLACK
            parts.append(f"per task {growth:.2f}× the 1,000-task cost (≤ {LINEAR_SLACK}×)")
        if size == 10_000:
            ok = ok and m.seconds < PDF_SECONDS_10000 and (m.peak_mb or 0) < PDF_MB_10000
            parts.append(f"< {PDF_SECONDS_10000:.0f} s and < {PDF_MB_10000:.0f} MB")
        if parts:
            _verdict(m, ok, "; ".join(parts), misses)


def judge(results: dict[tuple[str, int], Measure]) -> list[str]:
    """Set each measurement's verdict; the list of missed targets (and failures)."""
    misses = [f"{m.kind} at {m.size:,} tasks {m.note}" for m in results.values() if m.failed]
    _judge_pdf(results, misses)
    for kind in ("docx", "xlsx"):
        m = results.get((kind, 1_000))
        if m and m.seconds is not None:
            _verdict(m, m.seconds < OFFICE_SECONDS_1000, f"< {OFFICE_SECONDS_1000:.0f} s", misses)
    return misses


def table(results: dict[tuple[str, int], Measure]) -> str:
    header = ("tasks", "writer", "seconds", "peak MB", "pages", "KiB", "bare/this", "target")
    rows = []
    for (kind, size), m in results.items():
        bare = results.get(("bare", size))
        ratio = ""
        if kind == "pdf" and bare and bare.seconds and m.seconds:
            ratio = f"{bare.seconds / m.seconds:.1f}×"
        rows.append(
            (
                f"{size:,}",
                {"pdf": "pdf (app.reports.pdf)", "bare": "pdf, bare LongTable"}.get(kind, kind),
                f"{m.seconds:.2f}" if m.seconds is not None else "",
                f"{m.peak_mb:.0f}" if m.peak_mb is not None else "",
                f"{m.pages:,}" if m.pages else "",
                f"{m.bytes / 1024:,.0f}" if m.bytes is not None else "",
                ratio,
                m.verdict or m.note,
            )
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {0, 2, 3, 4, 5, 6}

    def line(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = (
        "|"
        + "|".join(
            "-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError("comma-separated task counts, e.g. 100,1000") from error
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("comma-separated task counts, e.g. 100,1000")
    return sorted(set(sizes))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reports",
        description="Time the appendix writers (PDF against a bare platypus table, DOCX, XLSX).",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=list(DEFAULT_SIZES),
        help="task counts (default 100,1000,10000)",
    )
    parser.add_argument(
        "--full", action="store_true", help=f"also time the bare table above {BARE_LIMIT:,} tasks"
    )
    parser.add_argument("--child", nargs=2, metavar=("WRITER", "TASKS"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        kind, size = args.child
        print(json.dumps(child(kind, int(size))))
        return 0
    print(
        f"nhiemvu report benchmark, {datetime.now():%Y-%m-%d %H:%M}, {platform.node()} "
        f"(Python {platform.python_version()}, {platform.machine()}): sizes "
        f"{', '.join(f'{s:,}' for s in args.sizes)}{' --full' if args.full else ''}",
        flush=True,
    )
    results: dict[tuple[str, int], Measure] = {}
    for size in args.sizes:
        for kind in WRITERS:
            if kind == "bare" and size > BARE_LIMIT and not args.full:
                results[(kind, size)] = Measure(
                    size, kind, note="skipped (about 15 min at 10,000 tasks; --full to run it)"
                )
                print(f"  {size:>6,} {kind:<5} skipped: run with --full to time it", flush=True)
                continue
            m = measure(kind, size)
            results[(kind, size)] = m
            shown = (
                f"{m.seconds:.2f} s, peak {m.peak_mb:.0f} MB" if m.seconds is not None else m.note
            )
            print(f"  {size:>6,} {kind:<5} {shown}", flush=True)
    misses = judge(results)
    print()
    print(table(results))
    print()
    print(
        "peak MB: the measuring process's maximum resident set (interpreter, generated data and "
        "writer); seconds: the writer's call only, data generated beforehand. Load average "
        f"(1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores."
    )
    if misses:
        print(f"{len(misses)} target(s) missed:")
        for miss in misses:
            print(f"  {miss}")
        return 1
    print("Every measured target was met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
