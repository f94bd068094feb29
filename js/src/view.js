// One view of a GraphView model: lays the DOT out with Graphviz (wasm) through d3-graphviz,
// morphs between pictures keyed by node id, fits, pans and zooms, and hosts the inspector
// panel and the backward replay.
import { select } from "d3-selection";
import "d3-transition"; // selection.transition() and selection.interrupt()
import { graphviz } from "d3-graphviz";
import { zoomTransform } from "d3-zoom";
import { KEYS_HINT, keepAccessible, labelNodes, pictureLabel } from "./a11y.js";
import { h, reducedMotion, svg, titleOf } from "./dom.js";
import { loadGraphviz } from "./graphviz_shared.js";
import { clearFocusRing, drawFocusRing, redrawFocusRing } from "./focus_ring.js";
import { Inspector } from "./inspector.js";
import { forgetMorph, isMorphing, morphWith } from "./graphviz_adapter.js";
import { Replay } from "./replay.js";
import { giveStop, holder, target } from "./roving.js";
import { downloadPng, downloadSvg } from "./export.js";
import { watchTheme } from "./theme.js";

const MORPH_MS = 500;
const ZOOM_MS = 250;
const MORPH = "agl-morph"; // transition names
const ZOOM = "agl-zoom";
const STALL_MS = 1500; // a render whose end has not come this long after its morph's end is finished anyway
const IDLE_WAIT_MS = 250; // the most a render waits for d3-graphviz to clear its "morph running" flag
const MAX_SCALE = 1.25; // fit never enlarges past this
const MIN_SCALE_SMALL = 0.6; // a graph of up to SMALL_GRAPH nodes stays readable: pan instead
const MIN_SCALE = 0.15;
const READABLE_SCALE = 0.75; // fitting the height never shrinks text below this
const SMALL_GRAPH = 30;
const MIN_HEIGHT = 120; // px: the picture never collapses
const PX_PER_PT = 4 / 3; // Graphviz works in points
const REVEAL_MARGIN = 12; // px kept between a node given the focus and the canvas's edge

function graphSize(data) {
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

// Graphviz in wasm has no fonts: it sizes text from built-in metrics, and knows
// "monospace" only as Times (too narrow: the text spills out of its box). Courier's
// metrics match any monospace font the browser draws with (CSS picks the face), and
// Helvetica's are close to the browser's sans-serif.
const FONT_ALIASES = { monospace: "Courier", mono: "Courier", "sans-serif": "Helvetica", sans: "Helvetica" };
export function forBrowserFonts(dot) {
  // Quoted strings (labels) are matched first and left alone.
  return dot.replace(/"(?:[^"\\]|\\.)*"|(\bfontname\s*=\s*)("?)(monospace|mono|sans-serif|sans)\2(?=[\s,;\]])/gi,
    (match, head, _q, name) => (head ? `${head}"${FONT_ALIASES[name.toLowerCase()]}"` : match));
}

export class View {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.renders = 0;
    this.rendering = false;
    this.pending = false;
    this.shownDot = null; // the DOT on screen
    this.size = null; // that picture's size in pt and node count
    this.frame = null; // how it sits in the canvas
    this.fitMode = "fit"; // "fit" | "actual" | "manual" (the learner zoomed or panned)
    this.renderToken = 0; // which render a callback belongs to
    this.watchdog = null;
    this.nodes = new Map(); // id -> g.node
    this.edgeEls = new Map(); // "SRC->DST" -> [g.edge]
    this.listeners = [];
    this.disposers = [];
    this.destroyed = false;

