"""The state document as JSON text, made once per version and shared by every client and request."""

from __future__ import annotations

import orjson

from src.domain.state import DashboardState


class StateEncoder:
    def __init__(self) -> None:
        self._key: tuple[str, int] | None = None
        self._text = ""

    def encode(self, state: DashboardState) -> str:
        key = (state.meta.epoch, state.meta.version)
        if key != self._key:
            self._text = orjson.dumps(state.to_document()).decode()
            self._key = key
        return self._text
