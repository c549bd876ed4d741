"""A third held-out workspace for `python -m eval.briefs --heldout 3`: written with its labels
(briefs.py) after every change the first two prompted, and before any brief ran on it; never used
to tune the briefs.

Arjun Nair (U01ARJUN, Australia/Sydney), the week Mon 2027-02-01 to Fri 02-05. Same format as
eval/board_workspace/script.py.
"""

from __future__ import annotations

from eval.board_workspace.script import M

ME = "U01ARJUN"
ZONE = "Australia/Sydney"
DAYS = {"Mon": "2027-02-01", "Tue": "2027-02-02", "Wed": "2027-02-03", "Thu": "2027-02-04", "Fri": "2027-02-05"}

USERS = [
    ("U01ARJUN", "arjun", "Arjun Nair", "arjun@kestrel.test"),
    ("U02GRACE", "grace", "Grace Liu", "grace.liu@kestrel.test"),
    ("U03TOMASZ", "tomasz", "Tomasz Nowak", "tnowak@kestrel.test"),
    ("U04FATIMA", "fatima", "Fatima Khan", "fatima@kestrel.test"),
    ("U05PETE", "pete", "Pete Walsh", "pete.walsh@kestrel.test"),
    ("U06ANA", "ana", "Ana Souza", "ana.souza@kestrel.test"),
]
BOT = ("U09PAGER", "pager", "Pager Bot")

CONVERSATIONS = [
    ("marketing", "C31MKT", "channel", ["arjun", "grace", "pete", "fatima"], [
        M("m1", "Mon 09:30", "grace", "spring campaign brief is in the drive, budget ask is 60k"),
        M("m2", "Mon 10:00", "pete", "can we tie it to the partner program launch? sales wants co-branded leads", thread="m1"),
        M("m3", "Mon 10:40", "grace", "<@U01ARJUN> need a yes on the 60k by wednesday so we can book the media"),
        M("m4", "Tue 15:00", "fatima", "customers keep asking for case studies, any chance we add two to the campaign?",
          thread="m1"),
        M("m5", "Wed 09:00", "arjun", "approved at 50k, let's cut the print ads", thread="m3"),
        M("m6", "Thu 11:00", "grace", "media booked, launch date feb 22"),
    ]),
    ("eng-leads", "C32ENG", "channel", ["arjun", "tomasz", "fatima"], [
        M("e1", "Mon 11:00", "tomasz", "incident last night: checkout errors for 40 minutes, root cause is the cache config"),
        M("e2", "Mon 11:30", "fatima", "3 enterprise customers emailed about it, I sent the status update", thread="e1"),
        M("e3", "Tue 09:00", "tomasz", "postmortem draft is up, action items need owners"),
        M("e4", "Wed 14:00", "tomasz", "<@U01ARJUN> we need to decide on the on-call rotation change before the postmortem review"),
        M("e5", "Thu 10:00", "tomasz", "cache config fix deployed to prod"),
        M("e6", "Thu 02:10", "pager", "ALERT resolved: checkout latency back under 300ms"),
    ]),
    ("sales", "C33SAL", "channel", ["arjun", "pete", "ana"], [
        M("s1", "Mon 14:00", "pete", "Q1 pipeline is 2.1M, 40% in late stage"),
        M("s2", "Tue 16:00", "ana", "<@U01ARJUN> commission plan for Q1 needs your sign-off before payroll on the 10th"),
        M("s3", "Wed 10:00", "pete", "Contoso wants net-60 terms, finance ok with that?"),
        M("s4", "Wed 10:30", "ana", "net-60 is fine if they prepay the first quarter", thread="s3"),
    ]),
    ("D31TOM", "D31TOM", "dm", ["arjun", "tomasz"], [
        M("dt1", "Tue 18:00", "tomasz", "honestly the team is tired after the incident, can we push the feature freeze a week?"),
        M("dt2", "Tue 18:20", "arjun", "let's discuss tomorrow, I'm open to it"),
        M("dt3", "Thu 08:30", "tomasz", "thanks for backing the freeze push, team is relieved"),
    ]),
    ("D32GRA", "D32GRA", "dm", ["arjun", "grace"], [
        M("dg1", "Wed 09:15", "grace", "50k works, we'll drop print and double down on webinars"),
    ]),
    ("D33ANA", "D33ANA", "dm", ["arjun", "ana"], [
        M("da1", "Mon 16:00", "ana", "the commission plan draft is in your inbox, changes are highlighted"),
        M("da2", "Wed 08:00", "ana", "reminder: payroll cutoff for commissions is the 8th"),
    ]),
]

# (uid, title, day, start, end, attendees[, description[, RRULE]])
MEETINGS = [
    ("postmortem", "Postmortem review: checkout incident", "Thu", "14:00", "15:00",
     ["tnowak@kestrel.test", "fatima@kestrel.test"]),
    ("campaign", "Spring campaign sign-off", "Wed", "11:00", "11:30", ["grace.liu@kestrel.test", "pete.walsh@kestrel.test"]),
    ("1on1-tomasz", "Tomasz / Arjun 1:1", "Wed", "15:00", "15:30", ["tnowak@kestrel.test"]),
    ("commission", "Commission plan review", "Fri", "10:00", "10:30", ["ana.souza@kestrel.test"]),
]
