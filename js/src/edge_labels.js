// The gradient an edge sends at a replay step, written beside the edge (not on it: the edges
// are short and the replay's dot runs along them), on a background so it stays readable over
// other lines. It goes to the first place along the edge, right side then left, that covers
// no box and no other label.
import { svg } from "./dom.js";

// Draws `send` ({edge, text}) for the edge's `path` (`length` long) in `layer`, keeping clear
// of `boxes()` (the nodes' boxes) and of `taken` (the labels so far, which it joins).
export function drawLabel(layer, path, length, send, taken, boxes) {
  const group = svg("g", { class: "agl-edge-label", "data-edge": send.edge });
  const rect = svg("rect", { rx: 2, ry: 2 });
  const t = svg("text", { x: 0, y: 0, "text-anchor": "middle", "dominant-baseline": "central" });
  t.textContent = send.text ?? "";
  group.append(rect, t);
  layer.append(group); // measured in place, then moved above the dots
  const size = () => {
    const box = t.getBBox();
    rect.setAttribute("x", box.x - 3);
    rect.setAttribute("y", box.y - 1.5);
    rect.setAttribute("width", box.width + 6);
    rect.setAttribute("height", box.height + 3);
    return { w: box.width + 6, h: box.height + 3 };
  };
  let { w, h } = size();
  if (!w || w <= 6) {
    // measured before the text had its font (the first picture): size it again once drawn
    requestAnimationFrame(() => { ({ w, h } = size()); placeLabel(group, path, length, w, h, taken, boxes()); });
  }
  placeLabel(group, path, length, w, h, taken, boxes());
  return group;
}

function placeLabel(group, path, length, w, h, taken, boxes) {
  let chosen = null;
  for (const along of [0.5, 0.35, 0.65, 0.2, 0.8]) {
    for (const side of [1, -1]) {
      const spot = besideEdge(path, length * along, w, h, side);
      const rect = { x: spot.x - w / 2, y: spot.y - h / 2, width: w, height: h };
      if (![...boxes, ...taken].some((b) => overlaps(rect, b))) { chosen = { spot, rect }; break; }
    }
    if (chosen) break;
  }
  if (!chosen) {
    const spot = besideEdge(path, length / 2, w, h, 1);
    chosen = { spot, rect: { x: spot.x - w / 2, y: spot.y - h / 2, width: w, height: h } };
  }
  taken.push(chosen.rect);
  group.setAttribute("transform", `translate(${chosen.spot.x} ${chosen.spot.y})`);
}

// A point `at` along `path`, moved off the line along its normal, to the right (side 1) or
// left (side -1) of the way the edge runs, far enough that a w × h box clears the line.
export function besideEdge(path, at, w, h, side) {
  const length = path.getTotalLength();
  const mid = path.getPointAtLength(at);
  const a = path.getPointAtLength(Math.max(0, at - 2));
  const b = path.getPointAtLength(Math.min(length, at + 2));
  let nx = -(b.y - a.y);
  let ny = b.x - a.x;
  const norm = Math.hypot(nx, ny) || 1;
  nx /= norm;
  ny /= norm;
  if (nx < 0 || (nx === 0 && ny > 0)) { nx = -nx; ny = -ny; } // the right-hand side
  const reach = (Math.abs(nx) * w / 2 + Math.abs(ny) * h / 2 + 3) * side;
  return { x: mid.x + nx * reach, y: mid.y + ny * reach };
}

// Whether two boxes ({x, y, width, height}) share any area, with a little margin.
export function overlaps(a, b, margin = 1) {
  return a.x < b.x + b.width + margin && b.x < a.x + a.width + margin
    && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;
}
