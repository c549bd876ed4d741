"""Settings of contract section 7 this branch reads: CalDAV, calendar links, AICOS_COLLECT_EVERY."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from src.adapters.outbound.caldav_account import CalDavAccount
from src.adapters.outbound.calendar_feeds import LocalCalendarFiles
from src.adapters.outbound.calendar_links import CalendarLink
from src.bootstrap import create_container
from src.config import Settings


@pytest.mark.parametrize("text, period", [("15m", timedelta(minutes=15)), ("1h", timedelta(hours=1)),
                                          ("1h30m", timedelta(minutes=90)), (" 30s ", timedelta(seconds=30))])
def test_a_period_reads_as_people_write_it(text, period):
    assert Settings(_env_file=None, collect_every=text).collect_period() == period


@pytest.mark.parametrize("text", ["15", "quarter", "0m", "-5m", "1h and 5m"])
def test_a_period_that_is_not_one_is_refused_naming_the_setting(text):
    with pytest.raises(ValidationError, match="AICOS_COLLECT_EVERY"):
        Settings(_env_file=None, collect_every=text)


def test_no_period_no_schedule():
    settings = Settings(_env_file=None)
    assert settings.collect_period() is None
    assert create_container(settings).scheduled_collections() is None


def test_the_caldav_password_never_shows_in_the_settings():
    settings = Settings(_env_file=None, caldav_url="https://caldav.icloud.com", caldav_username="alex",
                        caldav_password="app-specific-4711")
    assert "app-specific-4711" not in repr(settings) and "app-specific-4711" not in str(settings.model_dump())
    assert "AICOS_CALDAV_URL" in settings.configured_sources()


def test_links_files_and_the_account_become_one_calendar_collector(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path, caldav_url="https://caldav.example.com",
                        calendar_ics=f"{tmp_path / 'work.ics'},https://example.com/a.ics,webcal://example.com/b.ics")
    (collector,) = create_container(settings).collectors()
    kinds = [type(feed) for feed in collector._feeds]
    assert kinds == [LocalCalendarFiles, CalendarLink, CalendarLink, CalDavAccount]


@pytest.mark.parametrize("url", ["caldav.icloud.com", "notaurl", "ftp://caldav.example.com"])
def test_a_caldav_address_that_is_not_http_is_refused_at_start_naming_the_setting(url):
    """Accepted, it failed only at the first collection, named as "CalDAV account ***"."""
    with pytest.raises(ValidationError, match="AICOS_CALDAV_URL must be an http"):
        Settings(_env_file=None, caldav_url=url)
    assert Settings(_env_file=None, caldav_url=" ").caldav_url is None


def _counting(container, name):
    """Overrides the container's `name` with a factory that counts how often it is built."""
    from dependency_injector import providers

    built: list[object] = []
    getattr(container, name).override(providers.Factory(lambda: built.append(object()) or built[-1]))
    return built


def test_the_status_route_builds_no_schedule_per_request_without_one():
    """GET /api/system/status asks for the schedule at every request: with no period it must
    answer None without building the collection use cases each time (a third of the route's CPU)."""
    container = create_container(Settings(_env_file=None))
    built = _counting(container, "trigger_collection")
    assert [container.scheduled_collections() for _ in range(3)] == [None] * 3
    assert built == []


def test_a_schedule_is_built_once(tmp_path):
    container = create_container(Settings(_env_file=None, collect_every="15m", data_dir=tmp_path))
    built = _counting(container, "trigger_collection")
    first = container.scheduled_collections()
    assert first is not None and container.scheduled_collections() is first
    assert len(built) == 1
