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

// The local date as YYYY-MM-DD: what "today" means on this person's board.
export function localDay(when = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
}

export function shortDay(isoDay) {
  const [year, month, day] = isoDay.split("-").map(Number);
  if (!year || !month || !day) return isoDay;
  return new Date(year, month - 1, day).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short" });
}

export function clockTime(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return String(iso);
  const time = when.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return localDay(when) === localDay() ? time : `${shortDay(localDay(when))} ${time}`;
}
