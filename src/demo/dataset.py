"""A realistic demo dataset in the real formats: a Slack workspace export (about 3,000 messages over
the last 30 days) and an `.ics` calendar with today's meetings, written around today's date.

The messages carry what real exports carry (threads, edits, file shares, bot posts, joins, a
deleted user, mentions, text only in blocks), and talk about what the demo board holds (the Q1
budget, the platform hiring plan, the vendor renewal, the board deck, the security audit), so
that `brief C2` or `search budget` find something worth reading.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from src.demo.slack_layout import SlackExportWriter

DAYS = 30
SEED = 7
STAMP_FILE = "written-for.json"

# id, handle, real name, title, email
PEOPLE = [
    ("U01ALEX", "alex", "Alex Morgan", "Chief of Staff", "alex@example.com"),
    ("U02DANA", "dana", "Dana Whitfield", "Head of Finance Operations", "dana@example.com"),
    ("U03LEE", "lee", "Lee Okafor", "Engineering Manager, Platform", "lee@example.com"),
    ("U04PRIYA", "priya", "Priya Raman", "CFO", "cfo@example.com"),
    ("U05SAM", "sam", "Sam Ortiz", "Recruiting Lead", "recruiting@example.com"),
    ("U06JORDAN", "jordan", "Jordan Blake", "CEO", "ceo@example.com"),
    ("U07KIM", "kim", "Kim Nguyen", "Security Lead", "kim@example.com"),
    ("U08RAFAEL", "rafael", "Rafael Costa", "Product Manager, Atlas", "rafael@example.com"),
    ("U09MEI", "mei", "Mei Tanaka", "Product Designer", "mei@example.com"),
    ("U10OMAR", "omar", "Omar Haddad", "Platform Engineer", "omar@example.com"),
    ("U11ZOE", "zoe", "Zoe Adler", "Legal Counsel", "zoe@example.com"),
]
DELETED_USER = ("U12TOM", "tom", "Tom Becker", "Sales Lead", "tom@example.com")
DEMO_PERSON = "U01ALEX"  # whom the demo board works for (AICOS_ME in demo mode)
BOT = {"id": "B01JIRA", "user": "U13JIRA", "name": "Jira"}

NUMBERS = ["2", "3", "4", "5", "12", "15", "18", "40", "120", "250"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

# channel: (messages per working day, who talks there, what they say)
TOPICS: dict[str, tuple[int, list[str], list[str]]] = {
    "general": (10, [p[0] for p in PEOPLE], [
        "Reminder: all-hands is on {weekday}, questions in the doc please",
        "Welcome {first} to the team! :wave:",
        "Office is closed on {weekday} for maintenance, work from home",
        "The company offsite agenda is out, take a look before {weekday}",
        "Thanks everyone for the great quarter so far",
        "New expense policy is live: receipts within {n} days",
        "Can someone share the link to the org chart?",
        "Heads up: the Wi-Fi on floor {n} is flaky today",
    ]),
    "exec-team": (12, ["U01ALEX", "U04PRIYA", "U06JORDAN", "U03LEE", "U08RAFAEL"], [
        "Board deck draft needs the Q1 budget numbers by {weekday}",
        "Can we lock the hiring plan for the platform team this week?",
        "Atlas launch is tracking for {weekday}, risks in the launch doc",
        "The vendor contract renewal with Northwind is on my list, will review the redlines",
        "I'd like the security audit scope signed off before the board meeting",
        "Q1 budget review moved to today 11:00, same room",
        "Roadmap for next half: {n} themes, draft in Drive",
        "We are {n}% over on cloud spend, need a plan before the budget review",
        "Headcount ask for Q1 is {n} roles, {m} of them on platform",
        "Let's keep board prep to one hour on {weekday}",
    ]),
    "budget-planning": (14, ["U01ALEX", "U02DANA", "U04PRIYA", "U03LEE"], [
        "Updated the Q1 budget model, tab 'headcount' has the new numbers",
        "Cloud costs are up {n}% month over month, mostly storage",
        "Finance needs the final Q1 budget numbers by {weekday}",
        "Marketing asked for {n}k more for the Atlas launch",
        "Forecast v{n} is in Drive, please check the travel line",
        "Can we move the contractor spend from Q1 to Q2?",
        "Budget numbers for Q1 from finance still pending, chasing {first}",
        "The vendor renewal adds {n}k a year if we keep the premium tier",
        "Reconciled the December actuals, {n} open items left",
        "Q1 budget review deck: slides {n} to {m} still need owners",
    ]),
    "hiring-platform": (12, ["U01ALEX", "U03LEE", "U05SAM", "U10OMAR"], [
        "Candidate shortlist for the platform role will be ready by {weekday}",
        "{n} onsite interviews scheduled this week for senior platform engineer",
        "Hiring plan for Q1: {n} platform engineers, {m} SRE",
        "Offer out to the staff engineer candidate, answer expected {weekday}",
        "Can someone take the system design interview on {weekday}?",
        "Feedback from the panel is in the tracker, mostly strong yes",
        "Recruiting budget needs approval before we open the SRE role",
        "Referral bonus doubled for platform roles until the end of the quarter",
    ]),
    "launch-atlas": (18, ["U08RAFAEL", "U09MEI", "U10OMAR", "U03LEE", "U01ALEX"], [
        "Atlas beta has {n} active customers, feedback mostly positive",
        "Design review for the onboarding flow on {weekday}",
        "Release candidate {n} is on staging, please test the import",
        "Launch checklist: {n} of {m} items done",
        "Pricing page copy is final, legal signed off",
        "Customer asked for SSO before launch, tracking it in ATLAS-{n}",
        "Metrics dashboard for the launch is up, link in the channel topic",
        "Go/no-go meeting is on {weekday}, bring your risks",
        "Fixed the flaky export test, CI is green again",
        "New mocks for the settings page, feedback welcome",
    ]),
    "vendor-mgmt": (8, ["U01ALEX", "U11ZOE", "U02DANA"], [
        "Northwind sent the redlines for the contract renewal",
        "Renewal term: {n} years with a {m}% cap on increases",
        "Legal review of the vendor contract is done, two open points",
        "Can we get the renewal signed before the end of the month?",
        "Northwind offered a {n}% discount if we renew before {weekday}",
        "Data processing addendum needs an update for the renewal",
    ]),
    "security": (8, ["U07KIM", "U01ALEX", "U10OMAR", "U11ZOE"], [
        "Security audit scope draft is in Drive, please review",
        "Auditors want access logs for the last {n} days",
        "Pen test findings: {n} medium, {m} low, no criticals",
        "Rotating the API keys on {weekday}, expect a short blip",
        "The audit scope needs sign-off from Alex before kickoff",
        "SOC 2 evidence collection is {n}% done",
    ]),
    "random": (10, [p[0] for p in PEOPLE], [
        "Anyone up for lunch at the ramen place?",
        "Photos from the team dinner are in the shared album",
        "Coffee machine on floor {n} is fixed :coffee:",
        "Book club picks for next month, vote in the thread",
        "Who left the cake in the kitchen? Asking for a friend",
    ]),
    "board-prep": (4, ["U01ALEX", "U06JORDAN", "U04PRIYA"], [
        "Board deck draft v{n} is up, comments by {weekday} please",
        "Need the Q1 budget slide and the hiring plan slide for the board",
        "Board meeting agenda: strategy, budget, Atlas launch, risks",
        "Can we rehearse the board presentation on {weekday}?",
    ]),
    # Alex's own DM and group DM hold only the scripted conversations (SCRIPT): the demo board is read
    # from them, so random filler there would put random items on it.
    "D01LEEALEX": (0, ["U01ALEX", "U03LEE"], [
        "Feedback on my roadmap doc when you get a chance?",
        "Can we move our 1:1 to {weekday}?",
        "The platform team is stretched, we need those {n} hires",
        "Thanks for the notes on the roadmap doc",
    ]),
    "mpdm-alex--dana--priya-1": (0, ["U01ALEX", "U02DANA", "U04PRIYA"], [
        "Quick sync on the budget numbers before the review?",
        "Intro to the new controller next week, I'll set it up",
        "Numbers look good, one question on line {n}",
    ]),
}
REPLIES = [
    "Agreed, let's do it", "I'll have it by {weekday}", "Thanks, looking now", "+1",
    "Can you add it to the agenda?", "On it", "Let's discuss in the meeting", "Done, see the doc",
    "Good catch, fixing", "Who owns this one?", "Sounds good to me",
]
FILES = ["Q1-budget-v{n}.xlsx", "board-deck-draft-v{n}.pdf", "hiring-plan-Q1.docx", "audit-scope-v{n}.pdf",
         "northwind-redlines.pdf", "atlas-launch-checklist.pdf", "roadmap-next-half.pdf"]
JIRA_UPDATES = ["ATLAS-{n} moved to Done: import of large files", "ATLAS-{n} created: SSO for enterprise customers",
                "SEC-{n} moved to In Review: rotate API keys", "ATLAS-{n} moved to In Progress: pricing page"]


@dataclass(frozen=True, slots=True)
class DemoDataset:
    root: Path
    slack_export: Path
    calendar: Path
    messages: int
    written_for: str  # the day its meetings are "today"


def write_demo_dataset(root: Path, now: datetime | None = None) -> DemoDataset:
    """Writes the dataset into `root` (its own folder, replaced), around `now` (local, aware)."""
    now = now or datetime.now().astimezone()
    root = Path(root).resolve()
    export = root / "slack-export"
    if export.exists():
        shutil.rmtree(export)
    messages = _write_slack_export(export, now)
    calendar = root / "calendar.ics"
    calendar.write_text(_calendar(now.date()), newline="")
    dataset = DemoDataset(root, export, calendar, messages, now.date().isoformat())
    (root / STAMP_FILE).write_text(json.dumps({"date": dataset.written_for, "messages": messages}))
    return dataset


def ensure_demo_dataset(root: Path, now: datetime | None = None) -> DemoDataset:
    """The dataset in `root`, written anew only when missing or written for another day."""
    now = now or datetime.now().astimezone()
    root = Path(root).resolve()
    try:
        stamp = json.loads((root / STAMP_FILE).read_text())
        if stamp["date"] == now.date().isoformat() and (root / "calendar.ics").exists():
            return DemoDataset(root, root / "slack-export", root / "calendar.ics", stamp["messages"], stamp["date"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return write_demo_dataset(root, now)


# -- Slack ---------------------------------------------------------------------------------------------

def _users() -> list[dict[str, Any]]:
    def user(person: tuple[str, ...], deleted: bool = False) -> dict[str, Any]:
        user_id, handle, real_name, title, email = person
        return {"id": user_id, "team_id": "T01DEMO", "name": handle, "deleted": deleted, "real_name": real_name,
                "tz": "America/New_York", "is_bot": False,
                "profile": {"title": title, "real_name": real_name, "display_name": handle, "email": email,
                            "first_name": real_name.split()[0], "last_name": real_name.split()[-1]}}

    bot = {"id": BOT["user"], "team_id": "T01DEMO", "name": "jira", "deleted": False, "is_bot": True,
           "profile": {"real_name": BOT["name"], "display_name": "", "bot_id": BOT["id"]}}
    return [*(user(p) for p in PEOPLE), user(DELETED_USER, deleted=True), bot]


def demo_conversation_ids() -> frozenset[str]:
    """The ids of the demo export's conversations: what the demo board's items were read from."""
    return frozenset(conversation["id"] for kind in _conversations(datetime(2026, 1, 1, tzinfo=timezone.utc))
                     for conversation in kind)


def _conversations(start: datetime) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    created = int(start.timestamp())
    channels, groups, dms, mpims = [], [], [], []
    for number, (name, (_, members, _)) in enumerate(TOPICS.items(), 1):
        base = {"id": f"C{number:02d}DEMO", "name": name, "created": created, "creator": "U01ALEX",
                "members": members, "is_archived": False}
        if name.startswith("D01"):
            dms.append({"id": name, "created": created, "members": members})
        elif name.startswith("mpdm-"):
            mpims.append({**base, "id": f"G{number:02d}DEMO", "is_mpim": True})
        elif name == "board-prep":
            groups.append({**base, "id": f"G{number:02d}DEMO", "is_private": True})
        else:
            channels.append({**base, "is_general": name == "general",
                             "topic": {"value": "", "creator": "", "last_set": 0},
                             "purpose": {"value": f"Everything about {name.replace('-', ' ')}", "creator": "",
                                         "last_set": 0}})
    return channels, groups, dms, mpims


class _Messages:
    """Makes the messages of one conversation with the quirks real exports have."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first_names = {p[0]: p[2].split()[0] for p in PEOPLE}

    def fill(self, template: str) -> str:
        n = self.rng.choice(NUMBERS)
        return template.format(n=n, m=self.rng.choice(NUMBERS), weekday=self.rng.choice(WEEKDAYS),
                               first=self.rng.choice(list(self.first_names.values())))

    def user_message(self, user: str, text: str) -> dict[str, Any]:
        # Slack keeps a message twice: `text` (mentions as <@U...>) and rich-text blocks.
        elements: list[dict[str, Any]] = [{"type": "text", "text": text}]
        if self.rng.random() < 0.12:
            other = self.rng.choice([p[0] for p in PEOPLE if p[0] not in (user, DEMO_PERSON)])
            text = f"<@{other}> {text}"
            elements = [{"type": "user", "user_id": other}, {"type": "text", "text": " " + elements[0]["text"]}]
        message: dict[str, Any] = {
            "client_msg_id": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "type": "message", "text": text, "user": user, "team": "T01DEMO",
            "blocks": [{"type": "rich_text", "block_id": f"b{self.rng.getrandbits(20):x}",
                        "elements": [{"type": "rich_text_section", "elements": elements}]}],
        }
        roll = self.rng.random()
        if roll < 0.03:
            message["edited"] = {"user": user, "ts": "0"}  # set once the message has its ts
        elif roll < 0.06:
            name = self.fill(self.rng.choice(FILES))
            message["files"] = [{"id": f"F{self.rng.getrandbits(32):08X}", "name": name, "title": name,
                                 "mimetype": "application/pdf", "filetype": name.rsplit(".", 1)[-1]}]
            message["upload"] = True
        elif roll < 0.07:  # text only in the blocks, as some clients post it
            message["text"] = ""
        if self.rng.random() < 0.08:
            message["reactions"] = [{"name": self.rng.choice(["+1", "eyes", "white_check_mark"]),
                                     "users": [user], "count": 1}]
        return message

    def bot_message(self) -> dict[str, Any]:
        return {"type": "message", "subtype": "bot_message", "bot_id": BOT["id"], "username": BOT["name"],
                "text": self.fill(self.rng.choice(JIRA_UPDATES))}

    @staticmethod
    def join(user: str) -> dict[str, Any]:
        return {"type": "message", "subtype": "channel_join", "user": user,
                "text": f"<@{user}> has joined the channel"}


