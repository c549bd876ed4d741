"""People: one entry per human across sources (contract section 6).

Each source says what it knows of someone as a `Sighting` (a Slack user, a calendar attendee, a
roster record). `People` merges sightings into persons by the only things that name one human:
the same email (compared case-insensitively) or the same Slack user id. Names and display names
never merge anyone: two "Sam"s stay two people. A person is then found by a Slack id, an email, a
name or an "@handle", and `is_me` says whether an identity is the person the service works for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

# Whose name wins when sources disagree: the roster is the company's own record, then Slack, then
# a calendar's CN; a collector written elsewhere comes after them.
NAME_RANK = {"me": 0, "roster": 1, "slack": 2, "calendar": 3}
OTHER_SOURCE_RANK = 4

# Slack user ids: U or W, then letters and digits ("U024BE7LH"); a word like "LEE" is not one.
_SLACK_ID = re.compile(r"^[UW](?=[A-Z]*[0-9])[A-Z0-9]{2,}$")
_WORDS = re.compile(r"[^\W_]+")


_PLAIN_EMAIL = re.compile(r"[^\s<>@\"(),:;\[\]\\]+@[^\s<>@\"(),:;\[\]\\]+")


def normalise_email(value: object) -> str | None:
    """`Dana <Dana@Example.com>` or `mailto:dana@example.com` -> `dana@example.com`; None if it is none."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _PLAIN_EMAIL.fullmatch(text) and text[:7].lower() != "mailto:":
        return text.lower()  # the common case, without parseaddr's cost (briefs resolve hundreds at once)
    if text[:7].lower() == "mailto:":
        text = text[7:]
    address = parseaddr(text)[1].strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or "@" in local or any(c.isspace() for c in address):
        return None
    return address


def normalise_slack_id(value: object) -> str | None:
    text = value.strip().upper() if isinstance(value, str) else ""
    return text if _SLACK_ID.match(text) else None


def _key(text: str) -> str:
    """How names and handles are compared: case and spacing ignored."""
    return " ".join(text.casefold().split())


def name_from_email(email: str) -> str:
    """`dana.lee+cal@example.com` -> `Dana Lee`: a readable name when no source gives one."""
    local = email.split("@", 1)[0].split("+", 1)[0]
    words = [word for word in re.split(r"[._\-]+", local) if word and not word.isdigit()]
    return " ".join(word.capitalize() for word in words) or email


@dataclass(frozen=True, slots=True)
class Sighting:
    """What one source knows of one human. Build it with `Sighting.of`, which normalises the values
    and refuses a sighting with no email and no Slack id (nothing would say who it is)."""

    source: str
    emails: tuple[str, ...] = ()
    slack_ids: tuple[str, ...] = ()
    name: str | None = None  # a full name: Slack's real name, a calendar CN, the roster's name
    handles: tuple[str, ...] = ()  # what may follow "@": Slack's username and display name
    ref: str | None = None  # the source's own id for the record (a roster id), when it has one
    role: str | None = None  # a job title ("Head of Finance"), where the source says it

    @classmethod
    def of(cls, source: str, *, emails: Iterable[object] = (), slack_ids: Iterable[object] = (),
           name: object = None, handles: Iterable[object] = (), ref: object = None,
           role: object = None) -> Sighting:
        found_emails = tuple(dict.fromkeys(e for e in map(normalise_email, emails) if e))
        found_ids = tuple(dict.fromkeys(i for i in map(normalise_slack_id, slack_ids) if i))
        if not found_emails and not found_ids:
            raise ValueError("a person needs an email or a Slack user id")
        clean_name = " ".join(name.split()) if isinstance(name, str) else ""
        clean_handles = tuple(dict.fromkeys(
            h.strip().lstrip("@").strip() for h in handles if isinstance(h, str) and h.strip().lstrip("@").strip()))
        clean_ref = str(ref).strip() if isinstance(ref, (str, int)) and not isinstance(ref, bool) else ""
        clean_role = " ".join(role.split()) if isinstance(role, str) else ""
        return cls(source, found_emails, found_ids, clean_name or None, clean_handles, clean_ref or None,
                   clean_role or None)

    @property
    def key(self) -> str:
        """Its identity within its source: a later sighting with the same key replaces it."""
        if self.ref:
            return f"ref:{self.ref}"
        return f"slack:{self.slack_ids[0]}" if self.slack_ids else f"email:{self.emails[0]}"

    @property
    def rank(self) -> int:
        return NAME_RANK.get(self.source, OTHER_SOURCE_RANK)


@dataclass(frozen=True, slots=True)
class Person:
    id: str  # "slack:<first Slack id>" or, for someone seen only by email, "email:<first email>"
    name: str
    emails: tuple[str, ...]
    slack_ids: tuple[str, ...]
    handles: tuple[str, ...]
    names: tuple[str, ...]  # every full name a source gave
    role: str | None = None  # the job title the most trusted source gives (the roster first)

    def to_document(self, open_items: int = 0) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "emails": list(self.emails), "slack_ids": list(self.slack_ids),
                "open_items": open_items}

    def _search_words(self) -> set[str]:
        whole = [*self.names, self.name, *self.emails, *self.slack_ids, *self.handles]
        words = {_key(term) for term in whole}
        for term in whole:
            words.update(word.casefold() for word in _WORDS.findall(term))
        return words


