from __future__ import annotations

import tempfile

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient

from src.bootstrap import Container, create_app, create_container
from src.config import Settings
from tests.fakes import FakeSearchIndex, FixedClock


def isolated_settings(**values) -> Settings:
    """Settings that ignore the developer's environment and .env file, with a data folder of their own."""
    values.setdefault("data_dir", tempfile.mkdtemp(prefix="aicos-test-"))
    # Starlette's test client names its WebSocket host "testserver"; a name allowed as a person would
    # allow one with AICOS_ALLOWED_HOSTS.
    values.setdefault("allowed_hosts", ["testserver"])
    return Settings(_env_file=None, **values)


@pytest.fixture
def serve():
    """Starts the app (real lifespan) over a container whose providers a test may override."""

    @contextmanager
    def start(settings: Settings | None = None, collectors=(), **overrides) -> Iterator[tuple[TestClient, Container]]:
        container = create_container(settings or isolated_settings(), collectors)
        for name, replacement in overrides.items():
            getattr(container, name).override(providers.Object(replacement))
        with TestClient(create_app(container=container), base_url="http://localhost:8000",
                        raise_server_exceptions=False) as client:
            yield client, container

    return start


@pytest.fixture
def client(serve) -> Iterator[TestClient]:
    with serve() as (client, _):
        yield client


@pytest.fixture
def fixed_clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def search_index() -> FakeSearchIndex:
    return FakeSearchIndex()