def _working_moments(rng: random.Random, day: date, count: int, zone, not_after: datetime) -> list[datetime]:
    opening = datetime.combine(day, time(8, 30), zone)
    moments = sorted(opening + timedelta(seconds=rng.randrange(10 * 3600)) for _ in range(count))
    return [moment for moment in moments if moment <= not_after]


def _write_slack_export(root: Path, now: datetime) -> int:
    rng = random.Random(SEED)
    zone = now.tzinfo
    first_day = now.date() - timedelta(days=DAYS - 1)
    start = datetime.combine(first_day, time(8, 0), zone)
    make = _Messages(rng)
    # (when, conversation folder, message, the thread's first message or None)
    pending: list[tuple[datetime, str, dict[str, Any], dict[str, Any] | None]] = []
    for name, (_, members, _) in TOPICS.items():
        if not name.startswith(("D01", "mpdm-")):
            pending += [(start + timedelta(minutes=n), name, make.join(member), None)
                        for n, member in enumerate(members[:3])]
    pending.append((start + timedelta(hours=1), "general",
                    make.user_message(DELETED_USER[0], "Handing over my accounts to Dana, thanks all!"), None))
    for day_number in range(DAYS):
        day = first_day + timedelta(days=day_number)
        weekend = day.weekday() >= 5
        for name, (per_day, members, templates) in TOPICS.items():
            count = max(0, round(per_day * (0.15 if weekend else 1) * rng.uniform(0.6, 1.4)))
            for moment in _working_moments(rng, day, count, zone, now):
                if name in ("launch-atlas", "security") and rng.random() < 0.1:
                    pending.append((moment, name, make.bot_message(), None))
                    continue
                author = rng.choice(_others(members))
                parent = make.user_message(author, make.fill(rng.choice(templates)))
                pending.append((moment, name, parent, None))
                if rng.random() < 0.2:
                    replies = [moment + timedelta(minutes=5 * (n + 1) + rng.randrange(5)) for n in range(rng.randint(1, 4))]
                    for later in (when for when in replies if when <= now):
                        reply = make.user_message(rng.choice(_others(members)), make.fill(rng.choice(REPLIES)))
                        reply["parent_user_id"] = author
                        pending.append((later, name, reply, parent))
    pending += _scripted(now)
    writer = SlackExportWriter(root, _users(), *_conversations(start))
    pending.sort(key=lambda item: item[0])
    for sequence, (moment, folder, message, thread_start) in enumerate(pending, 1):
        message["ts"] = f"{int(moment.timestamp())}.{sequence:06d}"  # unique, and in time order
        if "edited" in message:
            message["edited"]["ts"] = f"{int(moment.timestamp()) + 90}.000000"
        if thread_start is not None:  # replies come after their thread's first message, which has its ts
            message["thread_ts"] = thread_start["thread_ts"] = thread_start["ts"]
            thread_start["reply_count"] = thread_start.get("reply_count", 0) + 1
            thread_start.setdefault("replies", []).append({"user": message["user"], "ts": message["ts"]})
        writer.add(folder, message)
    writer.close()
    return writer.messages_written


