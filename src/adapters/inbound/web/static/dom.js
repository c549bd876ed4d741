// Builds elements from data. Strings always become text nodes or attribute values, never markup:
// nothing that came from the server is parsed as HTML here.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function classes(...names) {
  return names.filter(Boolean).join(" ");
}

export function codeButton(code) {
  return el("button", { type: "button", class: "code", "data-code": code, title: `put ${code} in the command box` }, code);
}

// Times are shown in the person's zone (GET /api/display), whatever the browser's zone is: the
// state's dates and "HH:MM" times are in it, and "today" on the board is their today. Until the
// page has learnt it (or when the service names none), the browser's zone.
let zone;

export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

// Sets the zone; false when it is already that one or the browser does not know it. Kept under the
// browser's own name for it ("Etc/UTC" is "UTC"), so it compares with the browser's zone.
export function setZone(name) {
  let next;
  try {
    next = name ? new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone : undefined;
  } catch { return false; }
  if (next === zone) return false;
  zone = next;
  return true;
}

export function currentZone() {
  return zone || browserZone();
}

// The date as YYYY-MM-DD in the person's zone: what "today" means on their board.
export function localDay(when = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(when).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// A calendar date (no time, so no zone): "Mon 30 Nov".
export function shortDay(isoDay) {
  const [year, month, day] = isoDay.split("-").map(Number);
  if (!year || !month || !day) return isoDay;
  return new Date(Date.UTC(year, month - 1, day)).toLocaleDateString(undefined,
    { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" });
}

// An ISO instant as the person's clock showed it: "14:05", or "Mon 30 Nov 14:05" on another day.
// 24-hour, like the calendar's times.
export function clockTime(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  const time = when.toLocaleTimeString(undefined, { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return localDay(when) === localDay() ? time : `${shortDay(localDay(when))} ${time}`;
}

// The day of a record's date ("2026-11-30" or an ISO instant) in the person's zone.
export function recordDay(date) {
  if (!date || date.length <= 10) return date || "";
  const when = new Date(date);
  return Number.isNaN(when.getTime()) ? date.slice(0, 10) : localDay(when);
}

// How long ago an ISO instant was, as a person says it: "just now", "5 min ago", "3 h ago",
// "yesterday", "4 days ago"; days are counted in the person's zone. Beyond two weeks, the day.
export function timeAgo(iso, now = new Date()) {
  const when = new Date(iso);
  if (!iso || Number.isNaN(when.getTime())) return "";
  const minutes = Math.floor((now - when) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const [day, today] = [localDay(when), localDay(now)];
  const days = Math.round((Date.parse(today) - Date.parse(day)) / 86_400_000);
  if (days <= 0) return `${Math.floor(minutes / 60)} h ago`;
  if (days === 1) return "yesterday";
  return days <= 14 ? `${days} days ago` : shortDay(day);
}
