// Draws the state document. A section is redrawn only when its part of the document changed:
// patches keep unchanged parts as the same objects, so an identity check is enough (v1 documents
// are new objects each time and redraw everything, which is cheap at this size).

import { browserZone, classes, clockTime, codeButton, currentZone, el, localDay, shortDay } from "./dom.js";
import { dropUnexpectedLinks, expectedHosts } from "./links.js";
import { originBlock, triageButtons } from "./origin.js";

const STATUS_MARKS = { done: "✓", partial: "◐", pending: "○" };
const BUSY = new Set(["COLLECTING", "PROCESSING"]);

function mark(status) {
  return el("span", { class: `mark status-${status}`, title: status, "aria-label": status }, STATUS_MARKS[status] || "?");
}

function alertMark(on, title) {
  return on ? el("span", { class: "alert-mark", title, "aria-label": "alert" }, "!") : null;
}

function due(day, today, done) {
  if (!day) return null;
  const late = !done && day < today;
  const label = day === today ? "today" : shortDay(day);
  return el("span", { class: classes("due", !done && day <= today && "due-now", late && "late") }, label);
}

// A snoozed item says until when (the state's `snoozed_until`, a day in the person's zone).
function snoozed(item, today) {
  const until = typeof item.snoozed_until === "string" ? item.snoozed_until : "";
  if (!until || until <= today) return null;
  return el("span", { class: "snoozed", title: `snoozed: no alert until ${until}` }, `snoozed until ${shortDay(until)}`);
}

function calendarRow(item, today) {
  const when = item.time || "all day";
  return el("li", { class: classes("row", item.alert && "alert", item.date < today && "past"), "data-id": item.id },
    codeButton(item.id),
    el("span", { class: "time" }, item.date === today ? when : `${shortDay(item.date)} ${when}`),
    el("span", { class: "title", title: item.title }, item.title),
    item.location ? el("span", { class: "muted small" }, item.location) : null,
    alertMark(item.alert, "starts soon"),
    item.new ? el("span", { class: "tag" }, "new") : null,
  );
}

// A derived item (one with an origin) shows where it came from on its second line, instead of
// its source, and offers dismiss and snooze.
function priorityRow(item, today, linkHosts) {
  const origin = originBlock(item, linkHosts);
  return el("li", { class: classes("row", `is-${item.status}`, item.alert && "alert"), "data-id": item.id,
    "data-status": item.status },
  codeButton(item.id), mark(item.status),
  el("span", { class: "title", title: item.reason ? `${item.title}\n${item.reason}` : item.title }, item.title),
  due(item.due_date, today, item.status === "done"),
  snoozed(item, today),
  !origin && item.source ? el("span", { class: "muted small" }, item.source) : null,
  alertMark(item.alert, "due"),
  item.new ? el("span", { class: "tag" }, "new") : null,
  triageButtons(item),
  origin,
  );
}

function commitmentRow(item, today, linkHosts) {
  return el("li", { class: classes("row", `is-${item.status}`, item.urgent && "alert"), "data-id": item.id,
    "data-status": item.status },
  codeButton(item.id), mark(item.status),
  // Two lines: the columns are narrow, and the text matters more than who and when.
  el("span", { class: "body" },
    el("span", { class: "title" }, item.text),
    el("span", { class: "sub" },
      item.counterparty ? el("span", { class: "muted small" }, item.counterparty) : null,
      due(item.due_date, today, item.status === "done"),
      snoozed(item, today)),
    originBlock(item, linkHosts)),
  alertMark(item.urgent, "urgent"),
  triageButtons(item),
  );
}

function fill(list, items, row, emptyText) {
  list.replaceChildren(...(items.length ? items.map(row) : [el("li", { class: "empty muted" }, emptyText)]));
}

function dueCount(items, today) {
  const open = items.filter((item) => item.status === "pending" && item.due_date);
  const dueToday = open.filter((item) => item.due_date === today).length;
  const late = open.filter((item) => item.due_date < today).length;
  return `${dueToday} due today` + (late ? `, ${late} late` : "");
}

