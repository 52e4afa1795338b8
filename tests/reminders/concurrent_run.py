"""Run the reminders job once, as one of several processes started together (see
test_concurrency.py): python -m tests.reminders.concurrent_run URL DAY SMTP_PORT START_AT."""

from __future__ import annotations

import json
import sys
import time
from datetime import date

from app.extensions import db
from tests.conftest import make_app


def main(url: str, day: str, port: str, start_at: str) -> None:
    app = make_app(url)
    config = {
        **app.config,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": int(port),
        "MAIL_SENDER": "nhiemvu@ubnd.example.vn",
        "BASE_URL": "https://nhiemvu.example.vn",
    }
    from app.reminders.services import run_reminders

    with app.app_context():
        db.session.execute(db.select(1))  # connect before the start line
        time.sleep(max(0.0, float(start_at) - time.time()))
        summary = run_reminders(db.session, date.fromisoformat(day), config=config)
        db.session.remove()
        db.engine.dispose()
    print(json.dumps({"given": summary.given, "sent": summary.mails_sent}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
