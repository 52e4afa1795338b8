"""The tasks' tests that freeze the clock do it a fortnight after the seeded notice's first
task fell due (its reports, its extensions)."""

from __future__ import annotations

import pytest

from tests.freeze import NOTICE_TASK_OVERDUE


@pytest.fixture
def moment() -> str:
    return NOTICE_TASK_OVERDUE
