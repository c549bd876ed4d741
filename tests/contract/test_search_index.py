"""The SearchIndex contract: a base class, and a short subclass per implementation (the SQLite
adapter over the SearchDatabase, and the test fake)."""

import pytest

from src.adapters.outbound.sqlite_search import SqliteSearchIndex
from src.domain.search import SearchPage
from src.search.database import SearchDatabase
from tests.fakes import FakeSearchIndex

RECORDS = [{"id": str(n), "source": "slack", "date": f"2026-11-{n:02d}", "content": f"budget note {n}"}
           for n in range(1, 21)]


class SearchIndexContract:
    """Subclass with `make_index(records, folder)`: an index holding `records` (id, source, date,
    content); `close()` releases it."""

    def make_index(self, records, folder):
        raise NotImplementedError

    def close(self) -> None:
        pass

    @pytest.fixture
    def index(self, tmp_path):
        yield self.make_index(list(RECORDS), tmp_path)
        self.close()

    @pytest.mark.parametrize("query", ['"unbalanced', "-", "*", "a:b", "(x", "AND OR NOT", "\x00", "é" * 500])
    async def test_any_text_is_a_safe_query(self, index, query):
        page = await index.search(query)
        assert isinstance(page, SearchPage) and page.query == query

    async def test_limit_and_offset_are_honoured(self, index):
        first = await index.search("budget", limit=5)
        second = await index.search("budget", limit=5, offset=5)
        assert len(first.hits) == 5 and len(second.hits) == 5
        assert not {h.id for h in first.hits} & {h.id for h in second.hits}

    async def test_stats_count_by_source_and_in_total(self, index):
        stats = await index.stats()
        assert isinstance(stats["total"], int) and stats["total"] == sum(stats["by_source"].values())

    async def test_filters_are_exact(self, index):
        page = await index.search("budget", source="drive")
        assert page.hits == ()
        dated = await index.search("budget", since="2026-11-05", until="2026-11-06")
        assert sorted(hit.id for hit in dated.hits) == ["5", "6"]

    async def test_added_records_are_searchable_by_source(self, index):
        outcome = await index.add_records([{"id": "ev-1", "summary": "Quarterly zeppelin offsite", "date": "2026-11-20"}],
                                          "calendar")
        assert (outcome.indexed, outcome.failed) == (1, 0)
        page = await index.search("zeppelin", source="calendar")
        assert [hit.source for hit in page.hits] == ["calendar"]
        assert (await index.search("zeppelin", source="slack")).hits == ()

    async def test_a_record_added_again_replaces_the_first(self, index):
        before = (await index.stats())["total"]
        await index.add_records([{"id": "f-1", "name": "zeppelin plan v1", "date": "2026-11-20"}], "drive")
        await index.add_records([{"id": "f-1", "name": "zeppelin plan v2", "date": "2026-11-21"}], "drive")
        assert (await index.stats())["total"] == before + 1
        assert len((await index.search("zeppelin")).hits) == 1

    async def test_a_record_without_text_is_reported_and_the_others_go_in(self, index):
        outcome = await index.add_records([{"id": "e-1"}, {"id": "e-2", "real_name": "Zelda Zeppelin"}], "employees")
        assert (outcome.indexed, outcome.failed) == (1, 1)
        assert outcome.failures[0]["index"] == 0 and outcome.failures[0]["reason"]
        assert len((await index.search("zelda")).hits) == 1

    async def test_removed_records_are_found_no_more_and_others_stay(self, index):
        await index.add_records([{"id": "ev-1", "summary": "zeppelin review", "date": "2026-11-20"},
                                 {"id": "ev-2", "summary": "zeppelin launch", "date": "2026-11-21"}], "calendar")
        before = (await index.stats())["total"]
        assert await index.remove_records("calendar", ["ev-1", "never-indexed"]) == 1
        assert await index.remove_records("slack", ["ev-2"]) == 0  # another source's id is not this one
        assert (await index.search("review")).hits == ()
        assert len((await index.search("zeppelin")).hits) == 1 and len((await index.search("launch")).hits) == 1
        assert (await index.stats())["total"] == before - 1

    async def test_a_slack_message_is_one_row_by_conversation_and_ts_however_it_arrived(self, index):
        exported = {"conversation_id": "C1", "ts": "100.000200", "client_msg_id": "abc", "text": "zeppelin draft"}
        from_an_event = {"conversation_id": "C1", "ts": "100.000200", "text": "zeppelin final"}
        await index.add_records([exported], "slack")
        await index.add_records([from_an_event], "slack")
        hits = (await index.search("zeppelin")).hits
        assert len(hits) == 1 and "final" in hits[0].snippet

    async def test_deleted_records_are_found_no_more_and_unknown_ids_are_no_error(self, index):
        await index.add_records([{"conversation_id": "C1", "ts": "1.0", "text": "zeppelin one"},
                                 {"conversation_id": "C1", "ts": "2.0", "text": "zeppelin two"}], "slack")
        before = (await index.stats())["total"]
        assert await index.remove_records("slack", ["C1/1.0", "C404/9.0"]) == 1
        assert await index.remove_records("calendar", ["C1/2.0"]) == 0  # another source's ids
        hits = (await index.search("zeppelin")).hits
        assert [h.snippet for h in hits] and all("two" in h.snippet for h in hits)
        assert (await index.stats())["total"] == before - 1


class TestSqliteSearchIndex(SearchIndexContract):
    def make_index(self, records, folder):
        self.database = SearchDatabase(folder / "search.db")
        self.database.index_records_batch(
            [{"id": r["id"], "text": r["content"], "date": r["date"]} for r in records], "slack")
        return SqliteSearchIndex(self.database)

    def close(self) -> None:
        self.database.close()


class TestFakeSearchIndex(SearchIndexContract):
    def make_index(self, records, folder):
        return FakeSearchIndex(records)


class TestSearchWithBylines(TestSqliteSearchIndex):
    """The index the app wires: the SQLite one behind the hits' bylines."""

    def make_index(self, records, folder):
        from src.application.search_bylines import SearchWithBylines

        return SearchWithBylines(super().make_index(records, folder))
