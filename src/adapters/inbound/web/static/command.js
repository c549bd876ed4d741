// The command box: POST /api/command, the answer or the error inline, history on ↑/↓ kept across
// reloads, Tab completion of verbs (the service's own list, GET /api/commands) and of the codes on
// the board.

import { el } from "./dom.js";

const HISTORY_KEY = "aicos.history";
const HISTORY_MAX = 200;

function loadHistory() {
  try {
    const items = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(items) ? items.filter((item) => typeof item === "string") : [];
  } catch { return []; }
}

function saveHistory(items) {
  try { localStorage.setItem(HISTORY_KEY, JSON.stringify(items.slice(-HISTORY_MAX))); } catch { /* no storage */ }
}

function commonPrefix(words) {
  return words.reduce((prefix, word) => {
    let i = 0;
    while (i < prefix.length && i < word.length && prefix[i].toLowerCase() === word[i].toLowerCase()) i += 1;
    return prefix.slice(0, i);
  });
}

// The candidates for the word being typed at the end of `text` (the part after the last `|`).
// `commands`: GET /api/commands' list, each verb with the code kinds (`codes`) and words it takes.
export function candidates(text, codes, commands) {
  const segment = text.slice(text.lastIndexOf("|") + 1).replace(/^\s+/, "");
  const words = segment.split(/\s+/);
  const word = words[words.length - 1];
  const lower = word.toLowerCase();
  let pool;
  if (words.length === 1) pool = commands.map((command) => command.verb);
  else if (words.length === 2) {
    const takes = commands.find((command) => command.verb === words[0].toLowerCase()) || {};
    pool = [...(takes.words || []), ...codes.filter((code) => (takes.codes || "").includes(code[0]))];
  } else pool = [];
  return { word, matches: pool.filter((option) => option.toLowerCase().startsWith(lower)) };
}

function describeError(error) {
  const lines = [`${error.code}: ${error.message}`];
  const hints = error.details.map((d) => (typeof d === "string" ? d : d?.message)).filter(Boolean);
  if (error.code === "unknown_command" && hints.length) lines.push(`did you mean: ${hints.join(", ")}`);
  else if (hints.length && !hints.every((hint) => error.message.includes(hint))) lines.push(hints.join("; "));
  return lines;
}

export function setupCommandBox({ api, board, form, input, output, hint }) {
  const history = loadHistory();
  let position = history.length;
  let draft = "";
  let cycle = null;  // repeated Tab with several matches walks through them
  let commands = [];  // the verbs and what they take, from the service; asked again until it answers
  let asking = null;
  function loadCommands() {
    asking = asking || api.commands().then((answer) => { commands = answer.commands; }, () => { asking = null; });
  }
  loadCommands();

  function show(lines, kind) {
    output.dataset.kind = kind;
    output.replaceChildren(...lines.map((line) => el("div", { class: line.applied === false ? "not-applied" : "" },
      typeof line === "string" ? line : line.text)));
  }

  function answerLines(answer) {
    const results = Array.isArray(answer.results) ? answer.results : [answer];
    return results.map((result) => ({ text: result.message || `${result.action} ${result.target ?? ""}`,
      applied: result.applied }));
  }

  async function run(text) {
    if (history[history.length - 1] !== text) history.push(text);
    saveHistory(history);
    position = history.length;
    draft = "";
    output.dataset.kind = "pending";
    try {
      const answer = await api.command(text);
      show(answerLines(answer), "answer");
      if (input.value.trim() === text) input.value = "";  // unless something new was typed meanwhile
    } catch (error) {
      show(describeError(error), "error");  // the text stays, to be corrected
    }
  }

  function complete() {
    if (cycle && input.value === cycle.shown) {
      cycle.index = (cycle.index + 1) % cycle.matches.length;
      input.value = cycle.base + cycle.matches[cycle.index] + " ";
      cycle.shown = input.value;
      return true;
    }
    cycle = null;
    if (!commands.length) loadCommands();
    const { word, matches } = candidates(input.value, board.codes(), commands);
    if (!matches.length) { hint.textContent = ""; return false; }
    const base = input.value.slice(0, input.value.length - word.length);
    if (matches.length === 1) {
      input.value = base + matches[0] + " ";
      hint.textContent = "";
      return true;
    }
    hint.textContent = matches.join("  ");
    const prefix = commonPrefix(matches);
    if (prefix.length > word.length) input.value = base + prefix;
    else {
      cycle = { base, matches, index: 0 };
      input.value = base + matches[0] + " ";
      cycle.shown = input.value;
    }
    return true;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    hint.textContent = "";
    if (text) run(text);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Tab" && !event.shiftKey && input.value.trim()) {
      input.setSelectionRange(input.value.length, input.value.length);
      if (complete()) event.preventDefault();
    } else if (event.key === "ArrowUp" && position > 0) {
      event.preventDefault();
      if (position === history.length) draft = input.value;
      position -= 1;
      input.value = history[position];
    } else if (event.key === "ArrowDown" && position < history.length) {
      event.preventDefault();
      position += 1;
      input.value = position === history.length ? draft : history[position];
    }
  });

  input.addEventListener("input", () => { cycle = null; hint.textContent = ""; });

  // A click on a code: the code goes in at the caret, with the spaces it needs around it.
  function insert(code) {
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    const before = input.value.slice(0, start);
    const after = input.value.slice(end);
    const lead = before && !/\s$/.test(before) ? " " : "";
    const trail = after && !/^\s/.test(after) ? " " : "";
    input.value = before + lead + code + trail + after;
    const caret = (before + lead + code + trail).length;
    input.focus();
    input.setSelectionRange(caret, caret);
  }

  return { insert, run };
}
