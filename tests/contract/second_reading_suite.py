"""The SecondReading contract: one suite that the model-backed second reading and the fake pass.

Subclass `SecondReadingContract` with a `make` fixture: `make(answers, fail=False)` gives a second
reading that, for messages it is unsure of, reads `answers[id]` (an ItemKind or None for "nothing"),
or fails as a whole when `fail` is true. Readings under 0.7 confidence and missing readings of
plainly likely messages count as unsure; one of 0.95 does not.
"""

from __future__ import annotations

from src.application.ports import SecondReading
from src.domain.items import Item, ItemKind
from tests.contract.message_reader_suite import ME, dm

MESSAGES = [
    dm("could you maybe look at the numbers", id="m1"),
    dm("can you please send me the contract by friday?", id="m2"),
    dm("I'll send you the deck tomorrow", id="m3"),
]
FIRST = [
    Item("m1", ItemKind.ASK_TO_ME, "could you maybe look at the numbers", "Dana Lee", None, 0.5, "D1"),
    None,
    Item("m3", ItemKind.PROMISE_TO_ME, "I'll send you the deck tomorrow", "Dana Lee", None, 0.95, "D1"),
]


class SecondReadingContract:
    async def test_unsure_readings_are_read_again_and_sure_ones_stand(self, make):
        second = make({"m1": None, "m2": ItemKind.ASK_TO_ME, "m3": None})
        assert isinstance(second, SecondReading)
        result = await second.reread(MESSAGES, FIRST, ME)
        assert len(result) == 3
        assert result[0] is None  # the model found nothing in the unsure ask
        assert result[1] is not None and (result[1].message_id, result[1].kind) == ("m2", ItemKind.ASK_TO_ME)
        assert result[2] == FIRST[2]  # sure: never sent, never changed

    async def test_every_item_is_for_its_own_message(self, make):
        result = await make({"m1": ItemKind.ASK_TO_ME, "m2": ItemKind.ASK_TO_ME}).reread(MESSAGES, FIRST, ME)
        assert [item.message_id for item in result if item is not None] == [
            m.id for m, item in zip(MESSAGES, result) if item is not None]

    async def test_a_reading_that_fails_keeps_every_first_reading(self, make):
        assert await make({"m1": None, "m2": ItemKind.ASK_TO_ME}, fail=True).reread(MESSAGES, FIRST, ME) == FIRST

    async def test_nothing_to_read_is_nothing(self, make):
        assert await make({}).reread([], [], ME) == []
