"""Backups as an IT officer uses them: `flask backup create`, then the disaster (database and
instance folder gone), then `flask backup restore` on the empty database; every table's row
count, every file's checksum and the reports' bytes are as before. `verify` finds damage;
`prune` keeps N daily and M monthly archives."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from freezegun import freeze_time
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.agencies.services import resolve_agency
from app.audit import set_actor
from app.auth.models import Role, User
from app.auth.services import create_user
from app.clock import LOCAL_TZ
from app.extensions import db
from app.ops.backup import Places, archives_to_keep, create_backup, verify_backup
from app.ops.dumps import database_tables
from app.reports.scope import Scope
from app.reports.services import build_report, get_snapshot, render
from app.seed import load_seeds
from app.tasks.models import Status, Task
from app.tasks.progress import submit_report
from tests.conftest import PASSWORD, SEEDS, make_app
from tests.freeze import SEEDED_ON
from tests.ops.conftest import drop_database, environment, flask

BUILT_AT = "2025-04-01 02:00:00"  # when the report is built, and built again after restoring
FORMATS = ("pdf", "docx", "xlsx")
EVIDENCE = "Biên bản nghiệm thu hệ thống một cửa điện tử.pdf".encode()


def _checksums(*roots: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under `roots`, by path relative to its root, with its SHA-256."""
    sums = {}
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = f"{root.name}/{path.relative_to(root).as_posix()}"
            if not any(part in name for part in skip):
                sums[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def _seed_the_office(app: Flask, attachments: Path) -> int:
    """The demo data, a department's progress report with its evidence file, and the
    quarter's report built by the office; the report's id."""
    with app.app_context():
        upgrade()
        session = db.session
        set_actor(session, None, "restore drill")
        load_seeds(session, SEEDS, today=SEEDED_ON)
        agency = resolve_agency(session, "Sở Thông tin và Truyền thông")
        reporter = create_user(
            session, username="drill-sotttt", full_name="Chuyên viên Sở TT&TT",
            role=Role.DEPARTMENT, password=PASSWORD, agency=agency,
        )  # fmt: skip
        office = session.scalar(select(User).where(User.role == Role.OFFICE))
        task = session.scalars(
            select(Task).where(Task.lead_agency_id == agency.id, Task.status != Status.COMPLETED)
        ).first()
        update = submit_report(
            session, actor=reporter, task=task, status=Status.PARTIAL,
            explanation="Đã triển khai 8/10 hạng mục; biên bản nghiệm thu kèm theo.",
            completed_on=None, today=SEEDED_ON,
        )  # fmt: skip
        attachments.mkdir(parents=True, exist_ok=True)
        (attachments / f"{update.id}-{EVIDENCE.decode()}").write_bytes(b"%PDF-1.7 " + EVIDENCE * 50)
        with freeze_time(BUILT_AT):
            report = build_report(
                session, period="2025-Q1", scope=Scope(), actor=office, today=SEEDED_ON
            )
        session.commit()
        report_id = report.id
        session.remove()
        db.engine.dispose()
    return report_id


def _documents(app: Flask, report_id: int, *, rebuild: bool) -> dict[str, bytes]:
    """The report's files: rendered from its stored content, or built again from the tables
    (at the same moment, so the same bytes are expected)."""
    with app.app_context():
        session = db.session
        snapshot = get_snapshot(session, report_id)
        if rebuild:
            office = session.get(User, snapshot.built_by_id)
            with freeze_time(BUILT_AT):
                snapshot = build_report(
                    session, period=snapshot.period_code, scope=Scope(), actor=office,
                    today=SEEDED_ON, rebuild=True,
                )  # fmt: skip
        documents = {fmt: render(snapshot, fmt)[2] for fmt in FORMATS}
        session.rollback()
        session.remove()
        db.engine.dispose()
    return documents


def _disaster(url: str, database_url: str, instance: Path) -> None:
    """The server is lost: its database and its instance folder (attachments inside, and the
    SQLite database when that is the kind)."""
    shutil.rmtree(instance)
    if url.startswith("postgresql"):
        name = make_url(url).database
        drop_database(database_url, name)
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))  # the new server's, empty
        admin.dispose()


