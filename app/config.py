"""Settings read from the environment once, validated at start-up."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
UPLOAD_OVERHEAD = 1024 * 1024  # bytes of a request beyond the file it uploads


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the app refuses to start."""


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long.")
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a positive whole number.")
    return int(value)


def database_url(instance_path: Path) -> str:
    """DATABASE_URL, defaulting to SQLite under instance/; postgres URLs use psycopg 3."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'nhiemvu.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url[len(prefix) :]
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        raise ConfigError("DATABASE_URL must be a sqlite:/// or postgresql:// URL.")
    return url


# The periodic report's cover letter, as Bình Định's office writes it (seed documents 001, 002).
REPORT_DEFAULTS = {
    "REPORT_PERIODS": "decree09",
    "REPORT_RECIPIENTS": "Văn phòng Chính phủ",
    "REPORT_SIGNER": "Lâm Hải Giang",
    "REPORT_SIGNER_TITLE": "KT. CHỦ TỊCH;PHÓ CHỦ TỊCH",
    "REPORT_NUMBER_SUFFIX": "UBND-KSTT",
}
REPORT_PERIOD_MODES = ("decree09", "calendar")


def _lines(value: str) -> tuple[str, ...]:
    """A list written in one variable, its items separated by semicolons."""
    return tuple(part.strip() for part in value.split(";") if part.strip())


def report_settings() -> dict[str, Any]:
    """REPORT_* settings: how periods are cut off, and who the cover letter is to and from."""
    raw = {name: os.environ.get(name, default) for name, default in REPORT_DEFAULTS.items()}
    if raw["REPORT_PERIODS"] not in REPORT_PERIOD_MODES:
        raise ConfigError(f"REPORT_PERIODS must be one of {', '.join(REPORT_PERIOD_MODES)}.")
    recipients = _lines(raw["REPORT_RECIPIENTS"])
    title = _lines(raw["REPORT_SIGNER_TITLE"])
    if not recipients or not title or not raw["REPORT_SIGNER"].strip():
        raise ConfigError("REPORT_RECIPIENTS, REPORT_SIGNER and REPORT_SIGNER_TITLE are required.")
    return {
        "REPORT_PERIODS": raw["REPORT_PERIODS"],
        "REPORT_RECIPIENTS": recipients,
        "REPORT_SIGNER": raw["REPORT_SIGNER"].strip(),
        "REPORT_SIGNER_TITLE": title,
        "REPORT_NUMBER_SUFFIX": raw["REPORT_NUMBER_SUFFIX"].strip(),
    }


# The scheduled jobs (app/jobs.py): when they run, and what the automatic reports cover.
JOBS_DEFAULTS = {
    "JOBS_REMINDERS_AT": "07:30",
    "JOBS_PERIOD_REPORTS_AT": "06:00",
    "JOBS_PERIOD_REPORTS_DAYS_BEFORE": "5",
    "JOBS_PERIOD_REPORT_KINDS": "quarter;half;year",
    "REPORT_AUTO_SCOPES": "",
}
PERIOD_KINDS = ("month", "quarter", "half", "year")
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def jobs_settings() -> dict[str, Any]:
    """JOBS_* settings (times of day as "HH:MM" in the province) and REPORT_AUTO_SCOPES."""
    raw = {name: os.environ.get(name, default).strip() for name, default in JOBS_DEFAULTS.items()}
    for name in ("JOBS_REMINDERS_AT", "JOBS_PERIOD_REPORTS_AT"):
        if not _CLOCK_TIME.match(raw[name]):
            raise ConfigError(f"{name} must be a time of day written HH:MM, such as 07:30.")
    days = raw["JOBS_PERIOD_REPORTS_DAYS_BEFORE"]
    if not days.isdigit() or int(days) > 60:
        raise ConfigError("JOBS_PERIOD_REPORTS_DAYS_BEFORE must be a whole number from 0 to 60.")
    kinds = _lines(raw["JOBS_PERIOD_REPORT_KINDS"])
    if any(kind not in PERIOD_KINDS for kind in kinds):
        raise ConfigError(f"JOBS_PERIOD_REPORT_KINDS takes {', '.join(PERIOD_KINDS)}.")
    return {
        "JOBS_REMINDERS_AT": raw["JOBS_REMINDERS_AT"],
        "JOBS_PERIOD_REPORTS_AT": raw["JOBS_PERIOD_REPORTS_AT"],
        "JOBS_PERIOD_REPORTS_DAYS_BEFORE": int(days),
        "JOBS_PERIOD_REPORT_KINDS": kinds,
        "REPORT_AUTO_SCOPES": _lines(raw["REPORT_AUTO_SCOPES"]),
    }


def _whole(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit():
        raise ConfigError(f"{name} must be a whole number.")
    return int(value)


def _int_list(name: str, default: str) -> tuple[int, ...]:
    raw = os.environ.get(name) or default
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts or not all(part.isdigit() and int(part) > 0 for part in parts):
        raise ConfigError(f"{name} must be positive whole numbers separated by commas.")
    return tuple(sorted({int(part) for part in parts}, reverse=True))


def reminder_settings() -> dict[str, Any]:
    """REMINDER_* and MAIL_* settings: when reminders go out, and through which SMTP server."""
    return {
        # Working days before the due date in force on which the lead agency is reminded.
        "REMINDER_DAYS_BEFORE": _int_list("REMINDER_DAYS_BEFORE", "7,3,1"),
        # Working days overdue after which the supervising leader and the office are told.
        "REMINDER_ESCALATE_AFTER": _positive_int("REMINDER_ESCALATE_AFTER", 10),
        # Working days before a quarter's data cut-off on which unreported tasks are asked for
        # a progress report (0: never).
        "REMINDER_REPORT_DAYS_BEFORE": _whole("REMINDER_REPORT_DAYS_BEFORE", 5),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": _positive_int("MAIL_PORT", 25),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_USE_SSL": os.environ.get("MAIL_USE_SSL", "0") == "1",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "nhiemvu@localhost"),
    }


LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (os.environ.get(name) or default).strip()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}.")
    return value


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value not in ("0", "1"):
        raise ConfigError(f"{name} must be 0 or 1.")
    return value == "1"


def _directory(name: str, default: Path) -> str:
    value = os.environ.get(name)
    return str(Path(value).expanduser()) if value else str(default)


def instance_path() -> str | None:
    """INSTANCE_PATH, where the instance folder lives (None: Flask's default)."""
    value = os.environ.get("INSTANCE_PATH")
    if not value:
        return None
    path = Path(value).expanduser()
    if not path.is_absolute():
        raise ConfigError("INSTANCE_PATH must be an absolute path.")
    return str(path)


def operations_settings(instance_path: Path) -> dict[str, Any]:
    """Logs, proxies, the scheduler's lock and heartbeat, attachments and backups."""
    proxies = _whole("PROXY_COUNT", 0)
    if proxies > 5:
        raise ConfigError("PROXY_COUNT must be the number of proxies in front, 0 to 5.")
    return {
        "LOG_FORMAT": _choice("LOG_FORMAT", "text", LOG_FORMATS),
        "LOG_LEVEL": _choice("LOG_LEVEL", "INFO", LOG_LEVELS),
        "ACCESS_LOG": _flag("ACCESS_LOG", True),
        "PROXY_COUNT": proxies,
        "SCHEDULER_LOCK_RETRY": _positive_int("SCHEDULER_LOCK_RETRY", 15),
        "SCHEDULER_HEARTBEAT": _positive_int("SCHEDULER_HEARTBEAT", 30),
        "MAIL_TIMEOUT": _positive_int("MAIL_TIMEOUT", 30),
        "ATTACHMENTS_DIR": _directory("ATTACHMENTS_DIR", instance_path / "attachments"),
        "BACKUP_DIR": _directory("BACKUP_DIR", instance_path / "backups"),
        "BACKUP_KEEP_DAILY": _positive_int("BACKUP_KEEP_DAILY", 14),
        "BACKUP_KEEP_MONTHLY": _whole("BACKUP_KEEP_MONTHLY", 12),
    }


@dataclass
class Settings:
    """The Flask config mapping, built from the environment plus explicit overrides."""

    instance_path: Path
    overrides: dict[str, Any] = field(default_factory=dict)

    def as_mapping(self) -> dict[str, Any]:
        language = os.environ.get("DEFAULT_LANGUAGE", "vi")
        if language not in LANGUAGES:
            raise ConfigError(f"DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}.")
        values: dict[str, Any] = {
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "BABEL_DEFAULT_LOCALE": language,
            "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
            "LANGUAGES": LANGUAGES,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
            "REMEMBER_COOKIE_HTTPONLY": True,
            "PROVINCE_NAME": os.environ.get("PROVINCE_NAME", "Bình Định"),
            "PAGE_SIZE": 50,
            # Documents larger than this are refused by the importer (bytes; 20 MB).
            "IMPORT_MAX_BYTES": _positive_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024),
            **report_settings(),
            **jobs_settings(),
            **reminder_settings(),
            **operations_settings(self.instance_path),
        }
        values.update(self.overrides)
        # Room above the import limit for the form around the file, so that a file just over
        # the limit reaches the importer, which names the limit; bigger bodies get a 413 page.
        values.setdefault("MAX_CONTENT_LENGTH", values["IMPORT_MAX_BYTES"] + UPLOAD_OVERHEAD)
        if "SQLALCHEMY_DATABASE_URI" not in values:
            values["SQLALCHEMY_DATABASE_URI"] = database_url(self.instance_path)
        if "SECRET_KEY" not in values:
            values["SECRET_KEY"] = _secret_key(self.instance_path)
        return values