def _merged(group: list[Sighting]) -> Person:
    ranked = sorted(group, key=lambda s: s.rank)  # stable: within a source, the order they came in
    emails = tuple(sorted({e for s in group for e in s.emails}))
    slack_ids = tuple(sorted({i for s in group for i in s.slack_ids}))
    handles = tuple(dict.fromkeys(h for s in ranked for h in s.handles))
    names = tuple(dict.fromkeys(s.name for s in ranked if s.name))
    name = (names[0] if names else handles[0] if handles else name_from_email(emails[0]) if emails
            else slack_ids[0])
    person_id = f"slack:{slack_ids[0]}" if slack_ids else f"email:{emails[0]}"
    role = next((s.role for s in ranked if s.role), None)
    return Person(person_id, name, emails, slack_ids, handles, names, role)


class _Groups:
    """Union-find over identities ("e:<email>", "s:<slack id>"): sightings sharing one are one person."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def root(self, key: str) -> str:
        parent = self._parent.setdefault(key, key)
        while parent != self._parent[parent]:
            self._parent[parent] = self._parent[self._parent[parent]]
            parent = self._parent[parent]
        return parent

    def join(self, keys: list[str]) -> str:
        roots = [self.root(key) for key in keys]
        for other in roots[1:]:
            self._parent[other] = roots[0]
        return roots[0]


class People:
    """Everyone the sources know, merged; answers who an identity is. Built from sightings and the
    person's own identities (AICOS_ME: Slack ids, emails, names), which are also merged as one."""

    def __init__(self, sightings: Iterable[Sighting], me: Iterable[str] = ()) -> None:
        sightings = list(sightings)
        self._me_identities = [identity.strip() for identity in me if identity and identity.strip()]
        me_emails = [e for e in map(normalise_email, self._me_identities) if e]
        me_ids = [i for i in self._me_identities if normalise_slack_id(i) == i and not normalise_email(i)]
        me_names = [i for i in self._me_identities if i not in me_ids and not normalise_email(i)]
        if me_emails or me_ids:  # the person's own identities are one human, whatever the sources say
            sightings.append(Sighting.of("me", emails=me_emails, slack_ids=me_ids,
                                         name=me_names[0] if me_names else None))
        groups = _Groups()
        roots = [groups.join([*(f"e:{e}" for e in s.emails), *(f"s:{i}" for i in s.slack_ids)]) for s in sightings]
        members: dict[str, list[Sighting]] = {}
        for sighting, root in zip(sightings, roots):
            members.setdefault(groups.root(root), []).append(sighting)
        merged = [_merged(group) for group in members.values()]
        self.all: tuple[Person, ...] = tuple(sorted(merged, key=lambda p: (_key(p.name), p.id)))
        self._by_email = {e: p for p in self.all for e in p.emails}
        self._by_slack_id = {i: p for p in self.all for i in p.slack_ids}
        self._by_name: dict[str, list[Person]] = {}
        self._by_handle: dict[str, list[Person]] = {}
        for person in self.all:
            for name in {_key(n) for n in (person.name, *person.names)}:
                self._by_name.setdefault(name, []).append(person)
            for handle in {_key(h) for h in person.handles}:
                self._by_handle.setdefault(handle, []).append(person)
        self._words: dict[str, set[str]] | None = None  # built on the first search
        self._me = self._resolve_me()

    def __len__(self) -> int:
        return len(self.all)

    def matching(self, identity: str) -> tuple[Person, ...]:
        """Everyone `identity` may name: an email, a Slack id ("U02DANA", "<@U02DANA>"), "@handle", a
        name or a handle. Emails and ids name one person; a name shared by two gives both."""
        text = identity.strip() if isinstance(identity, str) else ""
        if not text:
            return ()
        mention = re.fullmatch(r"<@([A-Za-z0-9]+)(?:\|[^>]*)?>", text)
        if mention:
            text = mention.group(1)
        if email := normalise_email(text):
            return (self._by_email[email],) if email in self._by_email else ()
        if (slack_id := normalise_slack_id(text)) and slack_id in self._by_slack_id:
            return (self._by_slack_id[slack_id],)
        if text.startswith("@"):
            return tuple(self._by_handle.get(_key(text[1:]), ()))
        by_name = self._by_name.get(_key(text), [])
        return tuple(by_name) if by_name else tuple(self._by_handle.get(_key(text), ()))

    def resolve(self, identity: str) -> Person | None:
        """The one person `identity` names, or None when it names nobody or is ambiguous."""
        found = self.matching(identity)
        return found[0] if len(found) == 1 else None

    def search(self, query: str) -> tuple[Person, ...]:
        """People whose name, email, Slack id or handle has a word starting with every word of
        `query` (case-insensitive); everyone for an empty query."""
        wanted = [word.casefold().lstrip("@") for word in query.split()]
        wanted = [word for word in wanted if word]
        if not wanted:
            return self.all
        if self._words is None:
            self._words = {person.id: person._search_words() for person in self.all}
        words = self._words
        return tuple(p for p in self.all if all(any(w.startswith(q) for w in words[p.id]) for q in wanted))

    @property
    def me(self) -> Person | None:
        """The person the service works for, when AICOS_ME names someone the sources know."""
        return self._me

    def is_me(self, identity: str) -> bool:
        """Whether `identity` (an email, a Slack id, a name, an "@handle") is the person."""
        if not isinstance(identity, str) or not identity.strip():
            return False
        if _key(identity) in {_key(own) for own in self._me_identities}:
            return True
        found = self.resolve(identity)
        return found is not None and self._me is not None and found.id == self._me.id

    def _resolve_me(self) -> Person | None:
        for identity in self._me_identities:
            if (found := self.resolve(identity)) is not None:
                return found
        return None
