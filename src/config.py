"""Configuration: environment variables with the `AICOS_` prefix (or a `.env` file), contract section 5."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Annotated, Literal

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaSeparated = Annotated[list[str], NoDecode]
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AICOS_", env_file=".env", extra="ignore")

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
    max_connections: int = Field(2000, ge=1)
    # Contract section 6: the person the service works for, and their zone.
    me: CommaSeparated = []  # their identities: Slack user ids, emails, names
    timezone: str | None = None  # IANA name; None: the machine's zone

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

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"AICOS_TIMEZONE={value!r} is not an IANA time zone") from error
        return value or None

    def zone(self) -> tzinfo | None:
        """The person's zone, or None for the machine's."""
        return ZoneInfo(self.timezone) if self.timezone else None

    def search_db_path(self) -> Path:
        return self.search_db or self.data_dir / "search.db"

    @field_validator("allowed_origins", "allowed_hosts", "slack_export", "calendar_ics", "collectors",
                     "slack_allowed_users", "me", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def cors_origins(self) -> list[str]:
        """The allowed origins: as configured, or the service's own origin plus the dev dashboard's."""
        if self.allowed_origins:
            return list(self.allowed_origins)
        own_hosts = ["localhost", "127.0.0.1"] if self.host in (*LOOPBACK_HOSTS, "0.0.0.0") else [self.host]
        own = [f"http://{host}:{self.port}" for host in own_hosts]
        return [*own, "http://localhost:3000", "http://127.0.0.1:3000"]
