"""The hub's own rules beyond the Broadcaster contract: coalescing, slow clients, capped outboxes,
answers that are never dropped, clean shutdown."""

import asyncio
import json
from datetime import datetime, timezone

from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.websocket.connection import V1Connection, V2Connection
from src.adapters.websocket.history import PatchHistory
from src.adapters.websocket.hub import WebSocketHub
from src.domain.state import DashboardState
from src.domain.system import change_system

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


class GatedSocket:
    """Takes a frame only when the test opens the gate; records what it took and the close code."""

    def __init__(self, open_gate: bool = True) -> None:
        self.gate = asyncio.Event()
        if open_gate:
            self.gate.set()
        self.frames: list[dict] = []
        self.closed_with: int | None = None

    @property
    def versions(self) -> list[int]:
        """The state versions taken: v2 frames carry theirs; v1 frames are the state document."""
        return [f["version"] if f.get("type") == "snapshot" else f["to"] if f.get("type") == "patch"
                else f["meta"]["version"] for f in self.frames if f.get("type") in (None, "snapshot", "patch")]

    async def send_text(self, data: str) -> None:
        await self.gate.wait()
        self.frames.append(json.loads(data))

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed_with = code
        await self.gate.wait()  # like a real socket: the close frame waits behind what is unsent


class BrokenSocket(GatedSocket):
    async def send_text(self, data: str) -> None:
        raise RuntimeError("Cannot call send once a close message has been sent")


