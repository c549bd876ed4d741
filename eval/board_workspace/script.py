"""The labelled workspace behind `python -m eval.board`: one week (Mon 2026-11-23 to Fri 11-27) of
Slack for Alex Rivera (U01ALEX, America/New_York), written as people write, with the board Alex
would want from it. `python -m eval.board --write` turns this script into the fixture beside it (a
Slack export, a calendar, labels.json); the fixture is what is measured and tested.

A message: M(name, "Day HH:MM" local time, author handle, text, thread=name of its root,
item=kind, due="MM-DD", cp=counterparty's name, closed=name of the message that delivers it).
Labels say what belongs on the board from the whole conversation: an ask Alex accepts is labelled
on the acceptance, as Alex's promise, and the ask itself carries no label.
"""

from __future__ import annotations

from typing import NamedTuple

ME = "U01ALEX"
ZONE = "America/New_York"
DAYS = {"Mon": "2026-11-23", "Tue": "2026-11-24", "Wed": "2026-11-25", "Thu": "2026-11-26", "Fri": "2026-11-27"}

# id, handle, real name, email
USERS = [
    ("U01ALEX", "alex", "Alex Rivera", "alex@acme.test"),
    ("U02DANA", "dana", "Dana Lee", "dana@acme.test"),
    ("U03SAM", "sam", "Sam Patel", "sam@acme.test"),
    ("U04PRIYA", "priya", "Priya Shah", "priya@acme.test"),
    ("U05LEE", "lee", "Lee Chen", "lee@acme.test"),
    ("U06JORDAN", "jordan", "Jordan Kim", "jordan@acme.test"),
    ("U07MEI", "mei", "Mei Tanaka", "mei@acme.test"),
    ("U08OMAR", "omar", "Omar Haddad", "omar@acme.test"),
    ("U09NINA", "nina", "Nina Brooks", "nina@acme.test"),
]
BOT = ("U10DEPLOY", "deploybot", "Deploy Bot")


class M(NamedTuple):
    name: str
    when: str
    author: str
    text: str
    thread: str | None = None
    item: str | None = None
    due: str | None = None
    cp: str | None = None
    closed: str | None = None


