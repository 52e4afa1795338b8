"""The production shape, for real: gunicorn with two workers and one `flask jobs run` on
PostgreSQL, as the systemd units run them, driven over HTTP like a browser (log in with the
CSRF token, report progress, build a report and download it), a reminder received at an SMTP
server, then /healthz and the JSON access log with the request's id."""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import POSTGRES_URL
from tests.ops.conftest import Running, drop_database, environment, flask, free_port, make_database
from tests.reminders.conftest import Inbox

pytestmark = pytest.mark.production

GUNICORN = Path(sys.executable).parent / "gunicorn"
DEPARTMENT, OFFICE = "smoke-sotttt", "smoke-office"
DEPARTMENT_MAIL = "chuyenvien@sotttt.example.vn"
PASSWORD = "smoke-password-2026"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class _Keep3xx(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a redirect is an answer to look at, not to follow


class Browser:
    """Cookies kept, redirects reported: what a browser does, minus the rendering."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _Keep3xx()
        )

    def open(
        self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ):  # type: ignore[no-untyped-def]
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310  (our own test server)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers, answer.read()
        with response:
            return response.status, response.headers, response.read()

    def page(self, path: str) -> str:
        status, _headers, body = self.open(path)
        assert status == 200, (path, status)
        return body.decode()

    def post_form(self, path: str, form_page: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
        token = CSRF.search(self.page(form_page))
        assert token, f"no CSRF token on {form_page}"
        return self.open(path, {"csrf_token": token.group(1), **data})

    def log_in(self, username: str) -> None:
        status, headers, _body = self.post_form(
            "/auth/login", "/auth/login", {"username": username, "password": PASSWORD}
        )
        assert status == 302, status
        assert "/auth/login" not in headers["Location"]


def _wait_until_serving(base: str, server: Running, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.process.poll() is None, server.log()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # it answers (a 503 is an answer)
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"gunicorn did not answer:\n{server.log()}")


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def postgresql(tmp_path):
    if not POSTGRES_URL:
        pytest.skip("the production shape runs on PostgreSQL: set TEST_DATABASE_URL (.ci/run does)")
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed (it runs on POSIX systems only)")
    url, name = make_database(POSTGRES_URL, tmp_path)
    try:
        yield url
    finally:
        drop_database(POSTGRES_URL, name)


def test_gunicorn_and_the_scheduler_serve_a_day_of_work(postgresql, smtp, tmp_path):
    inbox, smtp_port = smtp
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = environment(
        postgresql,
        tmp_path / "instance",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_SENDER="nhiemvu@ubnd.example.vn",
        BASE_URL=base,
        JOBS_REMINDERS_AT="00:00",  # today's reminders are due whenever the test runs
        LOG_FORMAT="json",
        GUNICORN_CMD_ARGS=f"--workers=2 --bind=127.0.0.1:{port} --timeout=120",
    )
    flask("db", "upgrade", env=env)
    flask("seed", "--no-demo-users", env=env)
    flask("users", "create", OFFICE, "--role", "office", env=env, input=PASSWORD + "\n")
    flask(
        "users", "create", DEPARTMENT, "--role", "department",
        "--agency", "Sở Thông tin và Truyền thông", "--email", DEPARTMENT_MAIL,
        env=env, input=PASSWORD + "\n",
    )  # fmt: skip

    web = Running.start([str(GUNICORN), "app.wsgi:app"], env)
    scheduler = Running.start([sys.executable, "-m", "flask", "jobs", "run"], env)
    try:
        _wait_until_serving(base, web)
        assert web.wait_for("Booting worker", 30)
        scheduler.wait_for("scheduler running here", 60)

        # A department reports progress on one of its tasks.
        department = Browser(base)
        department.log_in(DEPARTMENT)
        mine = department.page("/tasks/mine")
        task_ids = list(dict.fromkeys(re.findall(r'href="/tasks/(\d+)"', mine)))
        assert task_ids
        reportable = next(
            t for t in task_ids if f'action="/tasks/{t}/report"' in department.page(f"/tasks/{t}")
        )
        status, _headers, _body = department.post_form(
            f"/tasks/{reportable}/report",
            f"/tasks/{reportable}",
            {"status": "partial", "explanation": "Đã hoàn thành 60% khối lượng; đang nghiệm thu."},
        )
        assert status == 302
        assert "Đã hoàn thành 60% khối lượng" in department.page(f"/tasks/{reportable}")

        # The office builds the quarter's report and downloads it.
        office = Browser(base)
        office.log_in(OFFICE)
        status, headers, _body = office.post_form(
            "/reports/new", "/reports/new", {"kind": "appendix", "period": "2025-Q1"}
        )
        assert status == 302, status
        report = re.search(r"/reports/(\d+)$", headers["Location"]).group(1)
        status, headers, pdf = office.open(f"/reports/{report}/download/pdf")
        assert (status, headers["Content-Type"]) == (200, "application/pdf")
        assert pdf.startswith(b"%PDF")

        # The scheduler's catch-up run reminded the department, by mail.
        deadline = time.monotonic() + 60
        while not inbox.to(DEPARTMENT_MAIL) and time.monotonic() < deadline:
            time.sleep(0.5)
        (mail,) = inbox.to(DEPARTMENT_MAIL)
        assert mail["Subject"].startswith("[Bình Định] Nhắc việc ngày ")
        assert f"{base}/tasks/" in mail.get_body(("plain",)).get_content()

        # The load balancer's view, and the log line of that very request.
        status, headers, body = Browser(base).open(
            "/healthz", headers={"X-Request-ID": "smoke-healthz-1"}
        )
        health = json.loads(body)
        print(f"\n/healthz → {status} {json.dumps(health, ensure_ascii=False)}")
        assert status == 200
        assert headers["X-Request-ID"] == "smoke-healthz-1"
        assert health["status"] == "ok", health
        assert health["checks"]["scheduler"]["heartbeat_age_s"] < 60
        assert health["checks"]["outbox"]["backlog"] == 0
        line = web.wait_for('"request_id": "smoke-healthz-1"', 10)
        assert line
        access = next(
            json.loads(text)
            for _moment, text in web.lines
            if '"request_id": "smoke-healthz-1"' in text
        )
        assert access["logger"] == "nhiemvu.access"
        assert access["http"]["path"] == "/healthz"
        assert access["http"]["status"] == 200
    finally:
        scheduler.stop()
        web.stop()
