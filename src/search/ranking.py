"""Ranking and highlighting on the text of the best candidates, where FTS5's BM25 cannot see
word order or distance.

Every step here is bounded whatever the content: a record is read up to its first
`WORDS_EXAMINED` words, each distinct word is compared with the query's terms once, phrases are
found by narrowing the positions of their first word (never by trying every start against every
word), and re-ranking stops at a deadline, keeping BM25's order for the candidates it did not reach.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from html import escape
from itertools import islice
from typing import NamedTuple

from src.search.query import ParsedQuery

SNIPPET_WORDS = 24
WORDS_EXAMINED = 1_000  # a record's first words that ranking and highlighting look at (a page of text)
WINDOW = 8  # "close together": every word within this many words of the first one

_WORD = re.compile(r"\w+", re.UNICODE)


def _matches(token: str, term: str) -> bool:
    # Close to the porter stemmer's view: "reviews", "reviewed" and "review" are one word.
    stem = term[: max(3, len(term) - 2)]
    return token.startswith(stem)


class TermMatcher:
    """Which of the query's terms a word matches, worked out once per distinct word."""

    def __init__(self, terms: Sequence[str]) -> None:
        self.terms = tuple(terms)
        self._known: dict[str, tuple[int, ...]] = {}

    def __call__(self, word: str) -> tuple[int, ...]:
        found = self._known.get(word)
        if found is None:
            lowered = word.lower()
            found = self._known[word] = tuple(i for i, term in enumerate(self.terms) if _matches(lowered, term))
        return found


def _words(content: str) -> Iterator[re.Match[str]]:
    return islice(_WORD.finditer(content), WORDS_EXAMINED)


class ProximityScorer:
    """1.0 when a multi-word group (a phrase, or all the words as typed) stands in order side by
    side; 0.5 when all the query's words stand within WINDOW words of the first one; otherwise 0."""

    def __init__(self, parsed: ParsedQuery) -> None:
        self._match = TermMatcher(parsed.terms)
        index = {term: i for i, term in enumerate(parsed.terms)}
        groups = (*parsed.phrases, parsed.terms)
        self._groups = [tuple(index[word] for word in group) for group in groups if len(group) >= 2]

    def bonus(self, content: str) -> float:
        terms = len(self._match.terms)
        if terms < 2:
            return 0.0
        positions: list[list[int]] = [[] for _ in range(terms)]
        for position, word in enumerate(_words(content)):
            for term in self._match(word.group()):
                positions[term].append(position)
        if any(not found for found in positions):
            return 0.0
        if any(self._stands_in_order(group, positions) for group in self._groups):
            return 1.0
        return 0.5 if self._close_together(positions) else 0.0

    @staticmethod
    def _stands_in_order(group: tuple[int, ...], positions: list[list[int]]) -> bool:
        starts = set(positions[group[0]])
        for offset, term in enumerate(group[1:], 1):
            at = set(positions[term])
            starts = {start for start in starts if start + offset in at}
            if not starts:
                return False
        return True

    @staticmethod
    def _close_together(positions: list[list[int]]) -> bool:
        first, others = positions[0], positions[1:]
        for anchor in first:
            if all(_nearest_distance(found, anchor) <= WINDOW for found in others):
                return True
        return False


def _nearest_distance(sorted_positions: list[int], anchor: int) -> int:
    at = bisect_left(sorted_positions, anchor)
    nearby = sorted_positions[max(0, at - 1): at + 1]
    return min(abs(position - anchor) for position in nearby)


class Candidate(NamedTuple):
    id: int
    bm25: float  # FTS5's: lower is better
    content: str


def rerank(candidates: Sequence[Candidate], parsed: ParsedQuery, deadline: float) -> list[tuple[float, int]]:
    """(relevance, id), best first: BM25 raised by the proximity bonus. Candidates come best BM25
    first; those not reached by `deadline` (time.monotonic()) keep their BM25 alone."""
    scorer = ProximityScorer(parsed)
    scored = []
    for rank, candidate in enumerate(candidates):
        bonus = scorer.bonus(candidate.content) if rank == 0 or time.monotonic() < deadline else 0.0
        scored.append((-candidate.bm25 * (1.0 + bonus), candidate.id))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return scored


def highlight(content: str, terms: Sequence[str], words: int = SNIPPET_WORDS,
              matcher: TermMatcher | None = None) -> str:
    """A window of `words` words around the first match (among the first WORDS_EXAMINED words),
    HTML-escaped, matches in <mark>; the message's opening when that window would hold nothing but
    matches."""
    match = matcher or TermMatcher(terms)
    pieces: list[re.Match[str]] = []
    first = None
    for piece in _words(content):
        pieces.append(piece)
        if first is None and match(piece.group()):
            first = len(pieces) - 1
        if first is not None and len(pieces) >= first + words:
            break
    if not pieces:
        return escape(content[:200])
    start = max(0, (first or 0) - words // 3)
    window = pieces[start: start + words]
    if start > 0 and all(match(piece.group()) for piece in window):
        # Nothing but the words searched for ("…Hermione Granger…") says nothing of the message:
        # its opening does.
        window = pieces[:words]
    # From the message's very start when the window opens it: "@Hermione Granger …", not "…Hermione…".
    begin_char, end_char = (0 if window[0] is pieces[0] else window[0].start()), window[-1].end()
    out, cursor = [], begin_char
    for piece in window:
        out.append(escape(content[cursor: piece.start()]))
        word = escape(piece.group())
        out.append(f"<mark>{word}</mark>" if match(piece.group()) else word)
        cursor = piece.end()
    prefix = "…" if begin_char > 0 else ""
    suffix = "…" if end_char < len(content) else ""
    return prefix + "".join(out) + escape(content[cursor:end_char]) + suffix
