// The browser half of helpers.view.GraphView (anywidget): the module's default export.
import { loadGraphviz } from "./graphviz_shared.js";
import { View } from "./view.js";

export default {
  initialize() {
    // Start compiling Graphviz while the notebook builds the view.
    loadGraphviz().catch(() => {});
  },
  render({ model, el }) {
    const view = new View(model, el);
    return () => view.destroy();
  },
};
