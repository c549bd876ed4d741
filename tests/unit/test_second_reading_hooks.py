"""The second reading as a step of ExtractItems and DeriveItems: what it finds reaches the caller and
the board; without one configured nothing changes."""

from __future__ import annotations

from dependency_injector import providers

from src.application.use_cases.extract_items import ExtractItems, MessageToRead
from src.domain.items import ItemKind
from tests.fakes import FakeReader, FakeSecondReading, FixedClock
from tests.unit.test_derive_items import StaticSource, app_over, collect, CountingReader, dana

MISSED = "need a list of desks from you before monday"  # the fake reader finds nothing in it


async def test_extract_gives_what_the_second_reading_found():
    second = FakeSecondReading({"m2": ItemKind.ASK_TO_ME})
    use_case = ExtractItems(FakeReader(), FixedClock(), ("U01ALEX",), second)
    items = await use_case([MessageToRead("m1", "can you review the budget?", "Dana Lee"),
                            MessageToRead("m2", MISSED, "Dana Lee")])
    assert [(item.message_id, item.kind) for item in items] == [("m1", ItemKind.ASK_TO_ME), ("m2", ItemKind.ASK_TO_ME)]
    assert second.calls == 1


async def test_extract_without_a_second_reading_reads_once():
    items = await ExtractItems(FakeReader(), FixedClock(), ("U01ALEX",))([MessageToRead("m2", MISSED, "Dana Lee")])
    assert items == []


async def test_a_collection_puts_what_the_second_reading_found_on_the_board_and_reads_it_once():
    source = StaticSource(dana("100.0", "can you send the deck today?"), dana("101.0", MISSED))
    container = app_over(source, CountingReader())
    second = FakeSecondReading({"D1/101.0": ItemKind.ASK_TO_ME})
    container.second_reading.override(providers.Object(second))
    state = await collect(container, "quick")
    assert [p.title for p in state.priorities] == ["can you send the deck today?", MISSED]
    await collect(container, "quick")  # nothing changed: nothing read again, the reading kept
    assert second.given == [["D1/100.0", "D1/101.0"], []]
    assert [p.title for p in (await container.state_repository().load()).priorities] == [
        "can you send the deck today?", MISSED]


async def test_without_a_model_the_container_has_no_second_reading_and_no_model():
    container = app_over(StaticSource(), CountingReader())
    assert container.language_model() is None and container.second_reading() is None
