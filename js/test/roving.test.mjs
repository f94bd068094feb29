// The roving tabindex's bookkeeping, on stand-in elements.
import assert from "node:assert/strict";
import { test } from "node:test";
import { giveStop, holder, target } from "../src/roving.js";

const element = () => {
  const attributes = {};
  return { setAttribute: (k, v) => { attributes[k] = v; }, getAttribute: (k) => attributes[k] };
};

test("one element holds the tab stop", () => {
  const list = [element(), element(), element()];
  giveStop(list, list[1]);
  assert.deepEqual(list.map((e) => e.getAttribute("tabindex")), ["-1", "0", "-1"]);
});

test("the holder stays while it is there, else the first takes over", () => {
  const [a, b, c] = [element(), element(), element()];
  assert.equal(holder([a, b, c], b), b);
  assert.equal(holder([a, c], b), a);
  assert.equal(holder([], b), null);
});

test("the keys move within the list and stop at its ends", () => {
  const keys = { forward: ["ArrowDown"], back: ["ArrowUp"] };
  assert.equal(target("ArrowDown", 0, 4, keys), 1);
  assert.equal(target("ArrowDown", 3, 4, keys), 3);
  assert.equal(target("ArrowUp", 0, 4, keys), 0);
  assert.equal(target("Home", 2, 4, keys), 0);
  assert.equal(target("End", 0, 4, keys), 3);
  assert.equal(target("Enter", 0, 4, keys), null);
  assert.equal(target("ArrowDown", 0, 0, keys), null);
});
