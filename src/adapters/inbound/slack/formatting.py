"""Command answers as Slack messages: Block Kit blocks plus the plain `text` Slack shows in
notifications. Pure functions over the contract's documents (section 4), so they read the same
whether the answer came from the use case in this process or from a server over HTTP.

Everything that came from data is escaped for mrkdwn (`&`, `<`, `>`): a priority titled
`<!channel>` must not ping a channel, nor `<http://x|y>` become a link.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from src.application.commands import COMMANDS, Effect
from src.domain.slack_markup import render_slack_markup

EPHEMERAL = "ephemeral"
SECTION_LIMIT = 3000  # characters of a section's text (Slack refuses more)
HEADER_LIMIT = 150
BRIEF_LIMIT = 1200  # a short brief: the dashboard has the whole of it
SNIPPET_LIMIT = 200
MAX_BLOCKS = 50

_CODE = re.compile(r"(?<![\w*])([CPM][1-9]\d*)(?![\w*])")
_MARK = re.compile(r"(</?mark>)")
_SPACES = re.compile(r"\s+")
_SOURCE_LINE = re.compile(r"^- \[(\S+) ([^\]]+)\] (.*)$")
STATUS_ICONS = {"IDLE": ":large_green_circle:", "COLLECTING": ":hourglass_flowing_sand:",
                "PROCESSING": ":hourglass_flowing_sand:", "ERROR": ":red_circle:"}
# A mark per kind of command; which verb is of which kind is the command registry's to say.
EFFECT_ICONS: dict[Effect | None, str] = {  # None: an action no verb of the registry has
                Effect.MARK_DONE: ":white_check_mark:", Effect.MARK_PARTIAL: ":large_yellow_circle:",
                Effect.DISMISS: ":wastebasket:", Effect.SNOOZE: ":zzz:", Effect.BRIEF: ":memo:",
                Effect.SEARCH: ":mag:", Effect.REFRESH: ":arrows_counterclockwise:", Effect.COLLECT: ":inbox_tray:",
                Effect.HELP: ":book:"}
NOT_APPLIED_ICON = ":information_source:"
ERROR_TITLES = {"unknown_command": (":warning:", "Unknown command"),
                "invalid_target": (":no_entry_sign:", "Wrong target"),
                "validation_error": (":warning:", "Cannot run that"),
                "conflict": (":hourglass:", "Busy"),
                "rate_limited": (":hourglass:", "Too many commands"),
                "unauthorized": (":lock:", "Not allowed"),
                "internal": (":x:", "Something went wrong")}


def escape(text: str) -> str:
    """Slack's mrkdwn escaping: only these three characters are control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, never cutting a `<…>` token or an `&…;` entity in two."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    for opening, closing in (("<", ">"), ("&", ";")):
        if cut.rfind(opening) > cut.rfind(closing):
            cut = cut[: cut.rfind(opening)]
    return cut.rstrip() + "…"


def _with_codes(text: str) -> str:
    """Codes in bold, so `P7` stands out to type back."""
    return _CODE.sub(r"*\1*", text)


with_codes = _with_codes  # for the posts the service makes on its own (outbound/slack_poster.py)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}}


def _context(*texts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(t, SECTION_LIMIT)} for t in texts[:10]]}


def _footer(command_text: str, version: int | None) -> dict[str, Any]:
    typed = f"`/cos {clip(escape(command_text.strip()), 200)}`" if command_text.strip() else "`/cos`"
    return _context(typed if version is None else f"{typed} · version {version}")


def _message(blocks: list[dict[str, Any]], fallback: str) -> dict[str, Any]:
    # `text` is what notifications and screen readers get: escaped as well, it is mrkdwn too.
    return {"response_type": EPHEMERAL, "text": clip(escape(fallback), SECTION_LIMIT), "blocks": blocks[:MAX_BLOCKS]}


def snippet_to_mrkdwn(snippet: str) -> str:
    """A search snippet (HTML: the text escaped, matches in <mark>) as mrkdwn: matches in bold."""
    out, marked = [], False
    for piece in _MARK.split(snippet):
        if piece in ("<mark>", "</mark>"):
            marked = piece == "<mark>"
            continue
        text = escape(_SPACES.sub(" ", unescape(piece)))
        if marked and text.strip():
            # Bold only takes when the asterisks touch the word: keep the spaces outside them.
            lead, core, trail = text[: len(text) - len(text.lstrip())], text.strip(), text[len(text.rstrip()):]
            text = f"{lead}*{core}*{trail}"
        out.append(text)
    return clip("".join(out), SNIPPET_LIMIT)


