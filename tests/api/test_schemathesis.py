"""schemathesis over every operation of the OpenAPI document, in-process (WSGI).

For each operation, at least 100 requests generated from the schema, sent with the token of
an office user (who may read everything) and of a department user (who may write progress
reports on its own tasks). Every response must pass schemathesis's default checks: no 5xx,
the documented status codes, content types, headers and response schemas, and schema-valid
data not refused with 400/422. (Invalid data is covered by the contract tests: schemathesis's
negative mode counts a request as "missing Authorization" even when the test sends it.)

Run on its own: `pytest -m schemathesis tests/api` (add TEST_DATABASE_URL for PostgreSQL).
The totals are printed (`-s`) and written to the terminal summary of pytest.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

EXAMPLES = 100
TOTALS: Counter[str] = Counter()


def _run(operation, mode: GenerationMode, headers: dict[str, str], tally: Counter[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call_and_validate(headers=headers)
        tally["requests"] += 1
        tally[f"{response.status_code // 100}xx"] += 1
        assert response.status_code < 500

    run()


@pytest.mark.schemathesis
@pytest.mark.parametrize("role", ["office", "own"])
def test_every_operation_holds_to_its_schema(app, db, callers, role, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", 10**9)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {callers[role].secret}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    per_operation: dict[str, Counter[str]] = {}
    for operation in operations:
        tally: Counter[str] = Counter()
        for mode in (GenerationMode.POSITIVE,):
            mode_tally: Counter[str] = Counter()
            _run(operation, mode, headers, mode_tally)
            assert mode_tally["requests"] >= EXAMPLES, (operation.label, mode, mode_tally)
            tally.update(mode_tally)
        per_operation[operation.label] = tally
        assert tally["5xx"] == 0
    total: Counter[str] = Counter()
    for tally in per_operation.values():
        total.update(tally)
    TOTALS.update(total)
    TOTALS["operations"] = len(operations)
    print(f"\nschemathesis [{role}] {len(operations)} operations, {dict(total)}")
    for label, tally in sorted(per_operation.items()):
        print(f"  {label}: {dict(tally)}")


@pytest.mark.schemathesis
def test_successful_answers_hold_to_their_schema(app, db, callers, own_task):
    """The generated requests rarely hit a real task or report: these do, and their 2xx
    answers are checked against the document too."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    own = {"Authorization": f"Bearer {callers['own'].secret}"}
    detail = schema["/api/v1/tasks/{task_id}"]["GET"].Case(path_parameters={"task_id": own_task.id})
    read = detail.call_and_validate(headers=own)
    assert read.status_code == 200
    post = schema["/api/v1/tasks/{task_id}/progress"]["POST"].Case(
        path_parameters={"task_id": own_task.id},
        headers={"If-Match": read.headers["etag"][0]},
        body={"status": "partial", "explanation": "Đang thực hiện", "completed_on": None},
        media_type="application/json",
    )
    written = post.call_and_validate(headers=own)
    assert written.status_code == 201
    assert written.headers["etag"] != read.headers["etag"]
