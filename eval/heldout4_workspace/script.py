"""A fourth held-out workspace for `python -m eval.briefs --heldout 4`: written with its labels
(briefs.py) before the thread expansion of the briefs (issue #15) was built, and measured once
before and once after it; never used to tune the briefs.

Ines Moreau (U01INES, Europe/Paris), the week Mon 2027-03-08 to Fri 03-12. Same format as
eval/board_workspace/script.py.
"""

from __future__ import annotations

from eval.board_workspace.script import M

ME = "U01INES"
ZONE = "Europe/Paris"
DAYS = {"Mon": "2027-03-08", "Tue": "2027-03-09", "Wed": "2027-03-10", "Thu": "2027-03-11", "Fri": "2027-03-12"}

USERS = [
    ("U01INES", "ines", "Ines Moreau", "ines@larkspur.test"),
    ("U02HANA", "hana", "Hana Sato", "hana.sato@larkspur.test"),
    ("U03BRUNO", "bruno", "Bruno Costa", "bruno@larkspur.test"),
    ("U04LEO", "leo", "Leo Fischer", "lfischer@larkspur.test"),
    ("U05CHLOE", "chloe", "Chloe Martin", "chloe.martin@larkspur.test"),
    ("U06VICTOR", "victor", "Victor Adeyemi", "victor@larkspur.test"),
]
BOT = ("U09CI", "ci", "CI Bot")

CONVERSATIONS = [
    ("design", "C41DSN", "channel", ["ines", "hana", "bruno", "chloe"], [
        M("d1", "Mon 09:40", "hana", "first mockups of the pricing page are in Figma: three tiers plus an annual toggle"),
        M("d2", "Mon 10:05", "bruno", "that needs a billing API change on our side, two sprints at least", thread="d1"),
        M("d3", "Mon 10:30", "ines", "can we ship without it first and add it in april?", thread="d1"),
        M("d4", "Mon 11:00", "hana", "sure, I'll grey it out for now", thread="d1"),
        M("d5", "Tue 15:00", "hana", "anyone free to look at the onboarding illustrations this week?"),
        M("d6", "Tue 15:20", "bruno", "after lunch works for me", thread="d5"),
        M("d7", "Wed 09:00", "chloe", "<@U02HANA> two customers asked whether the enterprise tier will show a price or 'contact us'"),
        M("d8", "Wed 09:30", "hana", "contact us for enterprise, that's what sales wanted", thread="d7"),
        M("d9", "Thu 16:00", "hana", "pricing page is live on staging"),
    ]),
    ("data", "C42DAT", "channel", ["ines", "leo", "bruno", "victor"], [
        M("w1", "Mon 14:00", "leo", "warehouse migration to the new cluster: dry run passed, 2 tables failed row counts"),
        M("w2", "Mon 14:30", "bruno", "which ones? if it's events we can backfill after cutover", thread="w1"),
        M("w3", "Mon 14:45", "leo", "events and invoices. invoices is the one that worries me", thread="w1"),
        M("w4", "Tue 09:00", "victor", "finance closes the month on the 15th, please don't touch invoices before that",
          thread="w1"),
        M("w5", "Tue 17:00", "leo", "dashboards will be read-only for about 4h during the switch, I'll post in #general"),
        M("w6", "Wed 11:00", "leo", "row counts match on the second dry run"),
        M("w7", "Tue 12:00", "victor", "Q1 actuals export is ready in the shared drive"),
        M("w8", "Thu 13:00", "leo", "cutover done, all green"),
    ]),
    ("customer-success", "C43CS", "channel", ["ines", "chloe", "victor", "bruno"], [
        M("cs1", "Mon 10:00", "chloe", "<@U01INES> Northwind renewal is due march 31, they're asking for a 20% discount"),
        M("cs2", "Mon 10:20", "victor", "20% puts them under our floor margin, 12% max", thread="cs1"),
        M("cs3", "Tue 14:00", "ines", "let's offer 12% with a two-year term", thread="cs1"),
        M("cs4", "Wed 10:00", "chloe", "Northwind usage dropped 35% since january, mostly the reporting module"),
        M("cs5", "Wed 10:30", "bruno", "reporting had the timeout bug until last week, fixed in 4.2", thread="cs4"),
        M("cs6", "Thu 09:00", "chloe", "Contoso onboarding call went well, they want SSO next"),
        M("cs7", "Fri 16:30", "chloe", "Northwind signed the two-year deal"),
    ]),
    ("general", "C44GEN", "channel", ["ines", "hana", "bruno", "leo", "chloe", "victor"], [
        M("gen1", "Mon 08:00", "victor", "expense reports are due friday"),
        M("gen2", "Wed 12:00", "bruno", "lunch & learn on thursday: our new CI pipeline"),
        M("gen3", "Wed 12:10", "ci", "build 4.2.1 passed on main"),
    ]),
    ("D41CHL", "D41CHL", "dm", ["ines", "chloe"], [
        M("dc1", "Mon 17:00", "chloe", "Northwind's champion left, the new VP hasn't replied to me in two weeks"),
        M("dc2", "Mon 17:10", "ines", "let's talk tomorrow, bring the usage numbers"),
        M("dc3", "Tue 18:00", "chloe", "thanks for today, I'll draft the exec outreach"),
    ]),
    ("D42LEO", "D42LEO", "dm", ["ines", "leo"], [
        M("dl1", "Wed 18:00", "leo", "for tomorrow: I'd go, the invoices table is clean now"),
        M("dl2", "Wed 18:05", "ines", "ok, write it up as a short go/no-go note"),
    ]),
    ("D43HAN", "D43HAN", "dm", ["ines", "hana"], [
        M("dh1", "Tue 10:00", "hana", "do you want the old comparison table kept on the new page?"),
        M("dh2", "Tue 10:30", "ines", "drop it, link to the docs instead"),
    ]),
    ("mpdm-ines--chloe--victor-1", "G41ICV", "group_dm", ["ines", "chloe", "victor"], [
        M("g1", "Thu 17:00", "victor", "if we go to 12% I need the CFO's ok, I'll ask today"),
        M("g2", "Thu 17:30", "chloe", "their new VP finally answered, meeting monday"),
    ]),
]

# (uid, title, day, start, end, attendees[, description[, RRULE]])
MEETINGS = [
    ("pricing", "Pricing page redesign review", "Wed", "14:00", "15:00", ["hana.sato@larkspur.test", "bruno@larkspur.test"],
     "New tiers, annual toggle"),
    ("migration", "Data warehouse migration go/no-go", "Thu", "10:00", "10:30",
     ["lfischer@larkspur.test", "bruno@larkspur.test"]),
    ("1on1-chloe", "Ines / Chloe 1:1", "Tue", "11:00", "11:30", ["chloe.martin@larkspur.test"]),
    ("renewal", "Renewal risk: Northwind", "Fri", "15:00", "15:45", ["chloe.martin@larkspur.test", "victor@larkspur.test"]),
]
