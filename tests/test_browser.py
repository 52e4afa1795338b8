"""A real browser (Playwright driving Debian's chromium) against a live server."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.agencies.services import resolve_agency
from app.audit import set_actor
from app.auth.models import Role
from app.auth.services import create_user
from app.clock import today_local
from app.extensions import db
from app.seed import load_seeds
from tests.conftest import PASSWORD, SEEDS, make_app
from tests.freeze import SEEDED_ON

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The app on its own seeded SQLite file, served by a thread (browser tests commit)."""
    from flask_migrate import upgrade

    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}")
    app.config["SERVER_NAME"] = None
    with app.app_context():
        upgrade()
        set_actor(db.session, None, "test seed")
        load_seeds(db.session, SEEDS, today=SEEDED_ON, demo_users=False)
        agency = resolve_agency(db.session, "Sở Thông tin và Truyền thông")
        create_user(
            db.session,
            username="sotttt",
            full_name="Chuyên viên STTTT",
            role=Role.DEPARTMENT,
            password=PASSWORD,
            agency=agency,
        )
        create_user(
            db.session,
            username="sotc",
            full_name="Chuyên viên STC",
            role=Role.DEPARTMENT,
            password=PASSWORD,
            agency=resolve_agency(db.session, "Sở Tài chính"),
        )
        create_user(
            db.session,
            username="vanphong",
            full_name="Chuyên viên VP",
            role=Role.OFFICE,
            password=PASSWORD,
        )
        create_user(
            db.session,
            username="lanhdao",
            full_name="Lãnh đạo",
            role=Role.LEADER,
            password=PASSWORD,
        )
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs it")
        pytest.skip("browser tests need Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield instance
        instance.close()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-testid=login-submit]")


def test_department_user_logs_in_and_sees_its_tasks(live_server, browser):
    page = browser.new_page()
    _login(page, live_server, "sotttt")
    assert "Chuyên viên STTTT" in page.inner_text("[data-testid=whoami]")
    table = page.inner_text("[data-testid=task-table]")
    assert "trong tháng 02 năm 2024" in table
    assert "Cắt giảm, đơn giản hóa thủ tục hành chính nội bộ" not in table  # not its agency's
    page.click("text=Nghiên cứu, tiếp thu các ý kiến góp ý")
    assert "29/02/2024" in page.inner_text("[data-testid=deadline]")
    page.close()


def test_leader_browses_a_directive_and_switches_language(live_server, browser):
    page = browser.new_page()
    _login(page, live_server, "lanhdao")
    page.click("text=Văn bản chỉ đạo")
    page.click("text=131/NQ-CP")
    assert "Hiện đại hóa phương thức chỉ đạo, điều hành" in page.content()
    page.click("button:has-text('English')")
    assert page.is_visible("text=Directives")
    page.close()


def test_office_sees_the_deadline_parse_live_while_typing(live_server, browser):
    page = browser.new_page()
    _login(page, live_server, "vanphong")
    page.goto(f"{live_server}/directives/")
    page.click("text=131/NQ-CP")
    page.click("text=Đẩy nhanh tiến độ chuẩn hóa chế độ báo cáo")
    page.click("text=Sửa")
    preview = page.locator("[data-testid=deadline-preview]")
    assert "30/06/2023" in preview.inner_text()  # the stored phrase "Tháng 6/2023", on load
    page.fill("input[name=deadline_text]", "trước ngày 30/9 hằng năm")
    page.wait_for_function(
        "document.querySelector('[data-testid=deadline-preview]').innerText.includes('30/09/2023')"
    )
    assert "Định kỳ" in preview.inner_text()
    page.fill("input[name=deadline_text]", "Theo tiến độ được giao")
    page.wait_for_function(
        "document.querySelector('[data-testid=deadline-preview]').innerText.includes('Không xác định')"
    )
    page.close()


SHOTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
JOURNEY_DIRECTIVE = "15/TB-UBND"
JOURNEY_TASKS = {
    "Sở Thông tin và Truyền thông": "Rà soát hạ tầng số của các xã (hành trình 1)",
    "Sở Tài chính": "Bố trí kinh phí chuyển đổi số năm 2024 (hành trình 1)",
}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _new_page(browser, base: str, username: str):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _login(page, base, username)
    return page