# (folder, id, kind, members by handle, messages)
CONVERSATIONS = [
    ("finance", "C01FIN", "channel", ["alex", "dana", "priya", "lee", "nina"], [
        M("fin1", "Mon 09:05", "dana", "<@U01ALEX> can u approve the Q1 vendor budget by wed? need it before the sync",
          item="ask_to_me", due="11-25", cp="Dana Lee", closed="fin4"),
        M("fin2", "Mon 09:07", "priya", "fyi the auditors moved the walkthrough to thursday"),
        M("fin3", "Mon 09:20", "lee", "dana is the cloud line in there or separate", thread="fin1"),
        M("fin3b", "Mon 09:24", "dana", "separate, its in the eng tab", thread="fin1"),
        M("fin4", "Wed 10:02", "alex", "approved, signed the budget sheet", thread="fin1"),
        M("fin5", "Mon 11:30", "priya", "@channel reminder expense reports are due friday, no exceptions this time"),
        M("fin6", "Mon 14:10", "nina", "<@U02DANA> could you send me the marketing actuals when you get a sec"),
        M("fin7", "Mon 14:22", "dana", "yep will do", thread="fin6"),
        M("fin8", "Tue 08:45", "alex", "<@U02DANA> pls send me the updated forecast by EOD thu"),
        M("fin9", "Tue 08:50", "dana", "on it", thread="fin8",
          item="promise_to_me", due="11-26", cp="Dana Lee", closed="fin10"),
        M("fin10", "Wed 16:40", "dana", "here you go https://sheets.acme.test/forecast-v3", thread="fin8"),
        M("fin11", "Tue 13:00", "lee", "if we moved to reserved instances we'd probably save 20%, worth a look someday"),
        M("fin12", "Tue 13:05", "priya", "agree, maybe next quarter"),
        M("fin13", "Wed 09:30", "priya", "<@U01ALEX> need your sign off on the headcount variance before the board deck goes out friday",
          item="ask_to_me", due="11-27", cp="Priya Shah"),
        M("fin14", "Wed 11:15", "dana", "closed the books for october last week, all reconciled"),
        M("fin15", "Thu 10:20", "nina", "<@U04PRIYA> can you look at the agency invoice? looks high"),
        M("fin16", "Thu 10:31", "priya", "sure, tomorrow", thread="fin15"),
        M("fin17", "Thu 15:02", "alex", "I'll send the revised opex slide to you <@U04PRIYA> by tomorrow noon",
          item="promise_by_me", due="11-27", cp="Priya Shah", closed="fin18"),
        M("fin18", "Fri 11:40", "alex", "opex slide attached", thread="fin17"),
        M("fin19", "Fri 14:00", "dana", "happy thanksgiving weekend all, im out monday"),
    ]),
    ("hiring", "C02HIR", "channel", ["alex", "sam", "lee", "mei"], [
        M("hir1", "Mon 10:00", "sam", "<@U01ALEX> pls review the staff eng offer for Rahul before tmrw, he has another offer",
          item="ask_to_me", due="11-24", cp="Sam Patel"),
        M("hir2", "Mon 10:12", "lee", "fwiw the panel was unanimous on him"),
        M("hir3", "Mon 10:30", "sam", "<@U05LEE> can you write up the debrief notes today?"),
        M("hir4", "Mon 10:41", "lee", "yep", thread="hir3"),
        M("hir5", "Mon 16:00", "alex", "<@U03SAM> can you set up the final round with Jordan next week?"),
        M("hir6", "Mon 16:05", "sam", "yes, will book it", thread="hir5",
          item="promise_to_me", due="11-30", cp="Sam Patel", closed="hir7"),
        M("hir7", "Tue 09:15", "sam", "booked for monday 2pm, invite sent", thread="hir5"),
        M("hir8", "Tue 11:00", "mei", "we interviewed 4 designers last week, none were a fit"),
        M("hir9", "Tue 11:20", "sam", "if we opened the role to remote we might get more applicants"),
        M("hir10", "Wed 09:00", "sam", "@here the referral bonus doubles in december, tell your friends"),
        M("hir11", "Wed 14:30", "lee", "<@U01ALEX> could u decide whether we backfill Tom's role or move the headcount to SRE? by end of week pls",
          item="ask_to_me", due="11-27", cp="Lee Chen"),
        M("hir12", "Wed 14:45", "alex", "good q, let me think", thread="hir11"),
        M("hir13", "Thu 09:10", "mei", "Sam do you have the portfolio links from the last batch?"),
        M("hir14", "Thu 09:30", "sam", "sent them to you mei", thread="hir13"),
        M("hir15", "Thu 12:00", "sam", "<@U01ALEX> Rahul accepted!! start date jan 5"),
        M("hir16", "Thu 12:05", "alex", "amazing news", thread="hir15"),
        M("hir17", "Fri 10:00", "alex", "<@U03SAM> I'll write the welcome note for Rahul's first day by 12/18",
          item="promise_by_me", due="12-18", cp="Sam Patel"),
        M("hir18", "Fri 10:20", "lee", "could someone update the interview rubric at some point, it's stale"),
        M("hir19", "Fri 10:45", "sam", "what if we tried a take home instead of the onsite for juniors?"),
    ]),
    ("general", "C03GEN", "channel", ["alex", "dana", "sam", "priya", "lee", "jordan", "mei", "omar", "nina"], [
        M("gen1", "Mon 08:30", "jordan", "@channel all hands moved to thursday 11am, agenda in the doc"),
        M("gen2", "Mon 08:40", "nina", "the new brand guidelines are live on the wiki"),
        M("gen3", "Mon 12:00", "omar", "heads up I'll be out friday"),
        M("gen4", "Tue 09:00", "deploybot", "Deploy #412 to production succeeded (api, web)"),
        M("gen5", "Tue 09:05", "lee", "nice, that fixes the login bug"),
        M("gen6", "Tue 15:00", "mei", "anyone want to grab lunch tmrw?"),
        M("gen7", "Wed 10:00", "jordan", "great quarter everyone. proud of this team"),
        M("gen8", "Wed 10:30", "deploybot", "Deploy #413 to production failed: migrations timed out. Please check the logs"),
        M("gen9", "Thu 08:00", "nina", "office closed friday for the holiday"),
        M("gen10", "Thu 12:30", "alex", "@channel thanks all for a great all hands, slides will be on the wiki"),
        M("gen11", "Fri 09:00", "priya", "if anyone needs a hand with year end stuff let me know"),
        M("gen12", "Fri 09:30", "lee", "<@U07MEI> can you share the holiday party photos?"),
        M("gen13", "Fri 09:35", "mei", "will do after lunch", thread="gen12"),
        M("gen14", "Fri 10:00", "deploybot", "<@U01ALEX> your deploy approval is pending for release 2.14"),
        M("gen15", "Fri 11:00", "jordan", "we shipped 14 features this quarter, amazing work"),
    ]),
    ("launch", "C04LCH", "channel", ["alex", "mei", "nina", "lee", "jordan"], [
        M("lch1", "Mon 11:00", "nina", "launch date is locked for dec 9"),
        M("lch2", "Mon 11:05", "mei", "<@U01ALEX> can you approve the landing page copy? need it by thursday so eng can ship"),
        M("lch3", "Mon 11:20", "alex", "will do", thread="lch2",
          item="promise_by_me", due="11-26", cp="Mei Tanaka", closed="lch4"),
        M("lch4", "Wed 17:05", "alex", "done, approved with two small edits in the doc", thread="lch2"),
        M("lch5", "Tue 10:00", "nina", "<@U05LEE> will the pricing api be ready for the launch?"),
        M("lch6", "Tue 10:20", "lee", "should be, we're testing it this week", thread="lch5"),
        M("lch7", "Tue 14:00", "alex", "<@U09NINA> can you get me the launch comms plan by friday?"),
        M("lch8", "Tue 14:30", "nina", "yes! will have it friday morning", thread="lch7",
          item="promise_to_me", due="11-27", cp="Nina Brooks"),
        M("lch9", "Wed 09:00", "jordan", "we did a press release last launch and it flopped, lets skip"),
        M("lch10", "Wed 09:20", "mei", "what if we did a beta waitlist instead"),
        M("lch11", "Thu 13:00", "lee", "<@U01ALEX> heads up I'll have the load test results to you monday",
          item="promise_to_me", due="11-30", cp="Lee Chen"),
        M("lch12", "Thu 13:10", "alex", "thx"),
    ]),
    ("legal", "C05LEG", "channel", ["alex", "omar", "dana"], [
        M("leg1", "Mon 13:00", "omar", "<@U01ALEX> the Northwind MSA needs your signature, can you sign by 12/2?",
          item="ask_to_me", due="12-02", cp="Omar Haddad", closed="leg3"),
        M("leg2", "Mon 13:10", "dana", "is the liability cap the one we agreed?", thread="leg1"),
        M("leg3", "Tue 16:00", "alex", "signed", thread="leg1"),
        M("leg4", "Tue 16:20", "omar", "thanks! countersigned copy to follow"),
        M("leg5", "Wed 11:00", "omar", "the DPA template got updated last month, fyi"),
        M("leg6", "Thu 09:00", "alex", "<@U08OMAR> could you check if the Acme trademark filing covers EU? end of month is fine"),
        M("leg7", "Thu 09:40", "omar", "will check", thread="leg6",
          item="promise_to_me", due="11-30", cp="Omar Haddad"),
    ]),
    ("eng", "C06ENG", "channel", ["alex", "lee", "mei"], [
        M("eng1", "Mon 09:30", "lee", "standup notes: auth refactor done, billing bug in progress"),
        M("eng2", "Tue 10:00", "lee", "Mei can you send the updated mocks for settings?"),
        M("eng3", "Tue 10:30", "mei", "sent", thread="eng2"),
        M("eng4", "Wed 13:00", "alex", "<@U05LEE> what's the status on the SOC2 evidence? need it for the audit walkthrough thursday"),
        M("eng5", "Wed 13:20", "lee", "on it, almost done", thread="eng4",
          item="promise_to_me", due="11-26", cp="Lee Chen", closed="eng6"),
        M("eng6", "Thu 08:30", "lee", "uploaded to the audit folder https://drive.acme.test/soc2", thread="eng4"),
        M("eng7", "Thu 16:00", "lee", "we could rewrite the scheduler in rust one day lol"),
        M("eng8", "Thu 16:20", "mei", "<@U01ALEX> can we get 30 min on thursday next week to walk through the new nav?",
          item="ask_to_me", due=None, cp="Mei Tanaka"),
        M("eng9", "Fri 09:10", "alex", "<@U05LEE> pls make sure the on-call rota covers the holidays, today if possible",
          item="ask_by_me", due="11-27", cp="Lee Chen", closed="eng10"),
        M("eng10", "Fri 11:30", "lee", "done, rota updated https://wiki.acme.test/oncall", thread="eng9"),
        M("eng11", "Fri 15:00", "lee", "the old staging cluster was shut down on tuesday"),
        # Batch 2 (answered asks): a reply that asks back leaves the ask waiting.
        M("eng12", "Fri 14:00", "mei", "<@U01ALEX> do we want dark mode in v1 or push it to v2?",
          item="ask_to_me", due=None, cp="Mei Tanaka"),
        M("eng13", "Fri 14:10", "alex", "what does lee think?", thread="eng12"),
    ]),
    ("ops", "C07OPS", "channel", ["alex", "omar", "nina", "priya", "lee", "jordan"], [
        M("ops1", "Mon 08:15", "jordan", "<@U01ALEX> can u own the offsite planning? venue shortlist by next week pls",
          item="ask_to_me", due="11-30", cp="Jordan Kim"),
        M("ops2", "Mon 08:20", "nina", "I can help with the venue stuff if you want", thread="ops1"),
        M("ops3", "Mon 09:00", "omar", "the office lease renewal is due in march, we should start talking to the landlord"),
        M("ops4", "Mon 09:10", "priya", "agreed"),
        M("ops5", "Tue 10:00", "nina", "<@U06JORDAN> could you record a short video for the holiday card?"),
        M("ops6", "Tue 10:05", "jordan", "sure thing, friday", thread="ops5"),
        M("ops7", "Tue 13:30", "alex", "<@U09NINA> thanks for the offer - can you pull 3 venue options by thu?",
          item="ask_by_me", due="11-26", cp="Nina Brooks", closed="ops9"),
        M("ops8", "Tue 13:40", "nina", "👍"),
        M("ops9", "Thu 10:15", "nina", "venue options here https://docs.acme.test/offsite-venues", thread="ops7"),
        M("ops10", "Wed 08:00", "deploybot", "Reminder: on-call handoff today at 5pm"),
        M("ops11", "Wed 09:45", "lee", "we had a 20 min outage yesterday, postmortem coming"),
        M("ops12", "Wed 12:00", "omar", "<@U01ALEX> quick q: ok to renew the insurance policy at +8%? need an answer by friday",
          item="ask_to_me", due="11-27", cp="Omar Haddad", closed="ops13"),
        M("ops13", "Wed 12:30", "alex", "yes approved, go ahead", thread="ops12"),
        M("ops14", "Thu 09:00", "priya", "if the insurance goes up more than 10% next year we should rebid"),
        M("ops15", "Thu 11:00", "jordan", "<@U01ALEX> I'll send you the investor update draft tonight for a sanity check",
          item="promise_to_me", due="11-26", cp="Jordan Kim", closed="ops16"),
        M("ops16", "Thu 22:10", "jordan", "draft sent to your email", thread="ops15"),
        M("ops17", "Fri 08:30", "alex", "I'll be offline tuesday afternoon for the dentist"),
        M("ops18", "Fri 09:15", "omar", "can someone from finance look at the new expense tool?"),
        M("ops19", "Fri 09:20", "priya", "dana can", thread="ops18"),
        M("ops20", "Fri 13:00", "alex", "<@U08OMAR> I'll review the contractor agreement template end of month",
          item="promise_by_me", due="11-30", cp="Omar Haddad"),
    ]),
    ("D06NINA", "D06NINA", "dm", ["alex", "nina"], [
        M("dn1", "Mon 13:00", "nina", "hiii do you have 10 min for a quick chat about the launch budget"),
        M("dn2", "Mon 13:15", "alex", "yes call me at 3"),
        M("dn3", "Tue 17:00", "nina", "can you approve the $12k for the launch event? need to pay the deposit by 12/9",
          item="ask_to_me", due="12-09", cp="Nina Brooks"),
        M("dn4", "Wed 09:00", "nina", "we did 40 signups from the webinar last week"),
        M("dn5", "Thu 16:00", "nina", "I'll send you the final guest list end of week", item="promise_to_me", due="11-27",
          cp="Nina Brooks"),
        M("dn6", "Fri 10:30", "alex", "great, and can you loop in Mei on the event design?", item="ask_by_me",
          due=None, cp="Nina Brooks"),
    ]),
    ("D07OMAR", "D07OMAR", "dm", ["alex", "omar"], [
        M("do1", "Tue 09:30", "omar", "morning! the Zenith NDA is ready, can you sign today?", item="ask_to_me",
          due="11-24", cp="Omar Haddad", closed="do3"),
        M("do2", "Tue 09:45", "alex", "which version?"),
        M("do3", "Tue 10:30", "alex", "signed and sent back"),
        M("do4", "Wed 15:00", "omar", "we won the dispute with the old vendor last month btw"),
        M("do5", "Thu 10:00", "omar", "I might need you for a call with outside counsel at some point"),
        M("do6", "Fri 11:00", "omar", "can you approve the outside counsel budget? 15k for Q1",
          item="ask_to_me", due=None, cp="Omar Haddad", closed="do7"),
        M("do7", "Fri 11:30", "alex", "15k is ok, go for it"),
    ]),
    ("D01DANA", "D01DANA", "dm", ["alex", "dana"], [
        M("dd1", "Mon 15:00", "dana", "hey quick one - can you intro me to the new CFO at Northwind?"),
        M("dd2", "Mon 15:30", "alex", "sure, on it", item="promise_by_me", due=None, cp="Dana Lee", closed="dd4"),
        M("dd3", "Mon 15:31", "dana", "ty!"),
        M("dd4", "Tue 09:00", "alex", "sent the intro, you're cc'd"),
        M("dd5", "Tue 12:00", "dana", "I'll get you the cash flow model by thursday",
          item="promise_to_me", due="11-26", cp="Dana Lee", closed="dd6"),
        M("dd6", "Thu 11:00", "dana", "cash flow model attached https://sheets.acme.test/cashflow"),
        M("dd7", "Thu 11:05", "alex", "perfect thanks"),
        M("dd8", "Thu 17:00", "dana", "did u get a chance to look at the travel policy draft? need a yes/no tmrw",
          item="ask_to_me", due="11-27", cp="Dana Lee"),
        M("dd9", "Fri 09:00", "dana", "I might be late monday, dentist"),
        M("dd10", "Fri 09:30", "alex", "can you also share the vendor list with priya today",
          item="ask_by_me", due="11-27", cp="Dana Lee"),
    ]),
    ("D02SAM", "D02SAM", "dm", ["alex", "sam"], [
        M("ds1", "Mon 17:00", "sam", "can we move our 1:1 to wed?", item="ask_to_me", due=None, cp="Sam Patel",
          closed=None),
        M("ds2", "Tue 08:00", "sam", "also the recruiting budget for Q1 needs your approval by 12/4"),
        M("ds3", "Tue 08:30", "alex", "I'll look at it by friday", item="promise_by_me", due="11-27",
          cp="Sam Patel"),
        M("ds4", "Wed 10:00", "sam", "we hired 3 engineers last month btw"),
        M("ds5", "Thu 14:00", "sam", "will send you the pipeline report tomorrow", item="promise_to_me", due="11-27",
          cp="Sam Patel", closed="ds6"),
        M("ds6", "Fri 10:00", "sam", "pipeline report: https://docs.acme.test/pipeline"),
    ]),
    ("D03JORDAN", "D03JORDAN", "dm", ["alex", "jordan"], [
        M("dj1", "Mon 07:50", "jordan", "need the board deck draft from you by friday, keep it tight"),
        M("dj2", "Mon 08:00", "alex", "will do", item="promise_by_me", due="11-27", cp="Jordan Kim", closed="dj5"),
        M("dj3", "Tue 19:00", "jordan", "thinking we might reorg sales next year, no action yet"),
        M("dj4", "Wed 08:00", "jordan", "can you pull together the top 5 risks for the board? due 12/1",
          item="ask_to_me", due="12-01", cp="Jordan Kim"),
        M("dj5", "Fri 12:00", "alex", "board deck draft here https://slides.acme.test/board-q4"),
        M("dj6", "Fri 12:30", "jordan", "great, will review over the weekend and send comments monday",
          item="promise_to_me", due="11-30", cp="Jordan Kim"),
    ]),
    ("D04LEE", "D04LEE", "dm", ["alex", "lee"], [
        M("dl1", "Tue 11:00", "alex", "hey can u send me the incident postmortem by tmrw?"),
        M("dl2", "Tue 11:10", "lee", "yep", item="promise_to_me", due="11-25", cp="Lee Chen", closed="dl3"),
        M("dl3", "Wed 10:00", "lee", "postmortem doc shared with you"),
        M("dl4", "Wed 10:30", "lee", "also could you approve my pto for dec 20-31?",
          item="ask_to_me", due=None, cp="Lee Chen", closed="dl5"),
        M("dl5", "Wed 11:00", "alex", "approved"),
        M("dl6", "Thu 15:00", "lee", "if I had more time I'd redo the dashboards"),
    ]),
    ("D05MEI", "D05MEI", "dm", ["alex", "mei"], [
        M("dm1", "Tue 16:00", "mei", "got a sec to look at the onboarding flow? no rush"),
        M("dm2", "Tue 16:30", "alex", "sure, I'll give you feedback in 2 days", item="promise_by_me", due="11-26",
          cp="Mei Tanaka"),
        M("dm3", "Wed 09:00", "mei", "I finished the icon set yesterday"),
        M("dm4", "Thu 10:00", "mei", "I'll share the usability test recordings next week",
          item="promise_to_me", due="11-30", cp="Mei Tanaka"),
        M("dm5", "Fri 09:00", "mei", "quick one, ok if I take monday off? icon work is all done",
          item="ask_to_me", due=None, cp="Mei Tanaka", closed="dm6"),
        M("dm6", "Fri 09:12", "alex", "of course, enjoy the long weekend!"),
    ]),
    ("mpdm-alex--dana--priya-1", "G01ADP", "group_dm", ["alex", "dana", "priya"], [
        M("g1", "Mon 12:00", "priya", "Alex can you confirm the board meeting date with Jordan's office today?",
          item="ask_to_me", due="11-23", cp="Priya Shah", closed="g3"),
        M("g2", "Mon 12:05", "dana", "I think it was the 10th"),
        M("g3", "Mon 14:00", "alex", "confirmed, dec 10 booked"),
        M("g4", "Tue 10:00", "priya", "Dana pls update the cap table before the board meeting"),
        M("g5", "Tue 10:10", "dana", "will do"),
        M("g6", "Wed 15:00", "alex", "Priya can you send me the audit fee quote by end of week?",
          item="ask_by_me", due="11-27", cp="Priya Shah"),
        M("g7", "Thu 09:00", "priya", "last year's audit took 6 weeks, just so you know"),
    ]),
]

