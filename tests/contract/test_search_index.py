"""The SearchIndex contract: the null index of this version and the test fake (the SQLite one joins)."""

import pytest

from src.adapters.outbound.null_search import NullSearchIndex
from src.domain.search import SearchPage
from tests.fakes import FakeSearchIndex

RECORDS = [{"id": str(n), "source": "slack", "date": f"2026-11-{n:02d}", "content": f"budget note {n}"}
           for n in range(1, 21)]


@pytest.fixture(params=["null", "fake"])
def index(request):
    return NullSearchIndex() if request.param == "null" else FakeSearchIndex(list(RECORDS))


@pytest.mark.parametrize("query", ['"unbalanced', "-", "*", "a:b", "(x", "AND OR NOT", "\x00", "é" * 500])
async def test_any_text_is_a_safe_query(index, query):
    page = await index.search(query)
    assert isinstance(page, SearchPage) and page.query == query


async def test_limit_and_offset_are_honoured(index):
    first = await index.search("budget", limit=5)
    second = await index.search("budget", limit=5, offset=5)
    assert len(first.hits) <= 5 and len(second.hits) <= 5
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


async def test_stats_count_by_source_and_in_total(index):
    stats = await index.stats()
    assert isinstance(stats["total"], int) and stats["total"] == sum(stats["by_source"].values())
