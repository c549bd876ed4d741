// The live feed. WebSocket v2 (`/ws?protocol=2`: a snapshot, then RFC 6902 patches, resume after a
// drop); v1 (`/ws`: the whole document each time) when v2 is refused. Reconnects with exponential
// backoff and jitter, so a restarted server is not met by every tab at the same instant.

import { applyPatch } from "./patch.js";

const CLOSE_UNSUPPORTED = 4400;  // the server does not speak the protocol asked for
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
const OFFLINE_AFTER_MS = 30_000;  // retrying for longer than this is shown as "offline"

export class LiveFeed {
  constructor({ wsBase, token, board, api, onConnection }) {
    Object.assign(this, { wsBase, token, board, api, onConnection });
    this.v1 = false;
    this.socket = null;
    this.attempt = 0;
    this.downSince = null;
    this.timer = null;
    this.resync = false;  // a patch did not apply: take a fresh snapshot instead of resuming
    this.resumeAsked = -1;
  }

  start() {
    window.addEventListener("online", () => this.retryNow());
    window.addEventListener("offline", () => {
      // An open socket may still work (a local service); if not, its close shows "offline".
      if (this.socket?.readyState !== WebSocket.OPEN) this.show("offline", "the browser is offline");
    });
    setInterval(() => this.checkSilence(), 1000);
    this.connect();
  }

  show(state, detail = "") {
    this.state = state;
    this.onConnection(state, detail, this.v1 ? 1 : 2);
  }

  retryNow() {
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    clearTimeout(this.timer);
    this.connect();
  }

  connect() {
    const query = new URLSearchParams();
    if (!this.v1) query.set("protocol", "2");
    if (this.token) query.set("token", this.token);  // browsers cannot set headers on a WebSocket
    const search = query.toString();
    let socket;
    try {
      socket = new WebSocket(`${this.wsBase}/ws${search ? "?" + search : ""}`);
    } catch (failure) {  // a URL the browser will not open (ws: from an https: page): no use retrying
      this.show("offline", `cannot open ${this.wsBase}: ${failure.message}`);
      return;
    }
    const previous = this.socket;
    this.socket = socket;  // set first: the old socket's events are ignored from now on
    if (previous && previous.readyState <= WebSocket.OPEN) previous.close(1000, "replaced");
    const session = { opened: false, greeted: false };
    this.heartbeatMs = 0;
    socket.onopen = () => { session.opened = true; };
    socket.onmessage = (event) => { if (socket === this.socket) this.receive(socket, session, event.data); };
    socket.onclose = (event) => { if (socket === this.socket) this.closed(socket, session, event); };
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  up(session) {
    session.greeted = true;
    this.attempt = 0;
    this.downSince = null;
    this.lastHeard = Date.now();
    this.show("connected");
  }

  receive(socket, session, data) {
    let frame;
    try { frame = JSON.parse(data); } catch { return; }
    if (!frame || typeof frame !== "object") return;
    this.lastHeard = Date.now();
    if (this.v1 || (frame.type === undefined && frame.meta)) {
      // v1: every message is the whole document (also what a server without v2 sends).
      this.v1 = true;
      if (!session.greeted) this.up(session);
      this.board.accept(frame);
      return;
    }
    const doc = this.board.current;
    switch (frame.type) {
      case "hello":
        this.heartbeatMs = (frame.heartbeat_s || 15) * 1000;
        this.up(session);
        this.resumeAsked = -1;
        if (doc && !this.resync) this.send({ type: "resume", epoch: doc.meta.epoch, version: doc.meta.version });
        // Anything but `resume` makes the server send the starting snapshot at once, not after 0.5 s.
        else this.send({ type: "ping", id: "start" });
        break;
      case "snapshot":
        this.resync = false;
        this.board.accept(frame.state);
        break;
      case "patch":
        this.patch(socket, frame);
        break;
      case "heartbeat":
        if (doc && frame.version > doc.meta.version) this.askResume();
        break;
      case "error":
        console.warn("aicos: the server did not understand a frame", frame.error);
        break;
      default:  // pong, result: nothing to do
    }
  }

  patch(socket, frame) {
    const doc = this.board.current;
    if (doc && frame.epoch === doc.meta.epoch && frame.to <= doc.meta.version) return;  // already shown
    if (!doc || frame.epoch !== doc.meta.epoch || frame.from !== doc.meta.version) {
      this.askResume();  // a gap: the server sends what is missing, or a snapshot
      return;
    }
    let next;
    try {
      next = applyPatch(doc, frame.ops);
    } catch (failure) {
      console.warn("aicos: a patch did not apply; taking a fresh snapshot", failure);
      this.resync = true;
      socket.close(4000, "patch did not apply");
      return;
    }
    this.board.accept(next);
  }

  askResume() {
    const doc = this.board.current;
    if (!doc) return;
    if (this.resumeAsked === doc.meta.version) return;  // asked already; the answer is on its way
    this.resumeAsked = doc.meta.version;
    this.send({ type: "resume", epoch: doc.meta.epoch, version: doc.meta.version });
  }

  // v2 sends a heartbeat while idle: a connection silent for much longer than that is dead
  // (a sleeping laptop, a dropped network) even if the browser has not noticed yet.
  checkSilence() {
    if (!this.heartbeatMs || this.socket?.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > this.heartbeatMs * 2.5 + 1000) this.socket.close(4000, "silent");
  }

  async closed(socket, session, event) {
    if (!this.downSince) this.downSince = Date.now();
    if (session.greeted) {
      this.refusedWhileUp = 0;
      this.v1 = false;  // whatever it was, offer v2 first again: the server may have been upgraded
    }
    if (!session.greeted && !this.v1 && event.code === CLOSE_UNSUPPORTED) {
      this.v1 = true;
      this.connect();
      return;
    }
    let detail = "";
    if (!session.opened) detail = await this.whyRefused();
    if (socket === this.socket) this.scheduleReconnect(detail);  // unless another connection started meanwhile
  }

  // A browser never learns why a handshake failed; a REST call with the same token tells.
  async whyRefused() {
    try {
      await this.api.status();
    } catch (failure) {
      if (failure.status === 401) return "the service wants a token: open this page with ?token=…";
      if (failure.status === 403) return "the service refuses this page (its host or origin is not allowed)";
      if (failure.status === 0 && location.origin !== new URL(this.api.base).origin && await this.api.reachable()) {
        return `the service does not allow this page's origin (${location.origin}): see AICOS_ALLOWED_ORIGINS`;
      }
      return "";
    }
    // The service answers but refused the handshake. Twice in a row on v2 (once could be a server
    // that came up between the two calls): try v1.
    this.refusedWhileUp = (this.refusedWhileUp || 0) + 1;
    if (!this.v1 && this.refusedWhileUp >= 2) {
      this.v1 = true;
      return "";
    }
    return this.v1 ? "the service refused the live connection" : "";
  }

  scheduleReconnect(detail) {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    this.attempt += 1;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    const longDown = Date.now() - this.downSince > OFFLINE_AFTER_MS;
    this.show(!navigator.onLine || longDown || detail ? "offline" : "reconnecting", detail);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
