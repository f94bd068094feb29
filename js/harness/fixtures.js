// Hand-written model states for the harness, shaped like what helpers/view.py sends:
// d = (a + b) * a with a = 2, b = 3; the same graph after "detach c"; a 400-node chain.

const HEAD = `digraph {
\tgraph [rankdir=TB ranksep=0.25]
\tnode [fontname=monospace fontsize=10 height=0.2 shape=box style=filled]
\tedge [fontname=monospace fontsize=10]
`;

export const ID = {
  d: "n31339ad9f9",
  c: "n6d853b51d5",
  a: "n33723371c8",
  b: "n6eb86c8624",
  cut: "n7f3a9c0e21",
};
const { d, c, a, b, cut } = ID;

// The explorer's picture: values everywhere, gradients on the leaves.
export const SMALL_DOT = `${HEAD}\t${d} [label="d = 10
MulBackward0" class="agl-output" fillcolor=darkolivegreen1]
\t${c} [label="c = 5
AddBackward0" class="agl-op" fillcolor=lightgrey]
\t${a} [label="a = 2
grad 7" class="agl-leaf" fillcolor=lightblue]
\t${b} [label="b = 3
grad 2" class="agl-leaf" fillcolor=lightblue]
\t${c} -> ${d}
\t${a} -> ${d}
\t${a} -> ${c}
\t${b} -> ${c}
}
`;

// The stepper's picture: every node carries the gradient that reached it.
export const TRACE_DOT = `${HEAD}\t${d} [label="d = 10
MulBackward0
grad 1" class="agl-output" fillcolor=darkolivegreen1]
\t${c} [label="c = 5
AddBackward0
grad 2" class="agl-op" fillcolor=lightgrey]
\t${a} [label="a = 2
grad 7" class="agl-leaf" fillcolor=lightblue]
\t${b} [label="b = 3
grad 2" class="agl-leaf" fillcolor=lightblue]
\t${c} -> ${d}
\t${a} -> ${d}
\t${a} -> ${c}
\t${b} -> ${c}
}
`;

// After "detach c": d = c.detach() * a. c is a ghost, b is gone, a no-grad stub feeds d.
export const SWITCHED_DOT = `${HEAD}\t${d} [label="d = 10
MulBackward0" class="agl-output" fillcolor=darkolivegreen1]
\t${cut} [label="no grad" class="agl-cut" color=grey60 fontcolor=grey40 style=dashed]
\t${a} [label="a = 2
grad 5" class="agl-leaf" fillcolor=lightblue]
\t${cut} -> ${d} [class="agl-edge-cut" color=grey60 style=dashed]
\t${a} -> ${d}
\t${c} [label="c
AddBackward0" class="agl-ghost" color=grey70 fillcolor=white fontcolor=grey60 style=dashed]
\t${c} -> ${d} [class="agl-ghost" color=grey70 style=dashed]
\t${a} -> ${c} [class="agl-ghost" color=grey70 style=dashed]
}
`;

const scalar = { shape: "scalar", dtype: "torch.float32" };

export const SMALL_DETAILS = {
  [d]: {
    label: "d", kind: "output", op: "MulBackward0", names: ["d"], ...scalar, value: "10", grad: "1",
    grad_line: "grad 1",
    saved: [{ name: "self", text: "5", state: "kept" }, { name: "other", text: "2", state: "kept" }],
    inputs: [{ slot: 0, node: c, label: "c" }, { slot: 1, node: a, label: "a" }], ghost: false,
  },
  [c]: {
    label: "c", kind: "op", op: "AddBackward0", names: ["c"], ...scalar, value: "5", grad: "2",
    grad_line: "grad 2", saved: [],
    inputs: [{ slot: 0, node: a, label: "a" }, { slot: 1, node: b, label: "b" }], ghost: false,
  },
  [a]: {
    label: "a", kind: "leaf", op: "AccumulateGrad", names: ["a"], ...scalar, value: "2", grad: "7",
    grad_line: "grad 7", saved: [], inputs: [], ghost: false,
  },
  [b]: {
    label: "b", kind: "leaf", op: "AccumulateGrad", names: ["b"], ...scalar, value: "3", grad: "2",
    grad_line: "grad 2", saved: [], inputs: [], ghost: false,
  },
};

export const SMALL_EDGES = {
  [`${c}->${d}`]: { grad: "2" },
  [`${a}->${d}`]: { grad: "5" },
  [`${a}->${c}`]: { grad: "2" },
  [`${b}->${c}`]: { grad: "2" },
};

