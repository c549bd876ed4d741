// The search box: GET /api/search as the person types (debounced) or on Enter.
//
// A result's `snippet` is HTML from the server: the record's text escaped, matches in <mark>.
// It is never parsed as HTML here: it is cut at the <mark> tags, the rest is un-escaped into
// text nodes, so anything else that looks like a tag shows as text.

import { el, recordDay } from "./dom.js";

const DEBOUNCE_MS = 250;
const NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name) => {
    if (name[0] === "#") {
      const code = name[1].toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

export function snippetNodes(snippet) {
  const nodes = [];
  let marked = false;
  for (const part of String(snippet).split(/(<mark>|<\/mark>)/)) {
    if (part === "<mark>" || part === "</mark>") { marked = part === "<mark>"; continue; }
    if (!part) continue;
    const text = decodeEntities(part);
    nodes.push(marked ? el("mark", {}, text) : document.createTextNode(text));
  }
  return nodes;
}

// Who said it and where ("Dana Lee in #finance", "Dana Lee, DM with Dana Lee") when the server
// knows (metadata.byline, plain text), else the record's source.
export function hitItem(hit) {
  const byline = hit.metadata && typeof hit.metadata.byline === "string" ? hit.metadata.byline : "";
  return el("li", { class: "hit" },
    byline ? el("span", { class: "byline", title: hit.source }, byline) : el("span", { class: "tag" }, hit.source),
    hit.date ? el("span", { class: "muted small date" }, recordDay(hit.date)) : null,
    el("span", { class: "snippet" }, snippetNodes(hit.snippet)),
  );
}

export function setupSearch({ api, form, input, meta, results }) {
  let latest = 0;  // answers that come back out of order are dropped
  let timer = null;

  async function search() {
    const q = input.value.trim();
    const asked = ++latest;
    if (!q) { meta.textContent = ""; results.replaceChildren(); return; }
    try {
      const page = await api.search(q);
      if (asked !== latest) return;
      const count = page.results.length;
      meta.textContent = `${count} result${count === 1 ? "" : "s"} · ${Math.round(page.took_ms * 10) / 10} ms`;
      results.replaceChildren(...page.results.map(hitItem));
    } catch (error) {
      if (asked !== latest) return;
      meta.textContent = `${error.code}: ${error.message}`;
      results.replaceChildren();
    }
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); search(); });
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, DEBOUNCE_MS); });
}