export function createView(root = document, { apiBase = location.origin, fromLink = false } = {}) {
  const $ = (id) => root.getElementById(id);
  const linkHosts = expectedHosts(apiBase);

  // Which API this page talks to, always in view; marked when a link (`?api=`) chose it.
  const api = new URL(apiBase, location.href);
  $("api-base").textContent = `API ${api.host}${api.pathname.replace(/\/$/, "")}`;
  $("api-base").title = fromLink
    ? `This visit talks to ${apiBase}, named by the link that opened the page (?api=). Open the page without it to use your own service.`
    : `This page talks to the service at ${apiBase}`;
  if (fromLink) $("api-base").dataset.fromLink = "true";

  function header(system, meta) {
    const status = $("system-status");
    status.textContent = system.status;
    status.dataset.status = system.status;
    const busy = BUSY.has(system.status);
    const progress = $("progress");
    progress.hidden = !busy;
    progress.setAttribute("role", "progressbar");
    progress.setAttribute("aria-valuenow", String(system.progress));
    progress.title = `${system.progress} %`;
    progress.firstElementChild.style.width = `${Math.max(0, Math.min(100, system.progress))}%`;
    $("system-message").textContent = system.message || (busy ? `${system.progress} %` : "");
    $("last-sync").textContent = system.last_sync ? `last sync ${clockTime(system.last_sync)}` : "never synced";
    $("last-sync").title = system.last_sync || "";
    $("version").textContent = `v${meta.version}`;
    // Said only when it is not the browser's: someone travelling reads home times, and knows it.
    const zone = currentZone();
    $("zone").textContent = zone === browserZone() ? "" : `times in ${zone}`;
  }

  function brief(active) {
    const body = $("brief");
    if (!active) {
      $("brief-meta").textContent = "";
      body.replaceChildren(el("p", { class: "muted" }, "No brief yet: type ", el("code", {}, "brief"), " or ",
        el("code", {}, "brief C1"), "."));
      return;
    }
    $("brief-meta").textContent = [active.kind, active.target, active.generated_at && clockTime(active.generated_at)]
      .filter(Boolean).join(" · ");
    // The one place where the server's HTML is used: html_content, whose data the server escapes.
    // setHTML (the Sanitizer API) where the browser has it, as a second guard.
    if (typeof body.setHTML === "function") body.setHTML(active.html_content);
    else body.innerHTML = active.html_content;
    dropUnexpectedLinks(body, linkHosts);
  }

  function render(doc, previous, force = false) {
    const today = localDay();
    const changed = (pick) => force || !previous || pick(doc) !== pick(previous);
    if (changed((d) => d.system) || changed((d) => d.meta)) header(doc.system, doc.meta);
    if (changed((d) => d.calendar)) {
      fill($("calendar"), doc.calendar, (item) => calendarRow(item, today), "nothing on the calendar");
      $("calendar-count").textContent = `${doc.calendar.filter((item) => item.date === today).length} today`;
    }
    if (changed((d) => d.priorities)) {
      fill($("priorities"), doc.priorities, (item) => priorityRow(item, today, linkHosts), "no priorities");
      const open = doc.priorities.filter((item) => item.status !== "done").length;
      $("priorities-count").textContent = `${open} open`;
    }
    if (changed((d) => d.commitments)) {
      fill($("owe"), doc.commitments.owe, (item) => commitmentRow(item, today, linkHosts), "nothing owed");
      fill($("owed"), doc.commitments.owed, (item) => commitmentRow(item, today, linkHosts), "nothing owed to you");
      $("owe-count").textContent = dueCount(doc.commitments.owe, today);
      $("owed-count").textContent = dueCount(doc.commitments.owed, today);
    }
    if (changed((d) => d.active_brief)) brief(doc.active_brief);
  }

  function connection(state, detail, protocol) {
    const pill = $("connection");
    pill.dataset.state = state;
    pill.textContent = state === "connected" && protocol === 1 ? "connected (v1)" : state;
    pill.title = detail || "";
    root.body.classList.toggle("stale", state !== "connected");
    $("connection-detail").textContent = detail || "";
  }

  return { render, connection };
}
