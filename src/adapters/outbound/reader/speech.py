"""What a message does, read from its words alone: promises, asks, accepts an ask, or none of these.

Who promises or asks whom is decided elsewhere (addressing.py); here only the speech act. The patterns
are of speech, tuned on the tune set (training/slack-tune.txt), not on the dev set's sentences.
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum


class Act(StrEnum):
    PROMISE = "promise"
    ASK = "ask"
    ACCEPT = "accept"  # agrees to an ask just made ("will do", "on it", "sure")


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# The writer commits to doing something.
_PROMISE = _any(
    r"\b(i'?ll|i will|i'?m going to|i am going to|im gonna|i'?m gonna|i can have)\b",
    r"\bwe(?:'ll| will) (?:\w+ ){0,3}(?:you|to you)\b",  # a team's promise to someone, not its plans
    # Under way: "sending it over in a bit", "ok signing it before lunch".
    r"^\W*(?:(?:ok(?:ay)?|yes|yep|sure|great|cool|thx|thanks)\W+)?(?:i'?m |i am )?(?:sending|signing|sharing|booking|"
    r"drafting|writing|scheduling|setting up|putting together|pulling|fixing|finishing|reviewing) (?:it|the|a|an|"
    r"this|that|them|you|my|our|over)\b",
    r"\bi can do (?:it|that|this)\b",
    r"^\s*(?:\W+\s*)?(?:ok(?:ay)?|yes|yep|ya|sure|will do|of course|ofc)?[,.!\s]*will\s+\w+",  # "will send tmrw"
    r"\byou'?ll have\b",
    r"\b(coming your way|to you by|headed your way|on its way)\b",
    r"\blet me (?:\w+ ){0,4}(?:and|&) (?:get back|let you know|circle back|follow up)",
    r"\b(doing it|finishing|looking|working on it|on it)\b.{0,20}\b(now|today|tonight|this afternoon|tmrw|tomorrow)\b",
    r"\bwill (?:get|have|send|share|review|look|do|check|add|finish|confirm|draft|write|follow|loop|ask|approve)\b",
)

# Plans that promise nothing to anyone.
_PLAN = _any(
    r"\b(?:i'?ll|i will|i'?m going to|i am|i'?m|we'?ll) be (?:out|off|away|ooo|in late|late|traveling|travelling|"
    r"offline|on (?:vacation|leave|pto)|at (?:the|a) |in (?:\w+ )?(?:meetings?|workshops?))",
    r"\b(?:i'?m|i am) (?:ooo|out|off|wfh|traveling|travelling)\b",
    r"\bwfh\b", r"\bworking from home\b",
)

# Hypotheticals and vague offers: nothing is promised.
_HYPOTHETICAL = _any(
    r"^\s*if\b", r"\bif (?:you|we|it|anyone|anybody|they) (?:ever |still )?(?:want|need|had|have|like|get|snows|rains)",
    r"\b(?:i'?d|i would|i might|i could|we could|we might|might be able)\b",
    r"\blet me know if (?:you )?(?:need|want|have)\b", r"\blmk if (?:you )?(?:need|want)\b",
    r"\bhappy to (?:help|pair|chat|jump)\b.{0,30}\bif\b", r"\bfeel free\b",
    r"\bwould it help\b", r"\bno action needed\b",
)

# The writer asks someone to do, decide, approve or answer something.
_ASK = _any(
    r"\b(?:can|could|would|will) (?:one of )?(?:you|u|ya)\b(?! believe)",
    r"\b(?:any chance you could|would you mind|do you mind|mind (?:taking|having))\b",
    r"^\s*(?:\W*\w+[,:]?\s+)?(?:pls|plz|please)\s+\w+",  # "pls send", "Sam, please review"
    r"\b(?:pls|plz|please) (?:send|review|approve|sign|take|look|check|fill|get|add|share|confirm|book|set|"
    r"reconcile|loop|update|let|make|find|put|prep|write|complete|decide)\b",
    r"\bneed (?:you to|your (?:\w+[ -]?){0,2}(?:sign-?off|approval|decision|call|input|feedback|review|go/no-go|ok|"
    r"guidance|help|thoughts|opinion|eyes))",
    r"\bcan we (?:get|have)\b", r"\bneed (?:it|this|that|them) (?:by|before)\b",
    r"\bwe need your\b", r"\bneed a decision\b",
    r"\b(?:lmk|let me know) (?:what you think|your thoughts|if (?:that|this) works|when)\b",
    r"\bwhat do you think\b", r"\bthoughts\?",
    r"\bdo you (?:want(?! me to)|prefer|have (?:\d+|a few|some) min)",
    r"\b(?:should|shall|do) (?:we|i|the|our|this|it)\b.*\bor\b.*\?",  # a choice to decide
    r"\b(?:are|is) due (?:today|tomorrow)\b", r"\breminder\b.*\bdue\b",
    r"^\s*(?:send|review|approve|sign|fill|share|update|book|check|add|confirm|schedule|call) (?:me|the|it|this|your|a)\b",
    r"\bdid (?:you|u) get a chance\b",
)

# Soft asks: a nudge on something owed, or a wish put politely; read before the hypotheticals, whose
# "would" and "if you" they share.
_SOFT_ASK = _any(
    r"\bany (?:updates?|progress|news|eta) on\b", r"\b(?:bumping|bump|nudging|gentle nudge|pinging) (?:this|on|re)\b",
    r"\bthoughts on\b.*\?",
    r"\b(?:ok|okay|alright|fine|cool) (?:if|to) \w+.*\?",  # asking leave: "ok if I take monday off?"
    r"\b(?:it )?would (?:be|it be) (?:\w+ )?(?:great|good|helpful|awesome|amazing|ideal) if you (?:could|can)\b",
)

# Questions that ask nothing: chatter, news, idle curiosity.
_IDLE_QUESTION = _any(
    r"\b(?:did|have) (?:you|u) (?:see|watch|hear|catch)\b", r"\bhow was\b", r"\bcan you believe\b",
    r"\bare you coming\b", r"\banyone (?:up for|know|seen|have)\b", r"\bdoes anyone\b", r"\bwho left\b",
)

# A short reply that takes on an ask just made.
_ACCEPT = re.compile(
    r"^\W*(?:ok(?:ay)?|yes|yep|yup|ya|yeah|sure|sure thing|of course|ofc|absolutely|will do|on it|doing it now|"
    r"can do|no problem|np|got it|count me in|happy to|yes happy to|on my list|sign me up|put me down|"
    r"leave it with me|consider it done|i'?m in|i got (?:it|this)|i'?ll take it|👍)"
    r"(?:[\s,.!-]+(?:will do|on it|will (?:\w+ ?){1,3}|i'?ll (?:\w+ ?){1,4}|on my list|doing it now|"
    r"friday works|happy to|looking now|count me in|put me down|sign me up|leave it with me|\w+ works))?\W*$",
    re.IGNORECASE,
)


# The cheap first look: no ask, promise or soft ask below can match a text without one of these words
# (whole words, as `\w+` splits the lower-cased text; "ll" is the end of "I'll", "we'll", "you'll"),
# or one of these phrases, or one of the opening words first. Most chat lines have none, and are
# then not run through the patterns. A new pattern needs its cue here: tests/unit/test_reader_speed.py
# checks the look against every message written in this repository.
_CUES = frozenset("""
    ll ill youll will going gonna way doing finishing looking working need should due mind any chance
    sending signing sharing booking drafting writing scheduling setting putting pulling fixing reviewing
    bumping bump nudging nudge pinging thoughts pls plz please lmk
