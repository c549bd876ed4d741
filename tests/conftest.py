from __future__ import annotations

import pytest

from tests.fakes import FixedClock


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()