def when(date: object) -> str:
    """A record's date for people: a moment is shown by Slack in the reader's own time zone
    (`<!date^…>`, the UTC time as its fallback); a plain day stays as it is."""
    text = str(date or "undated")
    if len(text) <= 10 or text == "undated":
        return escape(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return escape(text)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    fallback = moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short}} {{time}}|{fallback}>"


def _status_icon(line: str) -> str:
    return STATUS_ICONS.get(line.split(",", 1)[0].strip(), ":grey_question:")


def _search_text(result: dict[str, Any]) -> str:
    hits = result.get("hits") or []
    words = escape(result.get("target") or "")
    if not hits:
        return f"{EFFECT_ICONS[Effect.SEARCH]} No results for *{words}*."
    lines = [f"{EFFECT_ICONS[Effect.SEARCH]} {len(hits)} result{'s' if len(hits) != 1 else ''} for *{words}*:"]
    for hit in hits:
        metadata = hit.get("metadata") if isinstance(hit.get("metadata"), dict) else {}
        # Who said it and where ("Dana Lee in #finance") when the hit knows; else its source.
        said = metadata.get("byline") if isinstance(metadata.get("byline"), str) and metadata["byline"] else None
        source = escape(render_slack_markup(said) if said else str(hit.get("source", "")))
        snippet = snippet_to_mrkdwn(hit.get("snippet", ""))
        lines.append(f"• {when(hit.get('date'))} · {source} — {snippet}")
    return "\n".join(lines)


def _help_text(message: str) -> str:
    first, *lines = message.splitlines()
    bullets = []
    for line in lines:
        usage, _, what = line.partition(": ")
        bullets.append(f"• `{escape(usage)}` {escape(what)}")
    return f"{EFFECT_ICONS[Effect.HELP]} {escape(first)}\n" + "\n".join(bullets)


def result_text(result: dict[str, Any]) -> str:
    """One command's result as a mrkdwn line (or a few, for search and help)."""
    effect, message = COMMANDS.effect_of(str(result.get("action", ""))), str(result.get("message", ""))
    if effect == Effect.SEARCH and result.get("applied"):
        return _search_text(result)
    if effect == Effect.HELP:
        return _help_text(message)
    if not result.get("applied"):
        return f"{NOT_APPLIED_ICON} {_with_codes(escape(message))}"
    if effect == Effect.STATUS:  # "IDLE, progress 0%, last sync never": the status first, in bold
        status, comma, rest = escape(message).partition(",")
        return f"{_status_icon(message)} *{status}*{comma}{rest}"
    return f"{EFFECT_ICONS.get(effect, ':white_check_mark:')} {_with_codes(escape(message))}"


_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")


def _where(ref: object) -> str:
    """The conversation of an origin's ref (`<conversation id>/<ts>`): a channel as Slack's own
    `<#C…>` mention, which every reader sees as its name; a DM as "a DM"."""
    conversation = str(ref or "").partition("/")[0]
    if _CHANNEL_ID.match(conversation):
        return f"<#{conversation}>"
    return "a DM" if conversation.startswith("D") else escape(conversation)


def _link(url: object) -> str | None:
    """`<url|open in Slack>` for an http(s) address; None for anything else (`javascript:`, junk).
    Inside the token `&` is an entity and `<`, `>`, `|` are percent-encoded, so it cannot end early."""
    if not isinstance(url, str) or any(c.isspace() for c in url):
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{safe}|open in Slack>"


def origin_context(item: dict[str, Any]) -> dict[str, Any] | None:
    """Where a derived item came from, under the line that names it: who · where · when · the link
    (· why, for an ask), then the quote. None for an item without an origin."""
    origin = item.get("origin")
    if not isinstance(origin, dict):
        return None
    where = _where(origin.get("ref"))
    if not where.startswith("<#") and isinstance(origin.get("where"), str) and origin["where"].strip():
        where = escape(origin["where"].strip())  # "DM with Dana Lee" says more than "a DM"
    parts = [escape(str(origin.get("author") or "someone")), where]
    if origin.get("at"):
        parts.append(when(origin["at"]))
    parts += [part for part in (_link(origin.get("link")), escape(str(item.get("reason") or ""))) if part]
    texts = [" · ".join(parts)]
    # The quote as Slack shows the message (links as their label, entities decoded), then escaped.
    quote = _SPACES.sub(" ", render_slack_markup(str(origin.get("quote") or ""))).strip()
    if quote:
        texts.append(f"“{clip(escape(quote), SNIPPET_LIMIT)}”")
    return _context(*texts)


_CITED_LINE = re.compile(r"^\d+\. (.+)$")


