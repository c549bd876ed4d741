"""AICOS_ME and AICOS_TIMEZONE (contract section 6): read, checked, and the clock's zone."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from src.bootstrap import create_container
from src.config import Settings


def test_me_is_a_comma_separated_list_of_identities():
    settings = Settings(_env_file=None, me="U01ALEXRIV, alex@example.com")
    assert settings.me == ["U01ALEXRIV", "alex@example.com"]


def test_the_clock_runs_in_the_persons_zone():
    container = create_container(Settings(_env_file=None, timezone="Asia/Tokyo"))
    assert container.clock().now().utcoffset() == timedelta(hours=9)


def test_an_unknown_zone_is_refused_naming_the_setting():
    with pytest.raises(ValidationError, match="AICOS_TIMEZONE"):
        Settings(_env_file=None, timezone="Mars/Olympus")
