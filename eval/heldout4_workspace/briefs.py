"""What a good meeting brief brings up in the fourth held-out workspace (script.py), labelled with it
before any brief ran on it.

uid: (the occurrence's day, the messages by name, why)
"""

BRIEFS = {
    "pricing": ("Wed", ["d1", "d2", "d3", "d4", "d7", "d8", "dh1", "dh2"],
                "the mockups, the toggle's cost and the call to ship without it, enterprise pricing, the old table"),
    "migration": ("Thu", ["w1", "w2", "w3", "w4", "w5", "w6", "dl1", "dl2"],
                  "the dry runs and failing tables, invoices and the month close, the read-only window, Leo's go"),
    "1on1-chloe": ("Tue", ["dc1", "dc2", "cs1"], "Northwind's champion gone, the usage numbers, the renewal ask"),
    "renewal": ("Fri", ["cs1", "cs2", "cs3", "cs4", "cs5", "dc1", "g1", "g2"],
                "the 20% ask and the 12% floor, the offer, the usage drop and its cause, the VP, the CFO's ok"),
}
