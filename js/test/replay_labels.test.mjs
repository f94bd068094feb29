// Where the replay may put an edge's label: never over a box.
import assert from "node:assert/strict";
import { test } from "node:test";
import { overlaps } from "../src/replay.js";

test("boxes that share area overlap, boxes apart do not", () => {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  assert.ok(overlaps(box, { x: 5, y: 5, width: 10, height: 10 }));
  assert.ok(!overlaps(box, { x: 20, y: 0, width: 5, height: 5 }));
  assert.ok(overlaps(box, { x: 10.5, y: 0, width: 5, height: 5 }), "within the margin counts");
  assert.ok(!overlaps(box, { x: 10.5, y: 0, width: 5, height: 5 }, 0));
});