def test_journey_1_office_creates_a_directive_with_two_tasks(live_server, browser):
    page = _new_page(browser, live_server, "vanphong")
    page.goto(f"{live_server}/directives/new")
    page.select_option("select[name=kind]", "conclusion")
    page.fill("input[name=number]", JOURNEY_DIRECTIVE)
    page.fill("input[name=issued_on]", "2024-07-01")
    page.fill("input[name=issuer]", "UBND tỉnh")
    page.fill("textarea[name=summary]", "Kết luận của Chủ tịch UBND tỉnh về hạ tầng số")
    page.click("main form[method=post] button[type=submit]")
    assert JOURNEY_DIRECTIVE in page.inner_text("h1")
    for agency, title in JOURNEY_TASKS.items():
        page.click("text=Thêm nhiệm vụ")
        page.fill("textarea[name=title]", title)
        if agency == "Sở Thông tin và Truyền thông":  # found by typing without diacritics
            picker = page.locator("[data-agency-picker]").first
            picker.locator("input[data-picker-search]").fill("so tttt")
            picker.locator(f"[data-testid=agency-option]:has-text('{agency}')").click()
            assert (
                page.eval_on_selector(
                    "select[name=lead_agency_id]", "s => s.options[s.selectedIndex].text"
                ).strip()
                == agency
            )
        else:
            page.select_option("select[name=lead_agency_id]", label=agency)
        page.fill("input[name=deadline_text]", "trong tháng 7 năm 2024")
        page.wait_for_function(
            "document.querySelector('[data-testid=deadline-preview]').innerText.includes('31/07/2024')"
        )
        page.click("main form[method=post] button.btn-primary[type=submit]")
        assert title in page.inner_text("h1")
        page.click(f"nav[aria-label=breadcrumb] >> text={JOURNEY_DIRECTIVE}")
    table = page.inner_text("[data-testid=task-table]")
    for title in JOURNEY_TASKS.values():
        assert title in table
    _shot(page, "journey-1-directive-with-two-tasks.png")
    page.context.close()


def _open_task(page, base: str, title: str) -> None:
    page.goto(f"{base}/tasks/?q={title.split(' (')[0]}")
    page.click(f"text={title}")


def test_journey_2_report_returned_and_resubmitted(live_server, browser):
    title = JOURNEY_TASKS["Sở Thông tin và Truyền thông"]
    department = _new_page(browser, live_server, "sotttt")
    department.click("text=Nhiệm vụ của đơn vị")
    department.click(f"text={title}")
    department.select_option("[data-testid=report-form] select[name=status]", "partial")
    department.fill("[data-testid=report-form] textarea[name=explanation]", "Đã rà soát 80 xã.")
    department.click("[data-testid=report-form] button[type=submit]")
    assert department.get_attribute("[data-testid=progress-update]", "data-state") == "submitted"

    office = _new_page(browser, live_server, "vanphong")
    _open_task(office, live_server, title)
    office.fill(
        "[data-testid=review-actions] textarea[name=reason]", "Bổ sung số liệu của 79 xã còn lại."
    )
    office.click("[data-testid=return]")
    assert office.get_attribute("[data-testid=progress-update]", "data-state") == "returned"

    department.reload()
    assert department.inner_text("[data-testid=bell-count]") == "1"
    assert "Bổ sung số liệu của 79 xã còn lại." in department.inner_text(
        "[data-testid=return-reason]"
    )
    department.fill("[data-testid=report-form] textarea[name=explanation]", "Đã rà soát đủ 159 xã.")
    department.select_option("[data-testid=report-form] select[name=status]", "partial")
    department.click("[data-testid=report-form] button[type=submit]")
    states = [
        department.get_attribute(f"[data-testid=progress-update] >> nth={i}", "data-state")
        for i in range(2)
    ]
    assert states == ["submitted", "returned"]
    _shot(department, "journey-2-resubmitted-report.png")
    office.context.close()
    department.context.close()


# Journey 3 needs an overdue task, judged by the live server's clock. Freezing that clock is
# not robust: the server runs in a thread of this process, and freezegun would also freeze
# the time (and time.monotonic) Playwright's event loop waits on. Nor can the server's
# `today_local` be patched, since every view imports it by name. So nothing is frozen: the
# journey-1 tasks fall due on 31/07/2024, a date in the past of any day this suite runs on,
# so they are overdue whatever the real today is; the completion reported below is a fixed
# date after that due date (done late on any day); and the days overdue are checked against
# `today_local()`, the very function the server calls, read around the page load.
JOURNEY_DUE = date(2024, 7, 31)
JOURNEY_COMPLETED = date(2024, 8, 20)


def _agency_counts(page, agency: str) -> dict[str, int]:
    """The overdue and done-late counts in the agency's row of the dashboard table."""
    row = page.locator("main [data-testid=agency-row]").filter(
        has=page.get_by_role("link", name=agency, exact=True)
    )
    return {
        key: int(row.locator(f"[data-testid=count-{key}]").inner_text().strip())
        for key in ("overdue", "done_late")
    }


