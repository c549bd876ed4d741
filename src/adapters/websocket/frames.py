"""Every frame on `/ws`, both ways: what the server sends is built here and nowhere else, and what a
client sends is read here. A state frame is serialised once per version, whatever the number of
clients (see `Change`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.outbound.state_patches import state_patch
from src.domain.state import DashboardState


def _frame(kind: str, **fields: Any) -> str:
    return orjson.dumps({"type": kind, **fields}).decode()


class Frames:
    """The server's frames. State frames go through the shared encoder (one encoding per version)."""

    def __init__(self, encoder: StateEncoder) -> None:
        self._encoder = encoder

    def document(self, state: DashboardState) -> str:
        """Protocol v1: the state document itself."""
        return self._encoder.encode(state)

    def snapshot(self, state: DashboardState, recovered: bool | None = None) -> str:
        meta = state.meta
        extra = "" if recovered is None else f',"recovered":{"true" if recovered else "false"}'
        return (f'{{"type":"snapshot","epoch":{orjson.dumps(meta.epoch).decode()},"version":{meta.version}'
                f'{extra},"state":{self._encoder.encode(state)}}}')

    @staticmethod
    def patch(old: DashboardState, new: DashboardState) -> str:
        meta = new.meta
        return _frame("patch", epoch=meta.epoch, **{"from": old.meta.version, "to": meta.version},
                      ops=state_patch(old, new))

    @staticmethod
    def hello(state: DashboardState, heartbeat_s: float) -> str:
        return _frame("hello", protocol=2, epoch=state.meta.epoch, version=state.meta.version,
                      heartbeat_s=heartbeat_s)

    @staticmethod
    def heartbeat(version: int | None) -> str:
        return _frame("heartbeat", version=version)

    @staticmethod
    def pong(id_: Any) -> str:
        return _frame("pong", id=id_)

    @staticmethod
    def result(id_: Any, answer: dict[str, Any]) -> str:
        return _frame("result", id=id_, **answer)

    @staticmethod
    def failed_result(id_: Any, error: dict[str, Any]) -> str:
        """A command refused: `error` is the REST error envelope's content."""
        return _frame("result", id=id_, error=error)

    @staticmethod
    def error(code: str, message: str, id_: Any = None) -> str:
        fields = {"error": {"code": code, "message": message, "details": []}}
        return _frame("error", **({"id": id_} if id_ is not None else {}), **fields)


class Change:
    """One published change, as every connection may need it; each frame is made at most once,
    and only if some connection asks for it."""

    def __init__(self, frames: Frames, state: DashboardState, patch: str | None) -> None:
        self.state = state
        self.epoch, self.version = state.meta.epoch, state.meta.version
        self.patch = patch  # the v2 patch from version - 1, or None when there is no such step
        self._frames = frames
        self._document: str | None = None
        self._snapshot: str | None = None

    def document(self) -> str:
        if self._document is None:
            self._document = self._frames.document(self.state)
        return self._document

    def snapshot(self) -> str:
        if self._snapshot is None:
            self._snapshot = self._frames.snapshot(self.state)
        return self._snapshot


# -- what clients send (protocol v2) -------------------------------------------------------------------

def parse(message: Mapping[str, Any]) -> dict[str, Any] | str:
    """The client's frame as an object, or the reason it is not one."""
    text = message.get("text")
    if text is None:
        return "frames must be JSON text, not binary"
    try:
        frame = orjson.loads(text)
    except orjson.JSONDecodeError:
        return "frame is not valid JSON"
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        return 'frame must be a JSON object with a "type"'
    return frame


def resume_point(frame: dict[str, Any]) -> tuple[str, int] | str:
    """(epoch, version) of a `resume` frame, or the reason it has none."""
    epoch, version = frame.get("epoch"), frame.get("version")
    if not isinstance(epoch, str) or not isinstance(version, int) or isinstance(version, bool):
        return 'resume needs "epoch" (a string) and "version" (an integer)'
    return epoch, version
