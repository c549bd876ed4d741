// The one copy of the state document the page shows. Every source (a v2 snapshot or patch, a v1
// document) goes through `accept`, which refuses anything older than what is on screen: within
// one epoch a version only ever goes up; a new epoch means the server's history started over.

export function isNewer(next, current) {
  if (!current) return true;
  if (next?.meta?.epoch !== current.meta.epoch) return true;
  return next.meta.version > current.meta.version;
}

export class Board {
  constructor() {
    this.current = null;
    this.listeners = [];
  }

  subscribe(listener) {
    this.listeners.push(listener);
  }

  accept(document) {
    if (!document || typeof document !== "object" || !document.meta || !isNewer(document, this.current)) return false;
    const previous = this.current;
    this.current = document;
    for (const listener of this.listeners) listener(document, previous);
    return true;
  }

  // Codes on the board now, for Tab completion: C1.., P1.., M1.. in display order.
  codes() {
    const doc = this.current;
    if (!doc) return [];
    const commitments = doc.commitments || {};
    return [...(doc.calendar || []), ...(doc.priorities || []), ...(commitments.owe || []), ...(commitments.owed || [])]
      .map((item) => item.id)
      .filter(Boolean);
  }
}
