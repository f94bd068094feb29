// Where the replay may put an edge's label: never over a box.
import assert from "node:assert/strict";
import { test } from "node:test";
import { besideEdge, overlaps } from "../src/edge_labels.js";

test("boxes that share area overlap, boxes apart do not", () => {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  assert.ok(overlaps(box, { x: 5, y: 5, width: 10, height: 10 }));
  assert.ok(!overlaps(box, { x: 20, y: 0, width: 5, height: 5 }));
  assert.ok(overlaps(box, { x: 10.5, y: 0, width: 5, height: 5 }), "within the margin counts");
  assert.ok(!overlaps(box, { x: 10.5, y: 0, width: 5, height: 5 }, 0));
});

// A straight stand-in for an SVG path from (x0, y0) to (x1, y1).
const line = (x0, y0, x1, y1) => {
  const length = Math.hypot(x1 - x0, y1 - y0);
  return {
    getTotalLength: () => length,
    getPointAtLength: (at) => ({ x: x0 + ((x1 - x0) * at) / length, y: y0 + ((y1 - y0) * at) / length }),
  };
};

test("a label sits beside its edge, clear of the line, on the side asked for", () => {
  const down = line(0, 0, 0, 100); // an edge running straight down
  const right = besideEdge(down, 50, 20, 10, 1);
  const left = besideEdge(down, 50, 20, 10, -1);
  assert.equal(right.y, 50);
  assert.equal(left.y, 50);
  assert.equal(right.x, 13, "half its width plus 3 off the line");
  assert.equal(left.x, -13);
  const across = besideEdge(line(0, 0, 100, 0), 50, 20, 10, 1);
  assert.equal(Math.abs(across.y), 8, "half its height plus 3 off a level line");
  assert.equal(across.x, 50);
});
