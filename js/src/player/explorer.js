// The explorer on a page with no kernel: the switches flip between the states recorded
// when the notebook ran (every setting of a few switches), with the same ask-then-reveal.
import { RecordedModel } from "./recorded_model.js";
import { scorePrediction, settingKey } from "./settings.js";
import { el } from "./dom.js";

const ASK = "A switch changed. Before the picture does: for each statement say true or false (or leave it), then press Run it.";
const NOT_RECORDED = "This setting was not recorded when the notebook was made: open the notebook on Binder or Colab (the rocket button at the top of the page) to run it.";

export function mountExplorer(host, record, runtime) {
  const order = record.order ?? Object.keys(record.switches);
  const values = { ...record.switches };
  const first = record.states[settingKey(order, values)];
  const model = new RecordedModel(first.view);
  let shownKey = settingKey(order, values);

  const switchRow = el("div", { class: "agl-switches", role: "group", "aria-label": "Switches" });
  const predictToggle = el("input", { type: "checkbox", checked: true });
  const predictRow = el("label", { class: "agl-predict-toggle" }, predictToggle, " predict before each change is shown");
  const question = el("div", { class: "agl-question", hidden: true });
  const marks = el("div", { class: "agl-marks", role: "status" });
  const viewHost = el("div", { class: "agl-view-host" });
  const table = el("div", { class: "agl-grads" });
  table.innerHTML = first.table ?? "";
  const legend = el("div", { class: "agl-legend" });
  legend.innerHTML = record.legend ?? "";
  host.replaceChildren(switchRow, predictRow, question, marks, viewHost, table, legend);

  let guesses = {};
  const boxes = {};
  for (const name of order) {
    const box = el("input", { type: "checkbox", "data-switch": name, checked: values[name] });
    boxes[name] = box;
    switchRow.append(el("label", { class: "agl-switch" }, box, ` ${record.labels?.[name] ?? name}`));
    box.addEventListener("change", () => {
      values[name] = box.checked;
      if (predictToggle.checked && Object.keys(current().outcomes ?? {}).length) ask();
      else show();
    });
  }
  predictToggle.addEventListener("change", () => { if (!predictToggle.checked && !question.hidden) show(); });

  function current() { return record.states[shownKey]; }

  function ask() {
    const target = record.states[settingKey(order, values)];
    model.setMany({ stale: true, message: "Out of date: a switch changed. Predict, then press Run it.", message_kind: "info" });
    const statements = Object.keys((target ?? current()).outcomes ?? {});
    const kept = guesses;
    guesses = {};
    const rows = statements.map((statement) => {
      const name = `agl-guess-${Math.random().toString(36).slice(2, 9)}`;
      const choice = (value, text) => {
        const input = el("input", { type: "radio", name, value: String(value) });
        if (kept[statement] === value) { input.checked = true; guesses[statement] = value; }
        input.addEventListener("change", () => { guesses[statement] = value; });
        return el("label", {}, input, ` ${text}`);
      };
      return el("div", { class: "agl-guess", "data-statement": statement }, el("b", { text: statement }), ": ",
        choice(true, "true"), " ", choice(false, "false"));
    });
    const run = el("button", { type: "button", class: "agl-run", text: "Run it" });
    run.addEventListener("click", () => show());
    question.replaceChildren(el("p", { text: ASK }), ...rows, run);
    question.hidden = false;
    marks.replaceChildren();
  }

  function show() {
    const key = settingKey(order, values);
    const state = record.states[key];
    const asked = !question.hidden;
    question.hidden = true;
    if (!state) {
      model.setMany({ stale: true, message: NOT_RECORDED, message_kind: "info" });
      marks.replaceChildren();
      return;
    }
    shownKey = key;
    model.setMany({ ...state.view, stale: false });
    table.innerHTML = state.table ?? "";
    if (asked) showMarks(scorePrediction(guesses, state.outcomes ?? {}));
  }

  function showMarks(score) {
    const items = score.marks.map(({ statement, outcome, said, right }) => {
      const verdict = outcome.true ? "true" : "false";
      const mark = right === null ? el("span", { class: "agl-unanswered", text: "· not answered" })
        : right ? el("span", { class: "agl-right", text: "✓ right" })
          : el("span", { class: "agl-wrong", text: `✗ you said ${said}` });
      return el("li", {}, mark, ": ", el("b", { text: statement }), ` is ${verdict}; ${outcome.reason}`);
    });
    const summary = `Your prediction: ${score.answered} of ${score.asked} answered, ${score.right} right.`;
    marks.replaceChildren(el("b", { text: summary }), el("ul", {}, ...items));
  }

  const cleanup = runtime.render({ model, el: viewHost });
  return { model, values, boxes, cleanup };
}