export const SMALL_STEPS = [
  {
    node: d, title: "step 1 of 4: MulBackward0 (d)",
    lines: ["arrived: \u2202d/\u2202d = 1", "input 0 \u2192 c: 1 \u00d7 a = 1 \u00d7 2 = 2",
      "input 1 \u2192 a: 1 \u00d7 c = 1 \u00d7 5 = 5"],
    sends: [{ edge: `${c}->${d}`, text: "2" }, { edge: `${a}->${d}`, text: "5" }],
  },
  {
    node: c, title: "step 2 of 4: AddBackward0 (c)",
    lines: ["arrived: \u2202d/\u2202c = 2", "input 0 \u2192 a: 2 \u00d7 1 = 2", "input 1 \u2192 b: 2 \u00d7 1 = 2"],
    sends: [{ edge: `${a}->${c}`, text: "2" }, { edge: `${b}->${c}`, text: "2" }],
  },
  {
    node: a, title: "step 3 of 4: AccumulateGrad (a)",
    lines: ["arrived: \u2202d/\u2202a = 5 + 2 = 7", "a.grad = 7"], sends: [],
  },
  {
    node: b, title: "step 4 of 4: AccumulateGrad (b)",
    lines: ["arrived: \u2202d/\u2202b = 2", "b.grad = 2"], sends: [],
  },
];

export const SWITCHED_DETAILS = {
  [d]: {
    ...SMALL_DETAILS[d], grad: "1", grad_line: null,
    saved: [{ name: "self", text: null, state: "freed" }, { name: "other", text: "2", state: "kept" }],
    inputs: [{ slot: 0, node: cut, label: "no grad" }, { slot: 1, node: a, label: "a" }],
  },
  [cut]: {
    label: "no grad", kind: "cut", op: null, names: [], ...scalar, value: "5", grad: null, grad_line: null,
    saved: [], inputs: [], ghost: false,
  },
  [a]: { ...SMALL_DETAILS[a], grad: "5", grad_line: "grad 5" },
  [c]: {
    label: "c", kind: "op", op: "AddBackward0", names: ["c"], shape: "scalar", dtype: "torch.float32",
    value: null, grad: null, grad_line: null, saved: [], inputs: [], ghost: true,
  },
};

export const SWITCHED_EDGES = { [`${a}->${d}`]: { grad: "5" } };

// The stepper's picture of the switched graph: a different graph (b gone, a no-grad stub).
export const SWITCHED_TRACE_DOT = SWITCHED_DOT.replace('MulBackward0" class="agl-output"', 'MulBackward0\ngrad 1" class="agl-output"');

export const SWITCHED_STEPS = [
  {
    node: d, title: "step 1 of 2: MulBackward0 (d)",
    lines: ["arrived: \u2202d/\u2202d = 1", "input 1 \u2192 a: 1 \u00d7 c = 1 \u00d7 5 = 5"],
    sends: [{ edge: `${a}->${d}`, text: "5" }],
  },
  {
    node: a, title: "step 2 of 2: AccumulateGrad (a)",
    lines: ["arrived: \u2202d/\u2202a = 5", "a.grad = 5"], sends: [],
  },
];

// A chain x -> h1 -> ... -> h398 -> loss: 400 nodes, the most the kernel sends at once.
export function chain(n = 400) {
  const id = (i) => `nc${i.toString(16).padStart(9, "0")}`;
  const ops = ["TanhBackward0", "MulBackward0", "AddBackward0", "SigmoidBackward0"];
  let dot = HEAD;
  const details = {};
  const edges = {};
  for (let i = 0; i < n; i++) {
    const leaf = i === 0;
    const last = i === n - 1;
    const name = leaf ? "x" : last ? "loss" : `h${i}`;
    const op = leaf ? "AccumulateGrad" : ops[i % ops.length];
    const value = (Math.sin(i) * 0.5).toFixed(4);
    const kind = leaf ? "leaf" : last ? "output" : "op";
    const fill = leaf ? "lightblue" : last ? "darkolivegreen1" : "lightgrey";
    const label = leaf ? `x = ${value}\ngrad 0.0031` : `${name} = ${value}\n${op}`;
    dot += `\t${id(i)} [label="${label}" class="agl-${kind}" fillcolor=${fill}]\n`;
    if (i > 0) {
      dot += `\t${id(i - 1)} -> ${id(i)}\n`;
      edges[`${id(i - 1)}->${id(i)}`] = { grad: "0.5" };
    }
    details[id(i)] = {
      label: name, kind, op, names: [name], shape: "scalar", dtype: "torch.float32", value,
      grad: leaf ? "0.0031" : null, grad_line: leaf ? "grad 0.0031" : null, saved: [],
      inputs: i > 0 ? [{ slot: 0, node: id(i - 1), label: i === 1 ? "x" : `h${i - 1}` }] : [], ghost: false,
    };
  }
  return { dot: `${dot}}\n`, details, edges, firstId: id(0), lastId: id(n - 1) };
}

