// The text around the picture, read from the model: captions, the message's look, the alt text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { KEYS_HINT } from "../src/a11y.js";
import { altText, captions, messageLook } from "../src/view_text.js";

const model = (state) => ({ get: (name) => state[name] });

test("missing traits read as empty text and not stale", () => {
  assert.deepEqual(captions(model({})), { title: "", stale: false, omitted: "", message: "", kind: "" });
  assert.deepEqual(captions(model({ title: "y = x * 2", stale: 1, message: "hi", message_kind: "warning" })),
    { title: "y = x * 2", stale: true, omitted: "", message: "hi", kind: "warning" });
});

test("an error message is an alert, any other a status", () => {
  assert.deepEqual(messageLook("error"), { className: "agl-message agl-message--error", role: "alert" });
  assert.deepEqual(messageLook("warning"), { className: "agl-message agl-message--warning", role: "status" });
  assert.deepEqual(messageLook(""), { className: "agl-message", role: "status" });
});

test("the picture is named by the kernel's label, else from the records, and described with the keys", () => {
  const sent = altText(model({ alt_label: "Autograd graph of d", alt_description: "d = c * 2" }));
  assert.equal(sent.label, "Autograd graph of d");
  assert.equal(sent.description, `d = c * 2\n${KEYS_HINT}`);
  const made = altText(model({ details: { n1: { label: "d", kind: "output" } } }));
  assert.equal(made.label, "Autograd graph of 1 node: d (output)");
  assert.equal(made.description, KEYS_HINT, "no description: the keys alone");
});
