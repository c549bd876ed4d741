"""Configuration: environment variables with the `AICOS_` prefix (or a `.env` file), contract section 5."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import time, timedelta, tzinfo
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaSeparated = Annotated[list[str], NoDecode]
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
PREFIX = "AICOS_"
# Read by the test suite and its tools, not by the service: known, so never warned about.
MAX_PREP_MINUTES = 24 * 60
_TIME_OF_DAY = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
_SLACK_ID = re.compile(r"^[CGDUW][A-Z0-9]{6,}$")
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{6,}$")
_CHANNEL_NAME = re.compile(r"^#[a-z0-9][a-z0-9._-]{0,79}$")
TOOL_VARIABLES = frozenset({"AICOS_FUZZ_EXAMPLES", "AICOS_CHROMIUM", "AICOS_UPDATE_SCREENSHOT"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    data_dir: Path = Path("./data")
    state_backend: Literal["memory", "sqlite", "redis"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    api_token: str | None = None
    allowed_origins: CommaSeparated = []
    allowed_hosts: CommaSeparated = []
    slack_export: CommaSeparated = []
    calendar_ics: CommaSeparated = []
    archive_dir: Path | None = None
    slack_signing_secret: str | None = None
    slack_bot_token: str | None = None
    slack_app_token: str | None = None
    # Contract section 7: the Web API the backfill (`slack_api`) calls; None: Slack's own. Tests point
    # it at a stand-in on loopback.
    slack_api_url: str | None = None
    max_connections: int = Field(2000, ge=1)
    # Contract section 7: a CalDAV account, and a quick collection on a period ("15m", "1h"; off when unset).
    caldav_url: str | None = None
    caldav_username: str | None = None
    caldav_password: SecretStr | None = None  # SecretStr: shown as '**********' in any repr or log
    collect_every: str | None = None
    # Contract section 6: the person the service works for, and their zone.
    me: CommaSeparated = []  # their identities: Slack user ids, emails, names
    timezone: str | None = None  # IANA name; None: the machine's zone
    # Contract section 7: an optional OpenAI-compatible chat endpoint ("http://127.0.0.1:11434/v1" for a
    # local Ollama). Unset: no model, and nothing leaves the machine.
    llm_url: str | None = None
    llm_model: str | None = Field(None, validate_default=True)
    llm_api_key: SecretStr | None = None  # sent as a Bearer token; SecretStr keeps it out of reprs and logs
    # Contract section 7: the service reaching the person on Slack (README, "Reaching the person").
    brief_time: str | None = None  # "07:30" in the person's zone: the morning brief; None: off
    brief_channel: str | None = None  # where it goes instead of the person's DM (a channel id or #name)
    prep_minutes: int | None = None  # minutes before a meeting with others to post its brief; None: off

    # Not in the contract's list; the service's own knobs.
    demo: bool = False  # demo items on an empty board, and a first collection at start (`make run`)
    ws_stall_timeout_s: float = Field(10.0, gt=0)  # a WebSocket client that takes nothing this long is closed
    ws_heartbeat_s: float = Field(15.0, gt=0)  # protocol v2: a heartbeat frame to idle clients this often
    max_body_bytes: int = Field(1024 * 1024, ge=1)
    command_rate: float = Field(50.0, gt=0)  # POST /api/command per client and second
    command_burst: int = Field(100, ge=1)
    search_db: Path | None = None  # the search index file; default DATA_DIR/search.db
    collectors: CommaSeparated = []  # collectors written elsewhere, as package.module:Factory (README)
    slack_allowed_users: CommaSeparated = []  # Slack user IDs that may use /cos; empty: anyone in the workspace
    trusted_proxies: CommaSeparated = []  # proxies whose X-Forwarded-For names the client; none by default
    llm_timeout: float = Field(10.0, gt=0)  # seconds a language model request may take
    llm_budget: float = Field(60.0, gt=0)  # seconds the second reading may take per collection or extract

    @field_validator("llm_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        if value is not None and urlsplit(value.strip()).scheme not in ("http", "https"):
            raise ValueError("AICOS_LLM_URL must be an http:// or https:// address, such as http://127.0.0.1:11434/v1")
        return value.strip() if value else None

    @field_validator("llm_model")
    @classmethod
    def _model_named(cls, value: str | None, info: ValidationInfo) -> str | None:
        # A field validator, not a model one: pydantic's message then quotes this field only, never the key.
        if info.data.get("llm_url") and not (value or "").strip():
            raise ValueError("AICOS_LLM_URL is set but AICOS_LLM_MODEL is not: name the model to ask (llama3.1)")
        return value.strip() if value else None
    # TEST ONLY: seconds added to the service's clock, so a real server can be put just before its
    # brief time. Never set it on a real deployment: every time the service records moves with it.
    clock_offset_s: float = 0.0

    @field_validator("brief_time", mode="before")
    @classmethod
    def _time_of_day(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not _TIME_OF_DAY.match(value.strip()):
            raise ValueError(f"AICOS_BRIEF_TIME={value!r} is not a time of day: use HH:MM, from 00:00 to 23:59")
        return value.strip()

    @field_validator("prep_minutes", mode="before")
    @classmethod
    def _minutes_ahead(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            minutes = int(str(value).strip())
        except ValueError:
            raise ValueError(f"AICOS_PREP_MINUTES={value!r} is not a whole number of minutes") from None
        if not 1 <= minutes <= MAX_PREP_MINUTES:  # 0 would leave no moment before the start to post in
            raise ValueError(f"AICOS_PREP_MINUTES={minutes} must be between 1 and {MAX_PREP_MINUTES} "
                             "(minutes before a meeting)")
        return minutes

    @field_validator("brief_channel", mode="before")
    @classmethod
    def _slack_channel(cls, value: object) -> object:
        # Only the form is checked at start; a channel Slack does not know fails the post, shown then.
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str) or not (_SLACK_ID.match(value.strip()) or _CHANNEL_NAME.match(value.strip())):
            raise ValueError(f"AICOS_BRIEF_CHANNEL={value!r} is not a Slack channel: use its id (C0123ABCD, "
                             "or a user id U0123ABCD for a DM) or #its-name")
        return value.strip()

    def brief_at(self) -> time | None:
        if not self.brief_time:
            return None
        hours, minutes = self.brief_time.split(":")
        return time(int(hours), int(minutes))

    def outreach_on(self) -> bool:
        return self.brief_time is not None or self.prep_minutes is not None

    def post_recipient(self) -> str | None:
        """Where the brief and prep go: AICOS_BRIEF_CHANNEL, else the person's DM (their Slack user id
        in AICOS_ME; chat.postMessage to a user id posts in the DM with the bot)."""
        if self.brief_channel:
            return self.brief_channel
        return next((identity for identity in self.me if _SLACK_USER.match(identity)), None)

    def outreach_problem(self) -> str | None:
        """Why the brief or prep cannot be posted with these settings, in one line; None when they can."""
        if not self.outreach_on():
            return None
        wanted = "AICOS_BRIEF_TIME" if self.brief_time is not None else "AICOS_PREP_MINUTES"
        if not self.slack_bot_token:
            return f"{wanted} is set but AICOS_SLACK_BOT_TOKEN is not: posts go out with the bot token (xoxb-...)"
        if self.post_recipient() is None:
            return (f"{wanted} is set but there is nowhere to post: put your Slack user id in AICOS_ME "
                    "(U0123ABCD) or set AICOS_BRIEF_CHANNEL")
        return None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"AICOS_TIMEZONE={value!r} is not an IANA time zone") from error
        return value or None

    @field_validator("slack_api_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("AICOS_SLACK_API_URL must be an http(s):// address, like https://slack.com/api/")
        return value or None

    @field_validator("caldav_url")
    @classmethod
    def _caldav_address(cls, value: str | None) -> str | None:
        # Checked at start like the other addresses: a CalDAV account is always reached over http(s).
        if value is None or not value.strip():
            return None
        if urlsplit(value.strip()).scheme.lower() not in ("http", "https"):
            raise ValueError("AICOS_CALDAV_URL must be an http(s):// address, like https://caldav.icloud.com")
        return value.strip()

    @field_validator("api_token")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        # A token of spaces would pass the "no token beyond loopback" refusal and let `?token=%20` in.
        if value is not None and value != "" and not value.strip():
            raise ValueError("AICOS_API_TOKEN is blank; set a real token (`aicos token` makes one) or unset it")
        return value.strip() or None if value is not None else None

    @field_validator("data_dir", "archive_dir", "search_db", mode="before")
    @classmethod
    def _expand_home(cls, value: object) -> object:
        # The shell expands only a `~` that starts a word; `A=~/x` works, `A=~/x,~/y` not past the comma.
        return Path(value).expanduser() if isinstance(value, (str, Path)) else value

    @field_validator("collect_every")
    @classmethod
    def _a_period(cls, value: str | None) -> str | None:
        if value is not None and value.strip():
            parse_period(value)  # raises, naming the setting
            return value.strip()
        return None

    def collect_period(self) -> timedelta | None:
        """AICOS_COLLECT_EVERY as a duration, or None when no scheduled collection is wanted."""
        return parse_period(self.collect_every) if self.collect_every else None

    def zone(self) -> tzinfo | None:
        """The person's zone, or None for the machine's."""
        return ZoneInfo(self.timezone) if self.timezone else None

    def configured_sources(self) -> list[str]:
        """The settings that name a source of the person's own data (what makes the demo stand aside)."""
        named = {"AICOS_SLACK_EXPORT": self.slack_export, "AICOS_CALENDAR_ICS": self.calendar_ics,
                 "AICOS_ARCHIVE_DIR": self.archive_dir, "AICOS_COLLECTORS": self.collectors,
                 "AICOS_CALDAV_URL": self.caldav_url,
                 "AICOS_SLACK_BOT_TOKEN": self.slack_bot_token}  # the token backfills their workspace
        return [name for name, value in named.items() if value]

    def search_db_path(self) -> Path:
        return self.search_db or self.data_dir / "search.db"

    @field_validator("allowed_origins", "allowed_hosts", "slack_export", "calendar_ics", "collectors",
                     "slack_allowed_users", "me", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("slack_export", "calendar_ics")
    @classmethod
    def _expand_home_in_each(cls, paths: list[str]) -> list[str]:
        return [str(Path(path).expanduser()) if path.startswith("~") else path for path in paths]

    def cors_origins(self) -> list[str]:
        """The allowed origins: as configured, or the service's own origin plus the dev dashboard's."""
        if self.allowed_origins:
            return list(self.allowed_origins)
        own_hosts = ["localhost", "127.0.0.1"] if self.host in (*LOOPBACK_HOSTS, "0.0.0.0") else [self.host]
        own = [f"http://{host}:{self.port}" for host in own_hosts]
        return [*own, "http://localhost:3000", "http://127.0.0.1:3000"]


_PERIOD_PART = re.compile(r"(\d+)\s*([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_period(text: str) -> timedelta:
    """ "15m", "1h", "1h30m", "90s" -> a duration; ValueError naming AICOS_COLLECT_EVERY otherwise."""
    compact = text.strip().lower().replace(" ", "")
    parts = _PERIOD_PART.findall(compact)
    seconds = sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts)
    if not parts or "".join(n + u for n, u in parts) != compact or seconds <= 0:
        raise ValueError(f"AICOS_COLLECT_EVERY={text!r} is not a period like 15m, 1h or 1h30m")
    return timedelta(seconds=seconds)


def known_variables() -> frozenset[str]:
    return frozenset(PREFIX + name.upper() for name in Settings.model_fields) | TOOL_VARIABLES


def unknown_setting_warnings(environ: Mapping[str, str], env_file: Path = Path(".env")) -> list[str]:
    """One line per `AICOS_*` variable (in the environment or the `.env` file) that no setting reads,
    with the closest known name: a misspelled setting is otherwise ignored in silence."""
    from dotenv import dotenv_values  # pydantic-settings' own reader of .env files

    found = [(name, "") for name in environ]
    if env_file.is_file():
        found += [(name, f" (in {env_file})") for name in dotenv_values(env_file)]
    known = known_variables()
    warnings = []
    for name, where in found:
        if not name.upper().startswith(PREFIX) or name.upper() in known:
            continue
        line = f"{name}{where} is not a setting of the service and is ignored"
        # Compared without the prefix, which every name shares and which would make anything look close.
        settings = sorted(known_name.removeprefix(PREFIX) for known_name in known - TOOL_VARIABLES)
        closest = difflib.get_close_matches(name.upper().removeprefix(PREFIX), settings, n=1, cutoff=0.6)
        warnings.append(line + (f"; did you mean {PREFIX}{closest[0]}?" if closest else ""))
    return warnings
