"""Agency search and administration rules: folded uniqueness, aliases kept in sync."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.agencies.models import Agency, AgencyAlias, AgencyKind
from app.agencies.services import (
    AgencyInput,
    leaders,
    matching_alias,
    parse_aliases,
    resolve_agency,
    save_agency,
    search_agencies,
    set_agency_active,
)
from app.auth.models import Role
from app.errors import ValidationFailed
from app.text import fold


def _names(agencies) -> list[str]:
    return [a.name for a in agencies]


def _key_parts(agency: Agency) -> tuple[set[str], set[str]]:
    """The stored search key's parts and those of the agency's current spellings (the order
    of aliases follows the collection's, so compare as sets)."""
    return set(agency.search_key.split(" | ")), {fold(p) for p in agency.search_parts() if p}


def _input(agency: Agency, **changes) -> AgencyInput:
    """The agency as the edit form would send it back, with `changes`."""
    values = {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "aliases": tuple(a.alias for a in agency.aliases),
        "email": agency.email,
        "supervisor_id": agency.supervisor_id,
    }
    values.update(changes)
    return AgencyInput(**values)


# --- search -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["so tttt", "Sở TT&TT", "STTTT", "thong tin truyen thong"])
def test_search_folds_and_knows_aliases(db, query):
    assert "Sở Thông tin và Truyền thông" in _names(search_agencies(db, query))


def test_search_leaves_out_inactive_agencies_unless_asked(db):
    agency = resolve_agency(db, "Sở Tài chính")
    set_agency_active(db, agency, False)
    assert agency not in search_agencies(db, "tai chinh")
    assert agency in search_agencies(db, "tai chinh", include_inactive=True)


def test_search_limit_and_no_limit(db):
    assert len(search_agencies(db, "", limit=5)) == 5
    active = db.scalars(select(Agency).where(Agency.active.is_(True))).all()
    assert len(search_agencies(db, "", limit=None)) == len(active)


def test_matching_alias_names_the_alias_that_matched(db):
    agency = resolve_agency(db, "Sở TT&TT")
    assert matching_alias(agency, "stttt") == "STTTT"
    assert matching_alias(agency, "thong tin") is None  # the name itself matched
    assert matching_alias(agency, "") is None


def test_parse_aliases_one_per_line():
    assert parse_aliases("  Sở A \n\n Sở B\r\n") == ["Sở A", "Sở B"]
    assert parse_aliases(None) == []


# --- create / edit ------------------------------------------------------------------------


def test_create_agency_with_aliases(db):
    agency = save_agency(
        db,
        data=AgencyInput(
            name="Sở Du lịch",
            short_name="SDL",
            kind=AgencyKind.DEPARTMENT,
            aliases=("Sở Du lịch tỉnh", "Sở DL", "sở dl", "SỞ DU LỊCH"),
            email="sdl@example.vn",
        ),
    )
    # Repeats of another alias or of the name (folded) are dropped.
    assert sorted(a.alias for a in agency.aliases) == ["Sở DL", "Sở Du lịch tỉnh"]
    stored, expected = _key_parts(agency)
    assert stored == expected
    assert resolve_agency(db, "so dl") is agency
    assert search_agencies(db, "du lich tinh") == [agency]


def test_a_name_taken_in_another_case_or_accent_is_refused(db):
    with pytest.raises(ValidationFailed) as error:
        save_agency(db, data=AgencyInput(name="so tai chinh"))
    assert "Sở Tài chính" in error.value.reasons["name"][0]


def test_a_name_that_is_another_agencys_alias_is_refused(db):
    with pytest.raises(ValidationFailed) as error:
        save_agency(db, data=AgencyInput(name="Sở TTTT"))
    assert "Sở Thông tin và Truyền thông" in error.value.reasons["name"][0]


def test_a_short_name_taken_elsewhere_is_refused(db):
    with pytest.raises(ValidationFailed) as error:
        save_agency(db, data=AgencyInput(name="Sở Mới", short_name="sở tt&tt"))
    assert "Sở Thông tin và Truyền thông" in error.value.reasons["short_name"][0]


def test_an_alias_of_another_agency_is_refused_naming_that_agency(db):
    finance = resolve_agency(db, "Sở Tài chính")
    count = len(finance.aliases)
    with pytest.raises(ValidationFailed) as error:
        save_agency(db, data=_input(finance, aliases=("STC", "stttt")), agency=finance)
    (message,) = error.value.reasons["aliases"]
    assert "stttt" in message
    assert "Sở Thông tin và Truyền thông" in message
    db.refresh(finance)
    assert len(finance.aliases) == count


def test_an_alias_that_is_another_agencys_name_is_refused(db):
    finance = resolve_agency(db, "Sở Tài chính")
    with pytest.raises(ValidationFailed) as error:
        save_agency(db, data=_input(finance, aliases=("SO NOI VU",)), agency=finance)
    assert "Sở Nội vụ" in error.value.reasons["aliases"][0]


def test_an_agency_keeps_its_own_spellings_when_edited(db):
    agency = resolve_agency(db, "Sở TT&TT")
    saved = save_agency(db, data=_input(agency, email="stttt@example.vn"), agency=agency)
    assert saved.email == "stttt@example.vn"


def test_alias_edits_keep_rows_and_search_key_in_sync(db):
    agency = resolve_agency(db, "Sở TT&TT")
    kept = next(a for a in agency.aliases if a.alias == "STTTT")
    before = tuple(a.alias for a in agency.aliases)
    save_agency(db, data=_input(agency, aliases=(*before, "Sở Bưu điện")), agency=agency)
    db.commit()
    assert agency in search_agencies(db, "so buu dien")

    # Drop the new alias and "Sở TTTT", add another: rows and search key follow.
    aliases = tuple(a for a in before if a != "Sở TTTT") + ("Sở Viễn thông",)
    save_agency(db, data=_input(agency, aliases=aliases), agency=agency)
    db.commit()
    db.expire_all()

    agency = db.get(Agency, agency.id)
    spelled = [a.alias for a in agency.aliases]
    assert "Sở Viễn thông" in spelled
    assert "Sở TTTT" not in spelled
    assert "Sở Bưu điện" not in spelled
    assert kept.id in [a.id for a in agency.aliases]  # untouched rows stay
    keys = set(db.scalars(select(AgencyAlias.alias_key)))
    assert "so vien thong" in keys
    assert "so tttt" not in keys  # the dropped aliases' rows are gone
    assert "so buu dien" not in keys
    stored, expected = _key_parts(agency)
    assert stored == expected
    assert "so vien thong" in stored
    assert "so buu dien" not in stored
    assert agency in search_agencies(db, "so vien thong")
    assert agency not in search_agencies(db, "so buu dien")
    assert resolve_agency(db, "Sở TTTT") is None
    assert resolve_agency(db, "so vien thong") is agency


def test_respelling_an_alias_updates_the_same_row(db):
    agency = resolve_agency(db, "Sở TT&TT")
    row = next(a for a in agency.aliases if a.alias == "STTTT")
    aliases = tuple("sTTTT" if a.alias == "STTTT" else a.alias for a in agency.aliases)
    save_agency(db, data=_input(agency, aliases=aliases), agency=agency)
    db.flush()
    assert row.alias == "sTTTT"
    assert row in agency.aliases


def test_only_an_active_leader_may_supervise(db, make_user):
    office = make_user(Role.OFFICE, "office1")
    leader = make_user(Role.LEADER, "pct1")
    agency = resolve_agency(db, "Sở Nội vụ")
    with pytest.raises(ValidationFailed) as error:
        save_agency(db, data=_input(agency, supervisor_id=office.id), agency=agency)
    assert "supervisor_id" in error.value.reasons
    assert leader in leaders(db)
    save_agency(db, data=_input(agency, supervisor_id=leader.id), agency=agency)
    assert agency.supervisor is leader

    leader.active = False
    db.flush()
    assert leader not in leaders(db)


def test_overlong_alias_is_refused(db):
    agency = resolve_agency(db, "Sở Nội vụ")
    with pytest.raises(ValidationFailed) as error:
        save_agency(db, data=_input(agency, aliases=("x" * 256,)), agency=agency)
    assert "aliases" in error.value.reasons
