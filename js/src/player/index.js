// The course site's live views (book/): every element the site build marked .agl-live holds
// the record a widget left in its notebook output; this mounts it on the page's one runtime
// (graph_runtime.js), with no kernel.
import { runtimeSlot } from "../runtime_slot.js";
import { mountExplorer } from "./explorer.js";
import { mountQuiz } from "./quiz.js";
import { RecordedModel } from "./recorded_model.js";

const mounted = [];

async function mount(host) {
  const record = JSON.parse(host.querySelector("script[type='application/json']").textContent);
  if (record.kind === "quiz") {
    mounted.push(mountQuiz(host.querySelector(".agl-live-body"), record));
    return;
  }
  const runtime = await runtimeSlot().ready;
  const body = host.querySelector(".agl-live-body");
  if (record.kind === "explorer") mounted.push(mountExplorer(body, record, runtime));
  else if (record.kind === "row") {
    // views side by side, each as wide as the others
    body.replaceChildren();
    body.classList.add("agl-row");
    for (const scene of record.views) {
      const cell = document.createElement("div");
      cell.className = "agl-row-cell";
      body.append(cell);
      const model = new RecordedModel(scene);
      mounted.push({ model, cleanup: runtime.render({ model, el: cell }) });
    }
  } else {
    const model = new RecordedModel(record.view);
    body.replaceChildren();
    mounted.push({ model, cleanup: runtime.render({ model, el: body }) });
  }
  host.classList.add("agl-live--ready");
}

function start() {
  for (const host of document.querySelectorAll(".agl-live")) {
    mount(host).catch((error) => {
      host.classList.add("agl-live--failed");
      console.error("autograd-lab: a live view could not start", error);
    });
  }
  globalThis.__aglPlayer = { mounted };
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