def states(count: int) -> list[DashboardState]:
    state, out = DashboardState.initial(NOW), []
    for n in range(count):
        state = change_system(state, message=f"step {n}").next_version(NOW)
        out.append(state)
    return out


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def eventually(condition, timeout: float = 2.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


async def test_a_slow_client_gets_the_newest_state_skipping_the_ones_in_between():
    hub = WebSocketHub(StateEncoder(), stall_timeout=5)
    slow = GatedSocket(open_gate=False)
    hub.connect(slow)
    many = states(50)
    await hub.publish(many[0])
    await settle()  # frame 1 is now being sent, waiting at the gate
    for state in many[1:]:
        await hub.publish(state)
    slow.gate.set()
    await eventually(lambda: slow.versions[-1:] == [50])
    assert slow.versions == [1, 50]
    await hub.close()


async def test_the_state_is_encoded_once_per_version_whatever_the_number_of_clients():
    encoder = StateEncoder()
    calls = 0
    original = encoder.encode

    def counting(state):
        nonlocal calls
        calls += 1
        return original(state)

    encoder.encode = counting
    hub = WebSocketHub(encoder)
    sockets = [GatedSocket() for _ in range(100)]
    for socket in sockets:
        hub.connect(socket)
    state = states(1)[0]
    await hub.publish(state)
    await eventually(lambda: all(s.versions == [1] for s in sockets))
    assert len({id(encoder.encode(state)) for _ in range(3)}) == 1  # the same text object, cached
    assert calls == 4
    await hub.close()


async def test_a_client_that_takes_nothing_is_closed_with_4008_and_forgotten():
    hub = WebSocketHub(StateEncoder(), stall_timeout=0.05)
    stuck, healthy = GatedSocket(open_gate=False), GatedSocket()
    hub.connect(stuck)
    hub.connect(healthy)
    await hub.publish(states(1)[0])
    await eventually(lambda: stuck.closed_with is not None)
    assert stuck.closed_with == 4008
    assert len(hub) == 1
    await hub.publish(states(2)[1])
    await eventually(lambda: healthy.versions == [1, 2])
    await hub.close()


async def test_a_socket_that_fails_is_dropped_without_raising_into_the_publisher():
    hub = WebSocketHub(StateEncoder())
    hub.connect(BrokenSocket())
    await hub.publish(states(1)[0])
    await eventually(lambda: len(hub) == 0)


async def test_closing_the_hub_closes_every_client_with_1001_and_leaves_no_task():
    hub = WebSocketHub(StateEncoder())
    sockets = [GatedSocket() for _ in range(10)] + [GatedSocket(open_gate=False)]
    connections = [hub.connect(s) for s in sockets]
    await hub.publish(states(1)[0])
    await settle()
    await hub.close()
    assert all(s.closed_with == 1001 for s in sockets) and len(hub) == 0
    writers = [t for t in asyncio.all_tasks() if t.get_name() == "ws-writer"]
    assert writers == []
    for connection in connections:  # stopping again after close is harmless
        await connection.stop()


async def test_connect_and_stop_thousands_of_times_leaves_no_task_and_no_client():
    # A send that finishes at the moment its writer is cancelled once hid the cancellation (wait_for
    # on Python 3.11) and left the connection alive for good: every cycle here hits that moment.
    hub = WebSocketHub(StateEncoder())
    state = states(1)[0]
    for _ in range(2000):
        connection = hub.connect(GatedSocket())
        hub.greet(connection, state)
        await asyncio.sleep(0)
        async with asyncio.timeout(1):
            hub.remove(connection)
            await connection.stop()
    assert len(hub) == 0
    assert [t for t in asyncio.all_tasks() if t.get_name() in ("ws-writer", "ws-closer")] == []
    await hub.close()


async def test_a_v2_client_far_behind_gets_one_snapshot_instead_of_its_queue():
    hub = WebSocketHub(StateEncoder(), stall_timeout=5)
    stuck = GatedSocket(open_gate=False)
    connection = V2Connection(stuck)
    hub.admit(connection, limit=10)
    many = states(200)
    hub.start_v2(connection, many[0], None)
    for state in many[1:]:
        await hub.publish(state)
    stuck.gate.set()
    await eventually(lambda: stuck.versions[-1:] == [200])
    # the first frame was already being sent; then at most the queue bound, ending at the newest
    assert len(stuck.versions) < 70
    await hub.close()


async def test_answers_to_a_v2_client_far_behind_are_never_dropped():
    hub = WebSocketHub(StateEncoder(), stall_timeout=5)
    slow = GatedSocket(open_gate=False)
    connection = V2Connection(slow)
    hub.admit(connection, limit=10)
    many = states(300)
    hub.start_v2(connection, many[0], None)
    for n, state in enumerate(many[1:]):
        await hub.publish(state)
        connection.answer(json.dumps({"type": "result", "id": n}))
    slow.gate.set()
    await eventually(lambda: len([f for f in slow.frames if f["type"] == "result"]) == 299)
    assert [f["id"] for f in slow.frames if f["type"] == "result"] == list(range(299))
    await eventually(lambda: slow.versions[-1:] == [300])
    await hub.close()


async def test_an_outbox_over_its_cap_closes_with_4008_at_once_and_takes_nothing_more():
    hub = WebSocketHub(StateEncoder(), stall_timeout=60)
    stuck = GatedSocket(open_gate=False)
    connection = V2Connection(stuck, max_frames=50, max_chars=10**9)
    hub.admit(connection, limit=10)
    hub.start_v2(connection, states(1)[0], None)
    for n in range(60):  # a client sending pings and reading nothing
        connection.answer(json.dumps({"type": "pong", "id": n}))
    assert connection.closed  # at once, not after the stall timeout
    await eventually(lambda: stuck.closed_with == 4008)  # the close does not wait for the client
    assert len(hub) == 0
    connection.answer('{"type": "pong"}')
    await hub.publish(states(2)[1])
    assert connection.idle  # nothing queued for a closed client
    await hub.close()


async def test_an_outbox_is_capped_in_size_too():
    stuck = GatedSocket(open_gate=False)
    connection = V2Connection(stuck, max_frames=1000, max_chars=1_000_000)
    for _ in range(30):  # 30 answers of 60 KB: 1.8 MB
        connection.answer(json.dumps({"type": "pong", "id": "x" * 60_000}))
    assert connection.closed
    await eventually(lambda: stuck.closed_with == 4008)
    await connection.stop()


async def test_a_v2_client_counts_from_its_admission_though_it_takes_no_state_before_start():
    hub = WebSocketHub(StateEncoder())
    waiting = V2Connection(GatedSocket())
    assert hub.admit(waiting, limit=1)
    assert not hub.admit(V1Connection(GatedSocket()), limit=1)
    await hub.publish(states(1)[0])
    assert waiting.idle  # not started: the state it gets is the one `start_v2` gives it
    await hub.close()


async def test_a_resume_past_a_short_history_gets_a_snapshot():
    hub = WebSocketHub(StateEncoder(), history=PatchHistory(max_count=3))
    socket = GatedSocket()
    connection = V2Connection(socket)
    hub.admit(connection, limit=10)
    many = states(10)
    await hub.publish(many[0])
    for state in many[1:]:
        await hub.publish(state)
    hub.start_v2(connection, many[-1], (many[0].meta.epoch, 2))
    await eventually(lambda: socket.frames)
    assert socket.frames[0]["type"] == "snapshot" and socket.frames[0]["recovered"] is False
    await hub.close()


async def test_no_garbage_collection_runs_in_the_middle_of_a_fan_out():
    import gc

    collections = []
    sends_after = []

    class CountingSocket(GatedSocket):
        async def send_text(self, data: str) -> None:
            sends_after.append(len(collections))
            await super().send_text(data)

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    hub = WebSocketHub(StateEncoder())
    sockets = [CountingSocket() for _ in range(200)]
    for socket in sockets:
        hub.connect(socket)
    threshold = gc.get_threshold()
    gc.callbacks.append(count)
    gc.set_threshold(1)  # a collection at nearly every allocation, unless paused
    try:
        await hub.publish(states(1)[0])
        await eventually(lambda: len(sends_after) == 200)
    finally:
        gc.set_threshold(*threshold)
        gc.callbacks.remove(count)
    assert len(set(sends_after)) == 1  # no collection between the first client's send and the last's
    assert gc.isenabled()
    await hub.close()


async def test_a_change_reaches_every_reading_client_in_one_fan_out_without_a_task_per_client():
    # Sent by the fan-out itself, as a loop of sends would: not left to 1,000 writer tasks that the
    # event loop wakes one after the other (twice the CPU of a fan-out, and with it its tail).
    sent_from = []

    class WhereSentSocket(GatedSocket):
        async def send_text(self, data: str) -> None:
            sent_from.append(asyncio.current_task())
            await super().send_text(data)

    hub = WebSocketHub(StateEncoder(), stall_timeout=60)
    reading = [WhereSentSocket() for _ in range(50)]
    stuck = GatedSocket(open_gate=False)
    for socket in [*reading[:25], stuck, *reading[25:]]:
        hub.connect(socket)
    await hub.publish(states(1)[0])
    await asyncio.sleep(0)  # one turn of the event loop
    assert all(socket.versions == [1] for socket in reading)
    assert sent_from == [None] * 50  # from the fan-out's one callback, not from 50 tasks
    assert stuck.versions == []  # and the one that takes nothing held up no one
    stuck.gate.set()
    await eventually(lambda: stuck.versions == [1])
    await hub.close()


async def test_a_send_that_had_to_wait_is_finished_in_order_before_what_came_after_it():
    hub = WebSocketHub(StateEncoder(), stall_timeout=60)
    slow = GatedSocket(open_gate=False)
    connection = V2Connection(slow)
    hub.admit(connection, limit=10)
    many = states(3)
    hub.start_v2(connection, many[0], None)  # the snapshot: its send waits at the gate
    for n in range(3):
        connection.answer(json.dumps({"type": "result", "id": n}))
    for state in many[1:]:
        await hub.publish(state)
    await settle()
    slow.gate.set()
    await eventually(lambda: len(slow.frames) == 6)
    assert [f["type"] for f in slow.frames] == ["snapshot", "result", "result", "result", "patch", "patch"]
    assert slow.versions == [1, 2, 3]
    await hub.close()


async def test_a_waiting_send_is_withdrawn_when_its_client_is_closed():
    withdrawn = []

    class RecordingSocket(GatedSocket):
        async def send_text(self, data: str) -> None:
            try:
                await super().send_text(data)
            finally:
                withdrawn.append(not self.gate.is_set())

    for stop_before_the_writer_runs in (True, False):
        withdrawn.clear()
        hub = WebSocketHub(StateEncoder(), stall_timeout=60)
        socket = RecordingSocket(open_gate=False)
        connection = hub.connect(socket)
        await hub.publish(states(1)[0])
        await asyncio.sleep(0)  # the fan-out: the send begins, and waits at the gate
        if not stop_before_the_writer_runs:
            await settle()  # the writer has taken the send over
        await connection.stop()
        assert withdrawn == [True] and connection.idle
        await hub.close()


async def test_changes_published_in_one_burst_reach_v1_clients_as_the_newest_and_v2_clients_in_order():
    hub = WebSocketHub(StateEncoder(), stall_timeout=60)
    v1 = GatedSocket()
    hub.connect(v1)
    v2 = GatedSocket()
    connection = V2Connection(v2)
    hub.admit(connection, limit=10)
    many = states(4)
    await hub.publish(many[0])
    hub.start_v2(connection, many[0], None)
    await settle()
    for state in many[1:]:  # no turn of the event loop between them
        await hub.publish(state)
    await eventually(lambda: v1.versions[-1:] == [4] and v2.versions[-1:] == [4])
    assert v1.versions == [1, 4]  # a v1 client skips to the newest state, as one that fell behind does
    assert v2.versions == [1, 2, 3, 4]  # a v2 client takes every patch
    await hub.close()
