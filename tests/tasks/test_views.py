from sqlalchemy import select

from app.auth.models import Role
from app.tasks.models import Task
from tests.conftest import login


def test_task_detail_shows_deadline_owners_history_and_journal(client, db, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    task = db.scalar(select(Task).where(Task.outline == "9", Task.title.startswith("Đẩy nhanh")))
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Tháng 6/2023" in page
    assert "30/06/2023" in page  # the computed due date beside the phrase
    assert "Một phần" in page
    assert "Các chế độ báo cáo đã được chuẩn hóa" in page  # progress history
    assert "test seed · <strong>tạo mới</strong>" in page  # journal


def test_task_list_search_folds_diacritics_and_filters(client, db, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    page = client.get("/tasks/?q=xoa vung lom song").get_data(as_text=True)
    assert "xóa vùng lõm sóng di động" in page
    assert "Cắt giảm, đơn giản hóa" not in page


def test_task_list_status_filter(client, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    page = client.get("/tasks/?status=partial").get_data(as_text=True)
    assert "Đẩy nhanh tiến độ chuẩn hóa chế độ báo cáo" in page
    assert "Thực hiện nghiêm việc tiếp nhận" not in page


def test_bad_filter_values_do_not_break_the_page(client, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    assert client.get("/tasks/?status=bogus&directive=abc&page=-3").status_code == 200


def test_journal_shows_labels_names_and_dates_not_raw_values(client, db, make_user):
    from datetime import date

    from app.agencies.services import resolve_agency
    from app.audit import set_actor
    from app.tasks.models import Status

    make_user(Role.OFFICE, "office1")
    task = db.scalar(select(Task).where(Task.outline == "9", Task.title.startswith("Đẩy nhanh")))
    set_actor(db, None, "test edit")
    task.status = Status.COMPLETED
    task.completed_on = date(2023, 6, 20)
    task.lead_agency_id = resolve_agency(db, "Sở TT&TT").id
    db.commit()
    login(client, "office1")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    journal = page[page.index('data-testid="journal"') :]
    assert "Hoàn thành" in journal
    assert "20/06/2023" in journal
    assert "Sở Thông tin và Truyền thông" in journal
    for raw in ("completed", "2023-06-20", "completed_on", "lead_agency_id"):
        assert raw not in journal, raw
