"""How command answers read in Slack: pure functions over the contract's documents."""

from __future__ import annotations

from src.adapters.inbound.slack.formatting import (
    MAX_BLOCKS,
    SECTION_LIMIT,
    clip,
    escape,
    format_answer,
    format_collection_end,
    format_error,
    result_text,
    snippet_to_mrkdwn,
    when,
)


def texts(message: dict) -> str:
    out = []
    for block in message["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [element["text"] for element in block.get("elements", [])]
    return "\n".join(out)


def answer(action: str, message: str, applied: bool = True, target: str | None = None, **extra) -> dict:
    return {"action": action, "target": target, "applied": applied, "message": message, "version": 7, **extra}


def test_an_approval_reads_as_done_with_its_code_in_bold_and_is_ephemeral():
    message = format_answer("approve p1", answer("approve", "P1 (Approve Q1 hiring plan) is now done", target="P1"))
    assert message["response_type"] == "ephemeral"
    assert message["blocks"][0]["text"] == {
        "type": "mrkdwn", "text": ":white_check_mark: *P1* (Approve Q1 hiring plan) is now done"}
    assert texts(message).endswith("`/cos approve p1` · version 7")
    assert message["text"] == "P1 (Approve Q1 hiring plan) is now done"


def test_what_came_from_data_cannot_ping_a_channel_or_make_a_link():
    message = format_answer("approve P2", answer("approve", "P2 (<!channel> & <http://evil|click>) is now done"))
    assert "*P2* (&lt;!channel&gt; &amp; &lt;http://evil|click&gt;) is now done" in texts(message)
    assert "<!channel>" not in str(message) and "<http" not in str(message)


def test_codes_are_bolded_only_where_they_stand_alone():
    assert result_text(answer("brief", "brief for M12 ready: XP1 and P3,")) == \
        ":memo: brief for *M12* ready: XP1 and *P3*,"


def test_an_answer_that_changed_nothing_says_so_without_a_check_mark():
    text = result_text(answer("approve", "P1 is already done", applied=False))
    assert text == ":information_source: *P1* is already done"


def test_status_shows_its_state_with_a_mark_that_fits():
    assert result_text(answer("status", "IDLE, progress 0%, last sync never")) == \
        ":large_green_circle: *IDLE*, progress 0%, last sync never"
    assert result_text(answer("status", "ERROR, progress 40%, last sync never: slack: <gone>")).startswith(
        ":red_circle: *ERROR*, progress 40%, last sync never: slack: &lt;gone&gt;")
    assert result_text(answer("status", "COLLECTING, progress 5%, last sync never")).startswith(
        ":hourglass_flowing_sand: *COLLECTING*")


def test_search_hits_show_their_date_source_and_matches_in_bold():
    hits = [{"id": "a", "source": "slack", "date": "2026-11-20", "snippet": "the <mark>budget</mark> review",
             "score": 1.0, "metadata": {}},
            {"id": "b", "source": "drive", "date": None, "snippet": "<mark>budget</mark>.xlsx", "score": 0.5,
             "metadata": {}}]
    text = result_text(answer("search", "2 results", target="budget", hits=hits))
    assert text.splitlines() == [
        ":mag: 2 results for *budget*:",
        "• 2026-11-20 · slack — the *budget* review",
        "• undated · drive — *budget*.xlsx",
    ]
    assert result_text(answer("search", "No results", target="zzz", hits=[])) == ":mag: No results for *zzz*."


def test_search_hits_say_who_said_it_and_where_as_text():
    hits = [{"id": "a", "source": "slack", "date": "2026-11-20", "snippet": "10 cities &amp; the <mark>budget</mark>",
             "score": 1.0, "metadata": {"byline": "Dana Lee in #finance"}},
            {"id": "b", "source": "slack", "date": "2026-11-21", "snippet": "<mark>budget</mark> ok?", "score": 0.9,
             "metadata": {"byline": "<!here> & <@U1EVE|eve>, DM with Dana Lee"}}]
    text = result_text(answer("search", "2 results", target="budget", hits=hits))
    assert text.splitlines()[1:] == [
        "• 2026-11-20 · Dana Lee in #finance — 10 cities &amp; the *budget*",
        "• 2026-11-21 · @here &amp; @eve, DM with Dana Lee — *budget* ok?",
    ]


def test_a_snippet_turns_from_html_into_mrkdwn():
    snippet = "a &lt;b&gt; &amp; &#x27;q&#x27;\n<mark> budget </mark>!"
    assert snippet_to_mrkdwn(snippet) == "a &lt;b&gt; &amp; 'q'  *budget* !"
    assert snippet_to_mrkdwn("x" * 500).endswith("…") and len(snippet_to_mrkdwn("x" * 500)) == 200


def test_help_is_a_list_of_what_to_type():
    text = result_text(answer("help", "Commands (chain them with |):\napprove Pn: priority n becomes done\n"
                                      "brief Cn|Pn|Mn, brief: builds a brief"))
    assert text.splitlines() == [":book: Commands (chain them with |):", "• `approve Pn` priority n becomes done",
                                 "• `brief Cn|Pn|Mn, brief` builds a brief"]


def test_a_chain_answers_each_part_in_order():
    first = answer("approve", "P1 (A) is now done")
    document = {**first, "results": [first, answer("refresh", "flags recomputed")]}
    message = format_answer("approve P1 | refresh", document)
    assert [b["text"]["text"] for b in message["blocks"][:2]] == [
        ":white_check_mark: *P1* (A) is now done", ":arrows_counterclockwise: flags recomputed"]
    assert message["text"] == "P1 (A) is now done\nflags recomputed"


def test_a_brief_is_short_with_its_heading_lines_and_dated_sources():
    brief = {"title": "Team standup", "kind": "meeting", "target": "C1",
             "text_content": "Meeting brief: Team standup\n\nMeeting\n- C1 2026-11-25 09:00 Team standup\n\n"
                             "What the collected data says, recent first\n"
                             "- [slack 2026-11-20T09:07:00Z] said <this>\n- [drive undated] the deck\n"
                             + "\n".join(f"- line {n}" for n in range(300))}
    message = format_answer("brief C1", answer("brief", "brief for C1 ready: Team standup"), brief)
    kinds = [block["type"] for block in message["blocks"]]
    assert kinds == ["section", "divider", "header", "section", "context"]
    assert message["blocks"][2]["text"]["text"] == "Meeting brief: Team standup"
    body = message["blocks"][3]["text"]["text"]
    assert body.startswith(
        "*Meeting*\n• *C1* 2026-11-25 09:00 Team standup\n\n*What the collected data says, recent first*\n"
        "• <!date^1795165620^{date_short} {time}|2026-11-20 09:07 UTC> · slack — said &lt;this&gt;\n"
        "• undated · drive — the deck\n• line 0")
    assert len(body) <= 1200 and body.endswith("…")


def test_a_moment_shows_in_the_readers_time_zone_and_a_day_as_it_is():
    assert when("2026-11-20T09:07:00Z") == "<!date^1795165620^{date_short} {time}|2026-11-20 09:07 UTC>"
    assert when("2026-11-20T10:07:00+01:00") == when("2026-11-20T09:07:00Z")
    assert when("2026-11-20") == "2026-11-20"
    assert when(None) == "undated"
    assert when("sometime <soon>") == "sometime &lt;soon&gt;"


def test_an_unknown_command_offers_the_fix_ready_to_copy():
    error = {"code": "unknown_command", "message": "unknown command 'aprove'; did you mean approve?",
             "details": ["approve"]}
    message = format_error("aprove P1", error)
    assert message["response_type"] == "ephemeral"
    assert message["blocks"][0]["text"]["text"] == \
        ":warning: *Unknown command.* unknown command 'aprove'; did you mean approve?"
    assert "Did you mean `/cos approve P1`?" in texts(message)
    chained = format_error("status | aprove P1", error)
    assert "Did you mean `/cos approve`?" in texts(chained)


def test_a_wrong_target_and_an_internal_error_read_plainly():
    wrong = format_error("approve C3", {"code": "invalid_target", "message": "approve takes a priority code "
                                        "such as P7, not 'C3'", "details": [{"verb": "approve", "target": "C3"}]})
    assert texts(wrong).startswith(":no_entry_sign: *Wrong target.* approve takes a priority code such as P7")
    assert "`/cos help` lists every command" in texts(wrong)
    internal = format_error("status", {"code": "internal", "message": "Traceback: secret", "request_id": "ab12"})
    assert "Traceback" not in str(internal)
    assert "*Something went wrong.* the AICoS log has the details (request id ab12)" in texts(internal)


def test_slack_limits_are_kept():
    long = answer("brief", "brief ready: " + "x" * 5000)
    document = {**long, "results": [long] * 60}
    message = format_answer("brief x", document)
    assert len(message["blocks"]) <= MAX_BLOCKS
    assert all(len(block["text"]["text"]) <= SECTION_LIMIT for block in message["blocks"] if "text" in block)
    assert len(message["text"]) <= SECTION_LIMIT


def test_the_end_of_a_collection_says_how_it_ended():
    done = format_collection_end({"status": "IDLE", "progress": 100, "last_sync": "2026-11-25T21:40:00Z",
                                  "message": None})
    assert texts(done) == ":white_check_mark: *Collection finished*: last sync 2026-11-25T21:40:00Z"
    failed = format_collection_end({"status": "ERROR", "progress": 40, "last_sync": None,
                                    "message": "slack: export <missing>"})
    assert texts(failed) == ":red_circle: *Collection ended in ERROR*: slack: export &lt;missing&gt;"


def test_escape_leaves_everything_but_the_three_control_characters():
    assert escape("a & b < c > d * _ ~ `") == "a &amp; b &lt; c &gt; d * _ ~ `"


def test_clipping_never_leaves_half_an_entity_or_a_token():
    assert clip("abc", 3) == "abc"
    assert clip("one &amp; two", 8) == "one…"
    assert clip("at <!date^1^{time}|09:00> ok", 12) == "at…"
    assert clip("plain words here", 8) == "plain w…" and len(clip("x" * 50, 10)) == 10


def test_dismiss_and_snooze_answers_get_their_own_marks_from_the_registry():
    assert result_text(answer("dismiss", "P3 (Old task) dismissed; it will not come back")) == \
        ":wastebasket: *P3* (Old task) dismissed; it will not come back"
    assert result_text(answer("snooze", "M2 (Deck) snoozed until Mon 2026-11-30")) == \
        ":zzz: *M2* (Deck) snoozed until Mon 2026-11-30"


# -- items with an origin (contract section 6) --------------------------------------------------------

ORIGIN_ITEM = {
    "id": "P1", "key": "slack:C0FIN/1732800000.000100", "title": "Approve the Q1 budget", "status": "pending",
    "reason": "asked by Dana Lee in #finance, due Wed",
    "origin": {"source": "slack", "ref": "C0FIN/1732800000.000100", "author": "Dana Lee",
               "at": "2026-11-28T13:20:00Z", "quote": "can you approve the Q1 budget by Wed?",
               "link": "https://acme.slack.com/archives/C0FIN/p1732800000000100"},
}


def origin_lines(message: dict) -> list[str]:
    return [element["text"] for block in message["blocks"] if block["type"] == "context"
            for element in block["elements"]][:-1]  # the last context is the footer


def test_an_item_named_by_a_command_is_listed_with_who_where_when_the_link_and_the_quote():
    message = format_answer("snooze p1 2d", answer("snooze", "P1 (Approve the Q1 budget) snoozed until Wed 2026-12-02",
                                                   target="P1"), items={"P1": ORIGIN_ITEM})
    line, quote = origin_lines(message)
    assert line == ("Dana Lee · <#C0FIN> · <!date^1795872000^{date_short} {time}|2026-11-28 13:20 UTC> · "
                    "<https://acme.slack.com/archives/C0FIN/p1732800000000100|open in Slack> · "
                    "asked by Dana Lee in #finance, due Wed")
    assert quote == "“can you approve the Q1 budget by Wed?”"


def test_an_origin_is_escaped_as_slack_needs_and_only_an_http_link_is_a_link():
    hostile = {**ORIGIN_ITEM, "reason": "<!channel> & co",
               "origin": {**ORIGIN_ITEM["origin"], "author": "<!here|x> Eve & <b>", "quote": "<@U123> pay > 5k & <http://x|y>",
                          "link": "javascript:alert(1)", "ref": "C0FIN>|<!channel>/1.2"}}
    message = format_answer("approve p1", answer("approve", "P1 (x) is now done", target="P1"), items={"P1": hostile})
    line, quote = origin_lines(message)
    assert line.startswith("&lt;!here|x&gt; Eve &amp; &lt;b&gt; · C0FIN&gt;|&lt;!channel&gt; · <!date^")
    assert "javascript" not in line and "|open in Slack>" not in line
    assert line.endswith("&lt;!channel&gt; &amp; co")
    # The quote reads as Slack shows it (a mention, a link's label), and what is left is escaped.
    assert quote == "“@U123 pay &gt; 5k &amp; y”"


def test_a_link_cannot_close_its_own_token_early():
    item = {**ORIGIN_ITEM, "origin": {**ORIGIN_ITEM["origin"], "link": "https://acme.slack.com/a?b=1&c=<x>|y"}}
    line, _ = origin_lines(format_answer("brief p1", answer("brief", "brief for P1", target="P1"), items={"P1": item}))
    assert "<https://acme.slack.com/a?b=1&amp;c=%3Cx%3E%7Cy|open in Slack>" in line


def test_a_dm_is_named_a_dm_and_an_item_without_origin_gets_no_origin_line():
    dm = {**ORIGIN_ITEM, "id": "M1", "origin": {**ORIGIN_ITEM["origin"], "ref": "D0PRIYA/1.2", "link": None}}
    plain = {"id": "P2", "title": "Call Globex", "status": "pending"}
    chain = answer("done", "M1 done", target="M1", results=[answer("done", "M1 done", target="M1"),
                                                          answer("approve", "P2 done", target="P2")])
    message = format_answer("done m1 | approve p2", chain, items={"M1": dm, "P2": plain})
    line, _ = origin_lines(message)
    assert line.startswith("Dana Lee · a DM · <!date^")
    assert [block["type"] for block in message["blocks"]] == ["section", "context", "section", "context"]


def test_an_origin_in_a_dm_says_with_whom_and_a_channel_stays_slacks_own_mention():
    dm = {**ORIGIN_ITEM, "origin": {**ORIGIN_ITEM["origin"], "ref": "D0DANA/1.2", "where": "DM with <!here> Dana"}}
    line, _ = origin_lines(format_answer("approve p1", answer("approve", "P1 (x) is now done", target="P1"),
                                         items={"P1": dm}))
    assert " · DM with &lt;!here&gt; Dana · " in line
    channel = {**ORIGIN_ITEM, "origin": {**ORIGIN_ITEM["origin"], "where": "#finance"}}
    line, _ = origin_lines(format_answer("approve p1", answer("approve", "P1 (x) is now done", target="P1"),
                                         items={"P1": channel}))
    assert " · <#C0FIN> · " in line


def test_a_briefs_cited_sources_are_bullets_with_who_and_where():
    from src.adapters.inbound.slack.formatting import brief_blocks

    brief = {"text_content": "Meeting brief: Q1 budget sync\nsummary\n\nRecent conversations (1)\n"
                             "1. Dana Lee in #finance, 2026-11-24: approve the <Q1> budget?"}
    body = brief_blocks(brief)[2]["text"]["text"]
    assert "• Dana Lee in #finance, 2026-11-24: approve the &lt;Q1&gt; budget?" in body
