"""The WebSocket side, in one place: both the inbound `/ws` endpoint and the outbound `Broadcaster`
that fans changes out to it, since they share one thing, the client connection.

- `frames`: every frame the server sends (v1 documents, v2 hello/snapshot/patch/result/pong/error/
  heartbeat), and reading the frames a client sends;
- `connection`: one client's capped outbox and writer task, v1 and v2, each with its own `deliver`;
- `history`: the recent patches a v2 client can resume from;
- `hub`: the `Broadcaster`: one `deliver` per connection per change, a stall watchdog, heartbeats;
- `endpoint`: the `/ws` route, which owns its socket and its connection from accept to close.
"""
