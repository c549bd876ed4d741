from datetime import datetime, timezone

import pytest

from src.domain.errors import InvalidInput
from src.domain.state import DashboardState, SystemStatus
from src.domain.system import change_system

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


def test_status_progress_and_message_change_together():
    state = change_system(DashboardState.initial(NOW), status="COLLECTING", progress=40, message="slack")
    assert (state.system.status, state.system.progress, state.system.message) == (SystemStatus.COLLECTING, 40, "slack")


def test_fields_not_given_keep_their_value_and_none_clears_the_message():
    state = change_system(DashboardState.initial(NOW), progress=40, message="slack")
    state = change_system(state, progress=50)
    assert (state.system.progress, state.system.message) == (50, "slack")
    assert change_system(state, message=None).system.message is None


def test_a_new_status_without_a_message_drops_the_message_of_the_old_status():
    finished = change_system(DashboardState.initial(NOW), status="IDLE", message="quick collection finished")
    collecting = change_system(finished, status="COLLECTING", progress=40)
    assert (collecting.system.status, collecting.system.message) == (SystemStatus.COLLECTING, None)
    with_message = change_system(finished, status="COLLECTING", message="slack")
    assert with_message.system.message == "slack"
    assert change_system(with_message, status="COLLECTING", progress=10).system.message == "slack"


def test_setting_what_is_already_there_is_no_change():
    state = change_system(DashboardState.initial(NOW), progress=40)
    assert change_system(state, progress=40) is None


@pytest.mark.parametrize("fields, message", [
    ({"status": "SLEEPING"}, "status must be one of"),
    ({"status": None}, "status must be one of"),
    ({"progress": 150}, "between 0 and 100"),
    ({"progress": -1}, "between 0 and 100"),
    ({"progress": "50"}, "integer"),
    ({"progress": 50.5}, "integer"),
    ({"progress": True}, "integer"),
    ({"message": 5}, "string"),
    ({"message": "x" * 501}, "at most 500"),
    ({}, "at least one"),
])
def test_bad_values_are_refused(fields, message):
    with pytest.raises(InvalidInput, match=message):
        change_system(DashboardState.initial(NOW), **fields)


def test_the_version_grows_by_exactly_one_and_the_epoch_stays():
    state = DashboardState.initial(NOW)
    later = state.next_version(NOW)
    assert (later.meta.version, later.meta.epoch) == (1, state.meta.epoch)
    assert DashboardState.initial(NOW).meta.epoch != state.meta.epoch
