"""The Slack export collector on exports laid out as Slack writes them, quirks included."""

import asyncio
import json
import os
import zipfile

import pytest

from src.adapters.outbound.slack_export import SlackExportCollector, UnsafeExport, read_export
from src.application.use_cases.trigger_collection import TriggerCollection
from tests.collectors.budget import measured
from tests.unit.core import Core

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
    with pytest.raises(ValueError, match="Slack export not found"):
        await SlackExportCollector(db, [tmp_path / "missing"]).collect("quick", report)
    with pytest.raises(ValueError, match="general/2025-11-24.json is not valid JSON"):
        await SlackExportCollector(db, [write_export(tmp_path / "broken", broken_day=True)]).collect("full", report)


# Bot posts as real exports carry them: GitHub's app (bot_profile, text only in attachments), Travis
# (a legacy integration: username, bot_id, attachments), and an app posting as a bot user with blocks.
BOT_USER = {"id": "UBOT", "name": "deploybot", "is_bot": True, "profile": {"real_name": "Deploy Bot", "bot_id": "B3"}}
GITHUB_POST = {
    "type": "message", "subtype": "bot_message", "text": "", "ts": "1764066000.000100", "bot_id": "B1",
    "bot_profile": {"id": "B1", "app_id": "A1", "name": "GitHub", "deleted": False},
    "attachments": [{"fallback": "[acme/api] Pull request merged: #42 Fix login timeout on slow networks",
                     "pretext": "Pull request merged by dana", "title": "#42 Fix login timeout on slow networks",
                     "title_link": "https://example.com/acme/api/pull/42", "text": "Retries the token refresh",
                     "color": "6f42c1"}]}
TRAVIS_POST = {
    "type": "message", "subtype": "bot_message", "username": "travis-ci", "bot_id": "B2", "text": "",
    "ts": "1764066100.000200",
    "attachments": [{"fallback": "Build #1234 (abc123) of acme/api@main by Dana passed in 3 min",
                     "text": "Build <https://example.com/builds/1234|#1234> of acme/api@main by Dana passed",
                     "fields": [{"title": "Branch", "value": "release-candidate", "short": True}],
                     "color": "good"}]}
APP_POST = {"type": "message", "user": "UBOT", "bot_id": "B3", "app_id": "A3", "ts": "1764066200.000300",
            "text": "Deployed api v2.3.1 to production",
            "bot_profile": {"id": "B3", "name": "deploybot"}}
GROUPS = [{"id": "G1", "name": "leadership"}]
MPIMS = [{"id": "G2", "name": "mpdm-dana--lee--gone-1", "members": ["U1", "U2", "U3"]}]


def write_export_with_bots(root):
    write_export(root)
    (root / "users.json").write_text(json.dumps([*USERS, BOT_USER]))
    (root / "groups.json").write_text(json.dumps(GROUPS))
    (root / "mpims.json").write_text(json.dumps(MPIMS))
    (root / "general" / "2025-11-25.json").write_text(json.dumps([GITHUB_POST, TRAVIS_POST, APP_POST]))
    for folder, text in {"leadership": "reorg plan stays private", "mpdm-dana--lee--gone-1": "lunch on friday"}.items():
        (root / folder).mkdir()
        (root / folder / "2025-11-25.json").write_text(json.dumps(
            [{"type": "message", "user": "U1", "text": text, "ts": "1764067000.000100",
              "thread_ts": "1764066000.000000"}]))
    return root


def test_bot_posts_are_indexed_with_the_bots_name_and_marked_as_bots(tmp_path, db):
    read_export(db, write_export_with_bots(tmp_path / "export"))
    github = db.search("fix login timeout")[0]
    assert github.metadata["author"] == "GitHub" and github.metadata["is_bot"] is True
    travis = db.search("release-candidate")[0]  # a field of the attachment
    assert travis.metadata["author"] == "travis-ci" and travis.metadata["is_bot"] is True
    app = db.search("deployed production")[0]
    assert app.metadata["author"] == "Deploy Bot" and app.metadata["is_bot"] is True
    person = db.search("budget review")[0]
    assert person.metadata["author"] == "Dana Whitfield" and person.metadata["is_bot"] is False


async def test_the_collector_reports_what_it_indexed_and_what_it_skipped_and_why(tmp_path, db):
    async def report(fraction, message):
        pass

    export = write_export_with_bots(tmp_path / "export")
    outcome = await SlackExportCollector(db, [export]).collect("quick", report)
    assert outcome.summary.startswith("12 messages indexed (4 from bots)"), outcome.summary
    assert "1 skipped (joins and leaves: 1)" in outcome.summary and outcome.warnings == ()
    again = await SlackExportCollector(db, [export]).collect("quick", report)
    assert "6 day files unchanged" in again.summary