def _others(members: list[str]) -> list[str]:
    """Who writes the random filler: anyone but the demo person, whose messages are all scripted."""
    return [member for member in members if member != DEMO_PERSON] or members


# The demo person's week, from which the demo board is read (contract section 6): Alex is asked,
# promises ("on it", "will do"), is promised, asks; deliveries close some of it; and the hard
# negatives (asks between others, an @channel, a plan, a hypothetical). (name, days ago, local time,
# conversation, author, text, thread's first message or None); {+1} is the weekday one day on. A
# reply comes the same day as its thread's first message (the export writer writes day by day).
SCRIPT = [
    ("deck", 3, "09:10", "exec-team", "U06JORDAN", "<@U01ALEX> need the board deck draft from you by {+1}, keep it tight", None),
    ("deck-ok", 3, "09:25", "exec-team", "U01ALEX", "on it", "deck"),
    ("slide", 2, "14:00", "exec-team", "U01ALEX", "<@U04PRIYA> can you send me the Q1 budget slide by tomorrow?", None),
    ("slide-ok", 2, "14:10", "exec-team", "U04PRIYA", "will do", "slide"),
    ("slide-sent", 2, "17:10", "exec-team", "U04PRIYA", "here it is, budget slide attached", "slide"),
    ("moved", 2, "16:00", "exec-team", "U06JORDAN", "@channel board meeting moved to 3pm {+2}", None),
    ("out", 1, "17:30", "exec-team", "U01ALEX", "I'll be out friday afternoon, ping me before noon", None),
    ("hiring", 1, "09:05", "hiring-platform", "U05SAM",
     "<@U01ALEX> pls approve the Q1 hiring plan by tomorrow, offers are waiting", None),
    ("panel", 1, "09:20", "hiring-platform", "U03LEE", "<@U05SAM> can you send me the panel feedback?", None),
    ("panel-ok", 1, "09:40", "hiring-platform", "U05SAM", "sure, sending after lunch", "panel"),
    ("renewal", 4, "11:00", "vendor-mgmt", "U11ZOE", "<@U01ALEX> can you sign the Northwind renewal by tomorrow?", None),
    ("renewal-signed", 4, "15:00", "vendor-mgmt", "U01ALEX", "signed, sent it back to legal", "renewal"),
    ("redlines", 2, "10:00", "vendor-mgmt", "U11ZOE",
     "<@U01ALEX> could you review the vendor contract redlines by end of week?", None),
    ("audit", 2, "11:00", "security", "U07KIM", "<@U01ALEX> can you sign off on the security audit scope by {+3}?", None),
    ("pentest", 1, "15:00", "security", "U07KIM", "<@U01ALEX> I'll send you the pen test report next week", None),
    ("redteam", 1, "15:10", "security", "U10OMAR", "if we had budget we could run a red team exercise someday", None),
    ("roadmap", 3, "10:00", "D01LEEALEX", "U03LEE", "Feedback on my roadmap doc when you get a chance? ideally by {+1}", None),
    ("roadmap-ok", 3, "10:30", "D01LEEALEX", "U01ALEX", "will do, notes by {+1}", None),
    ("numbers", 2, "09:00", "D01LEEALEX", "U01ALEX", "can you send me the platform hiring numbers today?", None),
    ("numbers-sent", 2, "13:00", "D01LEEALEX", "U03LEE", "sent, see https://docs.example.com/platform-hiring", None),
    ("one-on-one", 1, "16:00", "D01LEEALEX", "U03LEE", "can we move our 1:1 to tomorrow?", None),
    ("budget", 1, "09:00", "mpdm-alex--dana--priya-1", "U04PRIYA",
     "Alex can you approve the Q1 budget before the review tomorrow?", None),
    ("update", 1, "09:30", "mpdm-alex--dana--priya-1", "U02DANA", "I'll get you the updated numbers by EOD tomorrow", None),
    ("line", 1, "09:40", "mpdm-alex--dana--priya-1", "U04PRIYA", "Dana can you check line 12 too?", None),
    ("line-ok", 1, "09:45", "mpdm-alex--dana--priya-1", "U02DANA", "will do", None),
]


