// The only module that touches d3-graphviz's private fields. The view needs them to run each
// view's morph on its own canvas and to recover from a morph that was stopped (see renderer.js).
// Checked against the version below: build.mjs refuses to build with any other.
export const CHECKED_D3_GRAPHVIZ = "5.6.0";

// A morph is still under way (d3-graphviz clears the flag a frame after the morph's end).
export function isMorphing(gv) {
  return Boolean(gv._active);
}

// Forget a morph that will not end by itself (stopped, or stale): nothing queued behind it.
export function forgetMorph(gv) {
  gv._active = false;
  gv._jobs.length = 0;
}

// The transition the next render() morphs with, or null for none (drawn at once).
export function morphWith(gv, transition) {
  gv._transition = transition;
}
