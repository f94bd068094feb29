// A roving tabindex (WAI-ARIA): a group of elements is one tab stop; the element that holds
// it has tabindex 0, the others -1, and the arrow keys move it along. Pure bookkeeping on
// a list of elements, so the view uses it for its nodes and for its toolbar.

// The element that should hold the tab stop: the one that had it if it is still there, else
// the first.
export function holder(elements, previous) {
  return elements.includes(previous) ? previous : elements[0] ?? null;
}

// Give `chosen` the tab stop among `elements`.
export function giveStop(elements, chosen) {
  for (const el of elements) el.setAttribute("tabindex", el === chosen ? "0" : "-1");
}

// Where a key moves from `index` in a list of `count`, or null when the key is not for moving.
// `forward` and `back` name the keys that step (e.g. ["ArrowDown"], ["ArrowUp"]).
export function target(key, index, count, { forward, back }) {
  if (!count) return null;
  if (forward.includes(key)) return Math.min(count - 1, index + 1);
  if (back.includes(key)) return Math.max(0, index - 1);
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}
