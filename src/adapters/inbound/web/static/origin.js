// Where a derived item comes from (its `origin`, contract section 6) and what the person can do
// about it (dismiss, snooze). All of it is data, so all of it goes in as text; the link stays a
// link only when links.js would keep it in a brief (http(s), to the API, this page or Slack).

import { clockTime, el, timeAgo } from "./dom.js";
import { isExpected } from "./links.js";

export const SNOOZE_CHOICES = [["tomorrow", "tomorrow"], ["monday", "monday"], ["1 week", "1w"]];

// "C0FIN/1732800000.000100" -> "C0FIN": the conversation, which is all the origin names of where
// (a Slack id starting with D is a direct message: "DM" says more than its id).
function conversationOf(ref) {
  const id = typeof ref === "string" && ref.includes("/") ? ref.slice(0, ref.indexOf("/")) : "";
  return /^D[A-Z0-9]+$/.test(id) ? "DM" : id;
}

function originLink(href, linkHosts) {
  if (!href) return null;
  if (isExpected(href, linkHosts)) {
    return el("a", { class: "origin-link", href, target: "_blank", rel: "noopener noreferrer" }, "open in Slack");
  }
  return el("span", { class: "origin-link muted", title: "not a link: it leads somewhere unexpected" }, String(href));
}

// A muted line "Dana Lee · #finance · 2 days ago" that opens (click, Enter or Space: a <details>) on
// the quote, the reason and the link; the quote is also the line's tooltip.
export function originBlock(item, linkHosts) {
  const origin = item.origin;
  if (!origin || typeof origin !== "object") return null;
  // The conversation as people name it ("#finance", "DM with Dana Lee") when the origin says, else its id.
  const where = typeof origin.where === "string" && origin.where ? origin.where : conversationOf(origin.ref);
  const when = timeAgo(origin.at);
  const summary = el("summary", { class: "origin-line", title: origin.quote || "" },
    [origin.author, where, when].filter(Boolean).join(" · ") || "origin");
  if (origin.at) summary.dataset.at = clockTime(origin.at);
  return el("details", { class: "origin small muted" }, summary,
    origin.quote ? el("blockquote", { class: "quote" }, origin.quote) : null,
    item.reason ? el("div", { class: "reason" }, item.reason) : null,
    originLink(origin.link, linkHosts));
}

// "dismiss" and "snooze ▸ tomorrow / monday / 1 week": each runs the command as typed in the box.
export function triageButtons(item) {
  if (!item.origin) return null;
  const command = (text, label) => el("button", { type: "button", class: "triage", "data-command": text }, label);
  const snooze = item.status === "done" ? null : el("details", { class: "snooze" },
    el("summary", { class: "triage", title: `snooze ${item.id}: no alert until then` }, "snooze"),
    el("span", { class: "snooze-choices" },
      SNOOZE_CHOICES.map(([label, when]) => command(`snooze ${item.id} ${when}`, label))));
  const dismiss = command(`dismiss ${item.id}`, "dismiss");
  dismiss.title = `dismiss ${item.id}: wrong, or not yours; it will not come back`;
  return el("span", { class: "triage-group" }, dismiss, snooze);
}
