"""The candidates of a search: the most recent records that match and pass the filters, with BM25.

Candidates stream from FTS5 newest first and are taken until CANDIDATES are in or the search's
time budget is spent, so a query whose matches are costly to score (long phrases over very repetitive
records) answers with the best of what it reached instead of running on.
"""

from __future__ import annotations

import heapq
import sqlite3
import time
from itertools import islice
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

CANDIDATES = 2000  # most recent matches that BM25 ranks; the rest are older than what a person wants


def _day_after(day: str) -> str:
    return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()


@dataclass(frozen=True, slots=True)
class Filters:
    """A search's filters: its source, and its period as SQL conditions on `messages.date` (with
    their values, in order)."""

    source: str | None = None
    date_conditions: tuple[str, ...] = ()
    date_values: tuple[Any, ...] = ()

    @classmethod
    def of(cls, source: str | None, since: str | None, until: str | None) -> Filters:
        conditions, values = [], []
        if since:
            conditions.append("date >= ?")
            values.append(since)
        if until:
            conditions.append("date < ?")
            values.append(_day_after(until))
        return cls(source or None, tuple(conditions), tuple(values))

    @property
    def conditions(self) -> tuple[str, ...]:
        """All the filters' conditions (values: `values`)."""
        return ("source = ?", *self.date_conditions) if self.source else self.date_conditions

    @property
    def values(self) -> tuple[Any, ...]:
        return (self.source, *self.date_values) if self.source else self.date_values

    @property
    def source_only(self) -> bool:
        return self.source is not None and not self.date_conditions


def candidate_queries(match: str, filters: Filters, id_ranges: list[tuple[int, int]]) -> list[tuple[str, list[Any]]]:
    """The SQL (with parameters) that lists the candidates, newest first: one query without
    filters, else one per id range of the rows that pass them. Within a range FTS5 skips the rest
    of its lists; the join keeps the filters exact inside it."""
    if not filters.conditions:
        return [("SELECT rowid, bm25(messages_fts, 1.0, 0.5) FROM messages_fts WHERE messages_fts MATCH ? "
                 "ORDER BY rowid DESC", [match])]
    where = " AND ".join(["messages_fts MATCH ?", "messages_fts.rowid BETWEEN ? AND ?",
                          *(f"m.{condition}" for condition in filters.conditions)])
    sql = (f"SELECT m.id, bm25(messages_fts, 1.0, 0.5) FROM messages_fts "
           f"JOIN messages AS m ON m.id = messages_fts.rowid WHERE {where} ORDER BY messages_fts.rowid DESC")
    return [(sql, [match, low, high, *filters.values]) for low, high in id_ranges]


def best_candidates(connection: sqlite3.Connection, queries: list[tuple[str, list[Any]]], wanted: int,
                    budget_s: float) -> list[tuple[int, float]]:
    """(id, bm25) of the `wanted` best among each query's CANDIDATES newest matches, best (lowest)
    first; what the queries reached within `budget_s` of the first candidate when they run out of
    time (FTS5 loads a word's whole list before the first one: that part is bounded by the
    query's words, the rest by the clock). A query FTS5 still refuses finds nothing rather than
    failing the request."""
    found: list[tuple[int, float]] = []
    deadline = None
    try:
        for sql, parameters in queries:
            # Row by row: a single row of a crafted record can take milliseconds to score.
            for row in islice(connection.execute(sql, parameters), CANDIDATES):
                found.append(row)
                now = time.monotonic()
                deadline = deadline or now + budget_s
                if now > deadline:
                    return heapq.nsmallest(wanted, found, key=lambda pair: pair[1])
    except sqlite3.OperationalError:
        return []
    return heapq.nsmallest(wanted, found, key=lambda pair: pair[1])
