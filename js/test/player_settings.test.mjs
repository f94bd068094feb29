// The site player's pure parts: setting keys, prediction scores, quiz answers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { quizAccepts, scorePrediction, settingKey } from "../src/player/settings.js";

test("a setting's key has one digit per switch, in the switches' order", () => {
  assert.equal(settingKey(["detach_d", "a_requires_grad"], { a_requires_grad: true, detach_d: false }), "0,1");
  assert.equal(settingKey(["x"], { x: true }), "1");
});

test("a prediction scores only what was answered", () => {
  const outcomes = {
    "a gets a .grad": { true: false, reason: "cut" },
    "c gets a .grad": { true: true, reason: "reached" },
    "d gets a .grad": { true: false, reason: "not a leaf" },
  };
  const score = scorePrediction({ "a gets a .grad": true, "c gets a .grad": true }, outcomes);
  assert.deepEqual([score.asked, score.answered, score.right], [3, 2, 1]);
  assert.deepEqual(score.marks.map((m) => m.right), [false, true, null]);
  assert.equal(scorePrediction({}, outcomes).answered, 0);
});

test("a quiz takes numbers as numbers and text without case or quotes", () => {
  assert.ok(quizAccepts([40], " 40.0 "));
  assert.ok(quizAccepts([0.1], "0.1000001"));
  assert.ok(!quizAccepts([40], "41"));
  assert.ok(!quizAccepts([40], ""));
  assert.ok(quizAccepts(["MulBackward0"], "`mulbackward0`"));
  assert.ok(quizAccepts(["retain graph"], "Retain   Graph"));
  assert.ok(!quizAccepts(["None"], null));
});