def brief_blocks(brief: dict[str, Any]) -> list[dict[str, Any]]:
    """A short brief: its heading, then the start of its text, sources with their dates (the brief's
    text lists them already, as `[source date] snippet`)."""
    first, *rest = (brief.get("text_content") or brief.get("title") or "Brief").splitlines()
    body_lines = []
    for line in rest:
        source = _SOURCE_LINE.match(line)
        if source:
            where, date, snippet = source.groups()
            body_lines.append(f"• {when(date)} · {escape(where)} — {clip(escape(snippet), SNIPPET_LIMIT)}")
        elif line.startswith("- "):
            body_lines.append(f"• {_with_codes(escape(line[2:]))}")
        elif cited := _CITED_LINE.match(line):  # a cited source: "1. Dana Lee in #finance, 2026-11-24: …"
            body_lines.append(f"• {clip(escape(cited.group(1)), SNIPPET_LIMIT + 60)}")
        elif line.strip():
            body_lines.append(f"*{escape(line.strip())}*")
        else:
            body_lines.append("")
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": clip(first, HEADER_LIMIT), "emoji": False}},
    ]
    body = "\n".join(body_lines).strip()
    if body:
        blocks.append(_section(clip(body, BRIEF_LIMIT)))
    return blocks


def format_answer(command_text: str, document: dict[str, Any], brief: dict[str, Any] | None = None,
                  items: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The answer to `/cos <command_text>`: a block per command of the chain (with where its item
    came from, when `items`, the board's priorities and commitments by code, give it an origin),
    then the brief it built (if any), then what was typed and the state's version."""
    results = document.get("results") or [document]
    blocks = []
    for result in results:
        blocks.append(_section(result_text(result)))
        origin = origin_context((items or {}).get(str(result.get("target") or "").upper(), {}))
        if origin is not None:
            blocks.append(origin)
    if brief is not None:
        blocks += brief_blocks(brief)
    blocks.append(_footer(command_text, document.get("version")))
    fallback = "\n".join(str(result.get("message", "")) for result in results)
    return _message(blocks, fallback)


def format_error(command_text: str, error: dict[str, Any]) -> dict[str, Any]:
    """A refused command (the contract's error body: code, message, details), said plainly."""
    code = error.get("code", "internal")
    icon, title = ERROR_TITLES.get(code, (":warning:", "Cannot run that"))
    message = str(error.get("message", ""))
    if code == "internal":
        request_id = error.get("request_id")
        message = "the AICoS log has the details" + (f" (request id {request_id})" if request_id else "")
    blocks = [_section(f"{icon} *{title}.* {escape(message)}")]
    suggestions = [str(verb) for verb in error.get("details") or [] if isinstance(verb, str)]
    if code == "unknown_command" and suggestions:
        # One command typed: offer it back with the verb fixed, ready to copy.
        rest = command_text.strip().partition(" ")[2] if "|" not in command_text else ""
        tries = " or ".join(f"`/cos {escape(' '.join([verb, rest]).strip())}`" for verb in suggestions)
        blocks.append(_context(f"Did you mean {tries}? `/cos help` lists every command."))
    elif code in ("unknown_command", "invalid_target", "validation_error"):
        blocks.append(_context("`/cos help` lists every command and what it takes."))
    blocks.append(_footer(command_text, None))
    return _message(blocks, f"{title}: {message}")


def format_collection_end(system: dict[str, Any]) -> dict[str, Any]:
    """The follow-up once a collection started from Slack has ended."""
    status = str(system.get("status", ""))
    done = status == "IDLE"
    icon = ":white_check_mark:" if done else STATUS_ICONS.get(status, ":grey_question:")
    what = "Collection finished" if done else f"Collection ended in {status}"
    last = system.get("last_sync")
    details = [f"last sync {escape(str(last))}"] if last else []
    if system.get("message"):
        details.append(escape(str(system["message"])))
    text = f"{icon} *{what}*" + (f": {'; '.join(details)}" if details else ".")
    return _message([_section(text)], f"{what}" + (f": {'; '.join(details)}" if details else ""))


def format_still_running(minutes: int) -> dict[str, Any]:
    text = f"The collection is still running after {minutes} minutes; `/cos status` tells where it is."
    return _message([_section(f":hourglass_flowing_sand: {text}")], text)


def format_not_allowed(command_text: str, user_id: str) -> dict[str, Any]:
    text = (f"This AICoS answers its owner only. To use it, ask them to add your Slack user ID "
            f"`{escape(user_id)}` to AICOS_SLACK_ALLOWED_USERS.")
    return _message([_section(f":lock: *Not allowed.* {text}"), _footer(command_text, None)], f"Not allowed. {text}")
