import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.text import fold, nfc


def test_fold_finds_so_tai_chinh_from_plain_ascii_and_from_nfd():
    key = fold("Sở Tài chính")
    assert key == "so tai chinh"
    assert fold("so tai chinh") == key
    assert fold(unicodedata.normalize("NFD", "Sở Tài chính")) == key
    assert fold("SỞ TÀI CHÍNH") == key


def test_fold_maps_d_with_stroke_and_collapses_spaces():
    assert fold("Đài  Phát thanh\tvà Truyền hình") == "dai phat thanh va truyen hinh"
    assert fold("đổi mới") == "doi moi"


@given(st.text())
def test_fold_is_idempotent_and_ignores_normal_form(value):
    assert fold(fold(value)) == fold(value)
    assert fold(unicodedata.normalize("NFD", value)) == fold(unicodedata.normalize("NFC", value))


def test_nfc_composes_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Thông báo kết luận")
    assert decomposed != "Thông báo kết luận"
    assert nfc(decomposed) == "Thông báo kết luận"
    assert nfc(None) is None
