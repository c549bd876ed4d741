"""One client connection: a capped outbox, the writer task that empties it into the socket, and what
each protocol does with a published change (`deliver`).

The outbox holds two kinds of frames. State frames (v1 documents, v2 patches and snapshots,
heartbeats) can be replaced by a newer state, so a slow client skips versions instead of queueing
them. Answers (hello, result, pong, error) are the client's own and are never dropped. The outbox is
capped in frames and in characters (about bytes: frames are mostly ASCII JSON), for every kind: a
client over either cap has stopped taking what it asks for, and is closed with 4008 at once. Closing
never waits on the socket: the outbox is dropped, the writer stopped, and the close frame goes out
in the background when the client takes it.

A frame for a connection with nothing queued is sent at once by whoever hands it over (the fan-out,
an answer), as far as the socket takes it without waiting; only what has to wait goes through the
writer task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import types
from collections import deque
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Protocol

from src.adapters.websocket.frames import Change

logger = logging.getLogger(__name__)

CLOSE_TOO_SLOW = 4008
CLOSE_GOING_AWAY = 1001
MAX_STATE_FRAMES_BEHIND = 64  # v2: a client further behind gets one snapshot instead of its patches
MAX_OUTBOX_FRAMES = 4096
MAX_OUTBOX_CHARS = 16 * 2**20


class FrameSocket(Protocol):
    """What a connection needs of a socket (Starlette's WebSocket has it). The first step of a
    `send_text` may run in the publisher's task and the rest in the connection's writer (see
    `Connection._send_at_once`): it must not depend on the task it runs in (no `asyncio.timeout`).
    A socket may also offer `send_now(data) -> bool`: the frame written at once without a coroutine,
    or False when it has to go through `send_text` (see `asgi_socket`)."""

    async def send_text(self, data: str) -> None: ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None: ...


class Connection:
    """One client's outbox and writer; the protocols differ in what a change puts in it."""

    def __init__(self, socket: FrameSocket, max_frames: int = MAX_OUTBOX_FRAMES,
                 max_chars: int = MAX_OUTBOX_CHARS) -> None:
        self._socket = socket
        # A socket that can write a frame at once without a coroutine (see asgi_socket) offers `send_now`.
        self._send_now: Callable[[str], bool] | None = getattr(socket, "send_now", None)
        self._max_frames, self._max_chars = max_frames, max_chars
        self._outbox: deque[tuple[str, bool]] = deque()  # (frame, replaceable by a newer state)
        self._queued_chars = 0
        self._queued_replaceable = 0
        self._wakeup = asyncio.Event()
        # A send begun by _send_at_once that had to wait: (the coroutine, what it waits on).
        self._started_send: tuple[Coroutine[Any, Any, None], Any] | None = None
        self._writer = asyncio.create_task(self._write_frames(), name="ws-writer")
        self._writer.add_done_callback(self._drop_started_send)
        self._closer: asyncio.Task[None] | None = None
        # Set once the connection takes no more frames: its socket failed, it was closed, or stopped.
        self.closed = False
        # When the send in progress began (loop time), or None: what the hub's watchdog looks at.
        self.sending_since: float | None = None

    # -- the outbox ------------------------------------------------------------------------------------

    def _push(self, frame: str, replaceable: bool) -> None:
        if self.closed:
            return
        if not self._outbox and self.sending_since is None and self._started_send is None:
            self._send_at_once(frame)
            return
        self._outbox.append((frame, replaceable))
        self._queued_chars += len(frame)
        self._queued_replaceable += replaceable
        # One frame alone is never over the cap: a large board's state must still go out.
        if len(self._outbox) > 1 and (len(self._outbox) > self._max_frames or self._queued_chars > self._max_chars):
            logger.info("closing a WebSocket client with %d frames (%d characters) waiting for it",
                        len(self._outbox), self._queued_chars)
            self.close_now(CLOSE_TOO_SLOW, "too far behind")
            return
        self._wakeup.set()

    def _send_at_once(self, frame: str) -> None:
        """A client with nothing queued and no send under way is sent `frame` right here, as far as
        the socket goes without waiting: for a client that reads, all the way (the frame is in the
        kernel's buffer), with no task woken for it. A send that has to wait (the client's buffer is
        full) is not waited for: it is handed, started, to the writer task, which finishes it.
        Waking 1,000 writer tasks per change cost the fan-out about twice the CPU of a plain loop of
        sends, and with it its tail (issue #13)."""
        if self._send_now is not None and self._send_now(frame):
            return
        sending = self._socket.send_text(frame)
        try:
            waiting_on = sending.send(None)
        except StopIteration:
            return
        except Exception:  # the socket is gone: closed, reset, or sent to after close
            self._fail()
            return
        self.sending_since = asyncio.get_running_loop().time()
        self._started_send = (sending, waiting_on)
        self._wakeup.set()

    def _fail(self) -> None:
        self.closed = True
        self._outbox.clear()
        self._wakeup.set()  # the writer sees it and ends

    def _drop_replaceable(self) -> None:
        """Drops the queued state frames (a newer state follows), keeping answers in their order."""
        if not self._outbox:
            return  # as nearly always: the frame before went out at once
        kept = [(frame, replaceable) for frame, replaceable in self._outbox if not replaceable]
        self._outbox = deque(kept)
        self._queued_chars = sum(len(frame) for frame, _ in kept)
        self._queued_replaceable = 0

    @property
    def idle(self) -> bool:
        return not self._outbox and self.sending_since is None

    def stalled_before(self, moment: float) -> bool:
        """True when the send in progress began before `moment` (loop time)."""
        return self.sending_since is not None and self.sending_since < moment

    async def _write_frames(self) -> None:
        # A plain await on each send: wrapping it in asyncio.wait_for would cost a task per frame and,
        # on Python 3.11, can swallow a cancellation, leaving the writer (and its connection) alive.
        loop = asyncio.get_running_loop()
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            if self.closed:
                return
            if self._started_send is not None:
                sending, waiting_on = self._started_send
                try:
                    await _finish(sending, waiting_on)
                except Exception:
                    self._fail()
                    return
                finally:
                    self._started_send = None
                    self.sending_since = None
            while self._outbox:
                frame, replaceable = self._outbox.popleft()
                self._queued_chars -= len(frame)
                self._queued_replaceable -= replaceable
                self.sending_since = loop.time()
                try:
                    await self._socket.send_text(frame)
                except Exception:  # the socket is gone: closed, reset, or sent to after close
                    self._fail()
                    return
                finally:
                    self.sending_since = None

    # -- what a change puts in the outbox ------------------------------------------------------------------

    def deliver(self, change: Change) -> None:
        raise NotImplementedError

    def deliver_all(self, changes: list[Change]) -> None:
        """Changes published one after the other, oldest first."""
        for change in changes:
            self.deliver(change)

    def heartbeat(self, frame: str) -> None:
        """A sign of life for a client with nothing else coming; only protocol v2 has one."""

    # -- ending ----------------------------------------------------------------------------------------

    def close_now(self, code: int, reason: str) -> None:
        """Takes no more frames, drops what is queued, and closes with `code` once the client takes
        what is already in the socket (or goes away); nothing waits for that here."""
        if self.closed and self._closer is not None:
            return
        self.closed = True
        self._outbox.clear()
        self._queued_chars = self._queued_replaceable = 0
        self._writer.cancel()
        self._closer = asyncio.create_task(self._close_quietly(code, reason), name="ws-closer")

    def _drop_started_send(self, _writer: object = None) -> None:
        """Once the writer has ended, a send it did not get to finish is closed (its waits are
        withdrawn) instead of being left to the garbage collector."""
        if self._started_send is not None:
            sending, _ = self._started_send
            self._started_send = self.sending_since = None
            sending.close()

    async def _close_quietly(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):
            await self._socket.close(code, reason)

    async def stop(self) -> None:
        """Stops the writer and a pending close. Safe to repeat."""
        self.closed = True
        tasks = [task for task in (self._writer, self._closer) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def shut(self, code: int = CLOSE_GOING_AWAY) -> None:
        """Stops, then closes with `code`, giving the close frame at most a second."""
        await self.stop()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(1.0):
                await self._close_quietly(code, "server shutting down")


class V1Connection(Connection):
    """Protocol v1: only the newest full state waits in the outbox."""

    def __init__(self, socket: FrameSocket, **caps: int) -> None:
        super().__init__(socket, **caps)
        self._newest: tuple[str, int] | None = None  # (epoch, version) of the last frame queued

    def deliver_all(self, changes: list[Change]) -> None:
        self.deliver(changes[-1])  # only the newest full state matters

    def deliver(self, change: Change) -> None:
        """Queues the change's document unless a newer version of the same history is queued or sent."""
        newest = self._newest
        if newest is not None and newest[0] == change.epoch and newest[1] >= change.version:
            return
        self._newest = (change.epoch, change.version)
        self._drop_replaceable()
        self._push(change.document(), replaceable=True)


class V2Connection(Connection):
    """Protocol v2: answers to the client's frames, and its state as a snapshot then patches in order.
    Until the hub starts it (after hello and the wait for a resume) it takes no state."""

    def __init__(self, socket: FrameSocket, **caps: int) -> None:
        super().__init__(socket, **caps)
        self.epoch: str | None = None
        self.version = -1  # of the last state frame queued

    @property
    def started(self) -> bool:
        return self.epoch is not None

    def answer(self, frame: str) -> None:
        """A frame for the client alone (hello, result, pong, error): never dropped."""
        self._push(frame, replaceable=False)

    def send_state(self, epoch: str, version: int, frames: list[str]) -> None:
        """A snapshot, or patches up to `version`: the client's state is then at `version`."""
        self.epoch, self.version = epoch, version
        for frame in frames:
            self._push(frame, replaceable=True)

    def deliver(self, change: Change) -> None:
        if not self.started or (change.epoch == self.epoch and change.version <= self.version):
            return  # not started yet, or it has this version already (a snapshot taken after it)
        follows = change.epoch == self.epoch and change.version - 1 == self.version
        if follows and change.patch is not None and self._queued_replaceable < MAX_STATE_FRAMES_BEHIND:
            self.send_state(change.epoch, change.version, [change.patch])
        else:  # another history, a gap, or too far behind: one snapshot says it all
            self._drop_replaceable()
            self.send_state(change.epoch, change.version, [change.snapshot()])

    def heartbeat(self, frame: str) -> None:
        if self.started and self.idle:
            self._push(frame, replaceable=True)


@types.coroutine
def _finish(sending: Coroutine[Any, Any, None], waiting_on: Any) -> Generator[Any, Any, None]:
    """Runs a coroutine already started (by `send(None)`) to its end in the awaiting task, as if the
    task had started it: what it waits on is handed to the task, and what the task sends or throws
    back (the wake-up, a cancellation) is passed on to it (PEP 380's delegation)."""
    while True:
        try:
            received = yield waiting_on
        except BaseException as error:  # noqa: BLE001 - a cancellation too: the coroutine must see it
            try:
                waiting_on = sending.throw(error)
            except StopIteration:
                return
        else:
            try:
                waiting_on = sending.send(received)
            except StopIteration:
                return
