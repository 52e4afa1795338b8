"""The leader's pages: the clock on DASHBOARD_DAY (tests/fixtures/dashboard.py builds the
world), a logged-in client per role of the world, and a reader of the pages' HTML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from tests.conftest import login
from tests.freeze import DASHBOARD_MOMENT


@pytest.fixture
def moment() -> str:
    return DASHBOARD_MOMENT


@pytest.fixture
def as_user(app, dashboard_world):
    """A logged-in client for one of the world's users (the clock already frozen)."""

    def make(who: str, lang: str = "en"):
        user = dashboard_world.leaders.get(who) or dashboard_world.users[who]
        client = app.test_client()
        assert login(client, user.username).status_code == 302
        with client.session_transaction() as session:
            session["lang"] = lang  # English: the messages are asserted by their msgids
        return client

    return make


# --- reading pages ------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node] = field(default_factory=list)
    parts: list[str | Node] = field(default_factory=list)  # text and children's text, in order

    @property
    def text(self) -> str:
        return " ".join("".join(self._pieces()).split())

    def _pieces(self) -> Iterator[str]:
        for part in self.parts:
            yield part if isinstance(part, str) else "".join(part._pieces())

    def all(self, testid: str) -> list[Node]:
        """Every element below this one with `data-testid="{testid}"`, in document order."""
        found = []
        for child in self.children:
            if child.attrs.get("data-testid") == testid:
                found.append(child)
            found.extend(child.all(testid))
        return found

    def one(self, testid: str) -> Node:
        (found,) = self.all(testid)
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        self.stack[-1].parts.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    return builder.root