    this.build();
    this.inspector = new Inspector(this);
    this.replay = new Replay(this);
    this.disposers.push(watchTheme(this.root));
    this.bindModel();
    this.bindDom();
    this.syncText();
    this.replay.sync();
    loadGraphviz().catch((error) => this.showRenderError(`Graphviz could not start: ${error?.message ?? error}`));
    this.requestRender();
  }

  // ---- structure -------------------------------------------------------------------

  build() {
    const button = (cls, text, label) => h("button", { type: "button", class: `agl-button ${cls}`, "aria-label": label, title: label, text });
    this.titleEl = h("div", { class: "agl-title" });
    this.badge = h("span", { class: "agl-badge", text: "out of date", hidden: true });
    this.toolbar = h("div", { class: "agl-toolbar", role: "toolbar", "aria-label": "Picture" },
      button("agl-zoom-in", "+", "Zoom in"),
      button("agl-zoom-out", "\u2212", "Zoom out"),
      button("agl-fit", "Fit", "Fit to width"),
      button("agl-actual", "100%", "Actual size (100%)"),
      button("agl-download-svg", "SVG", "Download the picture as SVG"),
      button("agl-download-png", "PNG", "Download the picture as PNG"));
    this.toolButtons = [...this.toolbar.querySelectorAll("button")];
    giveStop(this.toolButtons, this.toolButtons[0]);
    this.header = h("div", { class: "agl-header" }, h("div", { class: "agl-heading" }, this.titleEl, this.badge), this.toolbar);
    // The picture as a whole: a figure named by its text alternative, described node by
    // node (and how to use the keys) in a text only screen readers see. A random id: every
    // view on a page may run its own copy of this module, so no counter is unique.
    const describedBy = `agl-desc-${Math.random().toString(36).slice(2, 10)}`;
    // Not a tab stop itself: one node of it is (the roving tabindex); it takes the focus
    // only when the focused node leaves the picture.
    this.canvas = h("div", { class: "agl-canvas", tabindex: "-1", role: "figure", "aria-describedby": describedBy });
    this.altDescription = h("div", { class: "agl-sr-only", id: describedBy });
    this.tooltip = h("div", { class: "agl-tooltip", role: "tooltip", hidden: true });
    this.stage = h("div", { class: "agl-stage" }, this.canvas, this.altDescription, this.tooltip);
    this.body = h("div", { class: "agl-body" }, this.stage);
    this.omittedEl = h("div", { class: "agl-omitted", hidden: true });
    this.messageEl = h("div", { class: "agl-message", role: "status", hidden: true });
    this.errorEl = h("div", { class: "agl-render-error agl-message--error", role: "alert", hidden: true });
    this.root = h("div", { class: "agl-view", "data-renders": "0", "data-theme": "light" },
      this.header, this.body, this.omittedEl, this.messageEl, this.errorEl);
    this.el.append(this.root);

    this.gv = graphviz(this.canvas, {
      useWorker: false, zoom: true, fit: false, growEnteringEdges: false, zoomScaleExtent: [0.05, 20],
    });
    const view = this;
    // Size the <svg> ourselves (fit to width, height follows); d3-graphviz then tweens
    // width, height and viewBox along with the morph.
    this.gv.attributer(function (d) {
      keepAccessible(d, this);
      if (d.tag !== "svg" || !view.frame) return;
      const f = view.frame;
      d.attributes.width = f.widthPx;
      d.attributes.height = f.heightPx;
      d.attributes.viewBox = `${-f.ox} ${-f.oy} ${f.vbW} ${f.vbH}`;
      d.attributes.preserveAspectRatio = "xMinYMin meet";
    });
    this.gv.onerror((message) => this.renderFailed(message));
    this.gv.on("transitionStart", () => this.morphStarted());
  }

  on(target, type, fn, options) {
    target.addEventListener(type, fn, options);
    this.listeners.push(() => target.removeEventListener(type, fn, options));
  }

  bindModel() {
    const m = this.model;
    const watch = (names, fn) => {
      for (const name of names) {
        const cb = () => { if (!this.destroyed) fn(); };
        m.on(`change:${name}`, cb);
        this.disposers.push(() => m.off(`change:${name}`, cb));
      }
    };
    watch(["dot"], () => this.requestRender());
    watch(["title", "message", "message_kind", "omitted", "stale"], () => this.syncText());
    watch(["alt_label", "alt_description"], () => this.syncAlt());
    watch(["details"], () => { this.inspector.refresh(); this.replay.apply(); this.syncAlt(); });
    watch(["steps", "mode"], () => this.replay.sync());
    watch(["step"], () => this.replay.fromModel());
  }

  bindDom() {
    const tb = this.toolbar;
    this.on(tb.querySelector(".agl-zoom-in"), "click", () => this.zoomBy(1.25));
    this.on(tb.querySelector(".agl-zoom-out"), "click", () => this.zoomBy(0.8));
    this.on(tb.querySelector(".agl-fit"), "click", () => this.setFitMode("fit"));
    this.on(tb.querySelector(".agl-actual"), "click", () => this.setFitMode("actual"));
    this.on(tb.querySelector(".agl-download-svg"), "click", () => this.safely(() => downloadSvg(this)));
    this.on(tb.querySelector(".agl-download-png"), "click", () => this.safely(() => downloadPng(this)));

    this.on(this.canvas, "click", (event) => {
      const node = event.target.closest?.("g.node");
      if (node && this.canvas.contains(node)) this.inspector.open(titleOf(node), { at: event.timeStamp, from: node });
    });
    this.on(this.canvas, "pointerover", (event) => this.hoverEdge(event));
    this.on(this.canvas, "pointermove", (event) => this.hoverEdge(event));
    this.on(this.canvas, "pointerleave", () => { this.tooltip.hidden = true; });
    this.on(this.root, "keydown", (event) => this.keydown(event));
    this.on(this.canvas, "focusin", (event) => {
      const node = event.target.closest?.("g.node");
      if (node && node.getAttribute("tabindex") !== "0") giveStop([...this.nodes.values()], node);
      if (!node || this.rendering || !node.matches(":focus-visible")) return; // not on a click
      drawFocusRing(this, node);
      this.reveal(node);
    });
    this.on(this.canvas, "focusout", () => clearFocusRing(this));

    if (typeof ResizeObserver === "function") {
      // Against the frame's width, not the last one observed: a picture drawn while hidden
      // (display:none, width 0) was framed without a width and is refitted when shown.
      const observer = new ResizeObserver(() => {
        const now = this.canvas.clientWidth;
        if (now > 0 && now !== this.frame?.widthPx) this.reframe();
      });
      observer.observe(this.canvas);
      this.disposers.push(() => observer.disconnect());
    }
  }

  keydown(event) {
    const t = event.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t?.isContentEditable;
    const node = t?.closest?.("g.node");
    if (event.key === "Escape" && this.inspector.isOpen) {
      // back to the node, unless the learner has moved on to another one
      const elsewhere = node && titleOf(node) !== this.inspector.id;
      this.inspector.close({ refocus: !elsewhere });
      event.stopPropagation();
      return;
    }
    if (node && (event.key === "Enter" || event.key === " ")) {
      // what a click does, and the focus goes into the panel so a screen reader reads it
      this.inspector.open(titleOf(node), { at: event.timeStamp, from: node, focus: true });
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    if (this.toolbar.contains(t) && this.moveAlong(this.toolButtons, t, event, ["ArrowRight"], ["ArrowLeft"])) return;
    const stepping = this.replay.active;
    const [forward, back] = stepping ? [["ArrowDown"], ["ArrowUp"]] : [["ArrowDown", "ArrowRight"], ["ArrowUp", "ArrowLeft"]];
    if (node && this.moveAlong([...this.nodes.values()], node, event, forward, back)) return;
    if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && this.replay.active) {
      this.replay.stepBy(event.key === "ArrowLeft" ? -1 : 1);
      event.preventDefault();
      event.stopPropagation();
    }
  }

  // The arrow keys (and Home, End) move the focus and the tab stop along `elements`.
  moveAlong(elements, from, event, forward, back) {
    const to = target(event.key, elements.indexOf(from), elements.length, { forward, back });
    if (to == null) return false;
    giveStop(elements, elements[to]);
    elements[to].focus({ preventScroll: true });
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  // After a render: one node holds the graph's tab stop, the one that had it if it is still
  // there (the focus survives a morph), else the output (drawn first).
  roveNodes() {
    const nodes = [...this.nodes.values()];
    const focused = nodes.find((g) => g === document.activeElement);
    const previous = focused ?? nodes.find((g) => g.getAttribute("tabindex") === "0");
    giveStop(nodes, holder(nodes, previous));
  }

  // ---- text around the picture -------------------------------------------------------

  syncText() {
    const m = this.model;
    const title = m.get("title") || "";
    this.titleEl.textContent = title;
    this.titleEl.hidden = !title;
    const stale = !!m.get("stale");
    this.root.classList.toggle("agl-stale", stale);
    this.badge.hidden = !stale;
    const omitted = m.get("omitted") || "";
    this.omittedEl.textContent = omitted;
    this.omittedEl.hidden = !omitted;
    const message = m.get("message") || "";
    const kind = m.get("message_kind") || "";
    this.messageEl.textContent = message;
    this.messageEl.hidden = !message;
    this.messageEl.className = `agl-message${kind ? ` agl-message--${kind}` : ""}`;
    this.messageEl.setAttribute("role", kind === "error" ? "alert" : "status");
    this.syncAlt();
  }

  // The canvas is named by the picture's text alternative; the description says it node by node.
  syncAlt() {
    const label = pictureLabel(this.model);
    if (this.canvas.getAttribute("aria-label") !== label) this.canvas.setAttribute("aria-label", label);
    const description = [this.model.get("alt_description"), KEYS_HINT].filter(Boolean).join("\n");
    if (this.altDescription.textContent !== description) this.altDescription.textContent = description;
  }

  showRenderError(text) {
    this.errorEl.textContent = text;
    this.errorEl.hidden = !text;
    if (text) this.emit("agl:error", { message: text });
  }

  safely(fn) {
    try {
      const result = fn();
      if (result && typeof result.catch === "function") result.catch((e) => this.showRenderError(String(e?.message ?? e)));
    } catch (e) {
      this.showRenderError(String(e?.message ?? e));
    }
  }

  emit(type, detail) {
    this.root.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: { time: performance.now(), ...detail } }));
  }

  // ---- rendering ---------------------------------------------------------------------

  requestRender() {
    if (this.destroyed) return;
    if (this.rendering) { this.pending = true; return; }
    const dot = this.model.get("dot") || "";
    if (dot === this.shownDot) { this.showRenderError(""); return; } // back to the picture on screen
    if (!dot.trim()) { this.showEmpty(); return; }
    this.startRender(dot);
  }

  showEmpty() {
    this.shownDot = "";
    this.stage.hidden = true;
    this.toolbar.hidden = true;
    this.inspector.close();
    this.showRenderError("");
    this.replay.sync();
  }

  startRender(dot) {
    this.rendering = true;
    this.root.classList.add("agl-rendering");
    const token = ++this.renderToken;
    this.morphSent = false;
    this.requested = performance.now();
    const animate = this.canMorph();
    this.duration = animate ? MORPH_MS : 0;
    this.gv.tweenPaths(animate).tweenShapes(animate);
    this.root.dataset.duration = String(this.duration);
    // A node keeps its tabindex through the morph (keepAccessible), but a node that leaves, or
    // a panel refilled, drops the focus: remember where it was and put it back afterwards.
    const focused = this.root.contains(document.activeElement) ? document.activeElement : null;
    const focusedNode = focused?.closest?.("g.node");
    const inPanel = !!focused && this.inspector.panel.contains(focused);
    this.refocus = focused ? {
      node: focusedNode ? titleOf(focusedNode) : inPanel ? this.inspector.id : null,
      panel: inPanel,
      el: focusedNode || inPanel ? null : focused,
    } : null;
    this.replay.clear();
    this.clearDecorations();
    try {
      this.gv.dot(forBrowserFonts(dot), () => this.safeStep(() => this.afterLayout(dot, token)));
    } catch (error) {
      this.renderFailed(error?.message ?? String(error));
    }
  }

  // Only a picture the learner sees morphs. The first one, one in a display:none box (a tab not
  // shown), one on a background page (no animation frames there) and every one under reduced
  // motion are drawn at once.
  canMorph() {
    return !!this.shownDot && !this.stage.hidden && this.canvas.getClientRects().length > 0
      && document.visibilityState !== "hidden" && !reducedMotion();
  }

  safeStep(fn) {
    try { fn(); } catch (error) { this.renderFailed(error?.message ?? String(error)); }
  }

  afterLayout(dot, token) {
    if (token !== this.renderToken || !this.rendering) return;
    this.layoutMs = performance.now() - this.requested;
    this.size = graphSize(this.gv.data());
    this.stage.hidden = false;
    this.toolbar.hidden = false;
    this.frame = this.computeFrame(this.fitMode === "manual" ? "keep" : this.fitMode);
    this.stopZoom(); // a zoom still gliding would fight the morph over the top group's transform
    this.whenIdle(() => { if (token === this.renderToken && this.rendering) this.safeStep(() => this.draw(dot, token, this.duration)); });
  }

  // d3-graphviz clears its "morph running" flag a frame after the morph's end; a render
  // started before then is queued inside it and its callback dropped. A flag still set after
  // IDLE_WAIT_MS is stale (its reset was on a transition that was stopped).
  whenIdle(fn) {
    const since = performance.now();
    const go = () => {
      if (this.destroyed) return;
      if (isMorphing(this.gv) && performance.now() - since < IDLE_WAIT_MS) { setTimeout(go, 16); return; }
      forgetMorph(this.gv);
      fn();
    };
    go();
  }

  draw(dot, token, duration) {
    // Not d3-graphviz's gv.transition(factory): the factory's transitions are scheduled on
    // document.documentElement, which every view shares, and anywidget evaluates this bundle
    // once per widget, so each view's own d3 numbers its transitions from 1. Two views morphing
    // at once then collide there, d3 throws "too late; already running" inside d3-graphviz's
    // render, and that render never draws nor calls back. A transition on this view's own
    // canvas is out of other views' reach; d3-graphviz's render() morphs with it (morphWith).
    morphWith(this.gv, duration > 0 ? select(this.canvas).transition(MORPH).duration(duration) : null);
    if (duration === 0) this.morphStarted();
    clearTimeout(this.watchdog);
    // The end-of-render callback comes from d3's transition; if it never does, the queue must
    // not wait forever behind this render.
    this.watchdog = setTimeout(() => this.stalled(dot, token), duration + STALL_MS);
    this.gv.render(() => this.finished(dot, token));
    this.keepFocus();
  }

  // d3-graphviz puts the new picture's elements in order at once (then tweens them), and a
  // node moved among its siblings loses the focus: give it back now, not only once the morph
  // is over, so the learner's next Tab starts from there.
  keepFocus() {
    const id = this.refocus?.node;
    const active = document.activeElement;
    if (id == null || this.refocus.panel || (active && active !== document.body)) return;
    const node = [...(this.svgEl()?.querySelectorAll("g.node") ?? [])].find((g) => titleOf(g) === id);
    node?.focus({ preventScroll: true });
  }

  stalled(dot, token) {
    if (this.destroyed || token !== this.renderToken || !this.rendering) return;
    console.warn(`graph view: the picture was not done ${this.duration + STALL_MS} ms after it started; drawing it without animation`);
    this.stopMorph();
    if (this.duration === 0) { this.finished(dot, token); return; }
    // A stopped morph leaves shapes half way and removed elements in place: put the same layout
    // on screen at once (no transition, so drawn and called back synchronously).
    this.duration = 0;
    this.root.dataset.duration = "0";
    this.safeStep(() => this.draw(dot, token, 0));
  }

  stopMorph() {
    const canvas = select(this.canvas);
    canvas.interrupt(MORPH);
    canvas.selectAll("*").interrupt(MORPH);
    // d3-graphviz resets these at the end of the transition just stopped
    forgetMorph(this.gv);
    morphWith(this.gv, null);
  }

  morphStarted() {
    if (this.morphSent || !this.rendering) return;
    this.morphSent = true;
    this.emit("agl:morphstart", { duration: this.duration, renders: this.renders + 1 });
  }

  finished(dot, token) {
    if (token !== this.renderToken || !this.rendering) return; // a late callback, after the watchdog
    clearTimeout(this.watchdog);
    morphWith(this.gv, null); // spent: never reused by a later render
    this.rendering = false;
    this.root.classList.remove("agl-rendering");
    this.shownDot = dot;
    this.renders += 1;
    this.showRenderError("");
    // Whatever goes wrong while decorating, the render counts and the queue moves on.
    for (const step of [() => this.setupZoom(), () => this.indexElements(), () => this.decorate(),
      () => this.inspector.afterRender(), () => this.replay.afterRender()]) {
      try { step(); } catch (error) { console.error("graph view:", error); }
    }
    this.restoreFocus();
    redrawFocusRing(this);
    this.root.dataset.renders = String(this.renders);
    this.emit("agl:rendered", {
      renders: this.renders, duration: this.duration, layoutMs: this.layoutMs,
      totalMs: performance.now() - this.requested, nodes: this.nodes.size,
    });
    if (this.needsReframe) { this.needsReframe = false; this.reframe(); }
    this.flushPending();
  }

  restoreFocus() {
    const want = this.refocus;
    this.refocus = null;
    const active = document.activeElement;
    if (!want || (active && active !== document.body)) return; // kept, or the learner moved on
    const panel = want.panel && this.inspector.isOpen ? this.inspector.focusTarget() : null;
    const target = panel || (want.node != null && this.nodes.get(want.node))
      || (want.el?.isConnected ? want.el : this.canvas);
    target.focus({ preventScroll: true });
  }

  // The dots that came during a render: only the latest (the model's now) is drawn.
  flushPending() {
    if (!this.pending) return;
    this.pending = false;
    setTimeout(() => this.requestRender(), 0); // out of d3's callback first
  }

  renderFailed(message) {
    clearTimeout(this.watchdog);
    morphWith(this.gv, null);
    this.rendering = false;
    this.root.classList.remove("agl-rendering");
    const text = String(message || "unknown error").trim();
    this.showRenderError(`Graphviz could not draw this graph: ${text}`);
    if (this.shownDot) this.decorate(); // the old picture stays; put its decorations back
    else { this.stage.hidden = true; this.toolbar.hidden = true; }
    this.replay.afterRender();
    this.flushPending();
  }

  indexElements() {
    this.nodes.clear();
    this.edgeEls.clear();
    const svgEl = this.svgEl();
    if (!svgEl) return;
    for (const g of svgEl.querySelectorAll("g.node")) {
      const id = titleOf(g);
      if (id != null) this.nodes.set(id, g);
    }
    for (const g of svgEl.querySelectorAll("g.edge")) {
      const key = titleOf(g);
      if (key == null) continue;
      if (!this.edgeEls.has(key)) this.edgeEls.set(key, []);
      this.edgeEls.get(key).push(g);
    }
  }

  svgEl() {
    return this.canvas.querySelector("svg");
  }

  topGroup() {
    return this.svgEl()?.querySelector("g");
  }

  // Things d3-graphviz does not know about must leave before it diffs the DOM again (its
  // data join would trip on elements without data) and come back after.
  clearDecorations() {
    const svgEl = this.svgEl();
    if (!svgEl) return;
    for (const el of svgEl.querySelectorAll(".agl-hit, .agl-overlay, .agl-focus-layer")) el.remove();
  }

  decorate() {
    this.labelNodes();
    for (const gs of this.edgeEls.values()) {
      for (const g of gs) {
        const path = g.querySelector("path");
        if (!path || g.querySelector(".agl-hit")) continue;
        // Edges are 1 pt wide: a wide invisible twin makes them easy to hover.
        g.append(svg("path", { class: "agl-hit", d: path.getAttribute("d"), fill: "none", stroke: "transparent", "stroke-width": 10 }));
      }
    }
  }

  // Not while a render is under way: the boxes still read the old picture, and the names
  // of the new one are already on them (keepAccessible).
  labelNodes() {
    if (this.rendering) return;
    labelNodes(this.nodes);
    this.roveNodes();
  }

  overlay() {
    const top = this.topGroup();
    if (!top) return null;
    let layer = top.querySelector(":scope > .agl-overlay");
    if (!layer) {
      layer = svg("g", { class: "agl-overlay", "pointer-events": "none" });
      top.append(layer);
    }
    return layer;
  }

  // ---- fit, pan and zoom ---------------------------------------------------------------

  canvasWidth() {
    // hidden (display:none): the width it had on screen last
    return this.canvas.clientWidth || this.frame?.widthPx || this.root.clientWidth || this.el.clientWidth || 640;
  }

  maxHeight() {
    return Math.max(360, Math.round((window.innerHeight || 800) * 0.85));
  }

  computeFrame(mode) {
    const size = this.size;
    const widthPx = this.canvasWidth();
    const availPt = widthPx / PX_PER_PT;
    let k;
    if (mode === "actual") k = 1;
    else if (mode === "keep" && this.frame) k = this.frame.k;
    else {
      // Fit the width, and the height too as long as the text stays readable: a taller
      // graph keeps READABLE_SCALE and pans.
      const floor = size.nodes <= SMALL_GRAPH ? MIN_SCALE_SMALL : MIN_SCALE;
      const heightK = this.maxHeight() / PX_PER_PT / size.h;
      k = Math.max(floor, Math.min(MAX_SCALE, availPt / size.w, Math.max(heightK, READABLE_SCALE)));
    }
    const heightPx = Math.round(Math.max(MIN_HEIGHT, Math.min(size.h * k * PX_PER_PT, this.maxHeight())));
    const vbW = availPt / k;
    const vbH = heightPx / PX_PER_PT / k;
    return { k, widthPx, heightPx, vbW, vbH, ox: Math.max(0, (vbW - size.w) / 2), oy: Math.max(0, (vbH - size.h) / 2) };
  }

  applyFrame() {
    const svgEl = this.svgEl();
    if (!svgEl || !this.frame) return;
    const f = this.frame;
    svgEl.setAttribute("width", f.widthPx);
    svgEl.setAttribute("height", f.heightPx);
    svgEl.setAttribute("viewBox", `${-f.ox} ${-f.oy} ${f.vbW} ${f.vbH}`);
    // Keep d3-graphviz's copy of the attributes in step, so its next morph starts here.
    const data = this.gv.data();
    if (data?.attributes) {
      data.attributes.width = f.widthPx;
      data.attributes.height = f.heightPx;
      data.attributes.viewBox = svgEl.getAttribute("viewBox");
    }
  }

  reframe() {
    if (!this.size || this.stage.hidden) return;
    if (this.rendering) { this.needsReframe = true; return; }
    this.frame = this.computeFrame(this.fitMode === "manual" ? "keep" : this.fitMode);
    this.applyFrame();
    this.inspector.place();
  }

  setFitMode(mode) {
    if (!this.size) return;
    this.fitMode = mode;
    if (this.rendering) { this.needsReframe = true; return; }
    this.frame = this.computeFrame(mode);
    this.applyFrame();
    this.stopZoom(); // or a zoom still gliding would carry on past the reset
    if (this.gv.zoomBehavior()) this.gv.resetZoom();
    this.inspector.place();
  }

  setupZoom() {
    const zoom = this.gv.zoomBehavior();
    if (!zoom || this.zoomReady) return;
    this.zoomReady = true;
    const view = this;
    // Plain wheel scrolls the notebook; the wheel zooms with Ctrl/Cmd (and trackpad
    // pinch, which sends ctrlKey) or once the learner is working inside the view.
    zoom.filter(function (event) {
      if (event.type === "wheel") return event.ctrlKey || event.metaKey || view.root.contains(document.activeElement);
      return (!event.ctrlKey || event.type === "touchstart") && !event.button;
    });
    zoom.on("zoom.agl", (event) => {
      if (event.sourceEvent) this.fitMode = "manual";
      this.tooltip.hidden = true;
    });
    select(this.svgEl()).on("dblclick.zoom", null);
  }

  stopZoom() {
    const svgEl = this.svgEl();
    if (svgEl) select(svgEl).interrupt(ZOOM);
  }

  zoomBy(factor) {
    const zoom = this.gv.zoomBehavior();
    const svgEl = this.svgEl();
    if (!zoom || !svgEl) return;
    this.fitMode = "manual";
    const target = reducedMotion() ? select(svgEl) : select(svgEl).transition(ZOOM).duration(ZOOM_MS);
    zoom.scaleBy(target, factor);
  }

  // A node given the focus is brought into the canvas if the pan or zoom has it outside:
  // the focus ring must be seen. Panned like a zoom button (no glide under reduced motion).
  reveal(node) {
    const zoom = this.gv.zoomBehavior();
    const svgEl = this.svgEl();
    const scale = svgEl?.getScreenCTM()?.a;
    if (!zoom || !svgEl || !scale) return;
    const box = node.getBoundingClientRect();
    const view = this.canvas.getBoundingClientRect();
    const shift = (low, high, min, max) => {
      if (high - low > max - min - 2 * REVEAL_MARGIN) return min + REVEAL_MARGIN - low; // too big: its start
      if (low < min + REVEAL_MARGIN) return min + REVEAL_MARGIN - low;
      if (high > max - REVEAL_MARGIN) return max - REVEAL_MARGIN - high;
      return 0;
    };
    const dx = shift(box.left, box.right, view.left, view.right);
    const dy = shift(box.top, box.bottom, view.top, view.bottom);
    if (!dx && !dy) return;
    const k = zoomTransform(svgEl).k * scale; // screen px per unit of the zoomed group
    this.stopZoom();
    const target = reducedMotion() ? select(svgEl) : select(svgEl).transition(ZOOM).duration(ZOOM_MS);
    zoom.translateBy(target, dx / k, dy / k);
  }

  // ---- edge tooltip ------------------------------------------------------------------

  hoverEdge(event) {
    const edge = event.target.closest?.("g.edge");
    if (!edge || !this.canvas.contains(edge)) {
      if (event.type === "pointerover") this.tooltip.hidden = true;
      return;
    }
    const key = titleOf(edge);
    const info = (this.model.get("edges") || {})[key];
    const text = info?.grad != null && info.grad !== "" ? `gradient carried: ${info.grad}` : "no gradient recorded";
    if (this.tooltip.textContent !== text) this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const box = this.stage.getBoundingClientRect();
    const x = event.clientX - box.left + 12;
    // Above the pointer: an edge runs down into the box that consumes it, which must stay
    // readable (below only when there is no room above).
    const above = event.clientY - box.top - this.tooltip.offsetHeight - 10;
    const y = above >= 0 ? above : event.clientY - box.top + 14;
    const maxX = Math.max(0, box.width - this.tooltip.offsetWidth - 4);
    this.tooltip.style.left = `${Math.min(x, maxX)}px`;
    this.tooltip.style.top = `${y}px`;
  }

  // ---- teardown ------------------------------------------------------------------------

  destroy() {
    this.destroyed = true;
    clearTimeout(this.watchdog);
    this.replay.destroy();
    for (const off of this.listeners) off();
    for (const dispose of this.disposers) dispose();
    this.listeners = [];
    this.disposers = [];
    this.root.remove();
  }
}