def test_journey_3_leader_sees_the_task_overdue_and_the_counts_move(live_server, browser):
    # The Sở Tài chính task of journey 1: journey 2 left the other one with a pending report.
    agency = "Sở Tài chính"
    title = JOURNEY_TASKS[agency]
    leader = _new_page(browser, live_server, "lanhdao")
    leader.goto(f"{live_server}/dashboard/")
    before = _agency_counts(leader, agency)
    assert before["overdue"] >= 1

    row = leader.locator("main [data-testid=agency-row]").filter(
        has=leader.get_by_role("link", name=agency, exact=True)
    )
    first_day = today_local()
    row.locator("[data-testid=agency-overdue]").click()
    leader.wait_for_url("**/dashboard/overdue?agency=*")
    last_day = today_local()
    groups = leader.locator("main [data-testid=overdue-group]")
    assert groups.count() == 1  # the list is narrowed to the agency whose count was clicked
    assert agency in groups.first.inner_text()
    assert int(groups.first.locator("[data-testid=group-count]").inner_text()) == before["overdue"]
    task_row = leader.locator("main [data-testid=overdue-row]").filter(has_text=title)
    assert task_row.count() == 1
    assert task_row.locator("[data-testid=due]").inner_text().strip() == "31/07/2024"
    days = int(task_row.locator("[data-testid=days-overdue]").inner_text())
    assert days in {(first_day - JOURNEY_DUE).days, (last_day - JOURNEY_DUE).days}
    _shot(leader, "journey-3-overdue.png")

    department = _new_page(browser, live_server, "sotc")
    department.click("text=Nhiệm vụ của đơn vị")
    department.click(f"main >> text={title}")
    department.select_option("[data-testid=report-form] select[name=status]", "completed")
    department.fill(
        "[data-testid=report-form] input[name=completed_on]", JOURNEY_COMPLETED.isoformat()
    )
    department.fill(
        "[data-testid=report-form] textarea[name=explanation]",
        "Đã bố trí đủ kinh phí tại Quyết định số 88/QĐ-UBND.",
    )
    department.click("[data-testid=report-form] button[type=submit]")
    assert department.get_attribute("[data-testid=progress-update]", "data-state") == "submitted"

    office = _new_page(browser, live_server, "vanphong")
    _open_task(office, live_server, title)
    office.click("[data-testid=accept]")
    assert office.get_attribute("[data-testid=progress-update]", "data-state") == "accepted"
    assert office.inner_text("main [data-testid=standing]") == "Hoàn thành quá hạn"

    leader.goto(f"{live_server}/dashboard/")
    after = _agency_counts(leader, agency)
    assert after == {"overdue": before["overdue"] - 1, "done_late": before["done_late"] + 1}
    _shot(leader, "journey-3-dashboard.png")
    row.locator("[data-testid=agency-overdue]").click()
    leader.wait_for_url("**/dashboard/overdue?agency=*")
    assert title not in leader.inner_text("main [data-testid=overdue-table]")
    for page in (leader, department, office):
        page.context.close()


# The import journey runs on a server of its own: it writes a whole document's tasks, which
# must not change what the journeys above count, nor depend on what they left.
@pytest.fixture(scope="module")
def import_server(tmp_path_factory) -> Iterator[str]:
    """The app on its own seeded SQLite file and upload directory, served by a thread."""
    from flask_migrate import upgrade

    directory = tmp_path_factory.mktemp("import")
    app = make_app(f"sqlite:///{directory / 'import.db'}")
    app.config.update(SERVER_NAME=None, IMPORT_DIR=str(directory / "uploads"))
    with app.app_context():
        upgrade()
        set_actor(db.session, None, "test seed")
        load_seeds(db.session, SEEDS, today=SEEDED_ON, demo_users=False)
        create_user(
            db.session,
            username="vanphong",
            full_name="Chuyên viên VP",
            role=Role.OFFICE,
            password=PASSWORD,
        )
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_office_imports_a_pasted_notice_checks_the_preview_and_confirms(import_server, browser):
    from tests.imports.helpers import NOTICE_003, document_text

    text = document_text(NOTICE_003)
    page = _new_page(browser, import_server, "vanphong")
    page.goto(f"{import_server}/directives/")
    page.click("[data-testid=import-directive]")
    page.check("input[name=kind][value=notice]")
    page.fill("textarea[name=text]", text)
    page.click("[data-testid=import-submit]")
    page.wait_for_url("**/directives/import/*")
    rows = page.locator("[data-testid=import-row]")
    assert rows.count() == 38  # the notice's 20 tasks, and its group's 2 items for 9 agencies
    assert page.locator("[data-testid=import-row][data-action=unchanged]").count() == 20
    assert page.locator("[data-testid=import-row][data-action=create]").count() == 18
    assert page.inner_text("[data-testid=count-create]") == "18 tạo mới"
    first = rows.first
    assert "29/02/2024" in first.locator("[data-testid=deadline-preview]").inner_text()
    # The deadline is read again, live, as it is corrected.
    first.locator("[data-testid=task-deadline]").fill("trong tháng 3 năm 2024")
    page.wait_for_function(
        "document.querySelector('[data-testid=import-row] [data-testid=deadline-preview]')"
        ".innerText.includes('31/03/2024')"
    )
    rows.nth(20).locator("[data-testid=task-skip]").check()
    _shot(page, "import-preview.png")

    page.click("[data-testid=import-confirm]")
    page.wait_for_url(re.compile(r"/directives/\d+$"))
    assert "Ý kiến kết luận của Chủ tịch" in page.inner_text("main")
    flashed = page.inner_text("main .alert-success")
    assert "17 nhiệm vụ tạo mới, 1 cập nhật, 19 không đổi, 1 bỏ qua" in flashed
    page.context.close()
