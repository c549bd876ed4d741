// Browser notifications for what the service posts to the person on Slack on its own (the morning
// brief, meeting prep), while the dashboard is open: the Notification API, with their permission.
// Only posts sent after the page opened notify; a post sent sets the active brief, so the brief
// panel already shows it, and clicking the notification brings the page and the panel forward.

const POLL_MS = 15_000; // also checked at once whenever the active brief changes

export function setupNotifications({ api, board, button, brief, pollMs = POLL_MS }) {
  if (!("Notification" in window) || !button) return null;
  let known = null; // keys of sent posts already seen; null until the first look
  let enabled = false; // whether this service posts anything at all (AICOS_BRIEF_TIME, AICOS_PREP_MINUTES)

  function showButton() {
    button.hidden = !enabled || Notification.permission !== "default";
  }

  function notify(post) {
    const title = post.kind === "daily" ? "Your morning brief" : `Coming up: ${post.title}`;
    const body = post.kind === "daily" ? (post.brief_title || post.title) : (post.brief_title || "Meeting prep");
    try {
      const shown = new Notification(title, { body, tag: post.key });
      shown.onclick = () => { window.focus(); brief?.scrollIntoView({ block: "start" }); shown.close(); };
    } catch { /* a browser that only notifies from a service worker: the panel still shows it */ }
  }

  async function check() {
    let posts;
    try {
      const outbox = await api.outbox();
      posts = outbox.posts || [];
      enabled = Boolean(outbox.enabled);
    } catch { return; } // an older service, or offline
    showButton();
    const sent = posts.filter((post) => post.status === "sent");
    if (known === null) { known = new Set(sent.map((post) => post.key)); return; }
    for (const post of sent.reverse()) { // oldest first
      if (known.has(post.key)) continue;
      known.add(post.key);
      if (Notification.permission === "granted") notify(post);
    }
  }

  button.addEventListener("click", async () => {
    await Notification.requestPermission();
    showButton();
  });
  let lastBrief;
  board.subscribe((doc) => {
    const stamp = doc.active_brief?.generated_at;
    if (stamp !== lastBrief) { lastBrief = stamp; check(); }
  });
  showButton();
  check();
  setInterval(check, pollMs);
  return { check };
}
