"""A realistic corpus for the search benchmark, reproducible from a seed.

Slack-like messages with a Zipf vocabulary (a few words everywhere, most words rare), channels,
users and threads, plus calendar events, Drive files and the employee roster, in about the
proportions of the deployment (340,000 records in all by default).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path

SYLLABLES = ["ka", "lo", "mi", "re", "tan", "vo", "shi", "pra", "del", "quo", "nex", "bri", "sol", "tu", "gar",
             "fen", "lux", "mor", "pi", "zed", "ar", "en", "ol", "ix", "um"]
COMMON = ["the", "and", "to", "we", "budget", "meeting", "review", "plan", "team", "update", "launch", "hiring",
          "customer", "deck", "board", "q1", "roadmap", "contract", "vendor", "design", "release", "sync", "notes",
          "draft", "metrics", "goals", "risk", "timeline", "feedback", "approval"]
PROPORTIONS = {"slack": 0.88, "calendar": 0.05, "drive": 0.05, "employees": 0.02}
START_EPOCH = 1_700_000_000  # 2023-11-14
SPAN_SECONDS = 2 * 365 * 86_400


def vocabulary(size: int, rng: random.Random) -> list[str]:
    made = set(COMMON)
    words = list(COMMON)
    for length in itertools.cycle((2, 3, 3, 4)):
        if len(words) >= size:
            break
        word = "".join(rng.choice(SYLLABLES) for _ in range(length))
        if word not in made:
            made.add(word)
            words.append(word)
    return words


class Corpus:
    def __init__(self, total: int = 340_000, seed: int = 7, vocabulary_size: int = 30_000) -> None:
        self.total = total
        self.rng = random.Random(seed)
        self.words = vocabulary(vocabulary_size, self.rng)
        weights = [1 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.users = [f"{self.rng.choice(['dana', 'lee', 'priya', 'sam', 'alex', 'kim'])}{n}" for n in range(400)]
        self.channels = [f"{self.words[20 + n]}-{n}" for n in range(120)]

    def sentence(self, low: int = 4, high: int = 30) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=self.rng.randint(low, high)))

    def _moment(self) -> int:
        return START_EPOCH + self.rng.randrange(SPAN_SECONDS)

    def _moments(self, count: int) -> list[int]:
        """Times in order: a person's archive is collected day after day, so records arrive (and are
        indexed) roughly in time order."""
        return sorted(self._moment() for _ in range(count))

    def slack(self, count: int) -> Iterator[dict]:
        thread = None
        for n, moment in enumerate(self._moments(count)):
            ts = f"{moment}.{n % 1_000_000:06d}"
            message = {"ts": ts, "user": self.rng.choice(self.users), "channel_name": self.rng.choice(self.channels),
                       "text": self.sentence(), "client_msg_id": f"m{n}"}
            if thread and self.rng.random() < 0.2:
                message["thread_ts"] = thread
            elif self.rng.random() < 0.05:
                thread = ts
            yield message

    def calendar(self, count: int) -> Iterator[dict]:
        for n, start in enumerate(self._moments(count)):
            yield {"id": f"ev{n}", "summary": self.sentence(2, 6), "location": f"Room {n % 12}",
                   "organizer": {"email": f"{self.rng.choice(self.users)}@example.com"},
                   "attendees": [{"email": f"{u}@example.com"} for u in self.rng.sample(self.users, 3)],
                   "start": {"dateTime": f"{_iso(start)}"}}

    def drive(self, count: int) -> Iterator[dict]:
        kinds = ["application/pdf", "application/vnd.google-apps.document", "text/csv"]
        for n, moment in enumerate(self._moments(count)):
            yield {"id": f"f{n}", "name": self.sentence(2, 5) + ".doc", "mimeType": self.rng.choice(kinds),
                   "modifiedTime": _iso(moment)}

    def employees(self, count: int) -> Iterator[dict]:
        for n in range(count):
            user = self.users[n % len(self.users)]
            yield {"id": f"U{n}", "real_name": f"{user.title()} {self.words[100 + n % 900]}",
                   "email": f"{user}.{n}@example.com", "title": self.sentence(1, 3)}

    def slack_as_exported(self, count: int) -> Iterator[dict]:
        """The same messages as Slack hands them over (an export's day files, conversations.history):
        the text again in rich-text blocks, the author's profile and the team on every message. About
        900 bytes of JSON each, four times the plain ones: what a real workspace brings."""
        user_ids = {name: f"U{n:08X}" for n, name in enumerate(self.users)}
        for message in self.slack(count):
            name, text = message["user"], message["text"]
            exported = {
                "client_msg_id": f"{self.rng.getrandbits(32):08x}-{message['client_msg_id']}", "type": "message",
                "text": text, "user": user_ids[name], "ts": message["ts"],
                "blocks": [{"type": "rich_text", "block_id": f"{self.rng.getrandbits(20):05x}", "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}]}],
                "team": "T0AB12CD3", "user_team": "T0AB12CD3", "source_team": "T0AB12CD3",
                "user_profile": {
                    "avatar_hash": f"{self.rng.getrandbits(48):012x}",
                    "image_72": f"https://avatars.example.com/{self.rng.getrandbits(40)}_{self.rng.getrandbits(64):016x}_72.jpg",
                    "first_name": name.title(), "real_name": f"{name.title()} Lee", "display_name": name,
                    "team": "T0AB12CD3", "name": name, "is_restricted": False, "is_ultra_restricted": False},
                "channel_name": message["channel_name"]}
            if "thread_ts" in message:
                exported.update(thread_ts=message["thread_ts"], parent_user_id=user_ids[name])
            yield exported

    def by_source(self, slack_as_exported: bool = False) -> Iterator[tuple[str, list[dict]]]:
        """Each source's records; with `slack_as_exported`, the Slack messages in Slack's own shape."""
        for source, share in PROPORTIONS.items():
            make = self.slack_as_exported if source == "slack" and slack_as_exported else getattr(self, source)
            yield source, list(make(int(self.total * share)))


def _iso(epoch: int) -> str:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def write_slack_export(root: Path, messages: int = 340_000, seed: int = 7) -> Path:
    """The corpus's Slack messages as a workspace export (users, channels, one file per channel and
    day), for the collection benchmark. Written once per size and seed; later runs reuse it."""
    from src.demo.slack_layout import SlackExportWriter

    done = root / ".complete"
    if done.exists():
        return root
    corpus = Corpus(messages, seed)
    user_ids = {name: f"U{n:05d}" for n, name in enumerate(corpus.users)}
    users = [{"id": uid, "name": name, "real_name": name.title(), "profile": {"real_name": name.title()}}
             for name, uid in user_ids.items()]
    channels = [{"id": f"C{n:05d}", "name": name, "created": START_EPOCH} for n, name in enumerate(corpus.channels)]
    writer = SlackExportWriter(root, users, channels)
    for message in corpus.slack(messages):
        folder = message.pop("channel_name")
        message["user"] = user_ids[message["user"]]
        message["type"] = "message"
        # As Slack stores a message: its text again in rich-text blocks.
        message["blocks"] = [{"type": "rich_text", "block_id": message["client_msg_id"][-5:], "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": message["text"]}]}]}]
        writer.add(folder, message)
    writer.close()
    done.write_text(f"{writer.messages_written} messages in {writer.files_written} files\n")
    return root
