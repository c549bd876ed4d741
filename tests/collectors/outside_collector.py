"""A collector written outside the project, as a person would write one against the collector hooks:
it reports progress, adds its records to the index and replaces the board's priorities."""

import asyncio

from src.application.collector_hooks import CollectorHooks

DEALS = [
    {"id": "deal-1", "text": "Renewal with Globex closes Friday, procurement wants a discount", "date": "2026-11-24"},
    {"id": "deal-2", "text": "Initech pilot extended to January", "date": "2026-11-25"},
    {"id": "deal-3"},  # nothing to read: reported by the index, the others go in
]


class CrmCollector:
    name = "crm"
    steps = 5
    page_delay_s = 0.15  # a page from the CRM's export; slow enough for each report to show

    def __init__(self, hooks: CollectorHooks) -> None:
        self.hooks = hooks
        self.outcomes = []

    async def collect(self, mode: str, report) -> None:
        for step in range(self.steps):
            await report(step / self.steps, f"crm: reading deals page {step + 1}")
            await asyncio.sleep(self.page_delay_s)
        self.outcomes.append(await self.hooks.add_records(DEALS, "crm"))
        await self.hooks.replace_priorities([
            {"title": "Call Globex about the renewal discount", "due_date": "2026-11-27", "key": "crm-globex"},
            {"title": "Send Initech the pilot extension", "status": "partial", "key": "crm-initech"},
        ])
        await report(1.0, "crm: 2 deals")


class BrokenCrmCollector(CrmCollector):
    """Sends the board an item it cannot take: the collection says which source and why."""

    async def collect(self, mode: str, report) -> None:
        await self.hooks.replace_priorities([{"status": "done"}])
