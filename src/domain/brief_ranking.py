"""Which collected messages a brief cites: what was said with the people concerned that bears on
the subject (a meeting's title and description, an item's text), most relevant first.

Pure rules over search hits. A message counts when someone concerned is in it: they wrote it, it
is a DM or group DM with them, it mentions them, it is in a thread they wrote in, or in a channel
where they talk (a shared channel). It bears on the subject by the subject's words it holds (rare
words weigh more; the title's more than the description's); a thread reply without those words
takes most of its thread's. With no subject words left (a "1:1 with Lee"), the conversations with
them, closest first. Nothing dated after the moment of the brief, nor undated, is ever cited.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache

from src.domain.conversations import ChatMessage, Conversation, Workspace, sent_at
from src.domain.search import SearchHit
from src.domain.slack_markup import render_slack_markup

MAX_CITED = 10
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words that say nothing about what a meeting is about.
STOPWORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just me more most my no nor not now of off on once only or other our
out over own same she should so some such than that the their them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you your yours
re fw fwd pls please thanks thx hi hey ok okay
""".split())
GENERIC_MEETING_WORDS = frozenset("""
meeting meetings sync call chat catch catchup weekly daily monthly quarterly biweekly review check checkin
standup stand session discussion discuss agenda notes invite zoom room office hours one 1on1 1 2 3
""".split())


