"""Measures the board derived from a labelled workspace: `python -m eval.board` (`--errors` lists the
mistakes; `--write` rebuilds the fixture from eval/board_workspace/script.py).

The fixture (eval/board_workspace/: a Slack export, a calendar, labels.json) is collected through
the real app: create_app() with the real collectors, the built-in reader and AICOS_ME, a `full`
collection over HTTP, then the state. For each board part (priorities, owe, owed): precision and
recall of items by their origin message; among matched items: due date exact, counterparty right,
closure right (done with the right `closed_by`, or open when nothing delivered it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

WORKSPACE = Path(__file__).parent / "board_workspace"
EXPORT = WORKSPACE / "slack-export"
CALENDAR = WORKSPACE / "calendar.ics"
LABELS = WORKSPACE / "labels.json"
PARTS = {"ask_to_me": "priorities", "promise_by_me": "owe", "promise_to_me": "owed", "ask_by_me": "owed"}
TARGETS = {"precision": 0.90, "recall": 0.80, "due": 0.90, "counterparty": 0.95, "closure": 0.90}


# -- writing the fixture from the script ------------------------------------------------------------

def write_workspace(script, export: Path, calendar: Path) -> int:
    """A script's workspace (see board_workspace/script.py) as a Slack export and an .ics calendar;
    how many messages it holds."""
    zone = ZoneInfo(script.ZONE)
    handles = {handle: user_id for user_id, handle, _, _ in script.USERS}
    handles[script.BOT[1]] = script.BOT[0]
    stamps, refs = message_stamps(script)
    export.mkdir(parents=True, exist_ok=True)
    users = [{"id": user_id, "name": handle, "real_name": name, "is_bot": False,
              "profile": {"real_name": name, "display_name": handle, "email": email}}
             for user_id, handle, name, email in script.USERS]
    users.append({"id": script.BOT[0], "name": script.BOT[1], "real_name": script.BOT[2], "is_bot": True,
                  "profile": {"real_name": script.BOT[2], "display_name": script.BOT[1]}})
    lists: dict[str, list[dict[str, Any]]] = {"channels.json": [], "dms.json": [], "mpims.json": []}
    written = 0
    for folder, conversation_id, kind, members, messages in script.CONVERSATIONS:
        member_ids = [handles[m] for m in members]
        entry = {"id": conversation_id, "members": member_ids}
        if kind == "channel":
            lists["channels.json"].append({**entry, "name": folder})
        elif kind == "group_dm":
            lists["mpims.json"].append({**entry, "name": folder})
        else:
            lists["dms.json"].append(entry)
        roots = {m.thread for m in messages if m.thread}
        days: dict[str, list[dict[str, Any]]] = {}
        for message in messages:
            ts = stamps[message.name]
            raw: dict[str, Any] = {"type": "message", "text": message.text, "ts": ts}
            if message.author == script.BOT[1]:
                raw.update(subtype="bot_message", bot_id="B01DEPLOY", username=script.BOT[2])
            else:
                raw["user"] = handles[message.author]
            if message.thread:
                raw["thread_ts"] = stamps[message.thread]
            elif message.name in roots:
                raw["thread_ts"] = ts
            day = datetime.fromtimestamp(float(ts), ZoneInfo("UTC")).date().isoformat()
            days.setdefault(day, []).append(raw)
            written += 1
        for day, raws in days.items():
            (export / folder).mkdir(exist_ok=True)
            (export / folder / f"{day}.json").write_text(
                json.dumps(sorted(raws, key=lambda r: float(r["ts"])), indent=1) + "\n")
    (export / "users.json").write_text(json.dumps(users, indent=1) + "\n")
    for name, entries in lists.items():
        (export / name).write_text(json.dumps(entries, indent=1) + "\n")
    calendar.write_text(_calendar(script, zone))
    return written


def write_fixture() -> int:
    from eval.board_workspace import script

    written = write_workspace(script, EXPORT, CALENDAR)
    _, refs = message_stamps(script)
    labels = [{"ref": refs[m.name], "message": m.name, "kind": m.item, "part": PARTS[m.item],
               "due_date": f"2026-{m.due}" if m.due else None, "counterparty": m.cp,
               "closed_by": refs[m.closed] if m.closed else None}
              for *_, messages in script.CONVERSATIONS for m in messages if m.item]
    LABELS.write_text(json.dumps({"me": script.ME, "timezone": script.ZONE, "messages": written,
                                  "items": labels}, indent=1) + "\n")
    return written


def message_stamps(script) -> tuple[dict[str, str], dict[str, str]]:
    """Each message's Slack `ts` and `ref` (`<conversation id>/<ts>`), by its name in the script."""
    zone = ZoneInfo(script.ZONE)
    refs: dict[str, str] = {}
    stamps: dict[str, str] = {}
    for number, (folder, conversation_id, kind, members, messages) in enumerate(script.CONVERSATIONS):
        for index, message in enumerate(messages):
            day, clock = message.when.split()
            moment = datetime.fromisoformat(f"{script.DAYS[day]}T{clock}:00").replace(tzinfo=zone)
            # Unique within the workspace, in time order inside a minute: seconds from the position.
            stamps[message.name] = f"{int(moment.timestamp()) + index % 60}.{number:03d}{index:03d}"
            refs[message.name] = f"{conversation_id}/{stamps[message.name]}"
    return stamps, refs


