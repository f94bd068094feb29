// The panel a click on a node (or Enter on it) opens: what the kernel recorded for that node.
//
// What it needs from the view (nothing else):
//   stage       the box the panel lies over (or, when narrow, under the picture); the view
//               puts `panel` in it
//   canvas      the picture's box: its height decides whether the panel fits over it
//   node(id)    the node's box on screen now (g.node), or undefined
//   details()   the kernel's records of the nodes, by id
//   listen(target, type, fn)  adds a listener that goes with the view
//   emit(type, detail)        sends an event from the view (agl:inspect)
import { h } from "./dom.js";

const OVERLAY_MIN_WIDTH = 640; // px of stage: narrower, the panel goes below the picture
const OVERLAY_MIN_HEIGHT = 260;

function text(value) {
  return value == null || value === "" ? null : String(value);
}

export class Inspector {
  constructor({ stage, canvas, node, details, listen, emit }) {
    this.stage = stage;
    this.canvas = canvas;
    this.node = node;
    this.details = details;
    this.emit = emit;
    this.id = null;
    this.panel = h("aside", { class: "agl-inspector", role: "dialog", "aria-label": "Node details", tabindex: "-1", hidden: true });
    listen(this.panel, "click", (event) => {
      const link = event.target.closest("[data-node]");
      if (link) { this.open(link.dataset.node, { at: event.timeStamp, focus: true }); return; }
      if (event.target.closest(".agl-close")) this.close({ refocus: true });
    });
  }

  get isOpen() {
    return this.id != null && !this.panel.hidden;
  }

  open(id, { at, from, focus } = {}) {
    if (id == null) return;
    const started = at ?? performance.now();
    this.select(id);
    this.fill(id);
    this.panel.hidden = false;
    this.place(from);
    if (focus) this.focusTarget().focus({ preventScroll: true });
    const ms = performance.now() - started;
    this.panel.dataset.ms = ms.toFixed(1);
    this.emit("agl:inspect", { node: id, ms });
  }

  // Where the focus goes in the panel: its close button (the dialog itself if it has none).
  focusTarget() {
    return this.panel.querySelector(".agl-close") ?? this.panel;
  }

  close({ refocus } = {}) {
    const id = this.id;
    this.select(null);
    this.panel.hidden = true;
    this.panel.replaceChildren();
    if (refocus && id != null) this.node(id)?.focus({ preventScroll: true });
  }

  select(id) {
    if (this.id != null) this.node(this.id)?.classList.remove("agl-selected");
    this.id = id;
    if (id != null) this.node(id)?.classList.add("agl-selected");
  }

  refresh() {
    if (this.isOpen) this.fill(this.id);
  }

  afterRender() {
    if (this.id == null) return;
    if (!this.node(this.id)) { this.close(); return; }
    this.select(this.id); // the morph rewrote the node's class
    this.fill(this.id);
    this.place();
  }

  // Over the picture, on the side away from the node, when there is room; else below it.
  place(from) {
    if (this.panel.hidden) return;
    const stage = this.stage.getBoundingClientRect();
    const canvasHeight = this.canvas.clientHeight;
    const overlay = stage.width >= OVERLAY_MIN_WIDTH && canvasHeight >= OVERLAY_MIN_HEIGHT;
    this.panel.classList.toggle("agl-inspector--overlay", overlay);
    this.panel.classList.toggle("agl-inspector--below", !overlay);
    if (!overlay) {
      this.panel.style.maxHeight = "";
      this.panel.style.top = "";
      // Below the picture, it may open out of sight: bring it in, on a learner's click.
      if (from) this.panel.scrollIntoView?.({ block: "nearest" });
      return;
    }
    this.panel.style.maxHeight = `${Math.max(160, canvasHeight - 16)}px`;
    const node = from ?? this.node(this.id);
    if (node) {
      // On the side away from the box, level with it: the box stays in sight beside it.
      const box = node.getBoundingClientRect();
      const right = box.left + box.width / 2 - stage.left > stage.width / 2;
      this.panel.classList.toggle("agl-inspector--left", right);
      this.panel.classList.toggle("agl-inspector--right", !right);
      const height = this.panel.offsetHeight;
      const level = box.top + box.height / 2 - stage.top - height / 2;
      this.panel.style.top = `${Math.round(Math.max(8, Math.min(level, canvasHeight - height - 8)))}px`;
    }
  }

