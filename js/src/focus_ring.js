// The keyboard focus on a node, drawn as a ring around its box. Browsers draw CSS outlines
// on SVG elements unreliably (Chromium puts it off the box once the picture is scaled), so
// the ring is a rectangle of our own, in a layer over the picture that pans and zooms with it.
// `picture` is the picture on screen (picture.js): its topGroup() and canvas.
import { svg } from "./dom.js";

const PAD = 3; // pt between the box and the ring

export function clearFocusRing(picture) {
  picture.topGroup()?.querySelector(":scope > .agl-focus-layer")?.remove();
}

export function drawFocusRing(picture, node) {
  clearFocusRing(picture);
  const top = picture.topGroup();
  if (!top || !node?.isConnected || !top.contains(node)) return;
  const box = node.getBBox();
  const ring = svg("rect", {
    class: "agl-focus-ring", x: box.x - PAD, y: box.y - PAD, width: box.width + 2 * PAD, height: box.height + 2 * PAD,
    rx: 2, ry: 2,
  });
  top.append(svg("g", { class: "agl-focus-layer", "pointer-events": "none", "aria-hidden": "true" }, ring));
}

// After a render or a step: the ring goes back around the node that has the focus, if any.
export function redrawFocusRing(picture) {
  const node = document.activeElement?.closest?.("g.node");
  if (node && picture.canvas.contains(node) && node.matches(":focus-visible")) drawFocusRing(picture, node);
  else clearFocusRing(picture);
}
