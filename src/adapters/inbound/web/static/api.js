// REST calls with the token; errors come back as the contract's envelope, thrown as ApiError.

export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "http_error";
    this.details = Array.isArray(error.details) ? error.details : [];
  }
}

export function makeApi({ apiBase, token }) {
  async function request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(apiBase + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store",
      });
    } catch (failure) {
      throw new ApiError(0, { code: "network", message: `cannot reach the service (${failure.message})` });
    }
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, payload.error || {});
    return payload;
  }
  return {
    base: apiBase,
    command: (text) => request("POST", "/api/command", { command: text }),
    commands: () => request("GET", "/api/commands"),
    search: (q, limit = 20) => request("GET", `/api/search?${new URLSearchParams({ q, limit })}`),
    status: () => request("GET", "/api/system/status"),
    display: () => request("GET", "/api/display"),
    outbox: () => request("GET", "/api/outbox?limit=20"),
    // Whether the service answers at all, CORS aside: an opaque answer still proves it is up.
    reachable: () => fetch(apiBase + "/health", { mode: "no-cors", cache: "no-store" }).then(() => true, () => false),
  };
}
