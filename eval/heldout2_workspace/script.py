"""A second held-out workspace for `python -m eval.briefs --heldout2`: written with its labels
(briefs.py) after the changes the first held-out workspace prompted (a DM's flow, the words the best
matches share) and before any brief ran on it; never used to tune the briefs.

Sofia Marin (U01SOFIA, America/Chicago), the week Mon 2027-01-11 to Fri 01-15. Same format as
eval/board_workspace/script.py.
"""

from __future__ import annotations

from eval.board_workspace.script import M

ME = "U01SOFIA"
ZONE = "America/Chicago"
DAYS = {"Mon": "2027-01-11", "Tue": "2027-01-12", "Wed": "2027-01-13", "Thu": "2027-01-14", "Fri": "2027-01-15"}

USERS = [
    ("U01SOFIA", "sofia", "Sofia Marin", "sofia.marin@northco.test"),
    ("U02KWAME", "kwame", "Kwame Asante", "kwame@northco.test"),
    ("U03LENA", "lena", "Lena Vogel", "lena.vogel@northco.test"),
    ("U04DIEGO", "diego", "Diego Ruiz", "diego@northco.test"),
    ("U05HANNAH", "hannah", "Hannah Kim", "hkim@northco.test"),
    ("U06OWEN", "owen", "Owen Price", "owen.price@northco.test"),
]
BOT = ("U09OPS", "opsbot", "Ops Bot")

CONVERSATIONS = [
    ("product", "C21PRD", "channel", ["sofia", "kwame", "diego", "lena"], [
        M("p1", "Mon 09:20", "kwame", "roadmap draft for H1 is up, the big bet is the self-serve onboarding"),
        M("p2", "Mon 09:45", "diego", "self-serve needs the new auth flow first, that's 3 sprints minimum", thread="p1"),
        M("p3", "Mon 10:10", "sofia", "can we phase it? auth first, onboarding in Q2", thread="p1"),
        M("p4", "Tue 14:00", "kwame", "<@U01SOFIA> need your call on dropping the legacy export feature, 4 customers still use it"),
        M("p5", "Tue 14:30", "lena", "two of those four are up for renewal in march fyi", thread="p4"),
        M("p6", "Wed 11:00", "diego", "auth flow spike done, estimate holds"),
        M("p7", "Thu 09:00", "kwame", "customer advisory board is confirmed for feb 3"),
        M("p8", "Thu 16:30", "kwame", "roadmap approved, sharing with the company tomorrow"),
    ]),
    ("people", "C22PPL", "channel", ["sofia", "hannah", "owen", "kwame"], [
        M("h1", "Mon 13:00", "hannah", "comp review cycle opens next monday, managers get their budgets friday"),
        M("h2", "Tue 10:00", "owen", "comp budget is 4% of payroll this year, same as last"),
        M("h3", "Tue 10:20", "hannah", "<@U01SOFIA> please confirm the promotion list for your org by thursday"),
        M("h4", "Wed 16:00", "sofia", "list is in the sheet, 3 promotions", thread="h3"),
        M("h5", "Thu 12:00", "hannah", "offsite catering options are in, vote by friday"),
    ]),
    ("ops", "C23OPS", "channel", ["sofia", "lena", "owen", "diego"], [
        M("o1", "Mon 08:40", "lena", "warehouse move is set for jan 25, need sign-off on the moving vendor"),
        M("o2", "Tue 09:10", "owen", "vendor quote came in at 42k, 10k over plan", thread="o1"),
        M("o3", "Wed 15:00", "lena", "<@U01SOFIA> can we approve the extra 10k for the move or should I rebid?"),
        M("o4", "Thu 10:30", "diego", "the office wifi upgrade is done"),
        M("o5", "Wed 07:00", "opsbot", "Reminder: badge audit due end of month"),
    ]),
    ("D21KWA", "D21KWA", "dm", ["sofia", "kwame"], [
        M("dk1", "Mon 17:00", "kwame", "got 15 min before our 1:1 tomorrow? want to run the roadmap narrative by you"),
        M("dk2", "Mon 17:05", "sofia", "sure, 9:30"),
        M("dk3", "Wed 18:00", "kwame", "the exec deck for the roadmap is ready for your eyes, link in the doc"),
    ]),
    ("D22HAN", "D22HAN", "dm", ["sofia", "hannah"], [
        M("dh1", "Tue 11:00", "hannah", "one of your managers flagged a retention risk on the platform team, can we talk?"),
        M("dh2", "Tue 11:30", "sofia", "yes, let's do it in our sync thursday"),
    ]),
    ("D23OWE", "D23OWE", "dm", ["sofia", "owen"], [
        M("do1", "Wed 10:00", "owen", "the warehouse move overage would come out of the Q1 ops budget unless you say otherwise"),
        M("do2", "Wed 10:15", "sofia", "ok, hold until Lena's rebid"),
    ]),
    ("mpdm-sofia--lena--owen-1", "G21SLO", "group_dm", ["sofia", "lena", "owen"], [
        M("g1", "Thu 09:30", "lena", "rebid came back at 36k from a second vendor"),
        M("g2", "Thu 09:40", "owen", "that's within 4k of plan, I can absorb it"),
    ]),
]

# (uid, title, day, start, end, attendees[, description[, RRULE]])
MEETINGS = [
    ("roadmap", "H1 roadmap review", "Thu", "13:00", "14:00", ["kwame@northco.test", "diego@northco.test"],
     "Self-serve onboarding, legacy export"),
    ("1on1-kwame", "Sofia / Kwame 1:1", "Tue", "10:00", "10:30", ["kwame@northco.test"]),
    ("warehouse", "Warehouse move decision", "Thu", "11:00", "11:30", ["lena.vogel@northco.test", "owen.price@northco.test"]),
    ("people-sync", "People sync with Hannah", "Thu", "15:00", "15:30", ["hkim@northco.test"]),
]