def test_restore_drill(fresh_url, database_url, tmp_path):
    instance = tmp_path / "instance"
    attachments = instance / "attachments"  # ATTACHMENTS_DIR's default
    backups = tmp_path / "backups"
    # SQLite: the database where it lives by default, in the instance folder.
    if not fresh_url.startswith("postgresql"):
        fresh_url = f"sqlite:///{instance / 'nhiemvu.db'}"
    env = environment(fresh_url, instance)
    flask("db", "upgrade", env=env)  # makes the instance folder and its secret key
    report_id = _seed_the_office(make_app(fresh_url), attachments)
    original = make_app(fresh_url)
    rows = database_tables(fresh_url)
    files = _checksums(instance, skip=(".db",))
    documents = _documents(original, report_id, rebuild=False)
    assert rows["progress_updates"] > 10
    assert rows["report_snapshots"] == 1
    assert any(EVIDENCE.decode() in name for name in files)
    assert "instance/secret_key" in files

    created = flask("backup", "create", "--out", str(backups), env=env)
    (archive,) = backups.glob("nhiemvu-*.tar.gz")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # secret key and password hashes
    assert flask("backup", "verify", str(archive), env=env).returncode == 0

    _disaster(fresh_url, database_url, instance)
    assert database_tables(fresh_url) == {}
    assert not instance.exists()

    restored = flask("backup", "restore", str(archive), env=env)
    print(f"\n$ flask backup create\n{created.stdout}$ flask backup restore\n{restored.stdout}")
    assert database_tables(fresh_url) == rows
    assert _checksums(instance, skip=(".db",)) == files
    again = make_app(fresh_url)
    assert _documents(again, report_id, rebuild=False) == documents
    assert _documents(again, report_id, rebuild=True) == documents

    # A second restore finds the database no longer empty, and changes nothing.
    refused = flask("backup", "restore", str(archive), env=env, check=False)
    assert refused.returncode == 1
    assert database_tables(fresh_url) == rows


# --- verify: a damaged archive is found out ------------------------------------------------


@pytest.fixture
def small_install(tmp_path) -> Places:
    """A SQLite database of two tables, an instance folder and attachments."""
    instance = tmp_path / "instance"
    attachments = tmp_path / "files"
    instance.mkdir()
    (instance / "secret_key").write_text("k" * 48)
    (instance / "scheduler.lock").write_text("")
    (instance / "imports").mkdir()
    (instance / "imports" / "waiting.json").write_text('{"rows": 3}')
    (instance / "backups").mkdir()
    (instance / "backups" / "old.tar.gz").write_bytes(b"not again")
    attachments.mkdir()
    (attachments / "a.pdf").write_bytes(b"%PDF attachment " * 1000)
    (attachments / "sub").mkdir()
    (attachments / "sub" / "b.docx").write_bytes(b"docx bytes")
    (attachments / "link.pdf").symlink_to(attachments / "a.pdf")
    with sqlite3.connect(instance / "nhiemvu.db") as connection:
        connection.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
        connection.execute("INSERT INTO alembic_version VALUES ('abc123')")
        connection.executemany("INSERT INTO tasks (title) VALUES (?)", [("Nhiệm vụ",)] * 25)
    connection.close()
    return Places(
        f"sqlite:///{instance / 'nhiemvu.db'}", instance, attachments, instance / "backups"
    )


