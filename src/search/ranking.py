"""Ranking and highlighting on the text of the best candidates, where FTS5's BM25 cannot see
word order or distance."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from src.search.query import ParsedQuery

SNIPPET_WORDS = 24

_WORD = re.compile(r"\w+", re.UNICODE)


def _matches(token: str, term: str) -> bool:
    # Close to the porter stemmer's view: "reviews", "reviewed" and "review" are one word.
    stem = term[: max(3, len(term) - 2)]
    return token.startswith(stem)


def proximity_bonus(content: str, parsed: ParsedQuery) -> float:
    """1.0 when a multi-word group stands in order side by side; 0.5 when all the query's words
    stand within a window of 8 words; otherwise 0."""
    if len(parsed.terms) < 2:
        return 0.0
    tokens = [token.lower() for token in _WORD.findall(content[:20_000])]
    for group in parsed.phrases + (parsed.terms,):
        if len(group) < 2:
            continue
        for start in range(len(tokens) - len(group) + 1):
            if all(_matches(tokens[start + i], word) for i, word in enumerate(group)):
                return 1.0
    positions = {term: [i for i, token in enumerate(tokens) if _matches(token, term)] for term in parsed.terms}
    if any(not found for found in positions.values()):
        return 0.0
    first = parsed.terms[0]
    for anchor in positions[first]:
        if all(any(abs(p - anchor) <= 8 for p in positions[term]) for term in parsed.terms[1:]):
            return 0.5
    return 0.0


def highlight(content: str, terms: Sequence[str], words: int = SNIPPET_WORDS) -> str:
    """A window of `words` words around the first match, HTML-escaped, matches in <mark>."""
    pieces = list(_WORD.finditer(content))
    if not pieces:
        return escape(content[:200])
    hits = [i for i, piece in enumerate(pieces) if any(_matches(piece.group().lower(), t) for t in terms)]
    first = hits[0] if hits else 0
    start = max(0, first - words // 3)
    end = min(len(pieces), start + words)
    begin_char = pieces[start].start()
    end_char = pieces[end - 1].end()
    out, cursor = [], begin_char
    hit_set = set(hits)
    for i in range(start, end):
        piece = pieces[i]
        out.append(escape(content[cursor: piece.start()]))
        word = escape(piece.group())
        out.append(f"<mark>{word}</mark>" if i in hit_set else word)
        cursor = piece.end()
    prefix = "…" if begin_char > 0 else ""
    suffix = "…" if end_char < len(content) else ""
    return prefix + "".join(out) + escape(content[cursor:end_char]) + suffix
