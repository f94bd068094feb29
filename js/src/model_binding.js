// The model's traits a view follows. `bindings` pairs trait names with what a change to any
// of them does, e.g. [[["dot"], render], [["title", "stale"], syncText]]; a change that comes
// once the view has gone (`alive()` false) does nothing. Returns the function that stops it all.
export function watchModel(model, bindings, alive = () => true) {
  const offs = [];
  for (const [names, fn] of bindings) {
    if (typeof fn !== "function") throw new TypeError(`the change of ${names.join(", ")} needs a function to run`);
    for (const name of names) {
      const cb = () => { if (alive()) fn(); };
      model.on(`change:${name}`, cb);
      offs.push(() => model.off(`change:${name}`, cb));
    }
  }
  return () => { for (const off of offs) off(); };
}
