"""Records handed over in any order: one call's records go in by date, so searches answer as if
they had come in time order (the newest matches first, the same pages), and nothing else changes."""

import random

from src.search.candidates import CANDIDATES

START = 1_764_000_000


def messages(count, word="budget"):
    """`count` messages, one a minute, each with `word` and some words of its own."""
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(40)]
    return [{"client_msg_id": f"m{n}", "ts": str(START + 60 * n),
             "text": f"{word} " + " ".join(rng.choices(vocabulary, k=rng.randint(1, 12)))} for n in range(count)]


def answers(database, query, **filters):
    return [(r.date, r.content) for r in database.search(query, limit=20, **filters)]


def test_a_search_over_records_handed_in_random_order_finds_the_most_recent_matches(db):
    records = messages(CANDIDATES + 1_000)
    newest = sorted(r["ts"] for r in records)[-CANDIDATES:]
    newest_dates = {db_date(ts) for ts in newest}
    db.index_records_batch(random.Random(1).sample(records, len(records)), "slack", batch_size=400)
    found = answers(db, "budget")
    assert len(found) == 20 and all(date in newest_dates for date, _ in found)


def test_the_same_records_in_any_order_give_the_same_answers(tmp_path):
    from src.search.database import SearchDatabase

    records = messages(CANDIDATES + 500)
    in_order, shuffled = SearchDatabase(tmp_path / "a.db"), SearchDatabase(tmp_path / "b.db")
    try:
        in_order.index_records_batch(records, "slack", batch_size=300)
        shuffled.index_records_batch(random.Random(2).sample(records, len(records)), "slack", batch_size=300)
        for query, filters in [("budget", {}), ("w3 w7", {}), ('"budget w1"', {}), ("w2", {"source": "slack"}),
                               ("budget", {"date_range": ("2025-11-24", "2025-11-25")})]:
            assert answers(shuffled, query, **filters) == answers(in_order, query, **filters), query
    finally:
        in_order.close()
        shuffled.close()


def test_a_record_repeated_across_batches_keeps_its_last_version_whatever_its_date(db):
    records = messages(50)
    records[3] = {"client_msg_id": "dup", "ts": str(START + 10_000), "text": "first draft"}
    records[40] = {"client_msg_id": "dup", "ts": str(START + 5), "text": "final version"}
    result = db.index_records_batch(list(reversed(records)) + [records[40]], "slack", batch_size=7)
    assert [r.content for r in db.search("final")] == ["final version"]
    assert db.search("draft") == [] and result.indexed == 51  # never the earlier version
    assert db.get_stats()["total"] == 49


def test_failures_keep_their_position_in_what_was_handed_over(db):
    records = random.Random(3).sample(messages(60), 60)
    records[47] = {"ts": "1"}  # nothing searchable
    records[5] = "not a record"
    result = db.index_records_batch(records, "slack", batch_size=8)
    assert result.indexed == 58 and sorted(f["index"] for f in result.failures) == [5, 47]
    assert db.get_stats()["total"] == 58


def db_date(ts):
    from src.search.records import normalise_date

    return normalise_date(ts)
