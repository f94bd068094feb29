// The backward replay's steps as numbers and words, apart from the picture: which step is
// shown (-1: all done, the whole pass), where Back and Next go, what the controls say and
// how each node looks at a step. A step is {node, title, lines, sends} as the kernel records it.

// The step `k` (from the model or the scrubber) as one of `n` steps: -1 when it is none.
export function clampStep(k, n) {
  k = Number.isFinite(Number(k)) ? Math.trunc(Number(k)) : -1;
  return k < 0 || n === 0 ? -1 : Math.min(k, n - 1);
}

// Where Back (delta -1) or Next (+1) go from `step`, among `n` steps: from "all done" (-1),
// Next starts at the first and Back at the last. Null when there are no steps.
export function stepAfter(step, delta, n) {
  if (!n) return null;
  const from = step < 0 ? (delta > 0 ? -1 : n) : step;
  return Math.max(0, Math.min(n - 1, from + delta));
}

// The words beside the scrubber.
export function stepLabel(k, n) {
  return k < 0 ? `all ${n} steps done` : `step ${k + 1} of ${n}`;
}

// The chain rule's lines shown under the picture at step `k`.
export function chainText(steps, k) {
  const s = k >= 0 ? steps[k] : null;
  return {
    title: s ? s.title || `step ${k + 1} of ${steps.length}` : "The whole backward pass",
    lines: s ? (s.lines || []).join("\n")
      : "Every gradient has arrived. Press Play, Next or move the slider to replay it step by step.",
  };
}

// How each node looks at step `k` (>= 0): "current" (its step), "done" (its first step has
// passed) or "ahead" (its gradient has not arrived: hidden). Nodes no step names are left out.
export function nodeMarks(steps, k) {
  const first = new Map();
  steps.forEach((s, i) => { if (!first.has(s.node)) first.set(s.node, i); });
  const current = steps[k].node;
  const marks = new Map([[current, "current"]]);
  for (const [id, i] of first) {
    if (id !== current) marks.set(id, i < k ? "done" : "ahead");
  }
  return marks;
}