# --- the one table of settings ------------------------------------------------------------
# Every variable the app (or its server) reads is documented here, once; the README's table is
# generated from this list (`python -m app.config`) and a test fails when a variable read
# anywhere is missing from it.


@dataclass(frozen=True)
class SettingDoc:
    """One environment variable: its default as shown to people, and what it means."""

    name: str
    default: str
    meaning: str


SETTINGS_DOC: tuple[SettingDoc, ...] = (
    SettingDoc(
        "DATABASE_URL",
        "`sqlite:///instance/nhiemvu.db`",
        "`postgresql://user@host/db` for PostgreSQL (psycopg 3)",
    ),
    SettingDoc(
        "SECRET_KEY",
        "generated once into `instance/secret_key`",
        "at least 32 characters in production",
    ),
    SettingDoc(
        "INSTANCE_PATH",
        "`instance/` of the checkout",
        "absolute path of the instance folder (secret key, SQLite database, uploads awaiting "
        "confirmation, attachments); `/var/lib/nhiemvu` in production",
    ),
    SettingDoc("DEFAULT_LANGUAGE", "`vi`", "`vi` or `en`; users can switch in the top bar"),
    SettingDoc(
        "PROVINCE_NAME",
        "`Bình Định`",
        'shown in the title bar; the reports\' "TỈNH BÌNH ĐỊNH" and place of issue',
    ),
    SettingDoc("SESSION_COOKIE_SECURE", "`0`", "`1` behind HTTPS"),
    SettingDoc(
        "PROXY_COUNT",
        "`0`",
        "how many proxies (nginx, a load balancer) stand in front and set `X-Forwarded-For`, "
        "`-Proto`, `-Host`, `-Port`, `-Prefix`: that many are trusted; `0` ignores those headers",
    ),
    SettingDoc(
        "BASE_URL",
        "`http://127.0.0.1:5000`",
        "the address users open, for the links in reminder mails",
    ),
    SettingDoc(
        "REPORT_PERIODS",
        "`decree09`",
        "data cut-off of a reporting period: `decree09` (Decree 09/2019/NĐ-CP: from the 15th of "
        "the month before the period to the 14th of its last month, so Quý I/2023 is "
        "15/12/2022 → 14/03/2023) or `calendar` (01/01 → 31/03)",
    ),
    SettingDoc(
        "REPORT_RECIPIENTS",
        "`Văn phòng Chính phủ`",
        'the cover letter\'s "Kính gửi", several separated by `;`',
    ),
    SettingDoc("REPORT_SIGNER", "`Lâm Hải Giang`", "who signs the cover letter"),
    SettingDoc(
        "REPORT_SIGNER_TITLE",
        "`KT. CHỦ TỊCH;PHÓ CHỦ TỊCH`",
        "the signature's title lines, separated by `;`",
    ),
    SettingDoc(
        "REPORT_NUMBER_SUFFIX",
        "`UBND-KSTT`",
        'the symbol after the letter\'s number: "Số: …/UBND-KSTT"',
    ),
    SettingDoc(
        "JOBS_REMINDERS_AT",
        "`07:30`",
        "when the `reminders` job runs each day (province time, `HH:MM`)",
    ),
    SettingDoc(
        "JOBS_PERIOD_REPORTS_AT",
        "`06:00`",
        "when the `period-reports` job checks for reports to build each day",
    ),
    SettingDoc(
        "JOBS_PERIOD_REPORTS_DAYS_BEFORE",
        "`5`",
        "build a period's report this many days before its data cut-off ends "
        "(Quý I/2023: from 09/03/2023)",
    ),
    SettingDoc(
        "JOBS_PERIOD_REPORT_KINDS",
        "`quarter;half;year`",
        "the periods reported automatically (`month`, `quarter`, `half`, `year`)",
    ),
    SettingDoc(
        "REPORT_AUTO_SCOPES",
        "empty (every task)",
        "directive numbers, one report each, separated by `;`: `131/NQ-CP;1012/QĐ-TTg`",
    ),
    SettingDoc(
        "REMINDER_DAYS_BEFORE",
        "`7,3,1`",
        "working days before the due date in force on which the lead agency is reminded",
    ),
    SettingDoc(
        "REMINDER_ESCALATE_AFTER",
        "`10`",
        "working days overdue after which the supervising leader and the office are told",
    ),
    SettingDoc(
        "REMINDER_REPORT_DAYS_BEFORE",
        "`5`",
        "working days before a quarter's data cut-off on which tasks not yet reported on are "
        "asked for a progress report (`0`: never)",
    ),
    SettingDoc("MAIL_SERVER", "`localhost`", "the SMTP server reminders are sent through"),
    SettingDoc(
        "MAIL_PORT", "`25`", "its port (`587` with `MAIL_USE_TLS`, `465` with `MAIL_USE_SSL`)"
    ),
    SettingDoc("MAIL_USE_TLS", "`0`", "`1`: STARTTLS after connecting"),
    SettingDoc("MAIL_USE_SSL", "`0`", "`1`: TLS from the first byte"),
    SettingDoc(
        "MAIL_USERNAME",
        "empty",
        "the SMTP login, when the server wants one (one connection and one login per run)",
    ),
    SettingDoc("MAIL_PASSWORD", "empty", "its password"),
    SettingDoc("MAIL_SENDER", "`nhiemvu@localhost`", "the mails' From address"),
    SettingDoc("MAIL_TIMEOUT", "`30`", "seconds to wait for the SMTP server"),
    SettingDoc(
        "IMPORT_MAX_BYTES",
        "`20971520` (20 MB)",
        "larger documents are refused by the importer",
    ),
    SettingDoc(
        "API_RATE_LIMIT",
        "`300`",
        "API calls a minute per token (per web process)",
    ),
    SettingDoc(
        "SCHEDULER_LOCK_RETRY",
        "`15`",
        "seconds between a standby scheduler's attempts to take over (`flask jobs run` on a "
        "second host waits while the first holds the lock)",
    ),
    SettingDoc(
        "SCHEDULER_HEARTBEAT",
        "`30`",
        "seconds between the running scheduler's heartbeats; `/healthz` calls it stale after "
        "three missed",
    ),
    SettingDoc("LOG_FORMAT", "`text`", "`json`: one JSON object per line (for a log collector)"),
    SettingDoc("LOG_LEVEL", "`INFO`", "`DEBUG`, `INFO`, `WARNING` or `ERROR`"),
    SettingDoc(
        "ACCESS_LOG",
        "`1`",
        "one log line per request (client, method, path, status, bytes, milliseconds, user, "
        "request id); `0` turns it off",
    ),
    SettingDoc(
        "ATTACHMENTS_DIR",
        "`instance/attachments`",
        "where attached files are kept; backed up with the database",
    ),
    SettingDoc(
        "BACKUP_DIR",
        "`instance/backups`",
        "where `flask backup create` writes archives and `flask backup prune` prunes them",
    ),
    SettingDoc(
        "BACKUP_KEEP_DAILY",
        "`14`",
        "`flask backup prune` keeps the newest archive of each of this many latest days",
    ),
    SettingDoc(
        "BACKUP_KEEP_MONTHLY",
        "`12`",
        "… and of each of this many latest months",
    ),
    SettingDoc(
        "GUNICORN_CMD_ARGS",
        "empty",
        "read by gunicorn, not the app: `--workers=3 --bind=127.0.0.1:8000` "
        "(see `deploy/nhiemvu.env.example`)",
    ),
    SettingDoc(
        "NHIEMVU_EMBEDDED_SCHEDULER",
        "unset",
        "`1` (set by `make run` only): the one waitress process also runs the scheduler; "
        "never set it for gunicorn",
    ),
)


def settings_table() -> str:
    """SETTINGS_DOC as the README's Markdown table."""
    lines = ["| variable | default | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{s.name}` | {s.default} | {s.meaning} |" for s in SETTINGS_DOC]
    return "\n".join(lines) + "\n"


TABLE_START = "<!-- settings: generated from app/config.py by `make settings-doc` -->"
TABLE_END = "<!-- settings: end -->"


def with_settings_table(text: str) -> str:
    """`text` (the README) with the table between its two markers written anew."""
    head, start, rest = text.partition(TABLE_START)
    _old, end, tail = rest.partition(TABLE_END)
    if not start or not end:
        raise ValueError("the settings table's markers are missing")
    return f"{head}{start}\n{settings_table()}{end}{tail}"