def test_search_hits_say_who_said_it_where_and_how_to_link_to_it(tmp_path, db):
    read_export(db, write_export_with_bots(tmp_path / "export"))
    where = {hit.content.split()[0]: hit.metadata for query in
             ("budget review", "hiring", "reorg", "lunch") for hit in db.search(query)[:1]}
    assert where["Q1"]["conversation_kind"] == "channel" and where["Q1"]["conversation"] == "finance"
    assert where["Q1"]["conversation_id"] == "C1" and where["Q1"]["ts"] == "1764064800.000100"
    assert where["can"]["conversation_kind"] == "dm" and where["can"]["conversation"] == "DM Dana Whitfield, Lee"
    assert where["can"]["conversation_id"] == "D1" and where["can"]["author"] == "Lee"
    assert where["reorg"]["conversation_kind"] == "private_channel" and where["reorg"]["conversation_id"] == "G1"
    assert where["lunch"]["conversation_kind"] == "group_dm" and where["lunch"]["conversation_id"] == "G2"
    assert where["lunch"]["conversation"] == "Group DM Dana Whitfield, Lee, Former Colleague"
    assert where["lunch"]["thread_ts"] == "1764066000.000000" and where["lunch"]["author"] == "Dana Whitfield"
    # A DM's and a group DM's members are kept, so a hit can name a DM by its other side; a channel's are not.
    assert [m["name"] for m in where["can"]["conversation_members"]] == ["Dana Whitfield", "Lee"]
    assert {m["id"] for m in where["lunch"]["conversation_members"]} >= {"U1", "U2"}
    assert "conversation_members" not in where["Q1"] and "conversation_members" not in where["reorg"]


async def test_a_broken_export_among_several_is_named_and_the_others_are_collected(tmp_path, db):
    async def report(fraction, message):
        pass

    (tmp_path / "old.zip").write_bytes(b"this is not a zip")
    good = write_export(tmp_path / "export")
    with pytest.raises(ValueError) as failure:
        await SlackExportCollector(db, [tmp_path / "old.zip", good, tmp_path / "gone.zip"]).collect("quick", report)
    assert "old.zip" in str(failure.value) and "not a zip file" in str(failure.value)
    assert "gone.zip" in str(failure.value)
    assert db.search("budget review")  # the good one was read all the same


def tiny_messages_zip(target, megabytes: int):
    """A day file of `megabytes` MB of tiny messages, deflated to a few hundred KB (a zip bomb inside the limits)."""
    chunk = ",".join(['{"type":"message","user":"U1","text":"ok","ts":"1764064800.000100"}'] * 14_000)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.json", json.dumps(USERS))
        archive.writestr("channels.json", json.dumps(CHANNELS))
        archive.writestr("finance/2025-11-25.json", json.dumps(FINANCE_DAY))
        with archive.open("general/2025-11-24.json", "w", force_zip64=True) as member:
            member.write(b"[")
            for n in range(megabytes):
                member.write(("," if n else "").encode() + chunk.encode())
            member.write(b"]")
    return target


async def test_a_day_file_over_its_size_limit_in_a_small_zip_is_refused_within_a_memory_budget(tmp_path, db):
    bomb = tiny_messages_zip(tmp_path / "bomb.zip", 100)
    assert bomb.stat().st_size < 2 * 1024**2
    core = Core()
    trigger = TriggerCollection(core.changes, [SlackExportCollector(db, [bomb])], core.jobs, core.clock, 0.0)
    with measured() as cost:
        await trigger("quick")
        await asyncio.wait_for(core.jobs.wait(), timeout=60)
    message = (await core.state()).system.message
    assert "bomb.zip" in message and "general/2025-11-24.json" in message and "MB" in message, message
    assert db.search("budget review")  # the rest of the export is read
    assert cost.seconds < 10 and cost.peak_growth_mb < 150, cost


def test_a_folder_export_reads_only_its_own_regular_files(tmp_path, db):
    export = write_export(tmp_path / "export")
    outside = tmp_path / "secrets.json"
    outside.write_text(json.dumps([{"user": "U1", "text": "the vault password", "ts": "1764064800.0"}]))
    (export / "general" / "2025-11-25.json").symlink_to("/dev/zero")
    (export / "general" / "2025-11-26.json").symlink_to(outside)
    (export / "finance" / "2025-11-26.json").symlink_to(export / "finance" / "2025-11-25.json")  # inside: fine
    os.mkfifo(export / "general" / "2025-11-27.json")  # read, it would wait forever
    with measured() as cost:
        report = read_export(db, export)
    problems = " ".join(report.problems)
    assert "general/2025-11-25.json links outside the export" in problems  # /dev/zero
    assert "general/2025-11-26.json links outside the export" in problems
    assert "general/2025-11-27.json is not a regular file" in problems
    assert report.files_read == 4 and len(report.problems) == 3
    assert not db.search("vault password") and db.search("budget review")
    assert cost.seconds < 5 and cost.peak_growth_mb < 100, cost


