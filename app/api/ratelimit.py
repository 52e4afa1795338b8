"""Rate limit of token calls: a fixed one-minute window per token, counted in this process.

Each web worker counts on its own (gunicorn with 3 workers lets through up to 3 × the limit);
this is a guard against runaway scripts, not a security control. The limit is
`API_RATE_LIMIT` calls per minute per token (default 300).
"""

from __future__ import annotations

import threading
from datetime import datetime

WINDOW_SECONDS = 60
_lock = threading.Lock()
_windows: dict[int, tuple[int, int]] = {}  # token id → (window number, calls in it)


def hit(token_id: int, limit: int, now: datetime) -> tuple[bool, int]:
    """Count one call; (allowed, seconds until the window ends)."""
    seconds = int(now.timestamp())
    window = seconds // WINDOW_SECONDS
    retry_after = WINDOW_SECONDS - seconds % WINDOW_SECONDS
    with _lock:
        current, calls = _windows.get(token_id, (window, 0))
        if current != window:
            calls = 0
            if len(_windows) > 10_000:  # forget old windows now and then
                _windows.clear()
        calls += 1
        _windows[token_id] = (window, calls)
    return calls <= limit, retry_after


def reset() -> None:
    """Forget every count (tests)."""
    with _lock:
        _windows.clear()