# Batch 2, written for answered asks (an ask the person answers in its thread waits no more): answers,
# a reply that holds the ask open, an answer by someone else, a "no".
CONVERSATIONS.append(("product", "C08PRD", "channel", ["alex", "mei", "jordan", "omar"], [
    M("prd1", "Tue 11:00", "jordan", "<@U01ALEX> thoughts on pushing the offsite to march? venue is way cheaper then",
      item="ask_to_me", due=None, cp="Jordan Kim", closed="prd3"),
    M("prd2", "Tue 11:05", "mei", "march works for design fwiw", thread="prd1"),
    M("prd3", "Tue 11:40", "alex", "march is fine by me, lets lock it", thread="prd1"),
    M("prd4", "Wed 10:00", "mei", "<@U01ALEX> should the beta waitlist sit behind a login or stay public?",
      item="ask_to_me", due=None, cp="Mei Tanaka"),
    M("prd5", "Wed 10:20", "alex", "hmm not sure, which login would we even use", thread="prd4"),
    M("prd6", "Thu 09:00", "omar", "<@U01ALEX> can you confirm we're ok sharing the beta data w the partner under the current NDA?",
      item="ask_to_me", due=None, cp="Omar Haddad", closed="prd8"),
    M("prd7", "Thu 09:05", "mei", "I think legal said yes last time?", thread="prd6"),
    M("prd8", "Thu 09:30", "alex", "no - not until the DPA is signed", thread="prd6"),
    M("prd9", "Thu 15:00", "jordan", "<@U06JORDAN> note to self: book the march venue"),
]))

# A calendar for Alex: the week's meetings (context for the board; the briefs' subject, eval/briefs.py).
# (uid, title, day, start, end, attendees[, description[, RRULE]])
MEETINGS = [
    ("sync-q1", "Q1 vendor budget sync", "Wed", "11:00", "11:30", ["dana@acme.test", "priya@acme.test"],
     "Agenda: vendor line items, cloud spend"),
    ("audit", "Audit walkthrough", "Thu", "14:00", "15:00", ["priya@acme.test", "lee@acme.test"]),
    ("allhands", "All hands", "Thu", "11:00", "12:00", ["jordan@acme.test"]),
    ("1on1-sam", "1:1 Sam / Alex", "Wed", "16:00", "16:30", ["sam@acme.test"]),
    ("launch", "Launch review", "Fri", "10:00", "11:00", ["mei@acme.test", "nina@acme.test", "lee@acme.test"],
     "Dec 9 readiness"),
    ("fin-standup", "Finance standup", "Mon", "09:40", "09:55", ["dana@acme.test", "priya@acme.test"], None,
     "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR"),
]
