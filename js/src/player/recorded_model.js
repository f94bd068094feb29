// A stand-in for a widget's model, filled from a state recorded when the notebook ran:
// what a view reads (get, on, off) and writes (set, save_changes) with no kernel behind it.
export class RecordedModel {
  constructor(state) {
    this.state = { ...state };
    this.handlers = new Map();
  }

  get(name) { return this.state[name]; }

  set(name, value) { this.setMany({ [name]: value }); }

  // Like a kernel message that changes several traits: every value first, then the events.
  setMany(values) {
    const changed = Object.keys(values).filter((name) => this.state[name] !== values[name]);
    Object.assign(this.state, values);
    for (const name of changed) this.emit(`change:${name}`, values[name]);
  }

  save_changes() {}

  send() {}

  on(event, callback) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(callback);
  }

  off(event, callback) {
    if (!event) this.handlers.clear();
    else if (!callback) this.handlers.delete(event);
    else this.handlers.get(event)?.delete(callback);
  }

  emit(event, value) {
    for (const callback of [...(this.handlers.get(event) ?? [])]) callback(this, value);
  }
}
