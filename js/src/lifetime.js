// What a view undoes when it goes: the listeners it added and the watchers it started.
export class Lifetime {
  constructor() {
    this.ended = false;
    this.disposers = [];
  }

  listen(target, type, fn, options) {
    target.addEventListener(type, fn, options);
    this.add(() => target.removeEventListener(type, fn, options));
  }

  // `dispose` runs once, at the end.
  add(dispose) {
    if (typeof dispose !== "function") throw new TypeError(`a view's clean-up must be a function, not ${typeof dispose}`);
    this.disposers.push(dispose);
  }

  end() {
    this.ended = true;
    const disposers = this.disposers;
    this.disposers = [];
    for (const dispose of disposers) dispose();
  }
}
