// How a picture sits in its canvas: the scale it is drawn at and the box it is drawn in. Pure
// arithmetic on sizes (viewport.js applies it), so it is tested without a browser.
export const PX_PER_PT = 4 / 3; // Graphviz works in points
const MAX_SCALE = 1.25; // fit never enlarges past this
const MIN_SCALE_SMALL = 0.6; // a graph of up to SMALL_GRAPH nodes stays readable: pan instead
const MIN_SCALE = 0.15;
const READABLE_SCALE = 0.75; // fitting the height never shrinks text below this
const SMALL_GRAPH = 30;
const MIN_HEIGHT = 120; // px: the picture never collapses
export const REVEAL_MARGIN = 12; // px kept between a node given the focus and the canvas's edge

// A laid-out picture's size in pt and its node count, from d3-graphviz's data for it.
export function graphSize(data) {
  const box = String(data?.attributes?.viewBox ?? "").trim().split(/[\s,]+/).map(Number);
  let w = box[2], h = box[3];
  if (!(w > 0 && h > 0)) {
    w = parseFloat(data?.attributes?.width) || 100;
    h = parseFloat(data?.attributes?.height) || 100;
  }
  let nodes = 0;
  const count = (d) => {
    if (d.tag === "g" && /(^|\s)node(\s|$)/.test(d.attributes?.class ?? "")) nodes += 1;
    else for (const child of d.children ?? []) count(child);
  };
  count(data);
  return { w, h, nodes };
}

// The tallest the canvas grows, for a window `innerHeight` px high.
export function maxHeightPx(innerHeight) {
  return Math.max(360, Math.round((innerHeight || 800) * 0.85));
}

// The scale that fits the width, and the height too as long as the text stays readable: a
// taller graph keeps READABLE_SCALE and pans.
export function fitScale(size, widthPx, maxHeight) {
  const floor = size.nodes <= SMALL_GRAPH ? MIN_SCALE_SMALL : MIN_SCALE;
  const heightK = maxHeight / PX_PER_PT / size.h;
  return Math.max(floor, Math.min(MAX_SCALE, widthPx / PX_PER_PT / size.w, Math.max(heightK, READABLE_SCALE)));
}

// The frame for a picture of `size` (graphSize) in a canvas `widthPx` wide: mode "fit",
// "actual" (100%) or "keep" (the scale `keptScale` of the frame before, when there was one).
// k is the scale; the <svg> is widthPx × heightPx and shows the viewBox (-ox, -oy, vbW, vbH),
// which centres a picture smaller than the canvas.
export function computeFrame(size, mode, { widthPx, maxHeight, keptScale = null }) {
  let k;
  if (mode === "actual") k = 1;
  else if (mode === "keep" && keptScale != null) k = keptScale;
  else k = fitScale(size, widthPx, maxHeight);
  const heightPx = Math.round(Math.max(MIN_HEIGHT, Math.min(size.h * k * PX_PER_PT, maxHeight)));
  const vbW = widthPx / PX_PER_PT / k;
  const vbH = heightPx / PX_PER_PT / k;
  return { k, widthPx, heightPx, vbW, vbH, ox: Math.max(0, (vbW - size.w) / 2), oy: Math.max(0, (vbH - size.h) / 2) };
}

export function viewBoxOf(frame) {
  return `${-frame.ox} ${-frame.oy} ${frame.vbW} ${frame.vbH}`;
}

// How far (screen px) to pan so that `box` lies inside `view` with `margin` to spare; a box
// too big for it shows its start (left, top). Both are {left, right, top, bottom}.
export function revealShift(box, view, margin = REVEAL_MARGIN) {
  const shift = (low, high, min, max) => {
    if (high - low > max - min - 2 * margin) return min + margin - low; // too big: its start
    if (low < min + margin) return min + margin - low;
    if (high > max - margin) return max - margin - high;
    return 0;
  };
  return { dx: shift(box.left, box.right, view.left, view.right), dy: shift(box.top, box.bottom, view.top, view.bottom) };
}
