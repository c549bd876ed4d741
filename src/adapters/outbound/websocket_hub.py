"""Moved to `src.adapters.websocket.hub`; kept so that imports elsewhere keep working."""

from src.adapters.websocket.hub import WebSocketHub

__all__ = ["WebSocketHub"]
