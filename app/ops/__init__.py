"""Running nhiemvu in production: health, logs, proxies, the scheduler's lock and
heartbeat, backups (`flask backup`)."""

from __future__ import annotations

from flask import Flask


def init_operations(app: Flask) -> None:
    """Request ids and the access log around the app, and ProxyFix outside them (so the log
    sees the client's address, not the proxy's) when PROXY_COUNT proxies stand in front."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app.ops.logs import RequestLog, note_user

    app.after_request(note_user)
    app.wsgi_app = RequestLog(app.wsgi_app, access=app.config["ACCESS_LOG"])  # type: ignore[method-assign]
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app,
            x_for=proxies,
            x_proto=proxies,
            x_host=proxies,
            x_port=proxies,
            x_prefix=proxies,
        )
