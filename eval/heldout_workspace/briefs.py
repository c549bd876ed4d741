"""What a good meeting brief brings up in the held-out workspace (script.py), labelled with it.

uid: (the occurrence's day, the messages by name, why)
"""

BRIEFS = {
    "globex": ("Thu", ["s1", "s2", "s3", "s6", "s7", "s8", "db1", "db3", "dc1", "dc2"],
               "the discount ask, the counter with a longer term, the MSA redlines and liability cap, the pricing model"),
    "1on1-raj": ("Thu", ["dr1", "dr2", "dr3", "e3", "e4", "e5"],
                 "the team lead role, Priyanka's move, the cutover call Raj asked Maya for"),
    "cutover": ("Wed", ["e1", "e3", "e4", "e5"], "the migration's state and the risk of a December cutover"),
    "boardpack": ("Fri", ["db1", "db2", "db3"], "the Q4 forecast for the board pack and its Globex assumption"),
}
