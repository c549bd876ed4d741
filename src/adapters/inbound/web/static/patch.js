// RFC 6902 JSON Patch, applied without touching the input: every container on an operation's path
// is copied, the rest is shared. The server sends `replace` (see state_patches.py); `add`,
// `remove` and `test` are here so a richer differ on the server would not break the page.

function unescapePointer(token) {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

function parsePointer(path) {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new Error(`bad JSON pointer ${path}`);
  const tokens = path.slice(1).split("/").map(unescapePointer);
  // Our documents have no such keys; refusing them keeps a bad patch off Object.prototype.
  if (tokens.includes("__proto__")) throw new Error(`refused pointer ${path}`);
  return tokens;
}

function copy(container) {
  return Array.isArray(container) ? container.slice() : { ...container };
}

function arrayIndex(array, token, forAdd) {
  if (forAdd && token === "-") return array.length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new Error(`bad array index ${token}`);
  const index = Number(token);
  if (index > array.length || (!forAdd && index === array.length)) throw new Error(`index ${token} out of range`);
  return index;
}

function applyOne(document, op) {
  const tokens = parsePointer(op.path);
  if (op.op === "test") {
    const actual = tokens.reduce((node, token) => node?.[token], document);
    if (JSON.stringify(actual) !== JSON.stringify(op.value)) throw new Error(`test failed at ${op.path}`);
    return document;
  }
  if (tokens.length === 0) {
    if (op.op === "remove") throw new Error("cannot remove the whole document");
    return op.value;
  }
  const root = copy(document);
  let parent = root;
  for (const token of tokens.slice(0, -1)) {
    const child = parent[token];
    if (child === null || typeof child !== "object") throw new Error(`no container at ${op.path}`);
    parent[token] = copy(child);
    parent = parent[token];
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, last, op.op === "add");
    if (op.op === "add") parent.splice(index, 0, op.value);
    else if (op.op === "remove") parent.splice(index, 1);
    else if (op.op === "replace") parent[index] = op.value;
    else throw new Error(`unsupported op ${op.op}`);
  } else {
    const exists = Object.prototype.hasOwnProperty.call(parent, last);
    if ((op.op === "remove" || op.op === "replace") && !exists) throw new Error(`nothing at ${op.path}`);
    if (op.op === "add" || op.op === "replace") parent[last] = op.value;
    else if (op.op === "remove") delete parent[last];
    else throw new Error(`unsupported op ${op.op}`);
  }
  return root;
}

export function applyPatch(document, ops) {
  return ops.reduce(applyOne, document);
}