def test_a_link_stored_in_a_zip_export_is_not_read(tmp_path, db):
    archive_path = zip_folder(write_export(tmp_path / "export"), tmp_path / "export.zip")
    with zipfile.ZipFile(archive_path, "a") as archive:
        link = zipfile.ZipInfo("general/2025-11-26.json")
        link.external_attr = (0o120777 << 16)  # a symbolic link, as `zip --symlinks` stores one
        archive.writestr(link, "/etc/passwd")
    report = read_export(db, archive_path)
    assert report.problems == ["general/2025-11-26.json is not a regular file in the zip; not read"]
    assert report.files_read == 3


# -- into the conversation store (what the reader reads: contract section 6) ----------------------------

async def _ignore(fraction, message):
    pass


async def test_the_collector_puts_users_conversations_and_messages_into_the_store(tmp_path, db):
    from src.adapters.outbound.memory_conversations import MemoryConversations

    store = MemoryConversations()
    await SlackExportCollector(db, [write_export(tmp_path / "export")], store).collect("quick", _ignore)
    workspace = await store.workspace()
    assert workspace.user("U1").name == "Dana Whitfield" and workspace.user("lee").id == "U2"
    by_id = {c.id: c for c in workspace.conversations}
    assert (by_id["D1"].kind, by_id["D1"].members) == ("dm", ("U1", "U2"))
    finance = by_id["C1"]
    assert (finance.name, finance.kind) == ("finance", "channel")
    assert [m.ts for m in finance.messages] == [
        "1764064800.000100", "1764064900.000200", "1764065000.000300", "1764065100.000400", "1764065300.000500"]
    reply, bot, edited, blocks_only = finance.messages[1:]
    assert (reply.author, reply.thread_ts) == ("Lee", "1764064800.000100")
    assert bot.is_bot and bot.author == "budgetbot"
    assert edited.edited == "1764065200.000000" and edited.files == ("forecast-v3.xlsx",)
    assert blocks_only.text == "headcount plan draft"


async def test_the_export_keeps_a_users_job_title_as_the_web_api_backfill_does(tmp_path, db):
    """Who asks weighs on a priority by their title: an export's users keep it in the store."""
    from src.adapters.outbound.memory_conversations import MemoryConversations

    export = write_export(tmp_path / "export")
    titled = [{**USERS[0], "profile": {**USERS[0]["profile"], "title": "VP Finance"}}, *USERS[1:]]
    (export / "users.json").write_text(json.dumps(titled))
    store = MemoryConversations()
    await SlackExportCollector(db, [export], store).collect("quick", _ignore)
    workspace = await store.workspace()
    assert (workspace.user("U1").title, workspace.user("U2").title) == ("VP Finance", None)


async def test_a_day_file_that_lost_a_message_takes_it_from_the_store_and_the_index(tmp_path, db):
    from src.adapters.outbound.memory_conversations import MemoryConversations

    store = MemoryConversations()
    export = write_export(tmp_path / "export")
    collector = SlackExportCollector(db, [export], store)
    await collector.collect("quick", _ignore)
    assert db.search("deck")
    day = export / "finance" / "2025-11-25.json"
    day.write_text(json.dumps([m for m in FINANCE_DAY if m["ts"] != "1764064900.000200"]))
    await collector.collect("quick", _ignore)
    (finance,) = [c for c in (await store.workspace()).conversations if c.id == "C1"]
    assert "1764064900.000200" not in [m.ts for m in finance.messages] and len(finance.messages) == 4
    assert db.search("deck") == []
    assert (await store.workspace(["D1"])).conversations[0].messages  # other conversations untouched


async def test_a_store_that_has_not_had_the_export_gets_it_whole_on_a_quick_collection(tmp_path, db):
    from src.adapters.outbound.memory_conversations import MemoryConversations

    export = write_export(tmp_path / "export")
    await SlackExportCollector(db, [export]).collect("quick", _ignore)  # indexed before the store existed
    store = MemoryConversations()  # a new store (or one in memory after a restart)
    await SlackExportCollector(db, [export], store).collect("quick", _ignore)
    assert sum(len(c.messages) for c in (await store.workspace()).conversations) == 7
    assert db.get_stats()["total"] == 7  # read again, not indexed twice


async def test_messages_reach_the_store_in_batches_while_the_export_is_read(tmp_path, db, monkeypatch):
    from src.adapters.outbound import slack_export
    from src.adapters.outbound.memory_conversations import MemoryConversations

    class CountingStore(MemoryConversations):
        batches = 0

        async def put_messages(self, conversation_id, messages):
            CountingStore.batches += 1
            return await super().put_messages(conversation_id, messages)

    monkeypatch.setattr(slack_export, "STORE_BATCH", 2)
    store = CountingStore()
    await SlackExportCollector(db, [write_export(tmp_path / "export")], store).collect("quick", _ignore)
    assert sum(len(c.messages) for c in (await store.workspace()).conversations) == 7
    # Sent once the finance day made 2 or more (D1's and finance's messages), then the rest at the end.
    assert CountingStore.batches == 3
