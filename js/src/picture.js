// The picture on screen, as the other parts see it: its nodes by id and its edges by
// "SRC->DST" (both from the <title>s d3-graphviz keeps), and what the view adds to the SVG
// that d3-graphviz does not know about (wide hit paths on the edges, the replay's overlay,
// the focus ring's layer, the nodes' names and tab stop).
import { labelNodes } from "./a11y.js";
import { svg, titleOf } from "./dom.js";
import { giveStop, holder } from "./roving.js";

export class Picture {
  // busy(): true while a render is under way (the nodes are not named then)
  constructor(canvas, { busy }) {
    this.canvas = canvas;
    this.busy = busy;
    this.nodes = new Map(); // id -> g.node
    this.edges = new Map(); // "SRC->DST" -> [g.edge]
  }

  svgEl() {
    return this.canvas.querySelector("svg");
  }

  topGroup() {
    return this.svgEl()?.querySelector("g");
  }

  // After a render: the new picture's nodes and edges.
  index() {
    this.nodes.clear();
    this.edges.clear();
    const svgEl = this.svgEl();
    if (!svgEl) return;
    for (const g of svgEl.querySelectorAll("g.node")) {
      const id = titleOf(g);
      if (id != null) this.nodes.set(id, g);
    }
    for (const g of svgEl.querySelectorAll("g.edge")) {
      const key = titleOf(g);
      if (key == null) continue;
      if (!this.edges.has(key)) this.edges.set(key, []);
      this.edges.get(key).push(g);
    }
  }

  // Things d3-graphviz does not know about must leave before it diffs the DOM again (its
  // data join would trip on elements without data) and come back after (decorate).
  clearDecorations() {
    const svgEl = this.svgEl();
    if (!svgEl) return;
    for (const el of svgEl.querySelectorAll(".agl-hit, .agl-overlay, .agl-focus-layer")) el.remove();
  }

  decorate() {
    this.labelNodes();
    for (const gs of this.edges.values()) {
      for (const g of gs) {
        const path = g.querySelector("path");
        if (!path || g.querySelector(".agl-hit")) continue;
        // Edges are 1 pt wide: a wide invisible twin makes them easy to hover.
        g.append(svg("path", { class: "agl-hit", d: path.getAttribute("d"), fill: "none", stroke: "transparent", "stroke-width": 10 }));
      }
    }
  }

  // Not while a render is under way: the boxes still read the old picture, and the names
  // of the new one are already on them (keepAccessible).
  labelNodes() {
    if (this.busy()) return;
    labelNodes(this.nodes);
    this.roveNodes();
  }

  // One node holds the graph's tab stop: the one that had it if it is still there (the focus
  // survives a morph), else the output (drawn first).
  roveNodes() {
    const nodes = [...this.nodes.values()];
    const focused = nodes.find((g) => g === document.activeElement);
    const previous = focused ?? nodes.find((g) => g.getAttribute("tabindex") === "0");
    giveStop(nodes, holder(nodes, previous));
  }

  // The layer over the picture (panned and zoomed with it) where the replay draws.
  overlay() {
    const top = this.topGroup();
    if (!top) return null;
    let layer = top.querySelector(":scope > .agl-overlay");
    if (!layer) {
      layer = svg("g", { class: "agl-overlay", "pointer-events": "none" });
      top.append(layer);
    }
    return layer;
  }
}
