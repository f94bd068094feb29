// One render at a time: what a request does, late callbacks ignored, the watchdog.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RenderQueue } from "../src/render_queue.js";

test("a new DOT is drawn, the one on screen and an empty one are not", () => {
  const queue = new RenderQueue();
  assert.equal(queue.request("digraph { a }"), "draw");
  assert.equal(queue.request("  "), "empty");
  queue.showEmpty();
  assert.equal(queue.request(""), "shown", "an empty DOT again: nothing more to do");
  const token = queue.begin();
  assert.ok(queue.finish(token, "digraph { a }"));
  assert.equal(queue.request("digraph { a }"), "shown");
  assert.equal(queue.renders, 1);
});

test("a DOT during a render waits, and is asked for once at its end", () => {
  const queue = new RenderQueue();
  const token = queue.begin();
  assert.equal(queue.request("digraph { b }"), "later");
  assert.equal(queue.request("digraph { c }"), "later");
  assert.ok(queue.finish(token, "digraph { a }"));
  assert.equal(queue.takePending(), true);
  assert.equal(queue.takePending(), false, "asked once");
  assert.equal(queue.request("digraph { c }"), "draw", "the latest is drawn next");
});

test("a callback of an older or ended render is ignored", () => {
  const queue = new RenderQueue();
  const first = queue.begin();
  queue.fail();
  assert.equal(queue.isCurrent(first), false, "a failed render is over");
  const second = queue.begin();
  assert.equal(queue.isCurrent(first), false);
  assert.equal(queue.isCurrent(second), true);
  assert.equal(queue.finish(first, "old"), false);
  assert.ok(queue.finish(second, "new"));
  assert.equal(queue.finish(second, "new"), false, "finished once");
  assert.equal(queue.shown, "new");
  assert.equal(queue.renders, 1);
});

test("the watchdog fires for a render that does not end, and not for one that does", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const queue = new RenderQueue();
  const stalls = [];
  const first = queue.begin();
  queue.watch(2000, () => stalls.push(first));
  queue.watch(500, () => stalls.push("restarted")); // each call restarts the wait
  t.mock.timers.tick(499);
  assert.deepEqual(stalls, []);
  t.mock.timers.tick(1);
  assert.deepEqual(stalls, ["restarted"]);
  const second = queue.begin();
  queue.watch(500, () => stalls.push(second));
  queue.finish(second, "drawn");
  t.mock.timers.tick(5000);
  assert.deepEqual(stalls, ["restarted"], "a finished render's watchdog is off");
});

test("a stopped queue draws nothing more and its watchdog is off", (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const queue = new RenderQueue();
  let stalled = false;
  queue.begin();
  queue.watch(100, () => { stalled = true; });
  queue.stop();
  t.mock.timers.tick(1000);
  assert.equal(stalled, false);
  assert.equal(queue.request("digraph { a }"), "stopped");
});
