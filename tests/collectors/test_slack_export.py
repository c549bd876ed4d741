"""The Slack export collector on exports laid out as Slack writes them, quirks included."""

import json
import zipfile

import pytest

from src.adapters.outbound.slack_export import SlackExportCollector, UnsafeExport, read_export

USERS = [
    {"id": "U1", "name": "dana", "real_name": "Dana Whitfield", "profile": {"real_name": "Dana Whitfield"}},
    {"id": "U2", "name": "lee", "profile": {"display_name": "Lee"}},
    {"id": "U3", "name": "gone", "deleted": True, "profile": {"real_name": "Former Colleague"}},
]
CHANNELS = [{"id": "C1", "name": "finance"}, {"id": "C2", "name": "general"}]
DMS = [{"id": "D1", "members": ["U1", "U2"]}]
FINANCE_DAY = [
    {"type": "message", "user": "U1", "text": "Q1 budget review moved to Thursday", "ts": "1764064800.000100",
     "client_msg_id": "a1"},
    {"type": "message", "user": "U2", "text": "ok <@U1>, I'll update the deck", "ts": "1764064900.000200",
     "thread_ts": "1764064800.000100", "parent_user_id": "U1"},
    {"type": "message", "subtype": "bot_message", "username": "budgetbot", "bot_id": "B1",
     "text": "Reminder: budget numbers due Friday", "ts": "1764065000.000300"},
    {"type": "message", "user": "U3", "ts": "1764065100.000400", "text": "forecast v3 attached",
     "files": [{"id": "F1", "name": "forecast-v3.xlsx", "title": "Forecast v3"}],
     "edited": {"user": "U3", "ts": "1764065200.000000"}},
    {"type": "message", "user": "U1", "ts": "1764065300.000500",
     "blocks": [{"type": "rich_text", "elements": [{"type": "rich_text_section",
                                                    "elements": [{"type": "text", "text": "headcount plan draft"}]}]}]},
    {"type": "message", "subtype": "channel_join", "user": "U2", "ts": "1764065400.000600",
     "text": "<@U2> has joined the channel"},
]


def write_export(root, *, broken_day=False):
    root.mkdir(parents=True, exist_ok=True)
    (root / "users.json").write_text(json.dumps(USERS))
    (root / "channels.json").write_text(json.dumps(CHANNELS))
    (root / "dms.json").write_text(json.dumps(DMS))
    (root / "finance").mkdir()
    (root / "finance" / "2025-11-25.json").write_text(json.dumps(FINANCE_DAY))
    (root / "general").mkdir()
    (root / "general" / "2025-11-24.json").write_text(
        "{not json" if broken_day else json.dumps([{"user": "U2", "text": "offsite next week", "ts": "1763978400.0"}]))
    (root / "D1").mkdir()
    (root / "D1" / "2025-11-25.json").write_text(json.dumps([{"user": "U2", "text": "can we talk hiring?",
                                                               "ts": "1764070000.0"}]))
    return root


def zip_folder(folder, target, top=""):
    with zipfile.ZipFile(target, "w") as archive:
        for path in folder.rglob("*.json"):
            archive.write(path, top + path.relative_to(folder).as_posix())
    return target




def test_a_folder_export_is_indexed_with_names_resolved(tmp_path, db):
    report = read_export(db, write_export(tmp_path / "export"))
    assert report.problems == [] and report.files_read == 3
    hit = db.search("budget review")[0]
    assert hit.metadata["user_name"] == "Dana Whitfield" and hit.metadata["channel_name"] == "finance"
    assert db.search("dana whitfield")  # people are searchable by name
    assert "@Dana Whitfield" in db.search("deck")[0].content  # mentions resolved
    assert db.search("budgetbot")[0].metadata["user_name"] == "budgetbot"  # bot messages
    assert "forecast-v3.xlsx" in db.search("forecast")[0].content  # file shares
    assert db.search("former colleague")  # deleted users keep their name
    assert db.search("headcount")  # text only in blocks
    assert db.search("hiring")[0].metadata["channel_name"] == "DM Dana Whitfield, Lee"


@pytest.mark.parametrize("top", ["", "My Workspace Slack export Nov 25 2025/"])
def test_a_zip_export_is_read_in_place(tmp_path, db, top):
    archive = zip_folder(write_export(tmp_path / "export"), tmp_path / "export.zip", top)
    report = read_export(db, archive)
    assert report.files_read == 3 and len(db.search("budget")) == 2
    assert not (tmp_path / "finance").exists()  # nothing was extracted


def test_unchanged_days_are_skipped_on_quick_and_read_again_on_full(tmp_path, db):
    export = write_export(tmp_path / "export")
    read_export(db, export)
    again = read_export(db, export)
    assert (again.files_read, again.files_skipped) == (0, 3)
    forced = read_export(db, export, force=True)
    assert forced.files_read == 3 and db.get_stats()["by_source"]["slack"] == 7  # re-read, not duplicated


def test_a_day_file_that_is_not_json_is_reported_and_the_rest_is_collected(tmp_path, db):
    report = read_export(db, write_export(tmp_path / "export", broken_day=True))
    assert report.problems == ["general/2025-11-24.json is not valid JSON, skipped"]
    assert report.files_read == 2 and db.search("budget")


def test_a_zip_naming_files_outside_the_export_is_refused(tmp_path, db):
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as archive:
        archive.writestr("users.json", "[]")
        archive.writestr("../../outside.json", "[]")
    with pytest.raises(UnsafeExport, match="outside"):
        read_export(db, tmp_path / "evil.zip")
    with zipfile.ZipFile(tmp_path / "absolute.zip", "w") as archive:
        archive.writestr("/etc/passwd.json", "[]")
    with pytest.raises(UnsafeExport):
        read_export(db, tmp_path / "absolute.zip")


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path, db, monkeypatch):
    import src.adapters.outbound.slack_export as slack_export

    monkeypatch.setattr(slack_export, "MAX_TOTAL_BYTES", 1_000_000)
    monkeypatch.setattr(slack_export, "MAX_FILES", 50)
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("general/2025-11-24.json", "[" + " " * 5_000_000 + "]")  # compresses to almost nothing
    with pytest.raises(UnsafeExport, match="unpack to more than"):
        read_export(db, tmp_path / "bomb.zip")
    with zipfile.ZipFile(tmp_path / "many.zip", "w") as archive:
        for n in range(60):
            archive.writestr(f"c/{n}.json", "[]")
    with pytest.raises(UnsafeExport, match="more than 50"):
        read_export(db, tmp_path / "many.zip")


async def test_the_collector_reports_progress_and_names_what_went_wrong(tmp_path, db):
    reports = []

    async def report(fraction, message):
        reports.append((fraction, message))

    await SlackExportCollector(db, [write_export(tmp_path / "export")]).collect("quick", report)
    assert reports[-1][0] == 1.0 and "7 messages" in reports[-1][1]
    with pytest.raises(FileNotFoundError, match="Slack export not found"):
        await SlackExportCollector(db, [tmp_path / "missing"]).collect("quick", report)
    with pytest.raises(ValueError, match="general/2025-11-24.json is not valid JSON"):
        await SlackExportCollector(db, [write_export(tmp_path / "broken", broken_day=True)]).collect("full", report)
