// The dashboard: reads where the API is, draws the board and keeps it live.

import { makeApi } from "./api.js";
import { Board } from "./board.js";
import { setupCommandBox } from "./command.js";
import { readConfig } from "./config.js";
import { setZone } from "./dom.js";
import { LiveFeed } from "./live.js";
import { createView } from "./render.js";
import { setupNotifications } from "./notify.js";
import { setupSearch } from "./search.js";

const $ = (id) => document.getElementById(id);
const config = readConfig();
const api = makeApi(config);
const board = new Board();
const view = createView(document, config);

board.subscribe((doc, previous) => view.render(doc, previous));
// "today" moves at midnight, and with it the due counts and the calendar's day labels.
setInterval(() => { if (board.current) view.render(board.current, null, true); }, 60_000);

const command = setupCommandBox({
  api, board, form: $("command-form"), input: $("command-input"), output: $("command-output"), hint: $("command-hint"),
});
setupSearch({ api, form: $("search-form"), input: $("search-input"), meta: $("search-meta"), results: $("search-results") });

document.addEventListener("click", (event) => {
  const code = event.target.closest?.("button.code[data-code]");
  if (code) command.insert(code.dataset.code);
  // An item's dismiss and snooze buttons: the command goes the command box's way (answer shown under it).
  const triage = event.target.closest?.("button[data-command]");
  if (triage) command.run(triage.dataset.command);
});

// The person's zone, asked before the first state is drawn and again at every (re)connection: the
// service may have been restarted with another AICOS_TIMEZONE. A service without the route (an
// older one) leaves the browser's zone.
async function learnZone() {
  let display;
  try { display = await api.display(); } catch { return; }
  if (setZone(display.timezone) && board.current) view.render(board.current, null, true);
}

function onConnection(state, detail, protocol) {
  view.connection(state, detail, protocol);
  if (state === "connected") learnZone();
}

setupNotifications({ api, board, button: $("notify"), brief: $("brief") });

await learnZone();
new LiveFeed({ ...config, board, api, onConnection }).start();