def _calendar(script, zone) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//aicos eval//board//EN"]
    organizer = next(email for user_id, _, _, email in script.USERS if user_id == script.ME)
    for uid, title, day, start, end, attendees, *more in script.MEETINGS:
        description, rule = (*more, None, None)[:2]  # optional: the invitation's text, a repeat rule
        date = script.DAYS[day].replace("-", "")
        lines += ["BEGIN:VEVENT", f"UID:{uid}@acme.test", f"SUMMARY:{title}",
                  f"DTSTART;TZID={script.ZONE}:{date}T{start.replace(':', '')}00",
                  f"DTEND;TZID={script.ZONE}:{date}T{end.replace(':', '')}00",
                  f"ORGANIZER:mailto:{organizer}",
                  *(f"ATTENDEE:mailto:{email}" for email in attendees),
                  *([f"DESCRIPTION:{description}"] if description else []),
                  *([f"RRULE:{rule}"] if rule else []), "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


# -- collecting it through the app -----------------------------------------------------------------

def collect_board(data_dir: Path, export: Path = EXPORT, calendar: Path = CALENDAR,
                  labels: dict[str, Any] | None = None, mode: str = "full", timeout: float = 120.0) -> dict[str, Any]:
    """The state document after a collection of the fixture, through create_app() and HTTP."""
    from fastapi.testclient import TestClient

    from src.bootstrap import create_app
    from src.config import Settings

    labels = labels or json.loads(LABELS.read_text())
    settings = Settings(_env_file=None, data_dir=data_dir, slack_export=[str(export)], calendar_ics=[str(calendar)],
                        me=[labels["me"]], timezone=labels["timezone"])
    with TestClient(create_app(settings), base_url="http://localhost:8000") as client:
        return run_collection(client, mode, timeout)


def run_collection(client, mode: str, timeout: float = 120.0) -> dict[str, Any]:
    """Triggers a collection and waits (up to `timeout` seconds) until it is over; the state after it."""
    answer = client.post(f"/api/trigger_collection?type={mode}")
    if answer.status_code != 200:
        raise RuntimeError(f"collection refused: {answer.text}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get("/api/state").json()
        if state["system"]["status"] in ("IDLE", "ERROR"):
            return state
        time.sleep(0.05)  # polling the condition, with a deadline
    raise TimeoutError(f"the {mode} collection did not finish in {timeout:.0f} s")


# -- scoring ---------------------------------------------------------------------------------------

def derived_items(state: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(board part, item) for every item of the board that has an origin."""
    parts = [("priorities", state["priorities"]), ("owe", state["commitments"]["owe"]),
             ("owed", state["commitments"]["owed"])]
    return [(part, item) for part, items in parts for item in items if item.get("origin")]


def score(state: dict[str, Any], labels: list[dict[str, Any]]) -> dict[str, Any]:
    expected = {label["ref"]: label for label in labels}
    found = derived_items(state)
    figures: dict[str, Any] = {}
    errors: list[str] = []
    matched: list[tuple[dict, dict]] = []
    for part in ("priorities", "owe", "owed"):
        mine = [item for p, item in found if p == part]
        wanted = [label for label in labels if label["part"] == part]
        hits = [(item, expected[item["origin"]["ref"]]) for item in mine
                if expected.get(item["origin"]["ref"], {}).get("part") == part]
        matched += hits
        figures[part] = {"precision": len(hits) / len(mine) if mine else 1.0,
                         "recall": len(hits) / len(wanted) if wanted else 1.0,
                         "found": len(mine), "expected": len(wanted), "matched": len(hits)}
        hit_refs = {item["origin"]["ref"] for item, _ in hits}
        errors += [f"extra in {part}: {item['origin']['ref']} {item['origin']['quote']!r}" for item in mine
                   if item["origin"]["ref"] not in hit_refs]
        errors += [f"missed in {part}: {label['ref']} ({label['message']})" for label in wanted
                   if label["ref"] not in hit_refs]

    def share(right) -> float:
        return sum(1 for item, label in matched if right(item, label)) / len(matched) if matched else 1.0

    def closure(item, label) -> bool:
        return item.get("closed_by") == label["closed_by"] and (item["status"] == "done") == bool(label["closed_by"])

    figures["due"] = share(lambda item, label: item["due_date"] == label["due_date"])
    figures["counterparty"] = share(lambda item, label: (item.get("counterparty") or "").casefold()
                                    == (label["counterparty"] or "").casefold())
    figures["closure"] = share(closure)
    for item, label in matched:
        if item["due_date"] != label["due_date"]:
            errors.append(f"due {label['message']}: {item['due_date']} (want {label['due_date']})")
        if (item.get("counterparty") or "").casefold() != (label["counterparty"] or "").casefold():
            errors.append(f"counterparty {label['message']}: {item.get('counterparty')} (want {label['counterparty']})")
        if not closure(item, label):
            errors.append(f"closure {label['message']}: {item['status']} {item.get('closed_by')} "
                          f"(want {label['closed_by']})")
    figures["errors"] = errors
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.board", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rebuild the fixture from the script")
    parser.add_argument("--errors", action="store_true", help="list every mistake")
    args = parser.parse_args(argv)
    if args.write:
        print(f"wrote {write_fixture()} messages to {WORKSPACE}")
        return 0
    labels = json.loads(LABELS.read_text())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as data_dir:
        state = collect_board(Path(data_dir), labels=labels)
    took = time.perf_counter() - started
    if state["system"]["status"] != "IDLE":
        print(f"the collection ended in {state['system']['status']}: {state['system']['message']}", file=sys.stderr)
        return 1
    figures = score(state, labels["items"])
    print(f"{labels['messages']} messages, {len(labels['items'])} labelled items; collected and read in {took:.1f} s")
    for part in ("priorities", "owe", "owed"):
        f = figures[part]
        print(f"  {part:<10} precision {f['precision']:.2f}  recall {f['recall']:.2f}  "
              f"({f['matched']} right of {f['found']} found, {f['expected']} expected)")
    print(f"  matched items: due date exact {figures['due']:.2f}, counterparty right {figures['counterparty']:.2f}, "
          f"closure right {figures['closure']:.2f}")
    if args.errors:
        print("\n".join(figures["errors"]) or "no mistakes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
