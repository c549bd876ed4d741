"""A collector written elsewhere that reads asks and promises itself and sends them with their
`origin` (contract section 6), the same items on every collection, as a real source would. The
items are the JSON file named by ORIGIN_ITEMS_FILE: {"priorities": [...], "owe": [...], "owed": [...]}."""

import json
import os
from pathlib import Path

from src.application.collector_hooks import CollectorHooks


class OriginCollector:
    name = "origin-items"

    def __init__(self, hooks: CollectorHooks) -> None:
        self.hooks = hooks

    async def collect(self, mode: str, report) -> None:
        await report(0.0, "origin-items: reading")
        items = json.loads(Path(os.environ["ORIGIN_ITEMS_FILE"]).read_text())
        await self.hooks.replace_priorities(items.get("priorities", []))
        await self.hooks.replace_commitments(items.get("owe", []), items.get("owed", []))
        await report(1.0, "origin-items: done")