""".split())
_CUE_PHRASES = ("can you", "can u", "can ya", "can one", "can we", "i can", "could you", "could u", "could ya",
                "could one", "would you", "would u", "would ya", "would one", "would be", "would it be", "do you",
                "let me", "on it", "to you by", "do we", "do i", "do the", "do our", "do this", "do it", "shall",
                "ok if", "ok to", "okay if", "okay to", "alright if", "alright to", "fine if", "fine to", "cool if",
                "cool to")
_OPENING_CUES = frozenset("send review approve sign fill share update book check add confirm schedule call".split())
_WORD = re.compile(r"\w+")


def may_act(text: str) -> bool:
    """False when `text` cannot ask, promise or accept anything (see _CUES); True says only "maybe"."""
    if _ACCEPT.match(text):
        return True
    lower = text.lower()
    words = _WORD.findall(lower)
    return bool(words) and (not _CUES.isdisjoint(words) or words[0] in _OPENING_CUES
                            or any(phrase in lower for phrase in _CUE_PHRASES))


def promises(text: str) -> bool:
    """The words commit the writer to something of their own ("ok will sign by 3"), beyond accepting."""
    return bool(_PROMISE.search(text)) and not _PLAN.search(text) and not _HYPOTHETICAL.search(text)


@functools.lru_cache(maxsize=16384)  # a thread's messages are read again as the context of each reply
def act(text: str) -> Act | None:
    """The speech act of a message's text, or None when it neither asks nor promises."""
    words = text.strip()
    if not words or not may_act(words):
        return None
    return patterns_act(words)


def patterns_act(words: str) -> Act | None:
    """`act` without the first cheap look (tests check that the look never hides an act)."""
    if _ACCEPT.match(words):
        return Act.ACCEPT
    if _PLAN.search(words) and not _ASK.search(words):
        return None
    if _SOFT_ASK.search(words):
        return Act.ASK
    if _HYPOTHETICAL.search(words):
        return None
    promise, ask = _PROMISE.search(words), _ASK.search(words)
    if ask and not _IDLE_QUESTION.search(words) and not (promise and promise.start() < ask.start()):
        return Act.ASK
    if promise:
        return Act.PROMISE
    return None
