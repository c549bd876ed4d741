"""Slack's message markup as the text people read in Slack.

Slack stores `<https://x|10 cities>`, `<@U123>`, `<#C123|finance>`, `<!here>` and escapes only `&`,
`<` and `>` as entities. Wherever a message is shown outside Slack (search hits, `/cos` answers,
item origins' quotes, briefs) it should read as Slack shows it:

    <https://x|10 cities>  -> 10 cities        <https://x>      -> https://x
    <@U123> / <@U123|sam>  -> @Dana Lee / @sam <#C123|finance>  -> #finance
    <!here>, <!channel>    -> @here, @channel  <!date^…|Dec 9>  -> Dec 9
    &lt; &gt; &amp;        -> < > &

The result is plain text: whoever puts it in HTML or mrkdwn escapes it there. A pure function, one
linear pass; anything that is not Slack markup (`<3`, `a < b`, an unclosed `<`) is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NameOf = Callable[[str], "str | None"]

# A token is `<…>` holding no `<`, `>` or line break (Slack never puts one inside); bounded, so a
# hostile text of `<<<<…` costs one pass.
_TOKEN = re.compile(r"<([^<>\n]{1,2000})>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_USER_ID = re.compile(r"^[UWB][A-Z0-9]{2,}$")
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_SCHEME = re.compile(r"^(https?|mailto|tel|ftp|slack):", re.IGNORECASE)
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def decode_entities(text: str) -> str:
    """Slack's three entities back to their characters (only those: Slack escapes nothing else)."""
    return _ENTITY.sub(lambda match: _ENTITIES[match.group(1)], text)


def _no_name(_: str) -> str | None:
    return None


def _token(body: str, name_of: NameOf, channel_of: NameOf) -> str | None:
    """What one `<…>` token reads as, or None when it is no Slack markup."""
    target, bar, label = body.partition("|")
    label = decode_entities(label.strip())
    if target.startswith("@"):
        user_id = target[1:]
        if not _USER_ID.match(user_id):
            return None
        name = name_of(user_id) or label.lstrip("@") or user_id
        return f"@{name}"
    if target.startswith("#"):
        channel_id = target[1:]
        if not _CHANNEL_ID.match(channel_id):
            return None
        return f"#{(label or channel_of(channel_id) or channel_id).lstrip('#')}"
    if target.startswith("!"):
        command = target[1:]
        if command in _SPECIAL:
            return _SPECIAL[command]
        if command.startswith("subteam^"):
            return f"@{label.lstrip('@')}" if label else "@group"
        if command.startswith("date^"):
            return label or None
        return label or None
    if _SCHEME.match(target):
        return label if bar and label else decode_entities(target)
    return None


def render_slack_markup(text: str, name_of: NameOf | None = None, channel_of: NameOf | None = None) -> str:
    """`text` (Slack's markup) as the plain text Slack shows. `name_of(user_id)` and
    `channel_of(channel_id)` name ids (the people directory, the export's users); without them a
    mention reads as its own label, else its id."""
    if not isinstance(text, str) or not text:
        return ""
    names, channels = name_of or _no_name, channel_of or _no_name
    out: list[str] = []
    cursor = 0
    for match in _TOKEN.finditer(text):
        rendered = _token(match.group(1), names, channels)
        if rendered is None:
            continue  # not markup: stays as written, decoded with the text around it
        out.append(decode_entities(text[cursor:match.start()]))
        out.append(rendered)
        cursor = match.end()
    out.append(decode_entities(text[cursor:]))
    return "".join(out)
