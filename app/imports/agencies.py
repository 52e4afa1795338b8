"""Agencies as a document writes them: matched to the agency table, proposed as new, or read
as a group ("Các sở, ban, ngành") and expanded to the agencies of its kinds.

One query loads the table (`agency_index`); every lookup after that is in memory.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app.agencies.models import Agency, AgencyKind
from app.agencies.services import agency_index
from app.imports.preview import MATCHED, NEW, AgencyRef, ProposedAgency
from app.text import fold, nfc

# A collective, not one organisation: "các …", "những …", "cấp huyện", "… liên quan",
# "địa phương", or a list of administrative levels ("UBND huyện, thị xã, thành phố").
_GROUP = re.compile(
    r"^(?:cac|nhung)\b|\b(?:cac|nhung) |\bcap (?:tinh|huyen|xa)\b|\blien quan\b"
    r"|\bdia phuong\b|, (?:thi xa|thanh pho|xa|phuong|thi tran|huyen)\b"
)
# Which kinds of agency a group names. A group "… liên quan" (the ones concerned) names no
# agency in particular and is never expanded.
_GROUP_KINDS = (
    (re.compile(r"\bso\b|\bnganh\b"), AgencyKind.DEPARTMENT),
    (re.compile(r"\bhuyen\b|\bthi xa\b|\bthanh pho\b|\bdia phuong\b"), AgencyKind.DISTRICT),
    (re.compile(r"\btrung uong\b"), AgencyKind.CENTRAL),
    (re.compile(r"\bdoan the\b|\bto chuc chinh tri\b"), AgencyKind.PARTY_MASS),
)
_PROVINCES = re.compile(r"\bcac tinh\b(?:, thanh pho)?|\btruc thuoc trung uong\b")
# The kind a new agency probably is, from its first words.
_KIND_GUESSES = (
    (re.compile(r"^(?:so|van phong (?:ubnd|uy ban nhan dan))\b"), AgencyKind.DEPARTMENT),
    (re.compile(r"^(?:ubnd|uy ban nhan dan) (?:huyen|thi xa|thanh pho)\b"), AgencyKind.DISTRICT),
    (re.compile(r"^(?:cuc|chi cuc|cong an|kho bac|bao hiem xa hoi)\b"), AgencyKind.CENTRAL),
    (
        re.compile(r"^(?:tinh uy|tinh doan|hoi|mat tran|lien doan|van phong tinh uy)\b"),
        AgencyKind.PARTY_MASS,
    ),
)


def is_group(name: str) -> bool:
    """Whether `name` names a collective rather than one organisation."""
    return bool(_GROUP.search(fold(name)))


def group_kinds(name: str) -> list[AgencyKind]:
    """The kinds of agency a group names ([] when it names none, or only "the ones concerned").
    "UBND các tỉnh, thành phố trực thuộc Trung ương" names provinces (none in a province's
    table), not a province's districts and cities."""
    folded = fold(name)
    if "lien quan" in folded:
        return []
    folded = _PROVINCES.sub(" ", folded)
    return [kind for pattern, kind in _GROUP_KINDS if pattern.search(folded)]


def guess_kind(name: str) -> AgencyKind:
    """The kind a new agency named `name` probably is."""
    folded = fold(name)
    return next(
        (kind for pattern, kind in _KIND_GUESSES if pattern.search(folded)), AgencyKind.OTHER
    )


def clean_name(written: str) -> str:
    return nfc(" ".join(written.split()).strip(" .,;:")) or ""


class AgencyMatcher:
    """Names → agencies for one import; unknown names become proposals, gathered by name."""

    def __init__(self, session: Session, province: str | None = None) -> None:
        self.index = agency_index(session)
        self.province = fold(province) if province else ""
        self.proposals: dict[str, ProposedAgency] = {}

    def find(self, written: str) -> Agency | None:
        """The agency written as `written`, also when it adds or drops "tỉnh (Bình Định)"."""
        key = fold(clean_name(written))
        if not key:
            return None
        candidates = [key, f"{key} tinh"]
        for suffix in (f" tinh {self.province}", f" {self.province}", " tinh"):
            if suffix.strip() and key.endswith(suffix):
                candidates.append(key[: -len(suffix)])
        return next((self.index[c] for c in candidates if c in self.index), None)

    def ref(self, written: str) -> AgencyRef:
        """A matched reference, or a proposal of a new agency under the name as written."""
        agency = self.find(written)
        if agency is not None:
            return AgencyRef(written=written, status=MATCHED, agency_id=agency.id, name=agency.name)
        name = clean_name(written)
        proposal = self.proposals.setdefault(
            fold(name), ProposedAgency(name=name, kind=guess_kind(name).value)
        )
        if written not in proposal.written:
            proposal.written.append(written)
        return AgencyRef(written=written, status=NEW, name=proposal.name)

    def members(self, group: str) -> list[Agency]:
        """The active agencies of the kinds `group` names, by name ([] when it names none)."""
        kinds = set(group_kinds(group))
        agencies = {a.id: a for a in self.index.values() if a.kind in kinds and a.active}
        return sorted(agencies.values(), key=lambda a: fold(a.name))
