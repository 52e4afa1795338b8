from sqlalchemy import select

from app.auth.models import Role
from app.directives.models import Directive
from tests.conftest import login


def test_directive_list_and_detail_show_the_resolution_and_its_tasks(client, db, make_user):
    make_user(Role.LEADER, "leader1")
    login(client, "leader1")
    listing = client.get("/directives/").get_data(as_text=True)
    assert "131/NQ-CP" in listing
    directive = db.scalar(select(Directive).where(Directive.number == "131/NQ-CP"))
    page = client.get(f"/directives/{directive.id}").get_data(as_text=True)
    assert "Về nâng cao hiệu quả thực thi thủ tục hành chính" in page  # section II title
    assert "Giai đoạn 2023-2025" in page
    assert "ngày 06 tháng 10 năm 2022" in page


def test_directive_search_is_accent_insensitive(client, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    page = client.get("/directives/?q=ket luan").get_data(as_text=True)
    assert "Ý kiến kết luận của Chủ tịch" in page
    assert "131/NQ-CP" not in page


def test_unknown_directive_is_404_page(client, make_user):
    make_user(Role.OFFICE, "office1")
    login(client, "office1")
    response = client.get("/directives/999999")
    assert response.status_code == 404
    assert "không tồn tại" in response.get_data(as_text=True)
