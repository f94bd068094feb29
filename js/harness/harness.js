// Mounts views the way anywidget does, with a fake model, so the browser tests (and a
// person) can drive the built bundle without a kernel. ?views=small,stepper picks what to
// mount first; window.harness drives the rest.
import { FIXTURES } from "./fixtures.js";

// anywidget evaluates a widget's module once per model (from a blob: URL), so every view on
// a notebook page runs its own copy of its small module (graph_view.js), while the runtime
// (graph_runtime.js) comes once, as the GraphRuntime widget's module. A query string makes
// the browser do the same here; ?modules=shared loads one copy for all views instead.
const SHARED = new URLSearchParams(location.search).get("modules") === "shared";
let loaded = 0;
import("/helpers/static/graph_runtime.js").then((module) => module.default.initialize?.());
async function loadWidget() {
  const url = SHARED ? "/helpers/static/graph_view.js" : `/helpers/static/graph_view.js?copy=${loaded++}`;
  return import(url).then((module) => module.default);
}

class FakeModel {
  constructor(state) {
    this.state = { ...state };
    this.handlers = new Map();
    this.saved = []; // what the view sent to the "kernel"
  }
  get(name) { return this.state[name]; }
  set(name, value) {
    const old = this.state[name];
    this.state[name] = value;
    if (old !== value) this.emit(`change:${name}`, value);
  }
  // Like a kernel message with several traits (hold_sync): all values first, then the events.
  setMany(values) {
    const changed = Object.keys(values).filter((name) => this.state[name] !== values[name]);
    Object.assign(this.state, values);
    for (const name of changed) this.emit(`change:${name}`, values[name]);
  }
  save_changes() { this.saved.push({ ...this.pendingFromView(), at: performance.now() }); }
  pendingFromView() { return { step: this.state.step }; }
  on(event, cb) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(cb);
  }
  off(event, cb) {
    if (!event) { this.handlers.clear(); return; }
    if (!cb) { this.handlers.delete(event); return; }
    this.handlers.get(event)?.delete(cb);
  }
  emit(event, value) {
    for (const cb of [...(this.handlers.get(event) || [])]) cb(this, value);
  }
  send() {}
}

const views = [];
const container = document.getElementById("views");

// options.hidden: the view starts inside a display:none box, like a widget on a tab not shown
async function mount(fixture, overrides = {}, options = {}) {
  const state = { ...FIXTURES[fixture](), ...overrides };
  const model = new FakeModel(state);
  const cell = document.createElement("section");
  cell.className = "cell";
  cell.innerHTML = `<h2>view ${views.length}: ${fixture}</h2>`;
  if (options.hidden) cell.style.display = "none";
  const el = document.createElement("div");
  cell.append(el);
  container.append(cell);
  const widget = await loadWidget();
  const started = performance.now();
  await widget.initialize?.({ model });
  const rendered = new Promise((resolve) => el.addEventListener("agl:rendered", (e) => resolve(e.detail), { once: true }));
  const cleanup = await widget.render({ model, el });
  const entry = { fixture, model, el, cleanup, cell, started, rendered };
  views.push(entry);
  rendered.then((detail) => { entry.firstRender = { ...detail, sinceMount: detail.time - started }; });
  return views.length - 1;
}

function root(i) { return views[i].el.querySelector(".agl-view"); }

window.harness = {
  views,
  fixtures: FIXTURES,
  mount,
  root,
  model: (i) => views[i].model,
  // the "kernel" changes a trait
  set(i, name, value) { views[i].model.set(name, value); },
  setFixture(i, fixture) {
    views[i].model.setMany(FIXTURES[fixture]());
  },
  get(i, name) { return views[i].model.get(name); },
  saves(i) { return views[i].model.saved.map((s) => s.step); },
  firstRender(i) { return views[i].firstRender ?? null; },
  unmount(i) { views[i].cleanup?.(); views[i].cell.remove(); },
  // a tab switch: the view's box goes display:none or comes back
  hide(i) { views[i].cell.style.display = "none"; },
  show(i) { views[i].cell.style.display = ""; },
  // events seen on a view's root, for the tests
  record(i, types = ["agl:morphstart", "agl:rendered", "agl:step", "agl:inspect", "agl:error"]) {
    const log = [];
    for (const type of types) root(i).addEventListener(type, (e) => log.push({ type, ...e.detail }));
    views[i].log = log;
    return log.length;
  },
  log(i) { return views[i].log ?? []; },
};

const wanted = (new URLSearchParams(location.search).get("views") ?? "small,stepper").split(",").filter(Boolean);
window.harness.ready = (async () => { for (const name of wanted) await mount(name); })();

document.getElementById("theme").addEventListener("click", () => {
  document.body.dataset.jpThemeLight = document.body.dataset.jpThemeLight === "false" ? "true" : "false";
});
let flipped = false;
document.getElementById("flip").addEventListener("click", () => {
  flipped = !flipped;
  window.harness.setFixture(0, flipped ? "switched" : "small");
});