def words_of(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


@lru_cache(maxsize=32_768)
def _distinct_words(text: str) -> frozenset[str]:
    """A message's words as a set: a brief ranks its pool twice (before and after reading the
    threads), and each ranking looks at every message's words several times."""
    return frozenset(word.casefold() for word in _WORD.findall(text))


def _stem(word: str) -> str:
    # As search ranking compares words: "reviews", "reviewed" and "review" are one word.
    return word[: max(3, len(word) - 2)]


def _matches(token: str, word: str) -> bool:
    """Whether `token` is `word` or one of its forms; a short word ("dec", "q1") only itself or its plural,
    so "dec" is not "decide"."""
    if len(word) <= 4:
        return token == word or token == word + "s"
    return token.startswith(_stem(word))


def subject_words(text: str, leave_out: Iterable[str] = ()) -> list[str]:
    """The words of `text` that say what it is about: not stopwords, not the generic words of
    meeting titles, not the names of the people concerned (they are matched as people)."""
    left_out = {word for name in leave_out for word in words_of(name)}
    found = []
    for word in words_of(text):
        if word in STOPWORDS or word in GENERIC_MEETING_WORDS or word in left_out or len(word) < 2:
            continue
        if word.isdigit():
            continue
        found.append(word)
    return list(dict.fromkeys(found))


# -- what a hit says, as a brief cites it ------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Said:
    """A collected message (or record) as briefs cite it."""

    ref: str
    source: str
    at: str  # ISO-8601 UTC, or a day
    author: str | None
    author_id: str | None
    conversation_id: str | None
    conversation: str | None  # the conversation's name as collected ("finance", "DM Alex Rivera, Dana Lee")
    kind: str | None  # channel, private_channel, dm, group_dm
    thread: str | None  # "<conversation id>/<thread root ts>"
    text: str  # plain text


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def said_of(hit: SearchHit) -> Said | None:
    """The hit as a citable record; None when it has no date (it cannot be shown to be in the past)."""
    if not hit.date:
        return None
    meta = hit.metadata
    conversation_id, ts = _text(meta.get("conversation_id")), _text(meta.get("ts"))
    if hit.source == "slack" and conversation_id and ts:
        ref = f"{conversation_id}/{ts}"
        thread = f"{conversation_id}/{_text(meta.get('thread_ts')) or ts}"
    else:
        ref, thread = _text(meta.get("id")) or hit.id, None
    text = _text(meta.get("text")) or _text(meta.get("summary")) or _text(meta.get("content")) or hit.plain_snippet
    return Said(
        ref=ref, source=hit.source, at=hit.date,
        author=_text(meta.get("author")) or _text(meta.get("user_name")) or _text(meta.get("person")),
        author_id=_text(meta.get("user")), conversation_id=conversation_id,
        conversation=_text(meta.get("conversation")) or _text(meta.get("channel_name")),
        kind=_text(meta.get("conversation_kind")), thread=thread,
        text=render_slack_markup(text) if hit.source == "slack" else text,  # only Slack's text is Slack markup
    )


def said_of_chat(conversation: Conversation, message: ChatMessage, workspace: Workspace) -> Said:
    """A message from the conversation store as briefs cite it: the same ref, date, author and
    text as its search row (`said_of`), mentions named, markup rendered."""
    def name_of(user_id: str) -> str | None:
        user = workspace.user(user_id)
        return user.name if user is not None else None

    text = "\n".join([render_slack_markup(message.text, name_of), *(f"shared file: {name}" for name in message.files)])
    return Said(
        ref=f"{conversation.id}/{message.ts}", source="slack", at=utc_iso(sent_at(message)), author=message.author,
        author_id=message.user, conversation_id=conversation.id, conversation=conversation.name,
        kind=conversation.kind, thread=f"{conversation.id}/{message.thread_ts or message.ts}", text=text.strip(),
    )


OPEN_FROM = 20  # the best-ranked messages whose threads, and DM exchanges, a brief reads whole
DM_EXCHANGE_S = 3 * 3600  # a DM's messages this close to a relevant one are its exchange


def to_open(ranked: Sequence[Ranked], count: int = OPEN_FROM) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """What to read around the best `count` messages: the threads they are in ((conversation id,
    root ts)), and for those in a DM or group DM, the exchange around them ((conversation id, ts)):
    replies such as "sounds good, I'll update the sheet" share no word with the meeting's title, so
    no search finds them, but their thread or exchange does."""
    threads: dict[tuple[str, str], None] = {}
    around: dict[tuple[str, str], None] = {}
    for entry in ranked[:count]:
        said = entry.said
        if said.source != "slack" or not said.conversation_id or not said.thread:
            continue
        threads[(said.conversation_id, said.thread.split("/", 1)[1])] = None
        if said.kind in ("dm", "group_dm"):
            around[(said.conversation_id, said.ref.split("/", 1)[1])] = None
    return list(threads), list(around)


def said_in(workspace: Workspace, since: datetime, now: datetime) -> list[Said]:
    """The excerpts' messages sent from `since` to `now` (never later), as briefs cite them."""
    first, last = since.timestamp(), now.timestamp()
    return [said_of_chat(conversation, message, workspace) for conversation in workspace.conversations
            for message in conversation.messages if first <= float(message.ts) <= last]


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def not_after(at: str, now: datetime) -> bool:
    """Whether a record dated `at` (ISO UTC, or a day) was there at `now`."""
    if len(at) == 10:
        try:
            return date.fromisoformat(at) <= now.astimezone(timezone.utc).date()
        except ValueError:
            return False
    return at <= utc_iso(now)


# -- the people concerned ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Party:
    """Someone a brief is about, as messages name them."""

    name: str
    names: frozenset[str]  # casefolded full names and handles
    slack_ids: frozenset[str]

    @classmethod
    def of(cls, name: str, names: Iterable[str] = (), slack_ids: Iterable[str] = ()) -> Party:
        return cls(name, frozenset(n.casefold() for n in (name, *names) if n), frozenset(slack_ids))

    def wrote(self, said: Said) -> bool:
        return (said.author_id in self.slack_ids) or (said.author or "").casefold() in self.names

    def in_private(self, said: Said) -> bool:
        """A DM or group DM they are a member of (the export names those by their members)."""
        if said.kind not in ("dm", "group_dm") or not said.conversation:
            return False
        members = said.conversation.removeprefix("Group DM ").removeprefix("DM ").casefold().split(", ")
        return any(member in self.names for member in members)

    def mentioned(self, said: Said) -> bool:
        text = said.text.casefold()
        return any(f"@{name}" in text for name in self.names)


DIRECT = 1.0  # they wrote it, or it is a DM with them
MENTIONED = 0.8
IN_THEIR_THREAD = 0.7
SHARED_CHANNEL = 0.35


@dataclass(frozen=True, slots=True)
class Ranked:
    said: Said
    score: float
    involvement: float
    topic: float


def _involvement(said: Said, parties: Sequence[Party], their_threads: set[str], their_channels: set[str]) -> float:
    if any(p.wrote(said) or p.in_private(said) for p in parties):
        return DIRECT
    if any(p.mentioned(said) for p in parties):
        return MENTIONED
    if said.thread in their_threads:
        return IN_THEIR_THREAD
    if said.conversation_id in their_channels:
        return SHARED_CHANNEL
    return 0.0


CHANNEL_NAME_SHARE = 0.6  # a subject word only in the channel's name counts this much of one in the text
THREAD_SHARE = 0.5  # a reply without the subject's words takes this much of its thread's
TITLE_COVERED = 0.8  # a message holding every word of the title is on the subject, however rare its words


HELD_KEPT = 20_000  # messages whose subject words a matcher remembers


@lru_cache(maxsize=16)
def _matcher(subject: tuple[str, ...]) -> _SubjectMatcher:
    """One matcher per subject, kept a while: a brief's two rankings compare the same words."""
    return _SubjectMatcher(subject)


class _SubjectMatcher:
    """Which subject words a message holds, in its text and in its channel's name ("#launch" is about
    the launch); each distinct word of the pool is compared with the subject once."""

    def __init__(self, subject: Sequence[str]) -> None:
        # (word, its forms' common start, whether only the word itself or its plural count)
        self._subject = tuple((w, _stem(w), len(w) <= 4) for w in subject)
        self._known: dict[str, tuple[str, ...]] = {}
        self._held: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {}

    def _of(self, token: str) -> tuple[str, ...]:
        found = self._known.get(token)
        if found is None:
            found = self._known[token] = tuple(
                w for w, stem, short in self._subject
                if (token in (w, w + "s") if short else token.startswith(stem)))
        return found

    def __call__(self, said: Said) -> tuple[frozenset[str], frozenset[str]]:
        channel_name = said.conversation if said.kind in ("channel", "private_channel") and said.conversation else ""
        key = (said.text, channel_name)
        found = self._held.get(key)
        if found is None:
            text = frozenset(w for token in _distinct_words(said.text) for w in self._of(token))
            channel = frozenset(w for token in _distinct_words(channel_name) for w in self._of(token)) - text
            if len(self._held) > HELD_KEPT:
                self._held.clear()
            found = self._held[key] = (text, channel)
        return found


def _topic_weights(subject: Sequence[tuple[str, float]], held: Sequence[tuple[frozenset[str], frozenset[str]]]) -> dict[str, float]:
    """Each subject word's weight: its place (title or description) times its rarity in the pool."""
    frequency: Counter[str] = Counter()
    for text, channel in held:
        frequency.update(text | channel)
    size = len(held) + 1
    return {word: place * math.log(1 + size / (1 + frequency[word])) for word, place in subject}


def _topic(held: tuple[frozenset[str], frozenset[str]], weights: dict[str, float], title: Sequence[str]) -> float:
    """0 to 1: the share of the subject's weight the message holds (a word only in its channel's
    name counts for less); at least TITLE_COVERED when it holds every word of the title."""
    total = sum(weights.values())
    if not total:
        return 0.0
    text, channel = held
    found = sum(weights[w] for w in text) + CHANNEL_NAME_SHARE * sum(weights[w] for w in channel)
    covered = bool(title) and all(word in text for word in title)
    return max(found / total, TITLE_COVERED if covered else 0.0)


ONE_ON_ONE_DM = 0.4  # the topic a DM message has for a meeting of the person and the DM's other member
WITH_ME = 0.1  # between them and the person (a DM, a mention, the person's thread): what a 1:1 is about
SINCE_LAST_TIME = 0.3  # said since the previous occurrence of a recurring meeting: what is new for it


def rank_conversations(
    pool: Iterable[Said],
    subject: Sequence[tuple[str, float]],
    parties: Sequence[Party],
    now: datetime,
    me: Party | None = None,
    since_last_time: str | None = None,
    limit: int = MAX_CITED,
    days: int = 30,
) -> list[Ranked]:
    """The `limit` messages of `pool` that best bear on `subject` ((word, weight) pairs) with
    `parties`, best first; none after `now`. With no parties (a meeting of one's own), what bears
    on the subject anywhere; with no subject words, the conversations with the parties. Those with
    the person (`me`) too, and those since `since_last_time` (ISO UTC), come a little first."""
    seen: dict[str, Said] = {}
    for said in pool:
        if said.ref not in seen and not_after(said.at, now):
            seen[said.ref] = said
    candidates = list(seen.values())
    their_threads = {s.thread for s in candidates if s.thread and any(p.wrote(s) for p in parties)}
    their_channels = {s.conversation_id for s in candidates if s.conversation_id and s.kind in ("channel", "private_channel")
                      and any(p.wrote(s) for p in parties)}
    my_threads = {s.thread for s in candidates if s.thread and me is not None and me.wrote(s)}
    title = [word for word, place in subject if place > 1]
    own_topic, weights = _topics(candidates, subject, title)
    if weights:  # the words the best matches share say what else the subject is called
        names = {word for party in (*parties, *([me] if me else [])) for name in party.names for word in words_of(name)}
        more = _expansion(candidates, own_topic, {w for w, _ in subject} | names)
        if more:
            subject = [*subject, *((word, EXPANSION_PLACE) for word in more)]
            own_topic, weights = _topics(candidates, subject, title)
    thread_topic: dict[str, float] = {}
    for said in candidates:
        if said.thread:
            thread_topic[said.thread] = max(thread_topic.get(said.thread, 0.0), own_topic[said.ref])
    flow_topic = _flow_topics(candidates, own_topic)
    ranked = []
    for said in candidates:
        topic = max(own_topic[said.ref], THREAD_SHARE * max(thread_topic.get(said.thread or "", 0.0),
                                                            flow_topic.get(said.ref, 0.0)))
        if len(parties) == 1 and said.kind == "dm" and parties[0].in_private(said):
            topic = max(topic, ONE_ON_ONE_DM)  # a meeting of two: what the two said in their DM bears on it
        mine = me is not None and (me.wrote(said) or me.mentioned(said) or said.thread in my_threads
                                   or said.kind in ("dm", "group_dm"))
        if parties:
            involvement = _involvement(said, parties, their_threads, their_channels)
        else:  # a meeting of one's own: the person's own conversations count as theirs
            involvement = DIRECT if mine else SHARED_CHANNEL
        since = SINCE_LAST_TIME if since_last_time and said.at > since_last_time else 0.0
        freshness = _freshness(said.at, now, days)
        if weights:
            if topic <= 0 or involvement <= 0:
                continue
            score = topic * (0.4 + involvement) + (WITH_ME if mine else 0.0) + since + 0.05 * freshness
        else:  # nothing but the people to go by: what is between them and the person first
            if involvement < IN_THEIR_THREAD or not (mine or _says_something(said)):
                continue
            score = involvement + (3 * WITH_ME if mine else 0.0) + since + 0.3 * freshness
        ranked.append(Ranked(said, score, involvement, topic))
    ranked.sort(key=lambda r: r.said.at, reverse=True)  # equal scores: the newer first
    ranked.sort(key=lambda r: -r.score)
    return _without_repeats(ranked, limit)


def _topics(candidates: Sequence[Said], subject: Sequence[tuple[str, float]],
            title: Sequence[str]) -> tuple[dict[str, float], dict[str, float]]:
    """Each candidate's topic (by ref), and the subject words' weights."""
    match = _matcher(tuple(word for word, _ in subject))
    held = [match(s) for s in candidates]
    weights = _topic_weights(subject, held)
    return {s.ref: _topic(h, weights, title) for s, h in zip(candidates, held)}, weights


EXPANSION_FROM = 3  # the best matches whose shared words extend the subject
EXPANSION_WORDS = 4
EXPANSION_PLACE = 0.5  # such a word weighs half a description word
EXPANSION_RARE = 0.15  # and is one that at most this share of the pool holds (not "need", "today")


def _expansion(candidates: Sequence[Said], topic: dict[str, float], known: set[str]) -> list[str]:
    """Words that two or more of the best matches hold and few other messages do: "forecast" for a
    board pack review whose best match asks for the forecast before the board pack goes out."""
    best = sorted((s for s in candidates if topic[s.ref] > 0), key=lambda s: -topic[s.ref])[:EXPANSION_FROM]
    if len(best) < 2:
        return []
    frequency: Counter[str] = Counter()
    for said in candidates:
        frequency.update(_distinct_words(said.text))
    shared: Counter[str] = Counter()
    for said in best:
        shared.update(w for w in _distinct_words(said.text) if w not in STOPWORDS and w not in known
                      and w not in GENERIC_MEETING_WORDS and len(w) > 2 and not w.isdigit())
    rare = max(len(best) + 3, len(candidates) * EXPANSION_RARE)  # a small pool: a few others may hold it
    found = [w for w, n in shared.most_common() if n >= 2 and frequency[w] <= rare]
    return found[:EXPANSION_WORDS]


DM_FLOW_S = 3 * 3600  # in a DM, a message this soon after an on-topic one continues it ("will do tomorrow")


def _flow_topics(candidates: Sequence[Said], topic: dict[str, float]) -> dict[str, float]:
    """For each DM or group DM message, the best topic among the messages of the same conversation
    in the hours before it: a DM has no threads, its flow is one."""
    by_conversation: dict[str, list[tuple[float, Said]]] = {}
    for said in candidates:
        if said.kind in ("dm", "group_dm") and said.conversation_id and (moment := _seconds(said.at)) is not None:
            by_conversation.setdefault(said.conversation_id, []).append((moment, said))
    flow: dict[str, float] = {}
    for messages in by_conversation.values():
        messages.sort(key=lambda pair: pair[0])
        for index, (moment, said) in enumerate(messages):
            earlier = [topic[s.ref] for at, s in messages[:index] if moment - at <= DM_FLOW_S]
            if earlier:
                flow[said.ref] = max(earlier)
    return flow


def _seconds(at: str) -> float | None:
    try:
        return datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp() if len(at) > 10 else None
    except ValueError:
        return None


REPEAT = 0.7  # two messages sharing this share of their words say the same thing


def _without_repeats(ranked: list[Ranked], limit: int) -> list[Ranked]:
    """The same words said again (a template, a bot's post, a weekly reminder with another day) are
    cited once, where they rank best: ten copies of one sentence would hide everything else."""
    kept: list[tuple[Ranked, frozenset[str]]] = []
    for entry in ranked:
        words = _distinct_words(entry.said.text)
        if not any(len(words & other) >= REPEAT * len(words | other) for _, other in kept):
            kept.append((entry, words))
            if len(kept) == limit:
                break
    return [entry for entry, _ in kept]


SAYS_SOMETHING = 4  # words that are not stopwords: "+1", "on it", "thanks, looking now" say nothing alone


def _says_something(said: Said) -> bool:
    return sum(1 for word in words_of(said.text) if word not in STOPWORDS and not word.isdigit()) >= SAYS_SOMETHING


def _freshness(at: str, now: datetime, days: int) -> float:
    """1 for now, 0 for `days` ago or more."""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00")) if len(at) > 10 else \
            datetime.combine(date.fromisoformat(at), datetime.min.time(), timezone.utc)
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    age = (now - moment).total_seconds() / 86_400
    return max(0.0, min(1.0, 1 - age / days))
