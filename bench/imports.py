"""`python -m bench.imports`: time importing a generated 1,000-row plan (.xlsx).

Generates a plan workbook with openpyxl (a two-row header with merged cells, nested outline
numbers, leads and coordinators written as offices write them, groups included), then on a
fresh database holding the seeded agencies times each phase of `flask import plan`:

* parse   -- reading the workbook and the plan parser (`read_document`);
* preview -- matching agencies and the directive's tasks, reading every deadline;
* apply   -- writing every task (journal included) and committing;
* again   -- previewing and applying the same file once more (every task unchanged).

SQL statements are counted per phase: a count that grows with the rows would be an N+1.
Exit status 1 when parse + preview + apply takes 3 seconds or more (the target) on a database.
SQLite always; PostgreSQL with `--pg URL` (a server URL: a throw-away database is created
beside the one named, and dropped after).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from openpyxl import Workbook
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from app import create_app
from app.audit import set_actor
from app.extensions import db
from app.imports.build import Previewer
from app.imports.preview import ImportOptions
from app.imports.services import apply_import, build_preview
from app.imports.sources import ImportFile, read_document
from app.seed import load_seeds

TARGET_SECONDS = 3.0
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TODAY = date(2025, 3, 31)
LEADS = (
    "Cục Thống kê",
    "Cục Thống kê tỉnh",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở TT&TT",
    "Sở Thông tin và Truyền thông",
    "UBND tỉnh",
    "Văn phòng UBND tỉnh",
    "Công an tỉnh",
)
COORDINATORS = (
    "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
    "Cục Thống kê tỉnh, Sở Tài chính",
    "Sở Nội vụ và các sở, ban, ngành liên quan",
    "Các sở, ban, ngành",
    None,
)
TIMES = (
    ("2022", "2030"),
    (None, "Hằng năm"),
    ("Tháng 7/2022", "Tháng 8/2022"),
    (None, "2023; 2027"),
)
WORDS = (
    "Triển khai",
    "Hoàn thiện",
    "Xây dựng",
    "Rà soát",
    "Tổ chức",
    "chế độ báo cáo thống kê",
    "hệ thống chỉ tiêu thống kê",
    "cơ sở dữ liệu",
    "ứng dụng công nghệ thông tin",
    "trên địa bàn tỉnh",
)


def plan_workbook(rows: int, seed: int = 131) -> bytes:
    """A plan of `rows` numbered rows: 1 → 1.1 → 1.1.1 …, owners on the leaf rows."""
    rng = random.Random(seed)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Nội dung công việc", "Mã số", "Cơ quan thực hiện", None])
    sheet["F1"], sheet["H1"] = "Thời gian thực hiện", "Sản phẩm"
    sheet.append([None, None, None, "Chủ trì", "Phối hợp", "TG bắt đầu", "TG hoàn thành", None])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:G1", "H1:H2"):
        sheet.merge_cells(cells)
    sheet.append(["I", "CÁC NHÓM NHIỆM VỤ VÀ GIẢI PHÁP"])
    for outline in _outlines(rows):
        title = " ".join(rng.sample(WORDS, 4)).capitalize() + f" (dòng {outline})"
        code = "0" + outline.replace(".", "")
        if outline.count(".") < 2:  # a parent row: no owners, no times
            sheet.append([outline, title, code])
            continue
        start, end = rng.choice(TIMES)
        product = f"- Báo cáo kết quả thực hiện {outline}\n- Văn bản hướng dẫn"
        lead, coordinators = rng.choice(LEADS), rng.choice(COORDINATORS)
        sheet.append([outline, title, code, lead, coordinators, start, end, product])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _outlines(rows: int) -> Iterator[str]:
    """ "1", "1.1", "1.1.1" … "1.1.8", "1.2" …: each top number holds 5 × (1 + 8) rows."""
    numbers = (
        outline
        for top in range(1, 10_000)
        for outline in (
            str(top),
            *(
                f"{top}.{middle}{suffix}"
                for middle in range(1, 6)
                for suffix in ("", *(f".{leaf}" for leaf in range(1, 9)))
            ),
        )
    )
    for _, outline in zip(range(rows), numbers, strict=False):
        yield outline


@dataclass
class Phase:
    name: str
    seconds: float
    statements: int


@dataclass
class Run:
    database: str
    rows: int
    phases: list[Phase] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(p.seconds for p in self.phases if p.name in ("parse", "preview", "apply"))


@contextmanager
def _counting(engine: object) -> Iterator[Callable[[], int]]:
    count = 0

    def before(*_args: object) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield lambda: count
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _app(url: str) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-imports-" + "x" * 32})


def measure(url: str, name: str, data: bytes, rows: int) -> Run:
    """Migrate and seed `url`, then import the plan twice, timing each phase."""
    run = Run(name, rows)
    app = _app(url)
    with app.app_context():
        logging.disable(logging.INFO)  # Alembic configures its own INFO logging on each run
        try:
            upgrade()
        finally:
            logging.disable(logging.NOTSET)
        set_actor(db.session, None, "bench imports")
        load_seeds(db.session, SEEDS, today=TODAY, demo_users=False)
        db.session.commit()
        file = ImportFile("plan.xlsx", data)
        options = ImportOptions(kind="plan", subject="Kế hoạch thử nghiệm hiệu năng nhập")
        engine = db.engine

        def timed(phase: str, work: Callable[[], object]) -> object:
            with _counting(engine) as statements:
                started = time.perf_counter()
                value = work()
                run.phases.append(Phase(phase, time.perf_counter() - started, statements()))
            return value

        document = timed("parse", lambda: read_document(file, "plan"))
        preview = timed(
            "preview", lambda: Previewer(db.session, document, options, None, TODAY).build()
        )
        assert preview.counts()["create"] == rows, preview.counts()

        def write(preview: object = preview) -> object:
            result = apply_import(db.session, preview, today=TODAY, create_agencies=True)
            db.session.commit()
            return result

        result = timed("apply", write)
        assert len(result.created) == rows

        def again() -> object:
            repeat = build_preview(db.session, file, options, today=TODAY)
            assert repeat.counts()["unchanged"] == rows, repeat.counts()
            outcome = apply_import(db.session, repeat, today=TODAY)
            db.session.commit()
            return outcome

        timed("again", again)
        db.session.remove()
        db.engine.dispose()
    return run


def _sqlite(data: bytes, rows: int) -> Run:
    with tempfile.TemporaryDirectory(prefix="nhiemvu-bench-imports-") as folder:
        return measure(f"sqlite:///{folder}/bench.db", "SQLite", data, rows)


def _postgres(url: str, data: bytes, rows: int) -> Run:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    given = make_url(url)
    scratch = f"{given.database or 'nhiemvu'}_bench_imports_{os.getpid()}"
    admin = create_engine(given.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{scratch}"'))
    try:
        return measure(
            given.set(database=scratch).render_as_string(False), "PostgreSQL", data, rows
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def report(run: Run) -> str:
    lines = [f"{run.database}: {run.rows:,} rows"]
    for phase in run.phases:
        lines.append(
            f"  {phase.name:<8} {phase.seconds:7.3f} s  {phase.statements:6d} SQL statements"
        )
    verdict = "ok" if run.total < TARGET_SECONDS else "TOO SLOW"
    lines.append(
        f"  parse + preview + apply: {run.total:.3f} s (target < {TARGET_SECONDS:.0f} s): {verdict}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.imports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=1000, help="plan rows (default 1000)")
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL (server URL)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = plan_workbook(args.rows)
    print(
        f"plan workbook: {args.rows:,} rows, {len(data) / 1024:.0f} KB, made in {time.perf_counter() - started:.2f} s",
        flush=True,
    )
    runs = [_sqlite(data, args.rows)]
    print(report(runs[-1]), flush=True)
    if args.pg:
        runs.append(_postgres(args.pg, data, args.rows))
        print(report(runs[-1]), flush=True)
    return 0 if all(run.total < TARGET_SECONDS for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
