// The backward replay: Back / Play / Next / scrubber over the recorded steps. A step only
// changes classes and labels on the picture already drawn (no layout), so scrubbing is
// instant.
import { h, reducedMotion, svg } from "./dom.js";

const PLAY_MS = 1200;
const FLOW_MS = 600;

export class Replay {
  constructor(view) {
    this.view = view;
    this.step = -1;
    this.playing = null;
    this.flow = null;
    const button = (cls, label) => h("button", { type: "button", class: `agl-button ${cls}`, "aria-label": label, text: label });
    this.back = button("agl-back", "Back");
    this.play = button("agl-play", "Play");
    this.next = button("agl-next", "Next");
    this.scrub = h("input", { type: "range", class: "agl-scrub", min: "0", max: "0", step: "1", value: "0", "aria-label": "Step" });
    this.label = h("span", { class: "agl-step-text", "aria-live": "polite" });
    this.controls = h("div", { class: "agl-controls", role: "group", "aria-label": "Backward replay", hidden: true },
      this.back, this.play, this.next, this.scrub, this.label);
    this.chainTitle = h("div", { class: "agl-chain-title" });
    this.chainLines = h("pre", { class: "agl-chain-lines" });
    this.chain = h("div", { class: "agl-chain", "aria-live": "polite", hidden: true }, this.chainTitle, this.chainLines);
    view.header.after(this.controls);
    view.body.append(this.chain);

    view.on(this.back, "click", () => { this.stop(); this.stepBy(-1); });
    view.on(this.next, "click", () => { this.stop(); this.stepBy(1); });
    view.on(this.play, "click", () => (this.playing ? this.stop() : this.start()));
    view.on(this.scrub, "input", () => { this.stop(); this.go(Number(this.scrub.value)); });
  }

  get steps() {
    return this.view.model.get("steps") || [];
  }

  get active() {
    return this.view.model.get("mode") === "stepper" && this.steps.length > 0 && this.view.shownDot !== "";
  }

  // steps or mode changed: rebuild the controls around the model's step
  sync() {
    const n = this.steps.length;
    const on = this.active;
    this.controls.hidden = !on;
    this.chain.hidden = !on;
    this.view.root.classList.toggle("agl-replaying", on);
    this.view.root.dataset.mode = this.view.model.get("mode") || "graph";
    if (!on) this.stop();
    this.scrub.max = String(Math.max(0, n - 1));
    this.step = this.clamp(this.view.model.get("step"));
    this.apply();
  }

  fromModel() {
    const k = this.clamp(this.view.model.get("step"));
    if (k !== this.step) {
      this.step = k;
      this.apply();
    }
  }

  clamp(k) {
    const n = this.steps.length;
    k = Number.isFinite(Number(k)) ? Math.trunc(Number(k)) : -1;
    return k < 0 || n === 0 ? -1 : Math.min(k, n - 1);
  }

  stepBy(delta) {
    const n = this.steps.length;
    if (!n) return;
    const from = this.step < 0 ? (delta > 0 ? -1 : n) : this.step;
    this.go(Math.max(0, Math.min(n - 1, from + delta)));
  }

  go(k) {
    k = this.clamp(k);
    if (k === this.step) return;
    this.step = k;
    this.apply();
    this.view.model.set("step", k);
    this.view.model.save_changes();
    this.view.emit("agl:step", { step: k });
  }

  start() {
    const n = this.steps.length;
    if (!n) return;
    if (this.step < 0 || this.step >= n - 1) this.go(0);
    this.playing = setInterval(() => {
      if (this.step >= this.steps.length - 1) { this.stop(); return; }
      this.go(this.step + 1);
      if (this.step >= this.steps.length - 1) this.stop();
    }, PLAY_MS);
    this.showPlaying();
  }

  stop() {
    if (this.playing) clearInterval(this.playing);
    this.playing = null;
    this.showPlaying();
  }

  showPlaying() {
    const label = this.playing ? "Pause" : "Play";
    this.play.textContent = label;
    this.play.setAttribute("aria-label", label);
    this.play.setAttribute("aria-pressed", this.playing ? "true" : "false");
  }

  // ---- drawing a step --------------------------------------------------------------------

  updateControls() {
    const n = this.steps.length;
    const k = this.step;
    this.scrub.value = String(k < 0 ? Math.max(0, n - 1) : k);
    this.label.textContent = k < 0 ? `all ${n} steps done` : `step ${k + 1} of ${n}`;
    this.back.disabled = k === 0;
    this.next.disabled = k === n - 1;
    this.view.root.dataset.step = String(k);
    const s = k >= 0 ? this.steps[k] : null;
    this.chainTitle.textContent = s ? s.title || `step ${k + 1} of ${n}` : "The whole backward pass";
    this.chainLines.textContent = s ? (s.lines || []).join("\n")
      : "Every gradient has arrived. Press Play, Next or move the slider to replay it step by step.";
  }

