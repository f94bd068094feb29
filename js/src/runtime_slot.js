// Where the page's one runtime is found. The runtime module (runtime.js, heavy: d3-graphviz
// and Graphviz's WebAssembly) fills the slot when it runs; every view's small module waits on
// it. The slot lives on globalThis because each anywidget module is evaluated on its own.
const KEY = "__aglRuntime";

export function runtimeSlot() {
  let slot = globalThis[KEY];
  if (!slot) {
    slot = { runtime: null };
    slot.ready = new Promise((resolve) => { slot.resolve = resolve; });
    globalThis[KEY] = slot;
  }
  return slot;
}

// The runtime module calls this once it has run; a second copy (another kernel's) is ignored.
export function provideRuntime(runtime) {
  const slot = runtimeSlot();
  if (!slot.runtime) {
    slot.runtime = runtime;
    slot.resolve(runtime);
  }
  return slot.runtime;
}
