"""The board derived from Slack through the whole app (contract section 6): the eval workspace
(eval/board_workspace) collected by the real collectors and read by the built-in reader. The rules,
not the quality figures (`python -m eval.board` measures those)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from eval.board import CALENDAR, EXPORT, LABELS, derived_items, run_collection
from tests.integration.conftest import isolated_settings

LABELLED = json.loads(LABELS.read_text())


@pytest.fixture
def workspace(tmp_path) -> Path:
    """A copy of the export that a test may edit, as a person's workspace changes between collections."""
    export = tmp_path / "export"
    shutil.copytree(EXPORT, export)
    return export


def settings_for(export: Path, data_dir: Path, **values):
    return isolated_settings(data_dir=data_dir, slack_export=[str(export)], calendar_ics=[str(CALENDAR)],
                             me=[LABELLED["me"]], timezone=LABELLED["timezone"], **values)


def board(state: dict) -> dict[str, tuple[str, str, str]]:
    """key -> (code, status, text) of every derived item."""
    return {item["key"]: (item["id"], item["status"], item.get("title") or item.get("text"))
            for _, item in derived_items(state)}


def find(state: dict, ref: str) -> dict | None:
    return next((item for _, item in derived_items(state) if item["origin"]["ref"] == ref), None)


def label(message: str) -> dict:
    return next(item for item in LABELLED["items"] if item["message"] == message)


def day_file_of(export: Path, ref: str) -> tuple[Path, list[dict], int]:
    """The day file holding message `ref`, its messages, and the message's index."""
    conversation_id, ts = ref.split("/")
    folder = next(c.get("name") or c["id"] for name in ("channels.json", "dms.json", "mpims.json")
                  for c in json.loads((export / name).read_text()) if c["id"] == conversation_id)
    for path in sorted((export / folder).glob("*.json")):
        messages = json.loads(path.read_text())
        for index, message in enumerate(messages):
            if message["ts"] == ts:
                return path, messages, index
    raise LookupError(ref)


def test_items_keep_codes_statuses_and_decisions_across_quick_full_and_a_restart(serve, workspace, tmp_path):
    settings = settings_for(workspace, tmp_path / "data", state_backend="sqlite")
    with serve(settings) as (client, _):
        first = run_collection(client, "full")
        assert first["system"]["status"] == "IDLE", first["system"]["message"]
        derived = board(first)
        assert derived, "nothing was derived from the workspace"
        priority = next(code for code, status, _ in derived.values() if code.startswith("P") and status == "pending")
        commitment = next(code for code, status, _ in derived.values() if code.startswith("M") and status == "pending")
        dismissed_key = next(key for key, (code, _, _) in derived.items() if code.startswith("M") and code != commitment)
        assert client.post("/api/command", json={"command": f"partial {priority}"}).json()["applied"]
        assert client.post("/api/command", json={"command": f"done {commitment}"}).json()["applied"]
        assert client.post("/api/command", json={"command": f"dismiss {derived[dismissed_key][0]}"}).json()["applied"]
        snoozed_key = next(key for key, (code, _, _) in derived.items()
                           if code.startswith("M") and code != commitment and key != dismissed_key)
        assert client.post("/api/command", json={"command": f"snooze {derived[snoozed_key][0]} 2026-12-07"}).json()[
            "applied"]
        decided = board(client.get("/api/state").json())
        for mode in ("quick", "full"):
            assert board(run_collection(client, mode)) == decided
    with serve(settings) as (client, container):  # a restart over the same stored state
        assert board(client.get("/api/state").json()) == decided
        again = board(run_collection(client, "quick"))
        stored = asyncio.run(container.state_repository().load())  # decisions are not on the wire
    assert snoozed_key in stored.decisions.commitments.snoozed_until
    assert again == decided
    assert dismissed_key not in again
    assert any(status == "partial" for code, status, _ in again.values() if code == priority)


def test_an_edit_updates_its_item_and_a_deletion_removes_it(serve, workspace, tmp_path):
    edited_ref, deleted_ref = label("hir1")["ref"], label("leg1")["ref"]
    with serve(settings_for(workspace, tmp_path / "data")) as (client, _):
        before = run_collection(client, "quick")
        assert find(before, edited_ref) is not None and find(before, deleted_ref) is not None
        path, messages, index = day_file_of(workspace, edited_ref)
        messages[index] = {**messages[index], "text": "<@U01ALEX> pls review the staff eng offer for Rahul by friday",
                           "edited": {"user": "U03SAM", "ts": "1795550000.000000"}}
        path.write_text(json.dumps(messages))
        path, messages, index = day_file_of(workspace, deleted_ref)
        path.write_text(json.dumps(messages[:index] + messages[index + 1:]))
        after = run_collection(client, "quick")
    edited = find(after, edited_ref)
    assert edited["id"] == find(before, edited_ref)["id"]
    assert "by friday" in edited["title"] and edited["due_date"] == "2026-11-27"
    assert find(after, deleted_ref) is None


def test_a_later_delivery_by_the_owing_side_closes_the_item(serve, workspace, tmp_path):
    ask = label("dd8")  # Dana asks Alex for a yes/no on the travel policy; nothing answers it yet
    with serve(settings_for(workspace, tmp_path / "data")) as (client, _):
        before = find(run_collection(client, "quick"), ask["ref"])
        assert before is not None and before["status"] == "pending"
        path, messages, _ = day_file_of(workspace, ask["ref"])
        reply_ts = f"{float(messages[-1]['ts']) + 60:.6f}"
        messages.append({"type": "message", "user": "U01ALEX", "ts": reply_ts,
                         "text": "approved the travel policy, signed copy here https://docs.acme.test/travel"})
        path.write_text(json.dumps(messages))
        after = find(run_collection(client, "quick"), ask["ref"])
    conversation_id = ask["ref"].split("/")[0]
    assert after["id"] == before["id"]
    assert after["status"] == "done" and after["closed_by"] == f"{conversation_id}/{reply_ts}"


def test_a_put_replaces_only_the_items_without_origin(serve, workspace, tmp_path):
    with serve(settings_for(workspace, tmp_path / "data")) as (client, _):
        derived = board(run_collection(client, "quick"))
        answer = client.put("/api/priorities", json=[{"title": "Prepare the offsite agenda"}])
        assert answer.status_code == 200
        state = client.get("/api/state").json()
    assert [p["title"] for p in state["priorities"] if not p.get("origin")] == ["Prepare the offsite agenda"]
    assert board(state) == derived


def test_without_aicos_me_nothing_is_derived(serve, workspace, tmp_path):
    settings = settings_for(workspace, tmp_path / "data").model_copy(update={"me": []})
    with serve(settings) as (client, _):
        state = run_collection(client, "quick")
    assert state["system"]["status"] == "IDLE" and derived_items(state) == []


def test_a_day_file_that_cannot_be_read_leaves_the_derived_board_as_it_was(serve, workspace, tmp_path):
    with serve(settings_for(workspace, tmp_path / "data")) as (client, _):
        before = board(run_collection(client, "quick"))
        path, _, _ = day_file_of(workspace, label("hir1")["ref"])
        path.write_text("[{not json")
        after = run_collection(client, "quick")
    # The collection names the file; the store keeps what it read of it before, so the board is not
    # as if that day's messages had been deleted.
    assert f"{path.parent.name}/{path.name} is not valid JSON" in after["system"]["message"]
    assert board(after) == before
