"""Slack markup read as the text people see in Slack (src/domain/slack_markup.py)."""

from __future__ import annotations

import pytest

from src.domain.slack_markup import render_slack_markup

NAMES = {"U02DANA": "Dana Lee", "U03SAM": "Sam Patel"}
CHANNELS = {"C01FIN": "finance"}


def render(text: str) -> str:
    return render_slack_markup(text, NAMES.get, CHANNELS.get)


@pytest.mark.parametrize("raw, shown", [
    ("see <https://x.test/cities|10 cities>", "see 10 cities"),
    ("see <https://x.test/a?b=1&amp;c=2>", "see https://x.test/a?b=1&c=2"),
    ("mail <mailto:dana@acme.test|dana@acme.test>", "mail dana@acme.test"),
    ("<@U02DANA> can you look", "@Dana Lee can you look"),
    ("<@U03SAM|sam> ok?", "@Sam Patel ok?"),
    ("<@U09GONE|ghost> ok?", "@ghost ok?"),
    ("<@U09GONE> ok?", "@U09GONE ok?"),
    ("in <#C01FIN|finance>", "in #finance"),
    ("in <#C01FIN>", "in #finance"),
    ("in <#C09NEW>", "in #C09NEW"),
    ("<!here> standup", "@here standup"),
    ("<!channel> and <!everyone>", "@channel and @everyone"),
    ("<!subteam^S123|@design> review", "@design review"),
    ("on <!date^1764064800^{date_short}|Nov 25, 2026>", "on Nov 25, 2026"),
    ("File &lt;module&gt; &amp; more", "File <module> & more"),
    ("a &lt; b and c &gt; d", "a < b and c > d"),
    ("<https://x.test|a &amp; b>", "a & b"),
    ("&amp;lt; stays one level", "&lt; stays one level"),
])
def test_markup_reads_as_slack_shows_it(raw, shown):
    assert render(raw) == shown


def test_without_a_directory_mentions_read_as_their_label_or_id():
    assert render_slack_markup("<@U02DANA|dana> and <@U03SAM>") == "@dana and @U03SAM"


@pytest.mark.parametrize("raw", ["<3 you", "a < b > c", "<not markup>", "<", ">", "<<<>>>", "<@lowercase>",
                                 "<javascript:alert(1)|click>", "<#not a channel>"])
def test_what_is_not_slack_markup_stays_as_written(raw):
    assert render(raw) == raw


def test_hostile_text_stays_text():
    # A label holding HTML is text for whoever shows it; it is never turned into markup here.
    assert render("<https://x.test|<img src=x onerror=alert(1)>>") == "<https://x.test|<img src=x onerror=alert(1)>>"
    assert render("<https://x.test|&lt;script&gt;>") == "<script>"
    assert render("<@U02DANA|&lt;!here&gt;>") == "@Dana Lee"
    assert render("") == ""
    assert render_slack_markup(None) == ""  # type: ignore[arg-type]


def test_a_name_from_the_directory_is_taken_as_it_is():
    assert render_slack_markup("<@U1AB>", {"U1AB": "<b>Eve</b>"}.get) == "@<b>Eve</b>"


def test_long_hostile_input_is_read_whole():
    text = "<" * 200_000 + "&lt;" * 50_000 + "<@" * 50_000 + "<https://x.test|end>"
    out = render(text)
    assert out.startswith("<<<") and out.endswith("<@end") and len(out) == 200_000 + 50_000 + 100_000 + 3
