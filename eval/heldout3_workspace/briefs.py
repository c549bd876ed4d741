"""What a good meeting brief brings up in the third held-out workspace (script.py), labelled with it.

uid: (the occurrence's day, the messages by name, why)
"""

BRIEFS = {
    "postmortem": ("Thu", ["e1", "e2", "e3", "e4", "e5"],
                   "the incident and its cause, the customers told, the draft, the on-call decision, the fix"),
    "campaign": ("Wed", ["m1", "m2", "m3", "m4", "m5", "dg1"],
                 "the brief and its 60k ask, the partner tie-in, case studies, the 50k approval and Grace's answer"),
    "1on1-tomasz": ("Wed", ["dt1", "dt2", "e4"], "the tired team and the freeze, the on-call decision he asked for"),
    "commission": ("Fri", ["s2", "da1", "da2"], "the sign-off before payroll, the draft, the cutoff"),
}