  fill(id) {
    const details = this.details();
    const d = details[id] || {};
    const rows = [];
    const row = (name, value, cls) => {
      if (value == null) return;
      rows.push(h("dt", { text: name }), h("dd", { class: cls }, value));
    };
    const pre = (value, cls) => (text(value) == null ? null : h("pre", { class: cls, text: text(value) }));
    const names = (d.names || []).filter(Boolean);

    row("op", text(d.op), "agl-insp-op");
    row(names.length > 1 ? "names" : "name", names.length ? names.join(", ") : null, "agl-insp-names");
    row("kind", text(d.kind), "agl-insp-kind");
    row("shape", text(d.shape), "agl-insp-shape");
    row("dtype", text(d.dtype), "agl-insp-dtype");
    row("value", pre(d.value, "agl-insp-value"));
    row("gradient", pre(d.grad, "agl-insp-grad") ?? (d.ghost ? null : h("span", { class: "agl-muted", text: noGradient(d) })));

    if (d.saved?.length) {
      row("saved for backward", h("ul", { class: "agl-insp-saved" }, d.saved.map((s) => {
        const state = s.state === "freed" ? h("span", { class: "agl-tag agl-tag--freed", text: "FREED" })
          : s.state === "modified" ? h("span", { class: "agl-tag agl-tag--modified", text: "modified" }) : null;
        const value = text(s.text);
        const multiline = value != null && value.includes("\n");
        return h("li", { class: `agl-saved agl-saved--${s.state || "kept"}` },
          h("code", { text: s.name ?? "?" }), value != null && !multiline ? h("code", { text: ` = ${value}` }) : null,
          state, multiline ? h("pre", { text: value }) : null);
      })));
    }
    if (d.inputs?.length) {
      row("inputs", h("ul", { class: "agl-insp-inputs" }, d.inputs.map((input) => {
        const target = input.node != null && details[input.node] ? input.node : null;
        const label = text(input.label) ?? text(input.node) ?? "?";
        return h("li", {}, h("span", { class: "agl-slot", text: `${input.slot} \u2192 ` }),
          target ? h("button", { type: "button", class: "agl-input-link", "data-node": target, text: label })
            : h("span", { text: label }));
      })));
    }

    const heading = text(d.label) ?? text(d.op) ?? id;
    const parts = [
      h("div", { class: "agl-insp-head" },
        h("h3", { class: "agl-insp-title", text: heading }),
        h("button", { type: "button", class: "agl-close", "aria-label": "Close details", title: "Close (Esc)", text: "\u00d7" })),
      d.ghost ? h("p", { class: "agl-insp-note", text: "Removed by the last switch: drawn as a ghost." }) : null,
      Object.keys(d).length ? null : h("p", { class: "agl-insp-note", text: "No details recorded for this node." }),
      h("dl", { class: "agl-insp-fields" }, rows),
    ];
    // Refilled (new numbers after a switch): the focus stays in the panel, not on <body>.
    const hadFocus = this.panel.contains(document.activeElement) && document.activeElement !== this.panel;
    this.panel.replaceChildren(...parts.filter(Boolean));
    this.panel.dataset.node = id;
    this.panel.setAttribute("aria-label", `Details of ${heading}`);
    if (hadFocus) this.focusTarget().focus({ preventScroll: true });
  }
}

// Why a box shows no gradient, in the learner's words.
function noGradient(d) {
  if (d.kind === "cut") return "none: this input carries no gradient";
  if (d.kind === "leaf") return "none: backward has not reached this leaf (its .grad is None)";
  return "not shown: an operation passes gradients on and keeps none (replay the backward pass to see what it sent)";
}
