"""The demo dataset: a Slack export and a calendar in the real formats, around today's date."""

import json
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from src.adapters.outbound.slack_export import read_export
from src.cli import _with_demo_sources
from src.config import Settings
from src.demo import ensure_demo_dataset, write_demo_dataset
from src.demo.slack_layout import SlackExportWriter
from tests.collectors.test_ics_calendar import read_calendars

NOW = datetime(2026, 11, 25, 15, 30).astimezone()  # a Wednesday afternoon, local time


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return write_demo_dataset(tmp_path_factory.mktemp("demo"), NOW)


def all_messages(export):
    return [m for day in sorted(export.glob("*/*.json")) for m in json.loads(day.read_text())]


def test_the_export_is_laid_out_as_slack_writes_one(dataset):
    export = dataset.slack_export
    users = json.loads((export / "users.json").read_text())
    assert any(u["deleted"] for u in users) and any(u["is_bot"] for u in users)
    for listing in ("channels.json", "groups.json", "dms.json", "mpims.json"):
        assert json.loads((export / listing).read_text())
    for day_file in export.glob("*/*.json"):
        date.fromisoformat(day_file.stem)
        stamps = [float(m["ts"]) for m in json.loads(day_file.read_text())]
        assert stamps == sorted(stamps)
    assert 3_000 <= dataset.messages <= 4_500


def test_the_export_has_the_quirks_of_real_ones(dataset):
    messages = all_messages(dataset.slack_export)
    by_ts = {m["ts"]: m for m in messages}
    replies = [m for m in messages if m.get("thread_ts") not in (None, m["ts"])]
    assert replies and all(by_ts[r["thread_ts"]].get("reply_count") for r in replies)
    assert any(m.get("subtype") == "bot_message" for m in messages)
    assert any(m.get("subtype") == "channel_join" for m in messages)
    assert any("edited" in m for m in messages) and any(m.get("files") for m in messages)
    assert any(m.get("text") == "" and m.get("blocks") for m in messages)
    assert any("<@U" in m.get("text", "") for m in messages)
    assert max(float(m["ts"]) for m in messages) <= NOW.timestamp()  # nothing from later today


def test_the_export_is_collected_with_names_resolved(dataset, db):
    report = read_export(db, dataset.slack_export)
    assert report.problems == [] and report.messages > 3_000
    hit = db.search("northwind redlines", limit=1)[0]
    assert not hit.metadata["user_name"].startswith("U") and not hit.metadata["channel_name"].startswith("C")


async def test_the_calendar_has_todays_meetings_and_the_coming_days(dataset):
    read = await read_calendars([dataset.calendar], NOW.date(), NOW.tzinfo)
    board, indexed = read.board, read.indexed
    today = [(o.start.strftime("%H:%M"), o.title) for o in board if o.day == NOW.date()]
    assert today == [("09:00", "Team standup"), ("11:00", "Q1 budget review"), ("14:30", "1:1 with Lee"),
                     ("16:00", "Hiring sync: platform team")]
    assert any(o.all_day and o.title == "Company offsite" for o in board)
    assert not any(o.title == "Team standup" and o.day.weekday() >= 5 for o in indexed)
    assert any(o.day < NOW.date() for o in indexed)  # past meetings, for briefs


async def test_the_dataset_is_written_again_only_for_another_day(tmp_path):
    first = ensure_demo_dataset(tmp_path, NOW)
    written = first.calendar.stat().st_mtime_ns
    assert ensure_demo_dataset(tmp_path, NOW + timedelta(hours=2)).calendar.stat().st_mtime_ns == written
    tomorrow = ensure_demo_dataset(tmp_path, NOW + timedelta(days=1))
    assert tomorrow.written_for == (NOW.date() + timedelta(days=1)).isoformat()
    board = (await read_calendars([tomorrow.calendar], NOW.date() + timedelta(days=1), NOW.tzinfo)).board
    assert "Q1 budget review" in [o.title for o in board if o.day == NOW.date() + timedelta(days=1)]


def test_the_export_writer_wants_messages_in_time_order(tmp_path):
    writer = SlackExportWriter(tmp_path, [], [])
    writer.add("general", {"ts": "1764064800.000100"})
    with pytest.raises(ValueError, match="time order"):
        writer.add("general", {"ts": "1763978400.000100"})


def test_demo_mode_uses_the_dataset_only_when_no_source_is_configured(tmp_path):
    demo = _with_demo_sources(Settings(_env_file=None, demo=True, data_dir=tmp_path))
    assert demo.slack_export == [str(tmp_path.resolve() / "demo" / "slack-export")]
    assert demo.calendar_ics == [str(tmp_path.resolve() / "demo" / "calendar.ics")]
    own = Settings(_env_file=None, demo=True, data_dir=tmp_path, slack_export=["/exports/acme.zip"])
    assert _with_demo_sources(own) == own.model_copy(update={"demo": False})  # the person's sources, no demo
    assert _with_demo_sources(Settings(_env_file=None, data_dir=tmp_path)).slack_export == []


def test_a_slack_bot_token_is_a_source_of_ones_own_so_the_demo_stands_aside(tmp_path):
    """The token backfills the person's workspace: beside the demo export, their search would mix both."""
    own = Settings(_env_file=None, demo=True, data_dir=tmp_path, slack_bot_token="xoxb-1-2-abc")
    assert _with_demo_sources(own) == own.model_copy(update={"demo": False})
    assert own.configured_sources() == ["AICOS_SLACK_BOT_TOKEN"]


def test_aicos_demo_writes_the_dataset_into_the_data_folder(tmp_path):
    result = subprocess.run([sys.executable, "-m", "src.cli", "demo"], capture_output=True, text=True, timeout=60,
                            env={"AICOS_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert f"AICOS_SLACK_EXPORT={tmp_path.resolve()}/demo/slack-export" in result.stdout
    assert (tmp_path / "demo" / "calendar.ics").read_text().startswith("BEGIN:VCALENDAR")
