// Generic font names become the fonts Graphviz measures text by; labels are left alone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { forBrowserFonts } from "../src/fonts.js";

test("fontname monospace and sans-serif become Courier and Helvetica, quoted or not", () => {
  assert.equal(forBrowserFonts("node [fontname=monospace]"), 'node [fontname="Courier"]');
  assert.equal(forBrowserFonts('node [fontname="sans-serif", shape=box]'), 'node [fontname="Helvetica", shape=box]');
  assert.equal(forBrowserFonts("graph [fontname = Mono;]"), 'graph [fontname = "Courier";]');
});

test("a label that mentions a font, and other fonts, stay as they are", () => {
  const dot = 'a [label="fontname=monospace" fontname="Times"]';
  assert.equal(forBrowserFonts(dot), dot);
  assert.equal(forBrowserFonts("a [fontname=monospaced]"), "a [fontname=monospaced]", "only whole names");
});