  clear() {
    this.cancelFlow();
    const v = this.view;
    for (const g of v.nodes.values()) g.classList.remove("agl-current", "agl-done");
    for (const gs of v.edgeEls.values()) for (const g of gs) g.classList.remove("agl-sending");
    for (const t of v.canvas.querySelectorAll(".agl-grad-hidden")) t.classList.remove("agl-grad-hidden");
    v.canvas.querySelector(".agl-overlay")?.replaceChildren();
  }

  afterRender() {
    this.sync();
  }

  // Marks the step on the picture; the nodes' names then follow what their boxes show.
  apply() {
    this.mark();
    this.view.labelNodes();
  }

  mark() {
    this.view.root.dataset.step = String(this.step);
    if (!this.active) { this.clear(); return; }
    this.updateControls();
    if (this.view.rendering) return; // finished() re-applies once the morph is over
    this.clear();
    const k = this.step;
    if (k < 0) return;
    const steps = this.steps;
    const details = this.view.model.get("details") || {};
    const first = new Map();
    steps.forEach((s, i) => { if (!first.has(s.node)) first.set(s.node, i); });
    const current = steps[k].node;
    for (const [id, g] of this.view.nodes) {
      if (id === current) { g.classList.add("agl-current"); continue; }
      const i = first.get(id);
      if (i === undefined) continue;
      if (i < k) g.classList.add("agl-done");
      else this.hideGradLine(g, details[id]?.grad_line);
    }
    this.drawSends(steps[k].sends || []);
  }

  hideGradLine(g, line) {
    if (!line) return;
    for (const t of g.querySelectorAll("text")) {
      if (t.textContent === line) t.classList.add("agl-grad-hidden");
    }
  }

  drawSends(sends) {
    const layer = this.view.overlay();
    if (!layer) return;
    const flows = [];
    const labels = [];
    const taken = []; // the labels' boxes so far, so that two never cover each other
    for (const send of sends) {
      for (const g of this.view.edgeEls.get(send.edge) || []) {
        g.classList.add("agl-sending");
        const path = g.querySelector("path:not(.agl-hit)");
        if (!path) continue;
        const length = path.getTotalLength();
        flows.push({ path, length, dot: null });
        labels.push(this.drawLabel(layer, path, length, send, taken));
      }
    }
    // Dots go under the labels, so a label is never hidden by the dot passing it.
    if (flows.length && !reducedMotion()) this.runFlow(layer, flows);
    for (const label of labels) layer.append(label);
  }

  // The sent gradient, written beside the edge (not on it: the edges are short and the dot
  // runs along them), on a background so it stays readable over other lines. It goes to the
  // first place along the edge, right side then left, that covers no box and no other label.
  drawLabel(layer, path, length, send, taken) {
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
      requestAnimationFrame(() => { ({ w, h } = size()); this.placeLabel(group, path, length, w, h, taken); });
    }
    this.placeLabel(group, path, length, w, h, taken);
    return group;
  }

  placeLabel(group, path, length, w, h, taken) {
    const boxes = [...this.view.nodes.values()].map((g) => g.getBBox());
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

  // A dot runs from the consumer's end of each edge back to the input's: against the
  // arrow, the way the gradient goes.
  runFlow(layer, dots) {
    for (const d of dots) {
      const p = d.path.getPointAtLength(d.length);
      d.dot = svg("circle", { class: "agl-flow-dot", r: 3.5, cx: p.x, cy: p.y });
      layer.append(d.dot);
    }
    const start = performance.now();
    const frame = (now) => {
      const t = Math.min(1, (now - start) / FLOW_MS);
      const eased = t < 0.5 ? 2 * t * t : 1 - 2 * (1 - t) * (1 - t);
      for (const d of dots) {
        const p = d.path.getPointAtLength(d.length * (1 - eased));
        d.dot.setAttribute("cx", p.x);
        d.dot.setAttribute("cy", p.y);
      }
      if (t < 1) this.flow = requestAnimationFrame(frame);
      else { this.flow = null; for (const d of dots) d.dot.remove(); }
    };
    this.flow = requestAnimationFrame(frame);
  }

  cancelFlow() {
    if (this.flow) cancelAnimationFrame(this.flow);
    this.flow = null;
  }

  destroy() {
    this.stop();
    this.cancelFlow();
  }
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
