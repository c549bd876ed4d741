"""What a meeting brief cites, and in which order (src/domain/brief_ranking.py)."""

from datetime import datetime, timezone

from src.domain.brief_ranking import Party, Said, rank_conversations, said_of, subject_words
from src.domain.search import SearchHit

NOW = datetime(2026, 11, 25, 15, 45, tzinfo=timezone.utc)
DANA = Party.of("Dana Lee", ("dana",), ("U02DANA",))
ME = Party.of("Alex Rivera", ("alex",), ("U01ALEX",))
TITLE = [("q1", 2.0), ("budget", 2.0)]


def said(ref, text, author="Dana Lee", at="2026-11-24T15:00:00Z", conversation="finance", kind="channel",
         thread=None, author_id=None):
    channel = ref.split("/")[0]
    return Said(ref, "slack", at, author, author_id, channel, conversation, kind, thread or ref, text)


def refs(ranked):
    return [r.said.ref for r in ranked]


def test_what_an_attendee_said_on_the_subject_comes_before_what_others_said_and_off_subject_is_left_out():
    pool = [
        said("C1/1", "the Q1 budget is ready for review", author="Sam Patel", conversation="random"),
        said("C2/2", "approve the Q1 budget by wed?"),
        said("C2/3", "lunch anyone?"),
    ]
    assert refs(rank_conversations(pool, TITLE, [DANA], NOW, ME)) == ["C2/2"]


def test_nothing_dated_after_the_brief_nor_undated_is_ever_cited():
    pool = [said("C2/1", "Q1 budget v1", at="2026-11-24T15:00:00Z"),
            said("C2/2", "Q1 budget v2, written after the brief", at="2026-11-25T15:45:01Z"),
            said("C2/3", "Q1 budget for tomorrow", at="2026-11-26")]
    assert refs(rank_conversations(pool, TITLE, [DANA], NOW, ME)) == ["C2/1"]
    hit = SearchHit("1", "slack", None, "Q1 budget", 1.0, {"conversation_id": "C2", "ts": "1.0"})
    assert said_of(hit) is None


def test_a_dm_with_an_attendee_counts_as_theirs_whoever_wrote_it():
    pool = [said("D1/1", "sending the Q1 budget tonight", author="Alex Rivera", conversation="DM Alex Rivera, Dana Lee",
                 kind="dm")]
    assert refs(rank_conversations(pool, TITLE, [DANA], NOW, ME)) == ["D1/1"]


def test_a_reply_without_the_words_is_cited_for_its_thread_and_a_shared_channel_counts_less_than_a_dm():
    pool = [
        said("C2/1", "Q1 budget numbers?", author="Alex Rivera", thread="C2/1"),
        said("C2/2", "on it, sending by noon", thread="C2/1"),  # Dana's reply in the thread
        said("C2/3", "Q1 budget slides are out", author="Priya Shah", at="2026-11-25T09:00:00Z"),  # Dana's channel
        said("D1/4", "Q1 budget: call me", conversation="DM Alex Rivera, Dana Lee", kind="dm",
             at="2026-11-20T09:00:00Z"),
    ]
    ranked = refs(rank_conversations(pool, TITLE, [DANA], NOW, ME))
    assert set(ranked) == {"C2/1", "C2/2", "C2/3", "D1/4"}
    assert ranked.index("D1/4") < ranked.index("C2/3")


def test_the_same_words_said_again_are_cited_once():
    pool = [said(f"C2/{n}", f"Finance needs the final Q1 budget numbers by {day}") for n, day in
            enumerate(["Monday", "Tuesday", "Friday"])]
    pool.append(said("C2/9", "Q1 budget: cloud spend is 4% over"))
    assert len(rank_conversations(pool, TITLE, [DANA], NOW, ME)) == 2


def test_with_no_subject_words_a_one_on_one_cites_what_is_between_them_and_the_person_first():
    assert subject_words("1:1 Sam / Alex", ["Sam Patel", "sam", "Alex Rivera", "alex"]) == []
    sam = Party.of("Sam Patel", ("sam",), ("U03SAM",))
    pool = [
        said("C3/1", "referral bonus doubles in december", author="Sam Patel", conversation="hiring",
             at="2026-11-25T14:00:00Z"),
        said("D2/2", "can we move our 1:1 to wed?", author="Sam Patel", conversation="DM Alex Rivera, Sam Patel",
             kind="dm", at="2026-11-23T14:00:00Z"),
        said("C3/3", "lunch?", author="Mei Tanaka", conversation="hiring"),
    ]
    assert refs(rank_conversations(pool, [], [sam], NOW, ME)) == ["D2/2", "C3/1"]


