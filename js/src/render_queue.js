// The bookkeeping of one view's renders, apart from any drawing (renderer.js draws): one
// render at a time; a DOT that comes during one waits, and only the latest is drawn after it;
// a callback from a render that is no longer the current one is ignored; and a watchdog ends
// a render whose end never comes, so the queue never waits forever behind it.
export class RenderQueue {
  constructor() {
    this.rendering = false;
    this.pending = false; // a DOT came during the render under way
    this.token = 0; // which render a callback belongs to
    this.shown = null; // the DOT on screen ("" for none, null before the first)
    this.renders = 0; // renders finished
    this.watchdog = null;
    this.stopped = false;
  }

  // What to do with the model's `dot` now: "stopped" (the view is gone), "later" (a render is
  // under way: the model's DOT is asked for again at its end), "shown" (already on screen),
  // "empty" (nothing to draw) or "draw".
  request(dot) {
    if (this.stopped) return "stopped";
    if (this.rendering) { this.pending = true; return "later"; }
    if (dot === this.shown) return "shown";
    if (!dot.trim()) return "empty";
    return "draw";
  }

  // A render starts: its token, for its callbacks to show.
  begin() {
    this.rendering = true;
    this.token += 1;
    return this.token;
  }

  isCurrent(token) {
    return this.rendering && token === this.token;
  }

  // `onStall` runs if the render has not finished `ms` from now (each call restarts the wait).
  watch(ms, onStall) {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(onStall, ms);
  }

  // The render `token` drew `dot`; false for a late callback (the render was already ended).
  finish(token, dot) {
    if (!this.isCurrent(token)) return false;
    this.end();
    this.shown = dot;
    this.renders += 1;
    return true;
  }

  // The render under way failed (the picture on screen stays).
  fail() {
    this.end();
  }

  showEmpty() {
    this.shown = "";
  }

  // Whether a DOT came during the render just ended (asked once: it is then forgotten).
  takePending() {
    const pending = this.pending;
    this.pending = false;
    return pending;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.watchdog);
  }

  end() {
    clearTimeout(this.watchdog);
    this.rendering = false;
  }
}
