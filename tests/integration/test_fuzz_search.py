"""Search fuzzed with crafted content and queries (hypothesis): records made of a few words repeated
thousands of times (the content that made re-ranking quadratic), queries of up to 1,000 characters
built from the same words, quotes, prefixes, exclusions and operators. Every search takes less than
a second of CPU and never raises (CPU, not the clock: the fuzzer runs beside anything else; the
real server's answer time is checked in test_search_api.py). `make test` runs a bounded number of examples; `make fuzz` many more
(AICOS_FUZZ_EXAMPLES)."""

import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.search.database import SearchDatabase

EXAMPLES = int(os.environ.get("AICOS_FUZZ_EXAMPLES", "20"))
ANSWER_WITHIN_S = 1.0
WORDS = ["run", "runs", "running", "runner", "x", "budget", "review", "a", "the", "plan"]
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def repeated(words: list[str], length: int) -> str:
    unit = " ".join(words) + " "
    return (unit * (length // len(unit) + 1))[:length]


@pytest.fixture(scope="module")
def crafted_database():
    """Families of crafted records, 100 each (up to the 100,000 characters a record keeps), beside
    ordinary ones."""
    database = SearchDatabase(Path(tempfile.mkdtemp(prefix="aicos-fuzz-search-")) / "search.db")
    families = [["run"], ["run", "x"], ["run", "runs", "running", "runner"], WORDS, list(reversed(WORDS))]
    records = [{"ts": str(1764000000 + len(families) * n + f), "text": repeated(words, 20_000 * (1 + n % 5))}
               for n in range(100) for f, words in enumerate(families)]
    database.index_records_batch(records, "slack")
    database.index_records_batch([{"ts": str(1765000000 + n), "text": f"budget review plan {n}"}
                                  for n in range(1000)], "slack")
    yield database
    database.close()


word = st.sampled_from(WORDS)
part = st.one_of(
    word,
    word.map(lambda w: w + "*"),
    word.map(lambda w: "-" + w),
    st.sampled_from(["AND", "OR", "NOT", "NEAR(", '"', "(", ")", ":", "^"]),
    st.lists(word, min_size=2, max_size=300).map(lambda ws: '"' + " ".join(ws) + '"'),
)
queries = st.lists(part, min_size=1, max_size=300).map(lambda parts: " ".join(parts)[:1000])


@given(query=queries, source=st.sampled_from([None, "slack", "drive"]), offset=st.sampled_from([0, 80, 2000]))
@FUZZ_SETTINGS
def test_any_query_over_crafted_content_takes_under_a_second_of_work(crafted_database, query, source, offset):
    started = time.process_time()
    results = crafted_database.search(query, source=source, limit=100, offset=offset)
    assert time.process_time() - started < ANSWER_WITHIN_S, query
    assert all(result.snippet for result in results)


@given(texts=st.lists(st.lists(word, min_size=1, max_size=4).flatmap(
           lambda words: st.integers(1, 100_000).map(lambda length: repeated(words, length))),
           min_size=1, max_size=10),
       query=queries)
@FUZZ_SETTINGS
def test_any_crafted_records_are_indexed_and_searched_in_under_a_second_of_work(tmp_path_factory, texts, query):
    database = SearchDatabase(tmp_path_factory.mktemp("fuzz") / "search.db")
    try:
        result = database.index_records_batch([{"ts": str(1764000000 + n), "text": text}
                                               for n, text in enumerate(texts)], "slack")
        assert result["indexed"] == len([text for text in texts if text.strip()])
        started = time.process_time()
        database.search(query)
        assert time.process_time() - started < ANSWER_WITHIN_S, query
    finally:
        database.close()
