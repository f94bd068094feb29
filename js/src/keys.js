// The keys inside a view. Enter or Space on a node opens its details (the focus goes into the
// panel, so a screen reader reads it) and Escape closes them; the arrow keys (and Home, End)
// walk the nodes and the toolbar, one tab stop each (roving.js); while the backward replay
// is shown, Left and Right step it instead.
import { titleOf } from "./dom.js";
import { giveStop, target } from "./roving.js";

// The arrows that walk the nodes: all four, or only Up and Down while Left and Right step
// the replay.
export function nodeArrows(stepping) {
  return stepping
    ? { forward: ["ArrowDown"], back: ["ArrowUp"] }
    : { forward: ["ArrowDown", "ArrowRight"], back: ["ArrowUp", "ArrowLeft"] };
}

// root: the view's root (the keys are heard there); toolbar: toolbar.js; nodes(): the
// picture's node boxes in order; inspector: its isOpen, id, open() and close(); replay: its
// active and stepBy(); listen(target, type, fn): a listener removed with the view.
export function bindKeys({ root, toolbar, nodes, inspector, replay, listen }) {
  listen(root, "keydown", (event) => {
    const t = event.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t?.isContentEditable;
    const node = t?.closest?.("g.node");
    if (event.key === "Escape" && inspector.isOpen) {
      // back to the node, unless the learner has moved on to another one
      const elsewhere = node && titleOf(node) !== inspector.id;
      inspector.close({ refocus: !elsewhere });
      event.stopPropagation();
      return;
    }
    if (node && (event.key === "Enter" || event.key === " ")) {
      inspector.open(titleOf(node), { at: event.timeStamp, from: node, focus: true });
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (toolbar.element.contains(t) && moveAlong(toolbar.buttons, t, event, { forward: ["ArrowRight"], back: ["ArrowLeft"] })) return;
    if (node && moveAlong(nodes(), node, event, nodeArrows(replay.active))) return;
    if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && replay.active) {
      replay.stepBy(event.key === "ArrowLeft" ? -1 : 1);
      event.preventDefault();
      event.stopPropagation();
    }
  });
}

// The arrow keys (and Home, End) move the focus and the tab stop along `elements`.
function moveAlong(elements, from, event, arrows) {
  const to = target(event.key, elements.indexOf(from), elements.length, arrows);
  if (to == null) return false;
  giveStop(elements, elements[to]);
  elements[to].focus({ preventScroll: true });
  event.preventDefault();
  event.stopPropagation();
  return true;
}
