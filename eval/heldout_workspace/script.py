"""A held-out workspace for `python -m eval.briefs --heldout`: another person, team and week, written
(with its labels, briefs.py) before any brief was run on it, and never used to tune the briefs.

Maya Okoro (U01MAYA, Europe/London), the week Mon 2026-12-07 to Fri 12-11. Same format as
eval/board_workspace/script.py; the export and calendar are written to a temporary folder when measured.
"""

from __future__ import annotations

from eval.board_workspace.script import M

ME = "U01MAYA"
ZONE = "Europe/London"
DAYS = {"Mon": "2026-12-07", "Tue": "2026-12-08", "Wed": "2026-12-09", "Thu": "2026-12-10", "Fri": "2026-12-11"}

USERS = [
    ("U01MAYA", "maya", "Maya Okoro", "maya@globo.test"),
    ("U02INES", "ines", "Ines Garcia", "ines@globo.test"),
    ("U03BEN", "ben", "Ben Foster", "ben.foster@globo.test"),
    ("U04TOM", "tom", "Tom Baker", "tom@globo.test"),
    ("U05CLAIRE", "claire", "Claire Dubois", "claire.dubois@globo.test"),
    ("U06RAJ", "raj", "Raj Mehta", "raj@globo.test"),
    ("U07YUKI", "yuki", "Yuki Sato", "yuki@globo.test"),
]
BOT = ("U09CI", "ci", "CI Bot")

CONVERSATIONS = [
    ("sales", "C11SAL", "channel", ["maya", "ines", "ben", "tom", "claire"], [
        M("s1", "Mon 09:10", "ines", "<@U01MAYA> the Globex renewal is slipping, they want a 15% discount to sign this quarter"),
        M("s2", "Mon 09:30", "ben", "15% blows our margin target for Q4, can we do 8 with a 2 year term?", thread="s1"),
        M("s3", "Mon 10:05", "maya", "let's settle it at the pricing review, bring the numbers", thread="s1"),
        M("s4", "Tue 11:00", "ines", "Initech pilot went live today :tada:"),
        M("s5", "Tue 15:20", "tom", "who has the latest pipeline export? need it for the forecast"),
        M("s6", "Wed 09:00", "ines", "Globex legal sent redlines on the MSA, <@U05CLAIRE> can you take a look?"),
        M("s7", "Wed 09:40", "claire", "on it, will have comments tomorrow", thread="s6"),
        M("s8", "Thu 10:00", "ben", "updated pricing model with the 8% option: <https://sheets.globo.test/pricing-v4|pricing v4>"),
        M("s9", "Fri 08:30", "ines", "Globex signed!! 2 years at 9%"),
    ]),
    ("eng", "C12ENG", "channel", ["maya", "raj", "yuki", "tom"], [
        M("e1", "Mon 11:00", "raj", "migration to the new billing service is 70% done, blocked on the tax module"),
        M("e2", "Mon 11:20", "yuki", "new onboarding designs are in figma"),
        M("e3", "Tue 09:00", "raj", "<@U01MAYA> need a call on whether we delay the billing cutover to january"),
        M("e4", "Tue 09:15", "maya", "what's the risk if we go in december?", thread="e3"),
        M("e5", "Tue 09:40", "raj", "tax module bugs could double-charge EU customers, I'd rather wait", thread="e3"),
        M("e6", "Wed 14:00", "tom", "support volume is up 30% since the pricing page change"),
        M("e7", "Thu 16:00", "raj", "billing cutover moved to jan 12, comms going out monday"),
        M("e8", "Wed 08:00", "ci", "build #981 failed on main: tax module tests"),
    ]),
    ("general", "C13GEN", "channel", ["maya", "ines", "ben", "tom", "claire", "raj", "yuki"], [
        M("gn1", "Mon 08:00", "tom", "reminder: office closed on friday for the winter party"),
        M("gn2", "Tue 12:00", "yuki", "the winter party playlist is open for requests"),
        M("gn3", "Wed 17:00", "ben", "expense reports for november due by friday please"),
    ]),
    ("D11BEN", "D11BEN", "dm", ["maya", "ben"], [
        M("db1", "Mon 14:00", "ben", "can you look at the Q4 forecast before the board pack goes out? it assumes the Globex renewal at full price"),
        M("db2", "Mon 14:30", "maya", "will do tomorrow"),
        M("db3", "Wed 10:00", "ben", "forecast v2 attached, Globex at 8% discount now"),
        M("db4", "Thu 09:00", "ben", "also the auditors want the pricing approval memo"),
    ]),
    ("D12RAJ", "D12RAJ", "dm", ["maya", "raj"], [
        M("dr1", "Tue 17:00", "raj", "are we still on for our 1:1 thursday? I want to talk about the team lead role"),
        M("dr2", "Tue 17:10", "maya", "yes, thursday 3pm"),
        M("dr3", "Wed 12:00", "raj", "also Priyanka asked about moving to the platform team, can we discuss?"),
        M("dr4", "Fri 10:00", "raj", "thanks for the chat yesterday"),
    ]),
    ("D13CLA", "D13CLA", "dm", ["maya", "claire"], [
        M("dc1", "Mon 16:00", "claire", "the Globex MSA has an uncapped liability clause, we need to push back"),
        M("dc2", "Thu 11:00", "claire", "sent our redlines back to Globex legal, capped at 12 months fees"),
    ]),
]

# (uid, title, day, start, end, attendees[, description[, RRULE]])
MEETINGS = [
    ("globex", "Globex pricing review", "Thu", "14:00", "15:00",
     ["ines@globo.test", "ben.foster@globo.test", "claire.dubois@globo.test"], "Discount vs term length; MSA status"),
    ("1on1-raj", "Raj <> Maya 1:1", "Thu", "15:00", "15:30", ["raj@globo.test"]),
    ("cutover", "Billing cutover go/no-go", "Wed", "10:00", "10:30", ["raj@globo.test", "tom@globo.test"]),
    ("boardpack", "Board pack review", "Fri", "09:00", "10:00", ["ben.foster@globo.test", "tom@globo.test"]),
]
