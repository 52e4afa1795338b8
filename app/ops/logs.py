"""Logs: one format for every process, a request id on every line, and an access log.

- `configure_logging(config)` sets the root logger once per process (the gunicorn entry
  point `app.wsgi`, `flask jobs run`): `LOG_FORMAT=text` (readable lines) or `json` (one
  object per line for a collector), at `LOG_LEVEL`, to standard error (journald keeps it).
- `RequestLog` (WSGI middleware) gives each request an id — the proxy's `X-Request-ID` when
  it sent a sane one, else a new random one —, echoes it in the response's `X-Request-ID`,
  adds it to every line logged while the request is handled, and writes one access-log line
  (`nhiemvu.access`) when the response has been sent: client, method, path, status, bytes,
  milliseconds, user id, request id.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import IO, Any

from flask import Response, g, has_request_context, request

HEADER = "X-Request-ID"
REQUEST_ID = "nhiemvu.request_id"  # the WSGI environ keys this module sets
USER_ID = "nhiemvu.user_id"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
access_log = logging.getLogger("nhiemvu.access")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_OURS = "_nhiemvu_handler"  # marks the handler configure_logging installed


def request_id_for(environ: Mapping[str, Any]) -> str:
    """The proxy's request id when it is a plain token, else a fresh random one."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")
    return incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record (`-` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = (
                request.environ.get(REQUEST_ID, "-") if has_request_context() else "-"
            )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, request id, and the
    access log's fields under `http`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if http := getattr(record, "http", None):
            entry["http"] = http
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(config: Mapping[str, Any], stream: IO[str] | None = None) -> logging.Handler:
    """Send every logger's records to `stream` (standard error) in the configured format;
    calling it again replaces the handler it installed before."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    setattr(handler, _OURS, True)
    handler.addFilter(RequestIdFilter())
    if config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(config.get("LOG_LEVEL", "INFO"))
    return handler


def note_user(response: Response) -> Response:
    """After each Flask request: leave the user's id where the access log finds it (only
    when the request loaded the user anyway: no query of its own)."""
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        request.environ[USER_ID] = str(user.id)
    return response


class RequestLog:
    """WSGI middleware around the Flask app: request ids and the access log."""

    def __init__(self, app: Callable[..., Iterable[bytes]], *, access: bool = True) -> None:
        self.app = app
        self.access = access

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request_id = request_id_for(environ)
        environ[REQUEST_ID] = request_id
        started = time.perf_counter()
        state: dict[str, Any] = {"status": 500}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            state["status"] = int(status.split(" ", 1)[0])
            headers = [(k, v) for k, v in headers if k.lower() != HEADER.lower()]
            headers.append((HEADER, request_id))
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start)
        except BaseException:
            self._log(environ, state["status"], 0, started)
            raise
        return _Counted(body, lambda sent: self._log(environ, state["status"], sent, started))

    def _log(self, environ: Mapping[str, Any], status: int, sent: int, started: float) -> None:
        if not self.access:
            return
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        http = {
            "client": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD", "-"),
            "path": path[:2000],
            "status": status,
            "bytes": sent,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "user": environ.get(USER_ID),
        }
        access_log.info(
            '%s "%s %s" %s %s B %s ms user=%s',
            http["client"],
            http["method"],
            http["path"],
            status,
            sent,
            http["ms"],
            http["user"] or "-",
            extra={"request_id": environ[REQUEST_ID], "http": http},
        )


class _Counted:
    """The response body, passed through while its bytes are counted; `done(bytes)` once
    the server closes it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body = body
        self.done = done
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.done(self.sent)
