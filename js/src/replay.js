// The backward replay: Back / Play / Next / scrubber over the recorded steps. A step only
// changes classes and labels on the picture already drawn (no layout), so scrubbing is
// instant.
//
// What it needs from the view (nothing else):
//   root          the view's root: its class agl-replaying and data-mode, data-step say what is shown
//   record        what the model holds: steps(), mode(), step() (the step it asks for), details()
//   saveStep(k)   sends the step shown back to the model
//   picture       the picture on screen (picture.js): nodes, edges, canvas, overlay(), labelNodes()
//   busy()        true while a render is under way: the marks wait for its end
//   blank()       true while the view shows no picture (an empty DOT): nothing to step through
//   listen(target, type, fn)  adds a listener that goes with the view
//   emit(type, detail)        sends an event from the view (agl:step)
// The view puts `controls` under its header and `chain` under the picture.
import { h, reducedMotion } from "./dom.js";
import { drawLabel } from "./edge_labels.js";
import { GradientFlow } from "./gradient_flow.js";
import { chainText, clampStep, nodeMarks, stepAfter, stepLabel } from "./replay_steps.js";

const PLAY_MS = 1200;

export class Replay {
  constructor({ root, record, saveStep, picture, busy, blank, listen, emit }) {
    Object.assign(this, { root, record, saveStep, picture, busy, blank, emit });
    this.step = -1;
    this.playing = null;
    this.flow = new GradientFlow();
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

    listen(this.back, "click", () => { this.stop(); this.stepBy(-1); });
    listen(this.next, "click", () => { this.stop(); this.stepBy(1); });
    listen(this.play, "click", () => (this.playing ? this.stop() : this.start()));
    listen(this.scrub, "input", () => { this.stop(); this.go(Number(this.scrub.value)); });
  }

  get steps() {
    return this.record.steps() || [];
  }

  get active() {
    return this.record.mode() === "stepper" && this.steps.length > 0 && !this.blank();
  }

  // steps or mode changed: rebuild the controls around the model's step
  sync() {
    const n = this.steps.length;
    const on = this.active;
    this.controls.hidden = !on;
    this.chain.hidden = !on;
    this.root.classList.toggle("agl-replaying", on);
    this.root.dataset.mode = this.record.mode() || "graph";
    if (!on) this.stop();
    this.scrub.max = String(Math.max(0, n - 1));
    this.step = clampStep(this.record.step(), n);
    this.apply();
  }

  // the model asks for another step
  fromModel() {
    const k = clampStep(this.record.step(), this.steps.length);
    if (k !== this.step) {
      this.step = k;
      this.apply();
    }
  }

  stepBy(delta) {
    const k = stepAfter(this.step, delta, this.steps.length);
    if (k != null) this.go(k);
  }

  go(k) {
    k = clampStep(k, this.steps.length);
    if (k === this.step) return;
    this.step = k;
    this.apply();
    this.saveStep(k);
    this.emit("agl:step", { step: k });
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
    this.label.textContent = stepLabel(k, n);
    this.back.disabled = k === 0;
    this.next.disabled = k === n - 1;
    this.root.dataset.step = String(k);
    const chain = chainText(this.steps, k);
    this.chainTitle.textContent = chain.title;
    this.chainLines.textContent = chain.lines;
  }

  // Takes every step mark off the picture.
  clear() {
    this.flow.cancel();
    const p = this.picture;
    for (const g of p.nodes.values()) g.classList.remove("agl-current", "agl-done");
    for (const gs of p.edges.values()) for (const g of gs) g.classList.remove("agl-sending");
    for (const t of p.canvas.querySelectorAll(".agl-grad-hidden")) t.classList.remove("agl-grad-hidden");
    p.canvas.querySelector(".agl-overlay")?.replaceChildren();
  }

  afterRender() {
    this.sync();
  }

  // Marks the step on the picture; the nodes' names then follow what their boxes show.
  apply() {
    this.mark();
    this.picture.labelNodes();
  }

  mark() {
    this.root.dataset.step = String(this.step);
    if (!this.active) { this.clear(); return; }
    this.updateControls();
    if (this.busy()) return; // the render's end re-applies once the morph is over
    this.clear();
    const k = this.step;
    if (k < 0) return;
    const steps = this.steps;
    const details = this.record.details() || {};
    const marks = nodeMarks(steps, k);
    for (const [id, g] of this.picture.nodes) {
      const mark = marks.get(id);
      if (mark === "current") g.classList.add("agl-current");
      else if (mark === "done") g.classList.add("agl-done");
      else if (mark === "ahead") hideGradLine(g, details[id]?.grad_line);
    }
    this.drawSends(steps[k].sends || []);
  }

  drawSends(sends) {
    const layer = this.picture.overlay();
    if (!layer) return;
    const boxes = () => [...this.picture.nodes.values()].map((g) => g.getBBox());
    const flows = [];
    const labels = [];
    const taken = []; // the labels' boxes so far, so that two never cover each other
    for (const send of sends) {
      for (const g of this.picture.edges.get(send.edge) || []) {
        g.classList.add("agl-sending");
        const path = g.querySelector("path:not(.agl-hit)");
        if (!path) continue;
        const length = path.getTotalLength();
        flows.push({ path, length });
        labels.push(drawLabel(layer, path, length, send, taken, boxes));
      }
    }
    // Dots go under the labels, so a label is never hidden by the dot passing it.
    if (flows.length && !reducedMotion()) this.flow.run(layer, flows);
    for (const label of labels) layer.append(label);
  }

  destroy() {
    this.stop();
    this.flow.cancel();
  }
}

// A gradient the replay has not reached yet is hidden: the box's line that shows it.
function hideGradLine(g, line) {
  if (!line) return;
  for (const t of g.querySelectorAll("text")) {
    if (t.textContent === line) t.classList.add("agl-grad-hidden");
  }
}
