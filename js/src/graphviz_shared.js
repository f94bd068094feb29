// One Graphviz (WebAssembly) per page. Each view's module is evaluated separately (anywidget
// imports every widget's module on its own), so a module-level cache would compile the wasm
// once per view; the promise lives on globalThis instead.
import { Graphviz as Wasm } from "@hpcc-js/wasm/graphviz";

const KEY = "__aglGraphviz";

export function loadGraphviz() {
  if (!globalThis[KEY]) {
    const loading = Wasm.load();
    globalThis[KEY] = loading;
    // A failed load must not stick: the next view tries again.
    loading.catch(() => {
      if (globalThis[KEY] === loading) delete globalThis[KEY];
    });
  }
  return globalThis[KEY];
}

// What d3-graphviz imports as `Graphviz` (build.mjs redirects its import here).
export const Graphviz = { load: loadGraphviz };
