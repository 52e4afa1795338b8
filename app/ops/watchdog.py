"""While a process runs the scheduler: check every SCHEDULER_HEARTBEAT seconds that it still
holds the scheduler lock, and write the heartbeat /healthz reads; on losing the lock, stop the
scheduler at once (another process may take over)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask

from app.clock import now_utc
from app.extensions import db
from app.ops.heartbeat import record_heartbeat
from app.ops.locks import SchedulerLock

log = logging.getLogger(__name__)


@dataclass
class Watchdog:
    """While the scheduler runs: every SCHEDULER_HEARTBEAT seconds, check that the lock is
    still held and write the heartbeat; on losing the lock, call `lost` (which stops the
    scheduler) before another process can have taken over for long."""

    app: Flask
    lock: SchedulerLock
    lost: Callable[[], None]
    started_at: datetime = field(default_factory=now_utc)
    stopping: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    was_lost: bool = False

    def beat(self) -> None:
        """Write the heartbeat now (a failed write is logged; the next beat tries again)."""
        with self.app.app_context():
            try:
                record_heartbeat(
                    db.session,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    started_at=self.started_at,
                    now=now_utc(),
                )
                db.session.commit()
            except Exception:  # a busy or unreachable database: the next beat tries again
                db.session.rollback()
                log.warning("scheduler heartbeat not written", exc_info=True)
            finally:
                db.session.remove()

    def check(self) -> bool:
        """One round: False (and `lost` called) when the lock is gone."""
        if not self.lock.alive():
            self.was_lost = True
            log.error("scheduler lock lost (%s): stopping the scheduler", self.lock.description)
            self.lost()
            return False
        self.beat()
        return True

    def start(self) -> None:
        self.beat()
        interval = self.app.config["SCHEDULER_HEARTBEAT"]

        def loop() -> None:
            while not self.stopping.wait(interval) and self.check():
                pass

        self.thread = threading.Thread(target=loop, name="scheduler-watchdog", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
