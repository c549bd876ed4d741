"""The built-in message reader (contract section 6): commitments and asks from the person's messages."""

from src.adapters.outbound.reader.reader import BuiltinReader

__all__ = ["BuiltinReader"]
