// Fit, pan and zoom: how the picture sits in the canvas (framing.js computes the frame), the
// toolbar's zoom and fit, d3-zoom's drag and wheel, and panning a focused node into sight.
//
// What it needs from the view:
//   gv          d3-graphviz's renderer (its zoom behaviour and its copy of the <svg>'s attributes)
//   canvas      the picture's box; root, container: whose widths stand in while it is hidden
//   svgEl()     the <svg> on screen, if any
//   shown()     false while the stage is hidden (no picture, or a failed first one)
//   busy()      true while a render is under way: a new frame waits for its end
//   moved()     after the frame changed (the inspector's panel follows)
//   zoomed()    on every zoom or pan step (the edge tooltip hides)
import { select } from "d3-selection";
import "d3-transition"; // selection.transition() and selection.interrupt()
import { zoomTransform } from "d3-zoom";
import { reducedMotion } from "./dom.js";
import { computeFrame, graphSize, maxHeightPx, revealShift, viewBoxOf } from "./framing.js";

const ZOOM_MS = 250;
const ZOOM = "agl-zoom"; // the zoom's transition name

export class Viewport {
  constructor({ gv, canvas, root, container, svgEl, shown, busy, moved, zoomed }) {
    Object.assign(this, { gv, canvas, root, container, svgEl, shown, busy, moved, zoomed });
    this.size = null; // the picture's size in pt and node count
    this.frame = null; // how it sits in the canvas
    this.fitMode = "fit"; // "fit" | "actual" | "manual" (the learner zoomed or panned)
    this.zoomReady = false;
    this.needsReframe = false; // asked for during a render
  }

  canvasWidth() {
    // hidden (display:none): the width it had on screen last
    return this.canvas.clientWidth || this.frame?.widthPx || this.root.clientWidth || this.container.clientWidth || 640;
  }

  frameFor(mode) {
    return computeFrame(this.size, mode, {
      widthPx: this.canvasWidth(), maxHeight: maxHeightPx(window.innerHeight), keptScale: this.frame?.k ?? null,
    });
  }

  // The frame the fit mode asks for; a learner's own zoom keeps its scale.
  refitted() {
    return this.frameFor(this.fitMode === "manual" ? "keep" : this.fitMode);
  }

  // A new picture is laid out (d3-graphviz's `data`; the stage is shown): the frame its
  // morph draws it into.
  fitNew(data) {
    this.size = graphSize(data);
    this.frame = this.refitted();
    this.stopZoom(); // a zoom still gliding would fight the morph over the top group's transform
  }

  applyFrame() {
    const svgEl = this.svgEl();
    if (!svgEl || !this.frame) return;
    const f = this.frame;
    svgEl.setAttribute("width", f.widthPx);
    svgEl.setAttribute("height", f.heightPx);
    svgEl.setAttribute("viewBox", viewBoxOf(f));
    // Keep d3-graphviz's copy of the attributes in step, so its next morph starts here.
    const data = this.gv.data();
    if (data?.attributes) {
      data.attributes.width = f.widthPx;
      data.attributes.height = f.heightPx;
      data.attributes.viewBox = svgEl.getAttribute("viewBox");
    }
  }

  reframe() {
    if (!this.size || !this.shown()) return;
    if (this.busy()) { this.needsReframe = true; return; }
    this.frame = this.refitted();
    this.applyFrame();
    this.moved();
  }

  setFitMode(mode) {
    if (!this.size) return;
    this.fitMode = mode;
    if (this.busy()) { this.needsReframe = true; return; }
    this.frame = this.frameFor(mode);
    this.applyFrame();
    this.stopZoom(); // or a zoom still gliding would carry on past the reset
    if (this.gv.zoomBehavior()) this.gv.resetZoom();
    this.moved();
  }

  // A render is over: a frame asked for during it is made now.
  settle() {
    if (!this.needsReframe) return;
    this.needsReframe = false;
    this.reframe();
  }

  // Once d3-graphviz has made its zoom behaviour (after the first render).
  setupZoom() {
    const zoom = this.gv.zoomBehavior();
    if (!zoom || this.zoomReady) return;
    this.zoomReady = true;
    const root = this.root;
    // Plain wheel scrolls the notebook; the wheel zooms with Ctrl/Cmd (and trackpad
    // pinch, which sends ctrlKey) or once the learner is working inside the view.
    zoom.filter(function (event) {
      if (event.type === "wheel") return event.ctrlKey || event.metaKey || root.contains(document.activeElement);
      return (!event.ctrlKey || event.type === "touchstart") && !event.button;
    });
    zoom.on("zoom.agl", (event) => {
      if (event.sourceEvent) this.fitMode = "manual";
      this.zoomed();
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
    const { dx, dy } = revealShift(node.getBoundingClientRect(), this.canvas.getBoundingClientRect());
    if (!dx && !dy) return;
    const k = zoomTransform(svgEl).k * scale; // screen px per unit of the zoomed group
    this.stopZoom();
    const target = reducedMotion() ? select(svgEl) : select(svgEl).transition(ZOOM).duration(ZOOM_MS);
    zoom.translateBy(target, dx / k, dy / k);
  }

  // Refits when the canvas's width changes; returns the function that stops watching. Against
  // the frame's width, not the last one observed: a picture drawn while hidden (display:none,
  // width 0) was framed without a width and is refitted when shown.
  watchResize() {
    if (typeof ResizeObserver !== "function") return () => {};
    const observer = new ResizeObserver(() => {
      const now = this.canvas.clientWidth;
      if (now > 0 && now !== this.frame?.widthPx) this.reframe();
    });
    observer.observe(this.canvas);
    return () => observer.disconnect();
  }
}
