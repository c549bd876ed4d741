// Where the API is and which token to send, read once at start.
//
// The API is the one this page is configured with (`<meta name="aicos-api-base">`,
// `window.AICOS_API_BASE`; by default this page's own origin). A link may name another with `?api=`:
// that holds for this visit only and stays in the address bar, where the person sees it (the page
// also says so in its header). It is never remembered: otherwise one link a stranger sends would
// repoint every later visit, and what the person types, at the stranger's server.
//
// `?token=` is remembered in localStorage and removed from the address bar, so a bookmark or a
// screen share never shows it. Tokens are kept per API base: a link that points the page at another
// API never gets a token that was given for this one.

const REMEMBERED_API_KEY = "aicos.api";  // where earlier versions kept a linked API for good
const TOKEN_KEY = "aicos.token:";

function stored(key) {
  try { return localStorage.getItem(key); } catch { return null; }  // storage may be disabled
}

function store(key, value) {
  try {
    if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
  } catch { /* private mode: the value lives for this page only */ }
}

// "http://localhost:8000/" -> "http://localhost:8000"; anything but an http(s) URL -> this origin.
function normalBase(text) {
  let url;
  try { url = new URL(text || "", location.href); } catch { return location.origin; }
  if (!text || !/^https?:$/.test(url.protocol)) return location.origin;
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export function readConfig() {
  const params = new URLSearchParams(location.search);
  store(REMEMBERED_API_KEY, null);
  const meta = document.querySelector('meta[name="aicos-api-base"]')?.content;
  const configuredBase = normalBase(window.AICOS_API_BASE || meta || "");
  const linkedBase = params.get("api") ? normalBase(params.get("api")) : null;
  const apiBase = linkedBase || configuredBase;

  if (params.has("token")) {
    store(TOKEN_KEY + apiBase, params.get("token"));
    params.delete("token");
    const query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  const token = stored(TOKEN_KEY + apiBase) || "";
  return { apiBase, token, wsBase: apiBase.replace(/^http/, "ws"), fromLink: apiBase !== configuredBase };
}
