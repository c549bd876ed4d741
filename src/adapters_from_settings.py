"""The adapters the container builds from the settings: the files each keeps in AICOS_DATA_DIR,
the optional language model, the calendar's feeds and the outreach's schedule. (Wired in
bootstrap.py, the composition root; nothing else builds these.)"""

from __future__ import annotations

import logging
from typing import Any

from src.adapters.outbound.brief_log import SqliteBriefLog
from src.adapters.outbound.caldav_account import CalDavAccount
from src.adapters.outbound.calendar_feeds import CalendarFeed
from src.adapters.outbound.calendar_links import CalendarLink, is_calendar_link
from src.adapters.outbound.clock import SystemClock
from src.adapters.outbound.language_model import OpenAICompatibleModel
from src.adapters.outbound.people_directory import SqlitePeopleDirectory
from src.adapters.outbound.reader.second_reading import ModelSecondReading
from src.adapters.outbound.slack_deliveries import SqliteDeliveries
from src.adapters.outbound.slack_poster import SlackWebPoster, brief_message
from src.adapters.outbound.sqlite_conversations import SqliteConversations
from src.adapters.outbound.sqlite_outbox import SqliteOutbox
from src.adapters.outbound.sqlite_state import SqliteStateRepository
from src.application.use_cases.reach_person import ReachThePerson
from src.config import Settings
from src.domain.outreach import Schedule
from src.search.database import SearchDatabase, SearchDatabaseError


def search_database(settings: Settings) -> SearchDatabase:
    path = settings.search_db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SearchDatabaseError(f"cannot create the folder of the search database {path.parent}: {error}") from error
    return SearchDatabase(path)


def sqlite_deliveries(settings: Settings) -> SqliteDeliveries:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteDeliveries(settings.data_dir / "state.db")


def people_directory(settings: Settings) -> SqlitePeopleDirectory:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqlitePeopleDirectory(settings.data_dir / "people.db", settings.me)


def language_model(settings: Settings) -> OpenAICompatibleModel:
    """The configured language model (AICOS_LLM_URL and AICOS_LLM_MODEL)."""
    assert settings.llm_url and settings.llm_model  # the container's selector asks for it only then
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    model = OpenAICompatibleModel(settings.llm_url, settings.llm_model, api_key=key, timeout=settings.llm_timeout)
    logging.getLogger(__name__).info("language model %s at %s: it is sent the messages the reader is unsure of "
                                     "and the briefs it summarises", model.name, model.where)
    return model


def second_reading(model: OpenAICompatibleModel, reader: Any, settings: Settings) -> ModelSecondReading:
    """The model's second reading of what the reader is unsure of."""
    return ModelSecondReading(model, likelihood=getattr(reader, "likelihood", None), budget=settings.llm_budget)


def sqlite_brief_log(settings: Settings) -> SqliteBriefLog:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteBriefLog(settings.data_dir / "briefs.db")


def conversation_store(settings: Settings) -> SqliteConversations:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteConversations(settings.data_dir / "conversations.db")


def sqlite_state(settings: Settings, clock: SystemClock) -> SqliteStateRepository:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteStateRepository(settings.data_dir / "state.db", clock)


def sqlite_outbox(settings: Settings) -> SqliteOutbox:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteOutbox(settings.data_dir / "outbox.db")


def slack_poster(settings: Settings) -> SlackWebPoster:
    return SlackWebPoster(settings.slack_bot_token or "", settings.slack_api_url)


def reach_person(settings: Settings, **ports: Any) -> ReachThePerson:
    schedule = Schedule.of(settings.brief_at(), settings.prep_minutes, settings.me)
    return ReachThePerson(schedule, settings.post_recipient() or "", compose=brief_message, **ports)


def calendar_feeds(settings: Settings) -> list[CalendarFeed]:
    """The calendar's sources beyond files: AICOS_CALENDAR_ICS entries that are addresses, and the
    CalDAV account. What they fetch is kept under DATA_DIR/calendars."""
    kept = settings.data_dir / "calendars"
    feeds: list[CalendarFeed] = [CalendarLink(entry, kept) for entry in settings.calendar_ics
                                 if is_calendar_link(entry)]
    if settings.caldav_url:
        password = settings.caldav_password.get_secret_value() if settings.caldav_password else None
        feeds.append(CalDavAccount(settings.caldav_url, settings.caldav_username, password, kept))
    return feeds
