from __future__ import annotations

import os

import pytest

from tests import live_server as live_server_module, reader_model
from tests.fakes import FixedClock


def pytest_configure(config: pytest.Config) -> None:
    # The reader's model trained once for the whole run, not once a data folder (tests/reader_model.py).
    from src.adapters.outbound.reader import classifier

    classifier.trained_weights = reader_model.trained_once
    live_server_module.prepare_data_dir = reader_model.copy_into


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def db(tmp_path):
    """A SearchDatabase in a fresh file."""
    from src.search.database import SearchDatabase

    database = SearchDatabase(tmp_path / "search.db")
    yield database
    database.close()


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the tests that use it


def redis_or_skip() -> str:
    """The test Redis URL; skips with the reason when no Redis answers, except in CI, where a
    missing Redis is a failure (.ci/run sets CI=true)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is required in CI and did not answer at {REDIS_TEST_URL}: {error}")
        pytest.skip(f"no Redis at {REDIS_TEST_URL} ({error}); the Redis tests need one")
    return REDIS_TEST_URL
