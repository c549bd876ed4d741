"""What a good meeting brief brings up, for each meeting of the labelled workspace (script.py):
the messages Alex would want to have read before it, among what was said before it starts.
Measured by `python -m eval.briefs`. Labelled from the conversations, not from what briefs cite.

uid: (the occurrence's day, the messages by name, why)
"""

BRIEFS = {
    "sync-q1": ("Wed", ["fin1", "fin3", "fin3b", "fin4"],
                "Dana's ask to approve the Q1 vendor budget before the sync, the cloud line question, the approval"),
    "audit": ("Thu", ["fin2", "eng4", "eng5", "eng6", "g6", "g7"],
              "the walkthrough moved, the SOC2 evidence Lee uploaded for it, the audit fee quote and its length"),
    "allhands": ("Thu", ["gen1"], "Jordan moved it and put the agenda in the doc"),
    "1on1-sam": ("Wed", ["ds1", "ds2", "ds3", "hir1", "hir5", "hir6"],
                 "between Sam and Alex: the 1:1 move, the Q1 recruiting budget, the Rahul offer, the final round"),
    "launch": ("Fri", ["lch1", "lch2", "lch5", "lch6", "lch7", "lch8", "dn3"],
               "the launch date, landing page copy, the pricing API, the comms plan, the launch event budget"),
    "fin-standup": ("Thu", ["fin4", "fin10", "fin14"],
                    "a daily meeting: what Dana and Priya said in #finance since Wednesday's standup"),
}
