"""What a good meeting brief brings up in the second held-out workspace (script.py), labelled with it.

uid: (the occurrence's day, the messages by name, why)
"""

BRIEFS = {
    "roadmap": ("Thu", ["p1", "p2", "p3", "p4", "p5", "p6", "dk1", "dk3"],
                "the H1 draft and its big bet, the auth dependency and phasing, the legacy export call, the exec deck"),
    "1on1-kwame": ("Tue", ["dk1", "dk2", "p1", "p3"], "the roadmap narrative Kwame wants to run by Sofia, the draft"),
    "warehouse": ("Thu", ["o1", "o2", "o3", "do1", "do2", "g1", "g2"],
                  "the move date, the vendor quote over plan, the rebid, who absorbs the overage"),
    "people-sync": ("Thu", ["dh1", "dh2", "h1", "h3", "h4"],
                    "the retention risk Hannah raised for this sync, the comp cycle, the promotion list"),
}