NOW = datetime(2026, 3, 2, 18, 30, tzinfo=LOCAL_TZ)


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def _repack(archive: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_the_archive_holds_what_an_install_holds(small_install, tmp_path):
    created = create_backup(small_install, tmp_path / "out", now=NOW, app_version="0.1.0")
    assert created.path.name == "nhiemvu-20260302-183000.tar.gz"
    members = _members(created.path)
    assert sorted(members) == [
        "attachments/a.pdf",
        "attachments/sub/b.docx",
        "database.sqlite3",
        "instance/imports/waiting.json",
        "instance/secret_key",
        "manifest.json",
    ]  # not the lock, the older backups, the live database file or the symbolic link
    manifest = json.loads(members["manifest.json"])
    assert manifest["database"]["kind"] == "sqlite"
    assert manifest["database"]["tables"] == {"alembic_version": 1, "tasks": 25}
    assert manifest["database"]["revision"] == "abc123"
    entry = next(f for f in manifest["files"] if f["path"] == "a.pdf")
    assert entry == {
        "root": "attachments",
        "path": "a.pdf",
        "size": 16000,
        "sha256": hashlib.sha256(b"%PDF attachment " * 1000).hexdigest(),
    }
    assert verify_backup(created.path).ok


def _verify(app: Flask, archive: Path):
    return app.test_cli_runner().invoke(args=["backup", "verify", str(archive)])


def test_verify_finds_a_flipped_byte(app, small_install, tmp_path):
    archive = create_backup(small_install, tmp_path / "out", now=NOW, app_version="x").path
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    result = _verify(app, archive)
    assert result.exit_code == 1
    assert "Bản sao lưu" in result.output
    assert "bị hỏng" in result.output


def test_verify_finds_a_changed_file_and_a_truncated_archive(app, small_install, tmp_path):
    archive = create_backup(small_install, tmp_path / "out", now=NOW, app_version="x").path
    members = _members(archive)
    members["attachments/a.pdf"] = b"%PDF forged"
    changed = tmp_path / "changed.tar.gz"
    _repack(changed, members)
    with app.app_context():
        problems = verify_backup(changed).problems
    assert problems == ["attachments/a.pdf: tổng kiểm tra (checksum) khác với bản kê."]

    del members["attachments/sub/b.docx"]
    _repack(changed, members)
    with app.app_context():
        problems = verify_backup(changed).problems
    assert problems == [
        "attachments/a.pdf: tổng kiểm tra (checksum) khác với bản kê.",
        "attachments/sub/b.docx: không có trong bản sao lưu.",
    ]

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert not verify_backup(truncated).ok
    result = _verify(app, truncated)
    assert result.exit_code == 1

    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        tar.addfile(info, io.BytesIO(b""))
    with app.app_context():
        problems = verify_backup(other).problems
    assert problems == ["Không có bản kê (manifest.json): bản sao lưu không đầy đủ."]
    plain = tmp_path / "plain.tar.gz"
    plain.write_bytes(gzip.compress(b"just text"))
    assert not verify_backup(plain).ok


def test_verify_opens_the_database_copy_itself(app, small_install, tmp_path):
    archive = create_backup(small_install, tmp_path / "out", now=NOW, app_version="x").path
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    # A copy whose checksum is right but whose rows are not what the manifest counted.
    with sqlite3.connect(tmp_path / "copy.db") as connection:
        connection.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, title TEXT)")
        connection.execute("CREATE TABLE alembic_version (version_num TEXT)")
    connection.close()
    members["database.sqlite3"] = (tmp_path / "copy.db").read_bytes()
    manifest["database"]["sha256"] = hashlib.sha256(members["database.sqlite3"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    _repack(archive, members)
    with app.app_context():
        problems = verify_backup(archive).problems
    assert problems == [
        "Bảng alembic_version: 0 dòng, bản kê ghi 1.",
        "Bảng tasks: 0 dòng, bản kê ghi 25.",
    ]


def test_restore_refuses_a_backup_of_another_kind_of_database(app, small_install, tmp_path):
    archive = create_backup(small_install, tmp_path / "out", now=NOW, app_version="x").path
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the session's database is SQLite too: see the restore drill")
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    assert result.exit_code == 1
    assert "Không khôi phục gì" in result.output
    assert "cơ sở dữ liệu sqlite" in result.output


# --- prune: N daily, M monthly -------------------------------------------------------------


def _moments(first: datetime, days: int) -> list[datetime]:
    return [first + timedelta(days=n) for n in range(days)]


def test_keeping_n_days_and_m_months():
    # A nightly backup at 01:30 for 100 days (10/01 → 19/04/2026), plus a manual one.
    nightly = _moments(datetime(2026, 1, 10, 1, 30, tzinfo=LOCAL_TZ), 100)
    manual = datetime(2026, 4, 19, 14, 0, tzinfo=LOCAL_TZ)
    keep = archives_to_keep([*nightly, manual], daily=7, monthly=3)
    kept_days = sorted({m.date() for m in keep})
    # The last 7 days (the newest archive of each), and the newest of February and March.
    assert kept_days == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        *[date(2026, 4, d) for d in range(13, 20)],
    ]
    assert manual in keep
    assert datetime(2026, 4, 19, 1, 30, tzinfo=LOCAL_TZ) not in keep  # the same day's older one
    assert archives_to_keep([], daily=7, monthly=3) == set()
    assert archives_to_keep(nightly[:1], daily=1, monthly=0) == {nightly[0]}


def test_flask_backup_prune(app, tmp_path):
    for moment in _moments(datetime(2026, 1, 30, 1, 30, tzinfo=LOCAL_TZ), 40):
        (tmp_path / f"nhiemvu-{moment:%Y%m%d-%H%M%S}.tar.gz").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("not an archive")
    (tmp_path / ".nhiemvu-20260101-013000.tar.gz.partial").write_bytes(b"being written")
    result = app.test_cli_runner().invoke(
        args=["backup", "prune", "--dir", str(tmp_path), "--keep-daily", "5", "--keep-monthly", "2"]
    )
    assert result.exit_code == 0, result.output
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [
        ".nhiemvu-20260101-013000.tar.gz.partial",
        "nhiemvu-20260228-013000.tar.gz",
        "nhiemvu-20260306-013000.tar.gz",
        "nhiemvu-20260307-013000.tar.gz",
        "nhiemvu-20260308-013000.tar.gz",
        "nhiemvu-20260309-013000.tar.gz",
        "nhiemvu-20260310-013000.tar.gz",
        "notes.txt",
    ]
    assert result.output.splitlines()[-1] == "Giữ 6 bản sao lưu, xoá 34 bản."
