"""A person's search words, turned into a safe FTS5 query.

People do not type FTS5 syntax: quotes, `-`, `*`, `:`, parentheses, AND/OR/NOT and unbalanced
input all have to mean something sensible and never raise. Here: plain words must all match
(ranked), a "quoted part" is a phrase, a trailing `*` makes a prefix, a leading `-` excludes a word,
and everything else that is not a letter or digit separates words, as the tokenizer does.

FTS5's work grows with the words of the query times their positions in the matching records, so a
query is bounded: at most MAX_WORDS words in all, and a longer quoted part becomes consecutive
phrases of at most MAX_PHRASE_WORDS words (each must match; no record is lost, a few more match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TERMS = 16  # parts: words, phrases, prefixes
MAX_WORDS = 32
MAX_PHRASE_WORDS = 8
_TOKEN = re.compile(r"\w+", re.UNICODE)
_PART = re.compile(r'"([^"]*)"?|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    match: str  # the FTS5 MATCH expression, or "" when nothing searchable is left
    terms: tuple[str, ...] = field(default=())  # lower-case words, for highlighting and proximity
    phrases: tuple[tuple[str, ...], ...] = field(default=())  # every group of words meant together


def _quote(tokens: list[str]) -> str:
    return '"' + " ".join(tokens) + '"'


def parse_query(text: str) -> ParsedQuery:
    positive: list[str] = []
    negative: list[str] = []
    terms: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for quoted, bare in _PART.findall(text.replace("\x00", " ")):
        if bare and bare in _OPERATORS:
            continue  # a person's AND/OR/NOT is not an instruction here; plain words all count
        raw = quoted if quoted else bare
        excluded = bool(bare) and bare.startswith("-") and len(bare) > 1
        prefix = bool(bare) and bare.endswith("*")
        tokens = [token.lower() for token in _TOKEN.findall(raw)]
        if not tokens:
            continue
        if excluded:
            negative.append(_quote(tokens[:MAX_PHRASE_WORDS]) + ("*" if prefix else ""))
            continue
        for start in range(0, len(tokens), MAX_PHRASE_WORDS):
            chunk = tokens[start: start + MAX_PHRASE_WORDS][: MAX_WORDS - len(terms)]
            last = start + MAX_PHRASE_WORDS >= len(tokens)
            expression = _quote(chunk) + ("*" if prefix and last else "")
            if chunk and expression not in positive:
                positive.append(expression)
                phrases.append(tuple(chunk))
            terms.extend(chunk)
        if len(positive) >= MAX_TERMS or len(terms) >= MAX_WORDS:
            break
    if not positive:
        return ParsedQuery("")
    match = " ".join(positive) + "".join(f" NOT {expression}" for expression in negative[:MAX_TERMS])
    return ParsedQuery(match, tuple(dict.fromkeys(terms)), tuple(phrases))
