// How a picture is framed in its canvas: size read from the layout, scale, box, panning into sight.
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeFrame, fitScale, graphSize, maxHeightPx, revealShift, viewBoxOf } from "../src/framing.js";

const node = (id) => ({ tag: "g", attributes: { class: "node" }, children: [{ tag: "title", children: [{ text: id }] }] });

test("a layout's size comes from its viewBox, else its width and height, and its nodes are counted", () => {
  const data = { attributes: { viewBox: "0 0 200 150" }, children: [{ tag: "g", attributes: { class: "graph" }, children: [node("a"), node("b"), { tag: "g", attributes: { class: "edge" } }] }] };
  assert.deepEqual(graphSize(data), { w: 200, h: 150, nodes: 2 });
  assert.deepEqual(graphSize({ attributes: { width: "80pt", height: "40pt" } }), { w: 80, h: 40, nodes: 0 });
  assert.deepEqual(graphSize({ attributes: { viewBox: "0 0 0 0" } }), { w: 100, h: 100, nodes: 0 }, "no size at all: a default");
  assert.equal(graphSize({ tag: "g", attributes: { class: "node agl-leaf" } }).nodes, 1, "a node with more classes counts");
  assert.equal(graphSize({ tag: "g", attributes: { class: "nodes" } }).nodes, 0, "only the class node itself");
});

test("the canvas grows to 85% of the window, never under 360 px", () => {
  assert.equal(maxHeightPx(1000), 850);
  assert.equal(maxHeightPx(200), 360);
  assert.equal(maxHeightPx(0), 680, "no window height: as if 800");
});

test("fit fills the width, never enlarges past 125% and keeps a small graph readable", () => {
  const wide = { w: 3000, h: 100, nodes: 5 };
  assert.equal(fitScale(wide, 800, 850), 0.6, "a small graph pans rather than shrinking under 60%");
  assert.equal(fitScale({ ...wide, nodes: 300 }, 800, 850), 0.2, "a big one shrinks further");
  assert.equal(fitScale({ w: 6000, h: 100, nodes: 300 }, 800, 850), 0.15, "but not under 15%");
  assert.equal(fitScale({ w: 100, h: 50, nodes: 3 }, 800, 850), 1.25);
  const tall = { w: 300, h: 3000, nodes: 50 };
  assert.equal(fitScale(tall, 800, 850), 0.75, "a tall graph keeps its text readable and pans");
  const k = fitScale({ w: 600, h: 400, nodes: 10 }, 800, 850);
  assert.equal(k, 1, "600 pt are 800 px at 100%");
});

test("a frame centres a small picture and keeps the scale it is asked to keep", () => {
  const size = { w: 300, h: 90, nodes: 3 };
  const fit = computeFrame(size, "fit", { widthPx: 800, maxHeight: 850 });
  assert.equal(fit.k, 1.25);
  assert.equal(fit.widthPx, 800);
  assert.equal(fit.heightPx, 150);
  assert.equal(fit.vbW, 480);
  assert.equal(fit.ox, 90, "centred across");
  assert.equal(fit.oy, 0);
  assert.equal(viewBoxOf(fit), "-90 0 480 90");
  const actual = computeFrame(size, "actual", { widthPx: 800, maxHeight: 850 });
  assert.equal(actual.k, 1);
  assert.equal(actual.heightPx, 120, "never under 120 px high");
  assert.equal(computeFrame(size, "keep", { widthPx: 800, maxHeight: 850, keptScale: 0.5 }).k, 0.5);
  assert.equal(computeFrame(size, "keep", { widthPx: 800, maxHeight: 850 }).k, 1.25, "nothing to keep: fit");
  const tall = computeFrame({ w: 300, h: 3000, nodes: 50 }, "fit", { widthPx: 800, maxHeight: 850 });
  assert.equal(tall.heightPx, 850, "no taller than the canvas may grow");
});

test("a node outside the canvas is panned in with a margin; one inside stays", () => {
  const view = { left: 0, right: 500, top: 0, bottom: 400 };
  assert.deepEqual(revealShift({ left: 100, right: 150, top: 100, bottom: 130 }, view), { dx: 0, dy: 0 });
  assert.deepEqual(revealShift({ left: 480, right: 530, top: -20, bottom: 10 }, view), { dx: -42, dy: 32 });
  assert.deepEqual(revealShift({ left: -50, right: 600, top: 20, bottom: 50 }, view), { dx: 62, dy: 0 }, "too wide: its start");
});
