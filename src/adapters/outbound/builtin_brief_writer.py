"""The built-in `BriefWriter`: a template paragraph from the brief's facts, on this machine, always."""

from __future__ import annotations

from src.application.ports import WrittenSummary
from src.domain.briefs import BUILT_IN, built_in_summary
from src.domain.state import Brief


class BuiltinBriefWriter:
    async def summary(self, brief: Brief) -> WrittenSummary:
        return WrittenSummary(built_in_summary(brief), BUILT_IN)
