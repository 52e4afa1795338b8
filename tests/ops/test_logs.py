"""Logs: a request id on every request (echoed, and on every line logged meanwhile), one
access-log line per request, JSON when asked, and the client's address through trusted
proxies only (ProxyFix with PROXY_COUNT)."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from flask import Flask, current_app, jsonify, request

from app import create_app
from app.auth.models import Role
from app.auth.permissions import public
from app.ops.logs import RequestIdFilter, configure_logging
from tests.conftest import login

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


def _access(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [r.http for r in caplog.records if r.name == "nhiemvu.access"]


def test_each_request_gets_an_id_echoed_in_the_response(client):
    first = client.get("/auth/login")
    second = client.get("/auth/login")
    assert HEX_ID.match(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    # The proxy's id (nginx: $request_id) is kept, so its log and ours can be joined...
    kept = client.get("/auth/login", headers={"X-Request-ID": "5f0c1e2d-nginx.42"})
    assert kept.headers["X-Request-ID"] == "5f0c1e2d-nginx.42"
    # ...unless it could forge a log line or is not a plain token.
    for hostile in ("abc\r\nX-Injected: 1", "x" * 200, "<script>", ""):
        response = client.get("/auth/login", environ_overrides={"HTTP_X_REQUEST_ID": hostile})
        assert HEX_ID.match(response.headers["X-Request-ID"])
        assert "X-Injected" not in response.headers


def test_an_error_page_shows_the_request_id_to_quote(client):
    response = client.get("/no/such/page", headers={"X-Request-ID": "b7e1c0de42"})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Mã yêu cầu (để báo cán bộ CNTT): b7e1c0de42" in page


def test_one_access_line_per_request_with_the_user(app, client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="nhiemvu.access")
    response = client.get("/auth/login", buffered=True)
    (line,) = _access(caplog)
    assert line["method"] == "GET"
    assert line["path"] == "/auth/login"
    assert line["status"] == 200
    assert line["bytes"] == len(response.get_data())
    assert line["client"] == "127.0.0.1"
    assert line["user"] is None
    assert line["ms"] >= 0
    record = next(r for r in caplog.records if r.name == "nhiemvu.access")
    assert record.request_id == response.headers["X-Request-ID"]

    user = make_user(Role.OFFICE, "log-office")
    login(client, "log-office")
    caplog.clear()
    client.get("/tasks/?page=2", buffered=True)
    (line,) = _access(caplog)
    assert (line["path"], line["status"], line["user"]) == ("/tasks/?page=2", 200, str(user.id))
    caplog.clear()
    assert client.get("/no/such/page", buffered=True).status_code == 404
    assert _access(caplog)[0]["status"] == 404


def test_the_access_log_can_be_turned_off(tmp_path, caplog):
    app = _probe_app(tmp_path, ACCESS_LOG=False)
    caplog.set_level(logging.INFO, logger="nhiemvu.access")
    response = app.test_client().get("/_probe", buffered=True)
    assert HEX_ID.match(response.headers["X-Request-ID"])  # ids stay
    assert _access(caplog) == []


def test_lines_logged_during_a_request_carry_its_id(app):
    record = logging.LogRecord("app.x", logging.INFO, __file__, 1, "hello", (), None)
    with app.test_request_context(environ_overrides={"nhiemvu.request_id": "req-7"}):
        assert RequestIdFilter().filter(record)
    assert record.request_id == "req-7"
    outside = logging.LogRecord("app.x", logging.INFO, __file__, 1, "hello", (), None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"


def _probe_app(tmp_path, **config) -> Flask:
    """An app with one public route that reports what it sees of the request."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'probe.db'}",
            "SECRET_KEY": "probe-secret-key-long-enough-0123456789",
            "TESTING": True,
            **config,
        }
    )

    @public
    def probe():  # type: ignore[no-untyped-def]
        current_app.logger.warning("probing %s", request.path)
        return jsonify(
            client=request.remote_addr, url=request.url, scheme=request.scheme, host=request.host
        )

    app.add_url_rule("/_probe", "probe", probe)
    return app


FORWARDED = {
    "X-Forwarded-For": "198.51.100.66, 203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "nhiemvu.binhdinh.gov.vn",
}


def test_behind_one_proxy_the_client_and_https_are_seen(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="nhiemvu.access")
    app = _probe_app(tmp_path, PROXY_COUNT=1)
    seen = app.test_client().get("/_probe", headers=FORWARDED, buffered=True).get_json()
    # Only the last address was added by our proxy; the first could be made up by anyone.
    assert seen == {
        "client": "203.0.113.7",
        "url": "https://nhiemvu.binhdinh.gov.vn/_probe",
        "scheme": "https",
        "host": "nhiemvu.binhdinh.gov.vn",
    }
    assert _access(caplog)[0]["client"] == "203.0.113.7"


def test_behind_two_proxies_two_hops_are_trusted(tmp_path):
    app = _probe_app(tmp_path, PROXY_COUNT=2)
    seen = app.test_client().get("/_probe", headers=FORWARDED).get_json()
    assert seen["client"] == "198.51.100.66"


def test_without_proxies_forwarded_headers_are_ignored(tmp_path):
    app = _probe_app(tmp_path)
    seen = app.test_client().get("/_probe", headers=FORWARDED).get_json()
    assert seen == {
        "client": "127.0.0.1",
        "url": "http://localhost/_probe",
        "scheme": "http",
        "host": "localhost",
    }


def test_json_logs_one_object_per_line(tmp_path):
    app = _probe_app(tmp_path)
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging({"LOG_FORMAT": "json", "LOG_LEVEL": "INFO"}, stream)
    try:
        response = app.test_client().get("/_probe", buffered=True)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_id = response.headers["X-Request-ID"]
    warning = next(line for line in lines if line["level"] == "WARNING")
    assert warning["message"] == "probing /_probe"
    assert warning["request_id"] == request_id
    access = next(line for line in lines if line["logger"] == "nhiemvu.access")
    assert access["request_id"] == request_id
    assert access["http"]["status"] == 200
    assert access["http"]["path"] == "/_probe"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$", access["time"])


def test_text_logs_name_the_request(tmp_path):
    app = _probe_app(tmp_path)
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging({"LOG_FORMAT": "text", "LOG_LEVEL": "WARNING"}, stream)
    try:
        response = app.test_client().get("/_probe", buffered=True)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    lines = stream.getvalue().splitlines()
    # At WARNING the access log (INFO) is left out; the request's own warning is there.
    assert len(lines) == 1
    assert f"WARNING app [{response.headers['X-Request-ID']}] probing /_probe" in lines[0]
