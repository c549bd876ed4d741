"""A small Slack workspace for the Web API stand-in: people, a bot, the kinds of conversation, a thread."""

from __future__ import annotations

from typing import Any

from src.testing.slack_web_standin import SlackWebStandin

T0 = 1764064800.0  # 2025-11-25 10:00 UTC


def ts(seconds: float) -> str:
    return f"{T0 + seconds:.6f}"


USERS: list[dict[str, Any]] = [
    {"id": "U01ALEX", "name": "alex", "real_name": "Alex Rivera",
     "profile": {"real_name": "Alex Rivera", "display_name": "alex", "email": "alex@example.com"}},
    {"id": "U02DANA", "name": "dana", "real_name": "Dana Lee",
     "profile": {"real_name": "Dana Lee", "display_name": "dana", "email": "dana@example.com"}},
    {"id": "U03SAM", "name": "sam", "real_name": "Sam Ortiz",
     "profile": {"real_name": "Sam Ortiz", "display_name": "sam", "email": "Sam@Example.com"}},
    {"id": "UBOT", "name": "aicos", "is_bot": True, "profile": {"real_name": "AICoS"}},
]

CONVERSATIONS: list[dict[str, Any]] = [
    {"id": "C01GENERAL", "name": "general", "is_channel": True, "is_member": True,
     "members": ["U01ALEX", "U02DANA", "U03SAM", "UBOT"]},
    {"id": "C02RANDOM", "name": "random", "is_channel": True, "is_member": False, "members": ["U02DANA"]},
    {"id": "C03OLD", "name": "old-project", "is_channel": True, "is_member": True, "is_archived": True,
     "members": ["U01ALEX", "UBOT"]},
    {"id": "G01LEADS", "name": "leadership", "is_group": True, "is_private": True, "is_member": True,
     "members": ["U01ALEX", "U02DANA", "UBOT"]},
    {"id": "D01DANA", "is_im": True, "user": "U02DANA"},
    {"id": "G02MPDM", "name": "mpdm-alex--dana--sam-1", "is_mpim": True, "is_private": True,
     "members": ["U01ALEX", "U02DANA", "U03SAM"]},
]

MESSAGES: dict[str, list[dict[str, Any]]] = {
    "C01GENERAL": [
        {"ts": ts(0), "user": "U02DANA", "text": "Kickoff notes are in the drive", "client_msg_id": "m-kickoff"},
        {"ts": ts(60), "user": "U01ALEX", "text": "Who owns the vendor renewal?"},
        {"ts": ts(120), "thread_ts": ts(60), "user": "U03SAM", "text": "I can take the vendor renewal"},
        {"ts": ts(180), "subtype": "channel_join", "user": "U03SAM", "text": "<@U03SAM> has joined the channel"},
        {"ts": ts(240), "bot_id": "B01", "subtype": "bot_message", "username": "GitHub", "text": "Build passed"},
    ],
    "C02RANDOM": [{"ts": ts(10), "user": "U02DANA", "text": "not for the bot"}],
    "C03OLD": [{"ts": ts(20), "user": "U01ALEX", "text": "archived chatter"}],
    "G01LEADS": [{"ts": ts(30), "user": "U02DANA", "text": "The reorg plan draft is ready"}],
    "D01DANA": [{"ts": ts(40), "user": "U02DANA", "text": "<@U01ALEX> can you send me the budget deck by Friday?"}],
    "G02MPDM": [{"ts": ts(50), "user": "U03SAM", "text": "Offsite venue shortlist attached"}],
}

READABLE = ("C01GENERAL", "G01LEADS", "D01DANA", "G02MPDM")  # what the bot is in, not archived


def standin(**options: Any) -> SlackWebStandin:
    """The workspace above, not yet serving (use `with`)."""
    return SlackWebStandin([dict(u) for u in USERS], [dict(c) for c in CONVERSATIONS],
                           {cid: [dict(m) for m in found] for cid, found in MESSAGES.items()}, **options)
