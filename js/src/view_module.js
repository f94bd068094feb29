// One GraphView's own module, as small as it can be: it waits for the page's runtime
// (runtime.js, sent once per kernel in the GraphRuntime widget) and hands it the view.
import { runtimeSlot } from "./runtime_slot.js";

const WAIT_MS = 20000; // past this the view says what to do, and goes on waiting
const LATE = "The graph view's code has not arrived yet. If this stays, restart the kernel and run the notebook from the top.";

function placeholder(el, text) {
  const note = document.createElement("div");
  note.className = "agl-waiting";
  note.textContent = text;
  el.replaceChildren(note);
}

// Where each output lives in a frame of its own (Colab, VS Code), the runtime's model is not
// created there until something asks for it: ask, by the reference the view carries.
function askForRuntime(model) {
  const ref = model.get("runtime");
  const manager = model.widget_manager;
  if (typeof ref === "string" && ref.startsWith("IPY_MODEL_") && manager?.get_model) {
    Promise.resolve(manager.get_model(ref.slice("IPY_MODEL_".length))).catch(() => {});
  }
}

export default {
  async render({ model, el }) {
    const slot = runtimeSlot();
    if (!slot.runtime) {
      placeholder(el, "Loading the graph view…");
      askForRuntime(model);
      const late = setTimeout(() => placeholder(el, LATE), WAIT_MS);
      await slot.ready;
      clearTimeout(late);
      el.replaceChildren();
    }
    return slot.runtime.render({ model, el });
  },
};
