"""A generated file sent as a download."""

from __future__ import annotations

from flask import Response


def attachment(body: bytes, filename: str, mimetype: str) -> Response:
    """`body` as a file to save under `filename` (ASCII: the names are built by the app),
    kept out of shared caches: reports and lists are each user's own."""
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
