// The replay's moving dots: at a step, a dot runs along each edge that sends a gradient,
// from the consumer's end back to the input's (against the arrow, the way the gradient goes).
import { svg } from "./dom.js";

const FLOW_MS = 600;

export class GradientFlow {
  constructor() {
    this.frame = null; // the animation frame asked for
  }

  // flows: [{path, length}] in `layer`; the dots go once the run is over.
  run(layer, flows) {
    const dots = flows.map(({ path, length }) => {
      const p = path.getPointAtLength(length);
      const dot = svg("circle", { class: "agl-flow-dot", r: 3.5, cx: p.x, cy: p.y });
      layer.append(dot);
      return { path, length, dot };
    });
    const start = performance.now();
    const frame = (now) => {
      const t = Math.min(1, (now - start) / FLOW_MS);
      const eased = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
      for (const d of dots) {
        const p = d.path.getPointAtLength(d.length * (1 - eased));
        d.dot.setAttribute("cx", p.x);
        d.dot.setAttribute("cy", p.y);
      }
      if (t < 1) this.frame = requestAnimationFrame(frame);
      else { this.frame = null; for (const d of dots) d.dot.remove(); }
    };
    this.frame = requestAnimationFrame(frame);
  }

  cancel() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = null;
  }
}
