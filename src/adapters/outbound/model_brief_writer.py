"""A BriefWriter that asks the language model for a brief's opening paragraph, and falls back to the
writer it wraps (the built-in one) when the model is down, slow, failing, or answers with anything the
brief does not hold. Which one wrote it is said in `WrittenSummary.writer`."""

from __future__ import annotations

import logging
import re
from typing import Any, NamedTuple

from src.application.ports import BriefWriter, LanguageModel, WrittenSummary
from src.domain.state import Brief

logger = logging.getLogger(__name__)

INSTRUCTIONS = (
    "You write the opening paragraph of a brief for a busy executive, from the brief in the data block "
    "and nothing else: what the brief is about and the two or three things that most need their "
    "attention (asks waiting on them, what is late, who they meet). Use only names, dates, numbers and "
    "facts that appear in the brief; invent nothing, add no advice beyond it. Plain text, one paragraph, "
    "at most 80 words, no heading, no list, no markup."
)
MAX_SUMMARY = 800  # characters: a paragraph; past this the model is not doing what it was asked

# Words that may open a sentence capitalised without naming anything: they need not be in the brief.
_STARTERS = frozenset("""
a an the this that these those there here it its i you your we our they their he she his her
today tomorrow tonight yesterday this next before after during ahead also and but so then meanwhile
prepare review follow check expect remember note make reply answer send read confirm decide plan
nothing no none one two three several some most all both each key main first second finally overall
in on at for from with by of to as if when while since until
""".split())
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)[\"'(]*$")
_LINK = re.compile(r"https?://[^\s)>\]]+")
_HANDLE = re.compile(r"[@#][\w.\-]+|[\w.+\-]+@[\w\-]+\.[\w.\-]+")
_NUMBER = re.compile(r"\d+(?:[.,:/\-]\d+)*")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’\-]*")
_POSSESSIVE = re.compile(r"['’]s$")
_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>|```|^\s*#|^\s*[-*]\s", re.MULTILINE)


class ModelBriefWriter:
    def __init__(self, model: LanguageModel, fallback: BriefWriter) -> None:
        self._model = model
        self._fallback = fallback

    async def summary(self, brief: Brief) -> WrittenSummary:
        data = brief_data(brief)
        try:
            answer = await self._model.answer(INSTRUCTIONS, data)
            problem = ungrounded(answer, grounds_of(data))
        except Exception as error:  # the port raises LanguageModelError; anything else must not fail the brief
            problem = str(error) if str(error) else type(error).__name__
        else:
            if problem is None:
                return WrittenSummary(" ".join(answer.split()), self._model.name)
            problem = f"the language model {self._model.name} {problem}"
        logger.warning("brief summary: %s; the built-in summary is used", problem)
        return await self._fallback.summary(brief)


def model_or_builtin_writer(model: LanguageModel | None, builtin: BriefWriter) -> BriefWriter:
    """The brief writer to use: the model's over the built-in one when a model is configured."""
    return builtin if model is None else ModelBriefWriter(model, builtin)


def brief_data(brief: Brief) -> dict[str, Any]:
    """What the model is given: the brief as it is sent to clients, without its HTML twin."""
    document = brief.to_document()
    document.pop("html_content", None)
    return document


class Grounds(NamedTuple):
    """What an answer may name: the brief's text (folded), its words and its numbers."""

    text: str
    words: frozenset[str]
    numbers: frozenset[str]


def ungrounded(answer: str, grounds: Grounds) -> str | None:
    """Why `answer` cannot open the brief (None when it can): empty, too long, markup, or a name,
    number, date, link, @-name or #channel the brief does not hold. A capitalised word opening a
    sentence is let through when it is a common word ("Prepare", "Today")."""
    paragraph = " ".join(answer.split())
    if not paragraph:
        return "gave an empty summary"
    if len(paragraph) > MAX_SUMMARY:
        return f"gave a summary of {len(paragraph)} characters (at most {MAX_SUMMARY})"
    if _MARKUP.search(answer):
        return "gave markup instead of a paragraph"
    strange = [found for pattern in (_LINK, _HANDLE) for found in pattern.findall(paragraph)
               if found.casefold().rstrip(".,") not in grounds.text]
    strange += [number for number in _NUMBER.findall(paragraph) if number not in grounds.numbers]
    for match in _CAPITALISED.finditer(paragraph):
        word = _POSSESSIVE.sub("", match.group()).casefold()
        if word == "i" or word in grounds.words:
            continue
        if word in _STARTERS and _SENTENCE_START.search(paragraph[:match.start()]):
            continue
        strange.append(match.group())
    if strange:
        return f"brought in what the brief does not hold ({len(strange)}: e.g. {strange[0][:40]!r})"
    return None


def grounds_of(data: Any) -> Grounds:
    """Everything the brief says, as text, words (with and without a possessive) and numbers."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for element in value.values():
                walk(element)
        elif isinstance(value, list):
            for element in value:
                walk(element)
        elif value is not None:
            parts.append(str(value))

    walk(data)
    text = " ".join(parts).casefold()
    words = re.findall(r"[\w'’\-]+", text)
    return Grounds(text, frozenset(words) | {_POSSESSIVE.sub("", w) for w in words},
                   frozenset(_NUMBER.findall(text)))
