// What a screen reader hears from the view: the picture's name and description (sent by the
// kernel, or made here from the node records when it sent none), a name for each node box
// that reads what the box shows, and which parts of the SVG are noise to leave out.

export const KEYS_HINT = "Tab enters the graph at its output; the arrow keys move through the nodes (Down "
  + "towards the leaves, Up back; Left and Right too, except in the backward replay, where they step it), Home and "
  + "End go to the first and the last; Enter or Space opens a node's details, Escape closes them. Drag to pan; "
  + "Ctrl+wheel or pinch to zoom.";

const FALLBACK_NODES = 8; // nodes named in a label made from the records

const KIND_WORDS = [
  ["agl-output", "output"],
  ["agl-leaf", "leaf"],
  ["agl-cut", "input with no gradient"],
  ["agl-group", "module box"],
  ["agl-more", "not drawn"],
  ["agl-ghost", "removed by the last switch"],
  ["agl-current", "this backward step"],
];

// "Autograd graph of 4 nodes: d (output), c, a (leaf), b (leaf)", for a model without alt text.
export function labelFromDetails(details, title) {
  const records = Object.values(details || {}).filter((d) => !d.ghost);
  if (!records.length) return title || "Autograd graph";
  const names = records.slice(0, FALLBACK_NODES).map((d) => {
    const name = d.label || d.op || "node";
    return d.kind === "output" || d.kind === "leaf" ? `${name} (${d.kind})` : name;
  });
  const more = records.length > FALLBACK_NODES ? ` and ${records.length - FALLBACK_NODES} more` : "";
  const head = `Autograd graph of ${records.length} node${records.length === 1 ? "" : "s"}: ${names.join(", ")}${more}`;
  return title ? `${title}: ${head}` : head;
}

export function pictureLabel(model) {
  return model.get("alt_label") || labelFromDetails(model.get("details"), model.get("title"));
}

// A node's name: the lines its box shows now (a gradient the replay has not reached yet is
// hidden, and so left out) and what kind of box it is.
export function nodeName(g) {
  const lines = [...g.querySelectorAll("text")]
    .filter((t) => !t.classList.contains("agl-grad-hidden"))
    .map((t) => t.textContent);
  return nameOf(lines, [...g.classList]);
}

function nameOf(lines, classes) {
  const kinds = KIND_WORDS.filter(([cls]) => classes.includes(cls)).map(([, word]) => word);
  const text = lines.map((line) => line.trim()).filter(Boolean).join(", ") || "node";
  return kinds.length ? `${text} (${kinds.join(", ")})` : text;
}

// The same name from d3-graphviz's data for a node: its <text> children's text.
function nameFromData(d) {
  const lines = (d.children ?? []).filter((c) => c.tag === "text")
    .map((c) => (c.children ?? []).map((t) => t.text ?? "").join(""));
  return nameOf(lines, (d.attributes.class ?? "").split(/\s+/));
}

// For d3-graphviz's attributer: attributes the SVG elements keep through every morph. A node
// keeps its tabindex (so the focus on it is not dropped while it moves) and its name (the
// new picture's); an edge and the graph's own <title> ("%3") are left out of what a screen
// reader reads: the picture's label and each node's inputs say it in words.
export function keepAccessible(d, el) {
  if (!d.attributes) return;
  // The figure around it carries the name; as an "img" the <svg> would hide the node buttons.
  if (d.tag === "svg") d.attributes.role = "presentation";
  if (d.tag !== "g") return;
  const kind = (d.attributes.class ?? "").split(/\s+/)[0];
  if (kind === "node") {
    // One tab stop for the whole graph (a roving tabindex: js/src/roving.js gives it to one
    // node); the arrow keys move between the nodes.
    d.attributes.tabindex = el?.getAttribute?.("tabindex") === "0" ? "0" : "-1";
    d.attributes.role = "button";
    // on the element at once too: a transition would tween the numbers in it ("grad 6.97…")
    const name = nameFromData(d);
    d.attributes["aria-label"] = name;
    el?.setAttribute?.("aria-label", name);
  } else if (kind === "edge") {
    d.attributes["aria-hidden"] = "true";
  } else if (kind === "graph" || kind === "cluster") {
    d.attributes.role = "presentation"; // its <title> is "%3" or "cluster_0": not a name
  }
}

export function labelNodes(nodes) {
  for (const g of nodes.values()) {
    if (!g.hasAttribute("tabindex")) g.setAttribute("tabindex", "-1");
    g.setAttribute("role", "button");
    const name = nodeName(g);
    if (g.getAttribute("aria-label") !== name) g.setAttribute("aria-label", name);
  }
}
