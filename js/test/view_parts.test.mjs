// The small bookkeeping a view is assembled with: model watchers, its lifetime, the tooltip's
// words and place, the arrows that walk the nodes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeArrows } from "../src/keys.js";
import { Lifetime } from "../src/lifetime.js";
import { watchModel } from "../src/model_binding.js";
import { edgeTooltipText, tooltipSpot } from "../src/tooltip.js";

class FakeModel {
  constructor() { this.handlers = new Map(); }
  on(event, cb) { if (!this.handlers.has(event)) this.handlers.set(event, new Set()); this.handlers.get(event).add(cb); }
  off(event, cb) { this.handlers.get(event)?.delete(cb); }
  change(name) { for (const cb of [...(this.handlers.get(`change:${name}`) ?? [])]) cb(); }
}

test("a change runs what its trait is bound to, while the view lives and until it stops", () => {
  const model = new FakeModel();
  const seen = [];
  let alive = true;
  const stop = watchModel(model, [[["title", "stale"], () => seen.push("text")], [["dot"], () => seen.push("render")]], () => alive);
  model.change("stale");
  model.change("dot");
  model.change("steps");
  assert.deepEqual(seen, ["text", "render"]);
  alive = false;
  model.change("dot");
  assert.deepEqual(seen, ["text", "render"], "not once the view has gone");
  alive = true;
  stop();
  model.change("title");
  assert.deepEqual(seen, ["text", "render"], "stopped: no handler left");
  assert.equal([...model.handlers.values()].reduce((n, s) => n + s.size, 0), 0);
  assert.throws(() => watchModel(model, [[["dot"], "render"]]), /change of dot needs a function/);
});

test("a view's lifetime removes its listeners and runs its clean-ups once", () => {
  const added = new Map(); // type -> listener
  const target = {
    addEventListener: (type, fn) => added.set(type, fn),
    removeEventListener: (type, fn) => { if (added.get(type) === fn) added.delete(type); },
  };
  const life = new Lifetime();
  let cleaned = 0;
  life.listen(target, "click", () => {});
  life.listen(target, "keydown", () => {});
  life.add(() => { cleaned += 1; });
  assert.deepEqual([...added.keys()], ["click", "keydown"]);
  life.end();
  life.end();
  assert.equal(added.size, 0);
  assert.equal(cleaned, 1);
  assert.equal(life.ended, true);
  assert.throws(() => life.add(null), /must be a function/);
});

test("an edge's tooltip says its gradient, or that none was recorded", () => {
  assert.equal(edgeTooltipText({ grad: "tensor(2.)" }), "gradient carried: tensor(2.)");
  assert.equal(edgeTooltipText({ grad: 0 }), "gradient carried: 0");
  assert.equal(edgeTooltipText({ grad: "" }), "no gradient recorded");
  assert.equal(edgeTooltipText(undefined), "no gradient recorded");
});

test("the tooltip goes above the pointer, below when there is no room, never past the right edge", () => {
  const tip = { width: 100, height: 20 };
  assert.deepEqual(tooltipSpot(50, 100, tip, 600), { left: 62, top: 70 });
  assert.deepEqual(tooltipSpot(50, 10, tip, 600), { left: 62, top: 24 }, "no room above");
  assert.deepEqual(tooltipSpot(580, 100, tip, 600), { left: 496, top: 70 }, "kept inside the stage");
  assert.deepEqual(tooltipSpot(10, 100, tip, 50), { left: 0, top: 70 }, "a stage narrower than the tip: from its left");
});

test("Left and Right walk the nodes, except while they step the replay", () => {
  assert.deepEqual(nodeArrows(false), { forward: ["ArrowDown", "ArrowRight"], back: ["ArrowUp", "ArrowLeft"] });
  assert.deepEqual(nodeArrows(true), { forward: ["ArrowDown"], back: ["ArrowUp"] });
});
