"""Measures meeting briefs on the labelled workspace: `python -m eval.briefs` (`--show` prints each brief,
`--heldout [1|2|3|4]` measures a held-out workspace, eval/heldout_workspace, eval/heldoutN_workspace).

The workspace (eval/board_workspace: a week of Slack, a calendar) is collected through the real app
(create_app() over the real collectors and the built-in reader), its clock set to Monday morning so
the week's meetings are on the board. Then for each labelled meeting (board_workspace/briefs.py) the
clock is set to 15 minutes before it starts and `brief Cn` is run through POST /api/command. Reported:
the recall of the labelled messages among the brief's cited sources (target 80%, at most ten
sources); it fails if any source is dated after the moment the brief was made.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from eval.board import message_stamps, run_collection, write_workspace

TARGET_RECALL = 0.80
MAX_SOURCES = 10
LEAD = timedelta(minutes=15)  # the brief is read this long before the meeting


class SettableClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


def measure(show: bool = False, heldout: int = 0) -> dict[str, Any]:
    from dependency_injector import providers
    from fastapi.testclient import TestClient

    from src.bootstrap import create_app, create_container
    from src.config import Settings

    folder = f"eval.heldout{heldout if heldout > 1 else ''}_workspace" if heldout else "eval.board_workspace"
    labelled = importlib.import_module(f"{folder}.briefs")
    script = importlib.import_module(f"{folder}.script")
    zone = ZoneInfo(script.ZONE)
    _, refs = message_stamps(script)
    clock = SettableClock(datetime.fromisoformat(f"{script.DAYS['Mon']}T07:00:00").replace(tzinfo=zone))
    figures: dict[str, Any] = {"meetings": {}, "future": []}
    with tempfile.TemporaryDirectory() as data_dir:
        export, calendar = Path(data_dir) / "export", Path(data_dir) / "calendar.ics"
        write_workspace(script, export, calendar)
        settings = Settings(_env_file=None, data_dir=Path(data_dir), slack_export=[str(export)],
                            calendar_ics=[str(calendar)], me=[script.ME], timezone=script.ZONE)
        container = create_container(settings)
        container.clock.override(providers.Object(clock))
        with TestClient(create_app(container=container), base_url="http://localhost:8000") as client:
            state = run_collection(client, "full")
            for uid, (day, wanted, why) in labelled.BRIEFS.items():
                meeting = next(m for m in state["calendar"]
                               if m["key"].startswith(f"{uid}@") and m["date"] == script.DAYS[day])
                clock.moment = datetime.fromisoformat(meeting["start"]) - LEAD
                answer = client.post("/api/command", json={"command": f"brief {meeting['id']}"}).json()
                brief = client.get("/api/state").json()["active_brief"]
                cited = [source["ref"] for source in brief["sources"]]
                wanted_refs = [refs[name] for name in wanted]
                found = [name for name in wanted if refs[name] in cited]
                now_utc = clock.moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
                figures["future"] += [f"{uid}: {s['ref']} dated {s['date']}" for s in brief["sources"]
                                      if (s["date"] or "9") > now_utc]
                figures["meetings"][uid] = {
                    "title": meeting["title"], "applied": answer["applied"], "wanted": len(wanted_refs),
                    "found": len(found), "cited": len(cited), "missed": [n for n in wanted if n not in found],
                    "why": why}
                if show:
                    print(f"--- {meeting['id']} at {clock.moment.isoformat(timespec='minutes')}\n{brief['text_content']}\n")
    meetings = figures["meetings"].values()
    figures["recall"] = sum(m["found"] for m in meetings) / sum(m["wanted"] for m in meetings)
    figures["mean_recall"] = sum(m["found"] / m["wanted"] for m in meetings) / len(figures["meetings"])
    figures["max_cited"] = max(m["cited"] for m in meetings)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.briefs", description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each brief")
    parser.add_argument("--heldout", type=int, nargs="?", const=1, default=0, choices=(1, 2, 3, 4),
                        help="a held-out workspace: 1 (eval/heldout_workspace), 2 to 4 (eval/heldoutN_workspace)")
    args = parser.parse_args(argv)
    figures = measure(args.show, args.heldout)
    for uid, m in figures["meetings"].items():
        missed = f"  missed {', '.join(m['missed'])}" if m["missed"] else ""
        print(f"  {m['title']:<24} {m['found']}/{m['wanted']} labelled messages cited, {m['cited']} sources{missed}")
    print(f"recall {figures['recall']:.2f} over all labelled messages (mean per meeting {figures['mean_recall']:.2f}); "
          f"at most {figures['max_cited']} sources a brief (target recall >= {TARGET_RECALL:.2f}, <= {MAX_SOURCES} sources)")
    if figures["future"]:
        print("SOURCES DATED AFTER THE BRIEF:\n  " + "\n  ".join(figures["future"]), file=sys.stderr)
        return 1
    print("no source dated after its brief")
    ok = figures["recall"] >= TARGET_RECALL and figures["max_cited"] <= MAX_SOURCES
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
