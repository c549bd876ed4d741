"""Several processes (uvicorn --workers 2) open a new search database at the same moment."""

import threading

from src.search.database import SearchDatabase

OPENED_AT_ONCE = 8


def test_a_new_database_opened_by_several_at_once_opens_for_all(tmp_path):
    for attempt in range(5):
        path = tmp_path / f"search-{attempt}.db"
        start, failures, opened = threading.Barrier(OPENED_AT_ONCE), [], []

        def open_it() -> None:
            start.wait()
            try:
                opened.append(SearchDatabase(path))
            except Exception as error:  # the start-up failure a worker would die of
                failures.append(error)

        threads = [threading.Thread(target=open_it) for _ in range(OPENED_AT_ONCE)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for database in opened:
            database.close()
        assert failures == []
