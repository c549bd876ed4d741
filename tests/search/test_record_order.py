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


def test_a_record_repeated_across_held_batches_keeps_its_last_version(db):
    records = messages(40)
    records[30] = {"client_msg_id": "dup", "ts": str(START + 2), "text": "first draft"}  # held from batch 4
    records[35] = {"client_msg_id": "dup", "ts": str(START + 90_000), "text": "second draft"}
    records[38] = {"client_msg_id": "dup", "ts": str(START + 1), "text": "final version"}
    records[20:30] = reversed(records[20:30])  # batches 1 and 2 go in as they come; the rest waits
    result = db.index_records_batch(records, "slack", batch_size=10)
    assert [r.content for r in db.search("final")] == ["final version"] and db.search("draft") == []
    assert result.indexed == 40 and db.get_stats()["total"] == 38


def test_a_held_record_unusable_only_once_its_row_is_built_is_reported_once_at_its_position(db):
    records = random.Random(4).sample(messages(60), 60)
    records[33] = {"client_msg_id": "empty", "ts": str(START + 7)}  # an identity, no searchable text
    records[2] = {"client_msg_id": "blank", "ts": str(START + 8), "text": "   "}  # in the first held batch
    result = db.index_records_batch(records, "slack", batch_size=8)
    assert result.indexed == 58 and result.failed == 2
    assert [(f["index"], f["reason"]) for f in result.failures] == [(2, "no searchable text"),
                                                                    (33, "no searchable text")]
    assert db.get_stats()["total"] == 58


def test_a_repeated_record_whose_last_version_is_unusable_keeps_its_earlier_one_in_any_order(tmp_path):
    from src.search.database import SearchDatabase

    records = messages(30)
    def version(position, native_id, **text):  # in its slot's minute: `records` stay in time order
        return {"client_msg_id": native_id, "ts": str(START + 60 * position + 1), **text}

    records[4] = version(4, "dup", text="kept version")
    records[25] = version(25, "dup")  # nothing searchable
    records[12] = version(12, "dup2")  # unusable, then replaced
    records[27] = version(27, "dup2", text="replacement")
    shuffled = records[:]
    shuffled[0:20] = reversed(records[0:20])  # keeps each pair's order: 4 before 25, 12 before 27
    outcomes = []
    for name, handed in (("ordered", records), ("shuffled", shuffled)):
        database = SearchDatabase(tmp_path / f"{name}.db")
        try:
            result = database.index_records_batch(handed, "slack", batch_size=6)
            outcomes.append((result.indexed, result.failed, [r.content for r in database.search("kept")],
                             [r.content for r in database.search("replacement")], database.get_stats()["total"]))
        finally:
            database.close()
    assert outcomes[0] == outcomes[1] == (28, 2, ["kept version"], ["replacement"], 28)


def test_the_first_hundred_failures_by_position_are_detailed_in_any_order(db):
    records = random.Random(6).sample(messages(400), 400)
    unusable = sorted(random.Random(7).sample(range(400), 150))
    for position in unusable:
        records[position] = {"client_msg_id": f"u{position}", "ts": str(START + position)}
    result = db.index_records_batch(records, "slack", batch_size=32)
    assert result.failed == 150 and [f["index"] for f in result.failures] == unusable[:100]


def test_a_held_record_without_a_date_is_stored_without_one(db):
    records = messages(12)
    records[9] = {"client_msg_id": "undated", "text": "budget undated"}
    result = db.index_records_batch(list(reversed(records)), "slack", batch_size=5)
    assert result.indexed == 12
    assert [r.date for r in db.search("undated")] == [None]
