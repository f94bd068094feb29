// Draws the model's DOT: Graphviz (wasm) lays it out and d3-graphviz morphs the picture on
// screen into the new one, keyed by node id. One render at a time (render_queue.js), each
// finished by a watchdog if its end never comes.
//
// The view (`host`) is called at fixed points of every render:
//   dot()             the model's DOT now
//   frame()           how the picture sits in the canvas (viewport.js), or null before the first
//   showError(text)   the render error under the picture ("" takes it away)
//   beforeRender()    the picture is about to change: take off what d3-graphviz does not know
//   laidOut(data)     the new layout (d3-graphviz's data): show the stage and frame it
//   drawing()         the morph has started
//   drawn()           the new picture is on screen and the render is over: decorate it
//   nodeCount()       the nodes drawn, for the agl:rendered event
//   settled()         after the agl:rendered event
//   failed(hadPicture) Graphviz could not draw the DOT; hadPicture: an older picture stays
//   emptied()         the model's DOT is empty: nothing to show
// It sends agl:morphstart and agl:rendered from `root`, which carries the class agl-rendering
// while a render is under way, data-duration (the morph's ms) and data-renders.
import { select } from "d3-selection";
import "d3-transition"; // selection.transition() and selection.interrupt()
import { graphviz } from "d3-graphviz";
import { keepAccessible } from "./a11y.js";
import { emit, reducedMotion } from "./dom.js";
import { forBrowserFonts } from "./fonts.js";
import { viewBoxOf } from "./framing.js";
import { forgetMorph, isMorphing, morphWith } from "./graphviz_adapter.js";
import { RenderQueue } from "./render_queue.js";

const MORPH_MS = 500;
const MORPH = "agl-morph"; // the morph's transition name
const STALL_MS = 1500; // a render whose end has not come this long after its morph's end is finished anyway
const IDLE_WAIT_MS = 250; // the most a render waits for d3-graphviz to clear its "morph running" flag

export class Renderer {
  constructor({ canvas, stage, root, host }) {
    this.canvas = canvas;
    this.stage = stage;
    this.root = root;
    this.host = host;
    this.queue = new RenderQueue();
    this.duration = 0; // the morph's ms for the render under way
    this.morphSent = false;
    this.requested = 0;
    this.layoutMs = 0;
    this.gv = graphviz(canvas, {
      useWorker: false, zoom: true, fit: false, growEnteringEdges: false, zoomScaleExtent: [0.05, 20],
    });
    // Size the <svg> ourselves (fit to width, height follows); d3-graphviz then tweens
    // width, height and viewBox along with the morph.
    this.gv.attributer(function (d) {
      keepAccessible(d, this);
      if (d.tag !== "svg") return;
      const f = host.frame();
      if (!f) return;
      d.attributes.width = f.widthPx;
      d.attributes.height = f.heightPx;
      d.attributes.viewBox = viewBoxOf(f);
      d.attributes.preserveAspectRatio = "xMinYMin meet";
    });
    this.gv.onerror((message) => this.failed(message));
    this.gv.on("transitionStart", () => this.morphStarted());
  }

  get busy() {
    return this.queue.rendering;
  }

  // The DOT on screen ("" for none, null before the first).
  get shown() {
    return this.queue.shown;
  }

  // Draw the model's DOT (after the render under way, if any).
  request() {
    const dot = this.host.dot() || "";
    const next = this.queue.request(dot);
    if (next === "shown") this.host.showError(""); // back to the picture on screen
    else if (next === "empty") { this.queue.showEmpty(); this.host.emptied(); }
    else if (next === "draw") this.start(dot);
  }

  start(dot) {
    const token = this.queue.begin();
    this.root.classList.add("agl-rendering");
    this.morphSent = false;
    this.requested = performance.now();
    const animate = this.canMorph();
    this.duration = animate ? MORPH_MS : 0;
    this.gv.tweenPaths(animate).tweenShapes(animate);
    this.root.dataset.duration = String(this.duration);
    this.host.beforeRender();
    try {
      this.gv.dot(forBrowserFonts(dot), () => this.safeStep(() => this.laidOut(dot, token)));
    } catch (error) {
      this.failed(error?.message ?? String(error));
    }
  }

  // Only a picture the learner sees morphs. The first one, one in a display:none box (a tab not
  // shown), one on a background page (no animation frames there) and every one under reduced
  // motion are drawn at once.
  canMorph() {
    return !!this.queue.shown && !this.stage.hidden && this.canvas.getClientRects().length > 0
      && document.visibilityState !== "hidden" && !reducedMotion();
  }

  safeStep(fn) {
    try { fn(); } catch (error) { this.failed(error?.message ?? String(error)); }
  }

  laidOut(dot, token) {
    if (!this.queue.isCurrent(token)) return;
    this.layoutMs = performance.now() - this.requested;
    this.host.laidOut(this.gv.data());
    this.whenIdle(() => { if (this.queue.isCurrent(token)) this.safeStep(() => this.draw(dot, token, this.duration)); });
  }

  // d3-graphviz clears its "morph running" flag a frame after the morph's end; a render
  // started before then is queued inside it and its callback dropped. A flag still set after
  // IDLE_WAIT_MS is stale (its reset was on a transition that was stopped).
  whenIdle(fn) {
    const since = performance.now();
    const go = () => {
      if (this.queue.stopped) return;
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
    // The end-of-render callback comes from d3's transition; if it never does, the queue must
    // not wait forever behind this render.
    this.queue.watch(duration + STALL_MS, () => this.stalled(dot, token));
    this.gv.render(() => this.finished(dot, token));
    this.host.drawing();
  }

  stalled(dot, token) {
    if (this.queue.stopped || !this.queue.isCurrent(token)) return;
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
    if (this.morphSent || !this.queue.rendering) return;
    this.morphSent = true;
    emit(this.root, "agl:morphstart", { duration: this.duration, renders: this.queue.renders + 1 });
  }

  finished(dot, token) {
    if (!this.queue.finish(token, dot)) return; // a late callback, after the watchdog
    morphWith(this.gv, null); // spent: never reused by a later render
    this.root.classList.remove("agl-rendering");
    this.host.showError("");
    this.host.drawn();
    this.root.dataset.renders = String(this.queue.renders);
    emit(this.root, "agl:rendered", {
      renders: this.queue.renders, duration: this.duration, layoutMs: this.layoutMs,
      totalMs: performance.now() - this.requested, nodes: this.host.nodeCount(),
    });
    this.host.settled();
    this.flushPending();
  }

  failed(message) {
    this.queue.fail();
    morphWith(this.gv, null);
    this.root.classList.remove("agl-rendering");
    const text = String(message || "unknown error").trim();
    this.host.showError(`Graphviz could not draw this graph: ${text}`);
    this.host.failed(!!this.queue.shown);
    this.flushPending();
  }

  // The DOTs that came during a render: only the latest (the model's now) is drawn.
  flushPending() {
    if (!this.queue.takePending()) return;
    setTimeout(() => this.request(), 0); // out of d3's callback first
  }

  stop() {
    this.queue.stop();
  }
}
