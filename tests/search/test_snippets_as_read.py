"""Snippets of Slack messages read as Slack shows them: links as their label, entities decoded (then
escaped again as the snippet's HTML), and a message's opening rather than the searched words alone."""

from src.search.database import SearchDatabase


def slack(text, ts, **extra):
    return {"ts": ts, "text": text, "user_name": "Dana Lee", "channel_name": "finance", **extra}


def test_a_snippet_shows_link_labels_and_decoded_entities_never_markup(tmp_path):
    database = SearchDatabase(tmp_path / "search.db")
    database.index_records_batch([
        slack("budget: see <https://sheets.test/q1?a=1&amp;b=2|10 cities> and <https://sheets.test/raw> for "
              "&lt;module&gt; &amp; <#C01FIN|finance> <!here>", "1764064800.000100"),
    ], "slack")
    [hit] = database.search("budget")
    assert hit.snippet == ("<mark>budget</mark>: see 10 cities and https://sheets.test/raw for "
                           "&lt;module&gt; &amp; #finance @here")
    # The link's address is still found by a search, though the snippet shows its label.
    assert [h.id for h in database.search("sheets")] == [hit.id]
    database.close()


def test_hostile_markup_in_a_snippet_stays_escaped_text(tmp_path):
    database = SearchDatabase(tmp_path / "search.db")
    database.index_records_batch([
        slack("budget <https://x.test|&lt;img src=x onerror=alert(1)&gt;> <script>alert(1)</script>",
              "1764064800.000100")], "slack")
    [hit] = database.search("budget")
    assert "<img" not in hit.snippet and "<script" not in hit.snippet
    assert "&lt;img src=x onerror=alert(1)&gt;" in hit.snippet and "&lt;script&gt;" in hit.snippet
    database.close()


def test_a_snippet_starting_with_a_mention_keeps_it_whole(tmp_path):
    database = SearchDatabase(tmp_path / "search.db")
    database.index_records_batch([slack("@Hermione Granger " + "can you take the budget review " * 5,
                                        "1764064800.000100")], "slack")
    [hit] = database.search("hermione granger")
    assert hit.snippet.startswith("@<mark>Hermione</mark> <mark>Granger</mark> can you take the budget")
    database.close()


def test_other_sources_are_shown_as_they_are(tmp_path):
    database = SearchDatabase(tmp_path / "search.db")
    database.index_records_batch([{"id": "e1", "summary": "budget <https://x.test|review>",
                                   "start": {"dateTime": "2026-11-25T10:00:00Z"}}], "calendar")
    [hit] = database.search("budget")
    assert "&lt;https://x.test|review" in hit.snippet
    database.close()
