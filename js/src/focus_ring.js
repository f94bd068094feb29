// The keyboard focus on a node, drawn as a ring around its box. Browsers draw CSS outlines
// on SVG elements unreliably (Chromium puts it off the box once the picture is scaled), so
// the ring is a rectangle of our own, in a layer over the picture that pans and zooms with it.
import { svg } from "./dom.js";

const PAD = 3; // pt between the box and the ring

export function clearFocusRing(view) {
  view.topGroup()?.querySelector(":scope > .agl-focus-layer")?.remove();
}

export function drawFocusRing(view, node) {
  clearFocusRing(view);
  const top = view.topGroup();
  if (!top || !node?.isConnected || !top.contains(node)) return;
  const box = node.getBBox();
  const ring = svg("rect", {
    class: "agl-focus-ring", x: box.x - PAD, y: box.y - PAD, width: box.width + 2 * PAD, height: box.height + 2 * PAD,
    rx: 2, ry: 2,
  });
  top.append(svg("g", { class: "agl-focus-layer", "pointer-events": "none", "aria-hidden": "true" }, ring));
}

// After a render or a step: the ring goes back around the node that has the focus, if any.
export function redrawFocusRing(view) {
  const node = document.activeElement?.closest?.("g.node");
  if (node && view.canvas.contains(node) && node.matches(":focus-visible")) drawFocusRing(view, node);
  else clearFocusRing(view);
}
