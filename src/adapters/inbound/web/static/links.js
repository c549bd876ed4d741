// Links in the brief's HTML. The server writes that HTML, but the page may be talking to another
// server than the person's own (`?api=`), and a link is the one thing in it that can send the person
// elsewhere. Only links to where their data lives stay: the API, this page, Slack (permalinks).
// Any other (another host, `javascript:`, `data:`) becomes its plain text.

const LINK_SCHEMES = new Set(["http:", "https:"]);
const TRUSTED_DOMAINS = ["slack.com"];  // and their subdomains (acme.slack.com)

export function expectedHosts(apiBase) {
  return new Set([new URL(apiBase, location.href).host, location.host]);
}

// Whether a link may stay a link: http(s), to one of `hosts` or Slack. Also for an item's origin link.
export function isExpected(href, hosts) {
  let url;
  if (typeof href !== "string") return false;
  try { url = new URL(href, location.href); } catch { return false; }
  if (!LINK_SCHEMES.has(url.protocol)) return false;
  return hosts.has(url.host) || TRUSTED_DOMAINS.some((domain) => url.hostname === domain
    || url.hostname.endsWith("." + domain));
}

export function dropUnexpectedLinks(root, hosts) {
  for (const link of root.querySelectorAll("a, area")) {
    const href = link.getAttribute("href");
    if (href !== null && isExpected(href, hosts)) {
      link.setAttribute("rel", "noopener noreferrer");
      link.setAttribute("target", "_blank");
    } else {
      link.replaceWith(...link.childNodes);
    }
  }
}
