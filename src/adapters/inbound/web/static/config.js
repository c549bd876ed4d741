// Where the API is and which token to send, read once at start.
//
// `?api=` and `?token=` are taken from the address, remembered in localStorage and then removed
// from the address bar, so a bookmark or a screen share never shows the token. The token is kept
// per API base: a link that points the page at another API (`?api=`) never gets a token that was
// given for this one.

const API_KEY = "aicos.api";
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
  if (params.has("api")) store(API_KEY, params.get("api") && normalBase(params.get("api")));
  const meta = document.querySelector('meta[name="aicos-api-base"]')?.content;
  const apiBase = normalBase(stored(API_KEY) || window.AICOS_API_BASE || meta || "");

  if (params.has("token")) store(TOKEN_KEY + apiBase, params.get("token"));
  const token = stored(TOKEN_KEY + apiBase) || "";

  if (params.has("api") || params.has("token")) {
    params.delete("api");
    params.delete("token");
    const query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  return { apiBase, token, wsBase: apiBase.replace(/^http/, "ws") };
}
