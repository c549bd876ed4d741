"""The message reader's benchmark: messages read per second on one core, beside a baseline that only
iterates over the same messages and lower-cases their text, and POST /api/extract through a real
server on loopback.

    python -m bench.reader_bench            # or: python -m bench.run reader

Mixes: the demo dataset's Slack export (every message of every conversation, with its thread or DM
context, as a collection would hand them over), the dev set (428 hand-written messages, dense in
asks and promises: the hard case) and the search corpus's 340,000 Slack messages (random words:
how long reading a whole large export takes). Each pass starts with empty caches. Rates are per CPU
second of the reading process (`time.process_time`), since the machine is shared; wall times beside.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.loadgen import HttpConnection, percentile
from src.domain.items import ConversationKind, Message, Person

ZONE = ZoneInfo("America/New_York")
DEMO_NOW = datetime(2026, 11, 30, 17, 0, tzinfo=ZONE)
DEMO_PERSON = Person(("U01ALEX", "alex@example.com", "Alex Morgan"), ZONE)
CONTEXT = 6  # the earlier messages of a DM handed over with each, as in the dev set
EXTRACT_REQUESTS = 40


def demo_messages() -> list[Message]:
    """The demo export's messages in the order sent, each with its thread (or DM) before it."""
    from src.demo import write_demo_dataset

    export = write_demo_dataset(Path(tempfile.mkdtemp(prefix="aicos-bench-reader-")), DEMO_NOW).slack_export
    names = {user["id"]: user.get("real_name") or user["name"] for user in json.loads((export / "users.json").read_text())}
    kinds = {"dms.json": ConversationKind.DM, "mpims.json": ConversationKind.GROUP}
    conversations: dict[str, tuple[ConversationKind, tuple[str, ...]]] = {}
    for listing in ("channels.json", "groups.json", "dms.json", "mpims.json"):
        if (export / listing).exists():
            for conversation in json.loads((export / listing).read_text()):
                folder = conversation.get("name") or conversation["id"]
                conversations[folder] = (kinds.get(listing, ConversationKind.CHANNEL),
                                         tuple(conversation.get("members", ())))
    messages: list[Message] = []
    for folder, (kind, members) in conversations.items():
        earlier: dict[str, list[Message]] = {}
        for day in sorted((export / folder).glob("*.json")):
            for raw in json.loads(day.read_text()):
                author = raw.get("user") or raw.get("bot_id") or "?"
                thread_key = raw.get("thread_ts") or (folder if kind is not ConversationKind.CHANNEL else raw["ts"])
                context = earlier.setdefault(thread_key, [])
                message = Message(
                    id=raw["ts"], text=raw.get("text", ""), author=author,
                    sent_at=datetime.fromtimestamp(float(raw["ts"]), ZONE),
                    members=tuple(m for m in members if m != author) if kind is not ConversationKind.CHANNEL else (),
                    conversation=folder, conversation_kind=kind,
                    thread=tuple(context[-CONTEXT:] if kind is not ConversationKind.CHANNEL else context),
                    is_bot="bot_id" in raw or raw.get("subtype") == "bot_message",
                )
                context.append(Message(message.id, message.text, names.get(author, author), message.sent_at,
                                       conversation=folder, conversation_kind=kind, is_bot=message.is_bot))
                messages.append(message)
    return sorted(messages, key=lambda message: message.sent_at)


def dev_messages() -> tuple[Person, list[Message]]:
    from eval.reader import DEV_SET
    from src.adapters.outbound.reader.labelled import PERSON, load

    return PERSON, [example.message for example in load(DEV_SET)]


def corpus_messages(count: int) -> list[Message]:
    from bench.corpus import Corpus

    return [Message(id=m["ts"], text=m["text"], author=m["user"], sent_at=datetime.fromtimestamp(float(m["ts"]), ZONE),
                    conversation=m["channel_name"], conversation_kind=ConversationKind.CHANNEL)
            for m in Corpus(count).slack(count)]


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    return time.process_time() - cpu, time.perf_counter() - wall


def _baseline(messages: Iterable[Message]) -> None:
    for message in messages:
        message.text.lower()


