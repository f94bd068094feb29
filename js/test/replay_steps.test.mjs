// The replay's steps as numbers and words: clamping, Back and Next, the controls' text, marks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chainText, clampStep, nodeMarks, stepAfter, stepLabel } from "../src/replay_steps.js";

test("a step is clamped into the steps there are; anything else means all done (-1)", () => {
  assert.equal(clampStep(2, 5), 2);
  assert.equal(clampStep(9, 5), 4);
  assert.equal(clampStep("3", 5), 3);
  assert.equal(clampStep(2.7, 5), 2);
  assert.equal(clampStep(-1, 5), -1);
  assert.equal(clampStep(null, 5), 0, "null reads as 0, as Number(null) does");
  assert.equal(clampStep(undefined, 5), -1);
  assert.equal(clampStep("x", 5), -1);
  assert.equal(clampStep(2, 0), -1, "no steps");
});

test("Next from all done starts at the first, Back at the last; both stop at the ends", () => {
  assert.equal(stepAfter(-1, 1, 4), 0);
  assert.equal(stepAfter(-1, -1, 4), 3);
  assert.equal(stepAfter(1, 1, 4), 2);
  assert.equal(stepAfter(3, 1, 4), 3);
  assert.equal(stepAfter(0, -1, 4), 0);
  assert.equal(stepAfter(0, 1, 0), null, "no steps: nowhere to go");
});

test("the controls say which step of how many, and the chain shows its lines", () => {
  assert.equal(stepLabel(-1, 4), "all 4 steps done");
  assert.equal(stepLabel(0, 4), "step 1 of 4");
  const steps = [{ node: "a", title: "d = c * 2", lines: ["dd/dc = 2", "grad c = 2"] }, { node: "b" }];
  assert.deepEqual(chainText(steps, 0), { title: "d = c * 2", lines: "dd/dc = 2\ngrad c = 2" });
  assert.deepEqual(chainText(steps, 1), { title: "step 2 of 2", lines: "" });
  assert.equal(chainText(steps, -1).title, "The whole backward pass");
});

test("at a step its node is current, nodes of earlier steps done, later ones ahead", () => {
  const steps = [{ node: "d" }, { node: "c" }, { node: "a" }, { node: "c" }, { node: "b" }];
  const marks = nodeMarks(steps, 3);
  assert.equal(marks.get("c"), "current");
  assert.equal(marks.get("d"), "done");
  assert.equal(marks.get("a"), "done");
  assert.equal(marks.get("b"), "ahead");
  assert.equal(marks.has("z"), false, "a node no step names is left alone");
  assert.equal(nodeMarks(steps, 1).get("a"), "ahead");
});