// The text alternatives helpers/describe.py writes for these pictures (the chain has none:
// the view then names the picture from its node records).
export const SMALL_ALT = {
  alt_label: "d = (a + b) \u00b7 a: Autograd graph of d = MulBackward0(AddBackward0(a, b), a) = 10: 2 operations; "
    + "leaves a = 2 (grad 7), b = 3 (grad 2)",
  alt_description: "d = (a + b) \u00b7 a.\n4 nodes, from the output back to the leaves:\n"
    + "Output: d = 10, MulBackward0; inputs c, a.\nOperation: c = 5, AddBackward0; inputs a, b.\n"
    + "Leaf: a = 2, grad 7.\nLeaf: b = 3, grad 2.",
};

export const SWITCHED_ALT = {
  alt_label: "d = c.detach() \u00b7 a: Autograd graph of d = MulBackward0(no grad, a) = 10: 1 operation; "
    + "leaf a = 2 (grad 5); 1 input with no gradient",
  alt_description: "d = c.detach() \u00b7 a.\n3 nodes, from the output back to the leaves:\n"
    + "Output: d = 10, MulBackward0; inputs no grad, a.\nInput with no gradient: no grad.\nLeaf: a = 2, grad 5.\n"
    + "Removed by the last switch, drawn as grey dashed outlines: c (AddBackward0), b.",
};

export const TRACE_ALT = {
  alt_label: "backward() on d = (a + b) \u00b7 a: Autograd graph of d = MulBackward0(AddBackward0(a, b), a) = 10: "
    + "2 operations; leaves a = 2 (grad 7), b = 3 (grad 2)",
  alt_description: "backward() on d = (a + b) \u00b7 a.\n4 nodes, from the output back to the leaves:\n"
    + "Output: d = 10, MulBackward0, grad 1; inputs c, a.\nOperation: c = 5, AddBackward0, grad 2; inputs a, b.\n"
    + "Leaf: a = 2, grad 7.\nLeaf: b = 3, grad 2.",
};

const BASE = { dot: "", details: {}, edges: {}, steps: [], step: -1, mode: "graph", message: "",
  message_kind: "", omitted: "", stale: false, title: "", alt_label: "", alt_description: "" };

export const FIXTURES = {
  small: () => ({ ...BASE, dot: SMALL_DOT, details: SMALL_DETAILS, edges: SMALL_EDGES, title: "d = (a + b) \u00b7 a",
    ...SMALL_ALT }),
  switched: () => ({ ...BASE, dot: SWITCHED_DOT, details: SWITCHED_DETAILS, edges: SWITCHED_EDGES, ...SWITCHED_ALT,
    title: "d = c.detach() \u00b7 a", message: "detach c: c and b no longer reach d, so a gets only \u2202d/\u2202a = c = 5.",
    message_kind: "info" }),
  stepper: () => ({ ...BASE, dot: TRACE_DOT, details: SMALL_DETAILS, edges: SMALL_EDGES, steps: SMALL_STEPS,
    step: 0, mode: "stepper", title: "backward() on d = (a + b) \u00b7 a", ...TRACE_ALT }),
  stepperSwitched: () => ({ ...BASE, dot: SWITCHED_TRACE_DOT, details: SWITCHED_DETAILS, edges: SWITCHED_EDGES,
    steps: SWITCHED_STEPS, step: 0, mode: "stepper", title: "backward() on d = c.detach() \u00b7 a" }),
  chain400: () => {
    const big = chain(400);
    return { ...BASE, dot: big.dot, details: big.details, edges: big.edges, title: "a 400-node chain",
      omitted: "2,600 more nodes not shown: pass depth=\u2026 to choose what to see." };
  },
};
