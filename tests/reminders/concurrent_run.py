"""Run the reminders job once in a process of its own (see test_concurrency.py and
test_crash.py): python -m tests.reminders.concurrent_run URL DAY SMTP_PORT START_AT [PAUSE_AT].

With PAUSE_AT = n, the run stops inside the transaction of its n-th digest (its reminder log
rows written, not committed), prints "paused" and waits there to be killed."""

from __future__ import annotations

import json
import sys
import time
from datetime import date

from app.extensions import db
from tests.conftest import make_app


def _pause_at(number: int) -> None:
    from app.reminders import services

    real = services.render_digest
    calls = []

    def render_or_wait(*args, **kwargs):
        calls.append(1)
        if len(calls) == number:
            print("paused", flush=True)
            time.sleep(600)
        return real(*args, **kwargs)

    services.render_digest = render_or_wait


def main(url: str, day: str, port: str, start_at: str, pause_at: str | None = None) -> None:
    app = make_app(url)
    config = {
        **app.config,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": int(port),
        "MAIL_SENDER": "nhiemvu@ubnd.example.vn",
        "BASE_URL": "https://nhiemvu.example.vn",
    }
    from app.reminders.services import run_reminders

    if pause_at:
        _pause_at(int(pause_at))
    with app.app_context():
        db.session.execute(db.select(1))  # connect before the start line
        time.sleep(max(0.0, float(start_at) - time.time()))
        summary = run_reminders(db.session, date.fromisoformat(day), config=config)
        db.session.remove()
        db.engine.dispose()
    print(json.dumps({"given": summary.given, "sent": summary.mails_sent}))


if __name__ == "__main__":
    main(*sys.argv[1:6])