def _scripted(now: datetime) -> list[tuple[datetime, str, dict[str, Any], dict[str, Any] | None]]:
    today = now.date()

    def weekday(match: str) -> str:
        return (today + timedelta(days=int(match))).strftime("%A").lower()

    written: dict[str, dict[str, Any]] = {}
    scripted = []
    for name, days_ago, clock, folder, user, text, thread in SCRIPT:
        text = re.sub(r"\{([+-]\d+)\}", lambda m: weekday(m.group(1)), text)
        message: dict[str, Any] = {"type": "message", "text": text, "user": user, "team": "T01DEMO"}
        if name == "slide-sent":
            message["files"] = [{"id": "F0SLIDE01", "name": "Q1-budget-slide.pptx", "title": "Q1 budget slide"}]
        moment = datetime.combine(today - timedelta(days=days_ago), time.fromisoformat(clock), now.tzinfo)
        written[name] = message
        scripted.append((min(moment, now), folder, message, written[thread] if thread else None))
    return scripted


# -- Calendar ------------------------------------------------------------------------------------------

def _calendar(today: date) -> str:
    """Floating local times (no zone): the meetings are at these hours wherever the demo runs."""
    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).strftime("%Y%m%d")

    def event(uid: str, summary: str, start: str, end: str, attendees: list[str], location: str = "",
              extra: Sequence[str] = (), description: str = "") -> list[str]:
        lines = ["BEGIN:VEVENT", f"UID:{uid}@demo.aicos", f"DTSTAMP:{day(-DAYS)}T080000Z",
                 f"DTSTART{start}", f"DTEND{end}", f"SUMMARY:{summary}",
                 "ORGANIZER;CN=Alex Morgan:mailto:alex@example.com"]
        lines += [f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:{email}" for email in attendees]
        if location:
            lines.append(f"LOCATION:{location}")
        if description:
            lines.append(f"DESCRIPTION:{description}")
        return [*lines, *extra, "END:VEVENT"]

    weekday = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][today.weekday()]
    events = [
        event("standup", "Team standup", f":{day(-DAYS)}T090000", f":{day(-DAYS)}T091500",
              ["dana@example.com", "lee@example.com", "omar@example.com", "mei@example.com"], "Zoom",
              ["RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"]),
        event("budget-review", "Q1 budget review", f":{day(0)}T110000", f":{day(0)}T120000",
              ["cfo@example.com", "dana@example.com"], "Room 4",
              description="Final Q1 budget numbers, cloud spend, headcount"),
        event("one-on-one-lee", "1:1 with Lee", f":{day(-28)}T143000", f":{day(-28)}T150000",
              ["lee@example.com"], extra=[f"RRULE:FREQ=WEEKLY;BYDAY={weekday}"]),
        event("hiring-sync", "Hiring sync: platform team", f":{day(0)}T160000", f":{day(0)}T170000",
              ["recruiting@example.com", "lee@example.com", "omar@example.com"], "Room 2"),
        event("board-prep", "Board prep", f":{day(1)}T100000", f":{day(1)}T110000",
              ["ceo@example.com", "cfo@example.com"], "Boardroom"),
        event("atlas-go", "Atlas launch go/no-go", f":{day(2)}T150000", f":{day(2)}T160000",
              ["rafael@example.com", "mei@example.com", "omar@example.com", "lee@example.com"], "Room 1"),
        event("northwind", "Vendor renewal call: Northwind", f":{day(3)}T130000", f":{day(3)}T133000",
              ["zoe@example.com", "dana@example.com"], "Phone"),
        event("offsite", "Company offsite", f";VALUE=DATE:{day(5)}", f";VALUE=DATE:{day(6)}", []),
        event("audit-kickoff", "Security audit kickoff", f":{day(-10)}T130000", f":{day(-10)}T140000",
              ["kim@example.com", "zoe@example.com"], "Room 3"),
    ]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//AICoS//demo calendar//EN", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:Alex Morgan", *(line for lines in events for line in lines), "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"