def read_rate(name: str, messages: list[Message], person: Person, reader) -> dict:
    """The best of three passes, each with empty caches, beside the baseline's best of three."""
    from src.adapters.outbound.reader.speech import act

    passes, items = [], 0
    for _ in range(3):
        act.cache_clear()
        reader._model.probability.cache_clear()
        found: list = []
        passes.append(_timed(lambda: found.extend(reader.read_many(messages, person))))
        items = sum(item is not None for item in found)
    baseline = [_timed(lambda: _baseline(messages)) for _ in range(3)]
    cpu, wall = min(passes)
    base_cpu = min(baseline)[0]
    return {"scenario": f"reader_{name}", "messages": len(messages), "items": items,
            "unique_texts": len({m.text for m in messages}),
            "messages_per_cpu_s": round(len(messages) / cpu), "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
            "baseline_messages_per_cpu_s": round(len(messages) / max(base_cpu, 1e-9)),
            "us_per_message": round(cpu / len(messages) * 1e6, 1)}


def start_up(data_dir: Path) -> dict:
    """In fresh processes: importing the reader, then the first message read when the model must be
    trained, and again when the data folder has it."""
    code = ("import time; t = time.perf_counter(); from src.adapters.outbound.reader import BuiltinReader; "
            "imported = time.perf_counter() - t; from pathlib import Path; import sys; "
            "from tests.contract.message_reader_suite import ME, dm; r = BuiltinReader(cache_dir=Path(sys.argv[1])); "
            "t = time.perf_counter(); r.read(dm('can you send me the deck by friday?'), ME); "
            "print(imported, time.perf_counter() - t, 'sklearn' in sys.modules)")
    root = Path(__file__).resolve().parent.parent
    runs = []
    for _ in range(2):
        output = subprocess.run([sys.executable, "-c", code, str(data_dir)], cwd=root, capture_output=True,
                                text=True, check=True).stdout.split()
        runs.append(output)
    (imported, trained, _), (_, loaded, sklearn_loaded) = runs
    return {"scenario": "reader_start_up", "import_s": round(float(imported), 3),
            "first_read_training_s": round(float(trained), 3), "first_read_model_kept_s": round(float(loaded), 3),
            "sklearn_imported_when_kept": sklearn_loaded == "True"}


def _extract_body(messages: list[Message], count: int = 1000) -> bytes:
    chosen = [m for m in messages if not m.is_bot][:count]
    return json.dumps({"messages": [{"id": m.id, "text": m.text, "author": m.author, "at": m.sent_at.isoformat(),
                                     "thread": m.conversation if m.conversation_kind is not ConversationKind.CHANNEL
                                     else (m.thread[0].id if m.thread else m.id)}
                                    for m in chosen]}).encode()


async def _extract_latencies(port: int, body: bytes, requests: int) -> list[float]:
    connection = await HttpConnection("127.0.0.1", port).open()
    latencies = []
    try:
        for _ in range(3):  # warm-up: the first loads the model
            assert await connection.request("POST", "/api/extract", body) == 200
        for _ in range(requests):
            started = time.perf_counter()
            assert await connection.request("POST", "/api/extract", body) == 200
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return latencies


def extract_latency(messages: list[Message], data_dir: Path) -> dict:
    """`aicos serve` on loopback with the model kept in its data folder, as after its first start."""
    from tests.live_server import live_server

    body = _extract_body(messages)
    env = {"AICOS_ME": ",".join(DEMO_PERSON.identities), "AICOS_TIMEZONE": "America/New_York",
           "AICOS_DATA_DIR": str(data_dir)}
    with live_server(env) as running:
        latencies = asyncio.run(_extract_latencies(running.port, body, EXTRACT_REQUESTS))
    return {"scenario": "extract_1000_messages", "requests": len(latencies), "body_bytes": len(body),
            "p50_ms": round(percentile(latencies, 0.5), 1), "p95_ms": round(percentile(latencies, 0.95), 1),
            "max_ms": round(max(latencies), 1)}


def scenario_reader(corpus_size: int = 340_000) -> list[dict]:
    from src.adapters.outbound.reader import BuiltinReader

    data_dir = Path(tempfile.mkdtemp(prefix="aicos-bench-reader-model-"))
    rows = [start_up(data_dir)]  # leaves the trained model in data_dir
    reader = BuiltinReader(cache_dir=data_dir)
    demo = demo_messages()
    dev_person, dev = dev_messages()
    rows.append(read_rate("demo_export", demo, DEMO_PERSON, reader))
    rows.append(read_rate("dev_set", dev, dev_person, reader))
    corpus = corpus_messages(corpus_size)
    rows.append(read_rate(f"corpus_{corpus_size}", corpus, DEMO_PERSON, reader))
    del corpus
    rows.append(extract_latency(demo, data_dir))
    return rows


def main() -> int:
    for row in scenario_reader(int(sys.argv[1]) if len(sys.argv) > 1 else 340_000):
        print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