def test_since_the_last_occurrence_comes_first_for_a_recurring_meeting():
    pool = [said("C2/1", "Q1 budget from last week", at="2026-11-18T15:00:00Z"),
            said("C2/2", "Q1 budget, new since monday's", at="2026-11-24T15:00:00Z")]
    ranked = rank_conversations(pool, TITLE, [DANA], NOW, ME, since_last_time="2026-11-23T14:00:00Z")
    assert refs(ranked)[0] == "C2/2" and ranked[0].score - ranked[1].score > 0.2


def test_at_most_ten_are_cited():
    pool = [said(f"C2/{n}", f"Q1 budget item {n} " + " ".join(f"word{n}x{k}" for k in range(6))) for n in range(30)]
    assert len(rank_conversations(pool, TITLE, [DANA], NOW, ME)) == 10


def test_a_slack_message_is_cited_as_text_and_other_records_as_written():
    markup = "see <https://x.test/a|10 cities> &amp; <@U02DANA|dana> in <#C01|finance>, <!here>"
    cited = said_of(SearchHit("1", "slack", "2026-11-24T15:00:00Z", "x", 1.0, {"text": markup}))
    assert cited is not None and cited.text == "see 10 cities & @dana in #finance, @here"
    html_like = "launch <b>plan</b> & more"  # not Slack markup: as written
    assert said_of(SearchHit("2", "slack", "2026-11-24T15:00:00Z", "x", 1.0, {"text": html_like})).text == html_like
    note = said_of(SearchHit("3", "drive", "2026-11-24T15:00:00Z", "x", 1.0, {"text": "a &amp; b"}))
    assert note is not None and note.text == "a &amp; b"


def test_a_hit_is_cited_by_its_conversation_and_ts():
    hit = SearchHit("7", "slack", "2026-11-24T15:00:00Z", "x", 1.0, {
        "conversation_id": "C01FIN", "ts": "1795442700.000000", "thread_ts": "1795442000.000000",
        "author": "Dana Lee", "conversation": "finance", "conversation_kind": "channel",
        "text": "numbers: <https://s.test|sheet>"})
    found = said_of(hit)
    assert (found.ref, found.thread, found.author, found.text) == (
        "C01FIN/1795442700.000000", "C01FIN/1795442000.000000", "Dana Lee", "numbers: sheet")


def test_with_no_subject_words_their_content_free_chatter_elsewhere_is_not_cited():
    lee = Party.of("Lee Okafor", ("lee",), ("U03LEE",))
    pool = [said("C5/1", "+1", author="Lee Okafor", conversation="random"),
            said("C5/2", "Good catch, fixing", author="Lee Okafor", conversation="random"),
            said("C5/3", "the platform hiring plan is in the doc, two SRE roles first", author="Lee Okafor",
                 conversation="hiring"),
            said("D3/4", "ok", author="Lee Okafor", conversation="DM Alex Rivera, Lee Okafor", kind="dm")]
    assert refs(rank_conversations(pool, [], [lee], NOW, ME)) == ["D3/4", "C5/3"]


def dm(ref, text, author="Dana Lee", at="2026-11-24T15:00:00Z"):
    return said(ref, text, author=author, at=at, conversation="DM Alex Rivera, Dana Lee", kind="dm")


def test_in_a_dm_the_next_message_continues_an_on_topic_one():
    pool = [dm("D1/1", "can you look at the Q1 budget before friday?", at="2026-11-24T15:00:00Z"),
            dm("D1/2", "will do tomorrow", author="Alex Rivera", at="2026-11-24T15:30:00Z"),
            dm("D1/3", "lunch next week?", at="2026-11-24T21:00:00Z")]  # hours later: another matter
    sam = Party.of("Sam Patel", ("sam",), ("U03SAM",))
    assert refs(rank_conversations(pool, TITLE, [DANA, sam], NOW, ME)) == ["D1/1", "D1/2"]


def test_for_a_meeting_of_two_their_dm_bears_on_it_whatever_its_words():
    pool = [dm("D1/1", "one of your managers flagged a retention risk, can we talk?"),
            said("C2/2", "Q1 budget is final", author="Dana Lee")]
    assert refs(rank_conversations(pool, TITLE, [DANA], NOW, ME)) == ["C2/2", "D1/1"]
    sam = Party.of("Sam Patel", ("sam",), ("U03SAM",))
    assert refs(rank_conversations(pool, TITLE, [DANA, sam], NOW, ME)) == ["C2/2"]


def test_words_the_best_matches_share_extend_the_subject():
    pool = [said("C2/1", "Q1 budget: the forecast goes in the board pack"),
            said("C2/2", "Q1 budget forecast needs the Globex renewal"),
            said("C2/3", "forecast v2 is attached", at="2026-11-25T09:00:00Z"),
            *(said(f"C2/{n}", f"lunch plans {n} anyone free") for n in range(4, 20))]
    assert "C2/3" in refs(rank_conversations(pool, TITLE, [DANA], NOW, ME))
