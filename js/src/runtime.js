// The page's one runtime: the view's code with d3-graphviz and Graphviz's WebAssembly
// (about 0.9 MB). In a notebook it is the module of one GraphRuntime widget per kernel;
// on the course's site the page loads it once as a script. Each view's own module
// (view_module.js) is a few KB and waits for it.
import { loadGraphviz } from "./graphviz_shared.js";
import { provideRuntime } from "./runtime_slot.js";
import { View } from "./view.js";

export const runtime = {
  version: 1,
  loadGraphviz,
  // Draw a view of `model` (anything with get/set/on/off/save_changes) into `el`; returns
  // the clean-up function.
  render({ model, el }) {
    const view = new View(model, el);
    return () => view.destroy();
  },
};

provideRuntime(runtime);

export default {
  initialize() {
    // Start compiling Graphviz while the notebook builds its views.
    loadGraphviz().catch(() => {});
  },
};
