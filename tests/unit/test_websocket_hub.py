"""The hub's own rules beyond the Broadcaster contract: coalescing, slow clients, clean shutdown."""

import asyncio
import json
from datetime import datetime, timezone

from src.adapters.outbound.state_encoder import StateEncoder
from src.adapters.outbound.websocket_hub import WebSocketHub
from src.domain.state import DashboardState
from src.domain.system import change_system

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)


class GatedSocket:
    """Takes a frame only when the test opens the gate; records the close code."""

    def __init__(self, open_gate: bool = True) -> None:
        self.gate = asyncio.Event()
        if open_gate:
            self.gate.set()
        self.versions: list[int] = []
        self.closed_with: int | None = None

    async def send_text(self, data: str) -> None:
        await self.gate.wait()
        frame = json.loads(data)
        kind = frame.get("type")  # v2 frames carry their version; v1 frames are the state document
        self.versions.append(frame["version"] if kind == "snapshot" else frame["to"] if kind == "patch"
                             else frame["meta"]["version"])

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed_with = code


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
    await settle()
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
    await settle()
    assert all(s.versions == [1] for s in sockets)
    assert len({id(encoder.encode(state)) for _ in range(3)}) == 1  # the same text object, cached
    assert calls == 4
    await hub.close()


async def test_a_client_that_takes_nothing_is_closed_with_4008_and_forgotten():
    hub = WebSocketHub(StateEncoder(), stall_timeout=0.05)
    stuck, healthy = GatedSocket(open_gate=False), GatedSocket()
    hub.connect(stuck)
    hub.connect(healthy)
    await hub.publish(states(1)[0])
    await asyncio.sleep(0.2)
    assert stuck.closed_with == 4008
    assert len(hub) == 1
    await hub.publish(states(2)[1])
    await settle()
    assert healthy.versions == [1, 2]
    await hub.close()


async def test_a_socket_that_fails_is_dropped_without_raising_into_the_publisher():
    hub = WebSocketHub(StateEncoder())
    hub.connect(BrokenSocket())
    await hub.publish(states(1)[0])
    await settle()
    assert len(hub) == 0


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
            await connection.stop()
    assert len(hub) == 0
    assert [t for t in asyncio.all_tasks() if t.get_name() in ("ws-writer", "ws-closer")] == []
    await hub.close()


async def test_a_v2_client_far_behind_gets_one_snapshot_instead_of_its_queue():
    hub = WebSocketHub(StateEncoder(), stall_timeout=5)
    stuck = GatedSocket(open_gate=False)
    connection = hub.open_v2(stuck)
    many = states(200)
    hub.start_v2(connection, many[0], None)
    for state in many[1:]:
        await hub.publish(state)
    stuck.gate.set()
    await settle()
    # the first frame was already being sent; then at most the queue bound, ending at the newest
    assert stuck.versions[-1] == 200
    assert len(stuck.versions) < 70
    await hub.close()
