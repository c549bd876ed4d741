"""The Collector contract as a base class: a collector written anywhere passes the same suite as the
built-in ones. Subclass it in a pytest module (name the subclass `Test...`) and say how to make
your collector; pytest runs every `test_` method below against it:

    from src.testing.collector_contract import CollectorContract

    class TestCrmCollector(CollectorContract):
        def make_collector(self, folder):
            return CrmCollector(self.hooks(folder))

`folder` is an empty folder of the test's own. `hooks(folder)` gives `CollectorHooks` over a fresh
board and search index there, for collectors that take them. Override `close()` to release what
`make_collector` opened (it runs after each test).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from src.application.collector_hooks import CollectorHooks
from src.application.ports import Collector

if TYPE_CHECKING:
    from src.bootstrap import Container


class CollectorContract:
    modes = ("quick", "full")
    _container: Container | None = None  # the one make_collector built, closed after each test

    def make_collector(self, folder: Path) -> Collector:
        raise NotImplementedError("say how to make the collector under test")

    def close(self) -> None:
        """Releases what `make_collector` opened; hooks made by `hooks()` are closed for you."""

    def hooks(self, folder: Path) -> CollectorHooks:
        from src.bootstrap import create_container
        from src.config import Settings

        self._container = create_container(Settings(_env_file=None, state_backend="memory", data_dir=folder))
        return self._container.collector_hooks()

    @pytest.fixture
    def collector(self, tmp_path: Path):
        self._container = None
        made = self.make_collector(tmp_path)
        yield made
        self.close()
        if self._container is not None:
            self._container.search_database().close()

    @staticmethod
    async def run(collector: Collector, mode: str) -> list[tuple[float, Any]]:
        reports: list[tuple[float, Any]] = []

        async def report(fraction: float, message: str | None) -> None:
            reports.append((fraction, message))

        await collector.collect(mode, report)
        return reports

    def test_it_has_a_name_to_show(self, collector):
        assert isinstance(collector.name, str) and collector.name.strip()

    @pytest.mark.parametrize("mode", modes)
    async def test_it_reports_progress_from_0_to_1_in_order_and_ends_at_1(self, collector, mode):
        reports = await self.run(collector, mode)
        fractions = [fraction for fraction, _ in reports]
        assert fractions, "a collector must report its progress: the bar shows nothing otherwise"
        assert all(0 <= fraction <= 1 for fraction in fractions), fractions
        assert fractions == sorted(fractions), f"progress went back: {fractions}"
        assert fractions[-1] == 1, f"a finished collector says so by reporting 1.0, not {fractions[-1]}"

    async def test_messages_are_short_text_or_none(self, collector):
        for _, message in await self.run(collector, "quick"):
            assert message is None or (isinstance(message, str) and len(message) <= 500), message

    async def test_it_can_run_again_as_every_collection_does(self, collector):
        await self.run(collector, "quick")
        again = await self.run(collector, "quick")
        assert again and again[-1][0] == 1
