// One view of a GraphView model: puts its parts together and wires them to the model and to
// each other. Each part is one idea with its own module:
//   layout.js, toolbar.js     the elements (header, toolbar, stage, notes)
//   view_text.js              the text around the picture and its text alternative
//   renderer.js               Graphviz layout and d3-graphviz morphs, one render at a time
//   picture.js                the drawn picture's nodes and edges, and what the view adds to it
//   viewport.js               fit, pan and zoom
//   inspector.js, replay.js   the node details panel and the backward replay
//   keys.js, focus.js         the keyboard, and the focus kept through renders
//   tooltip.js                the gradient an edge carried, on hover
import { emit, titleOf } from "./dom.js";
import { downloadPng, downloadSvg } from "./export.js";
import { FocusKeeper, followFocus } from "./focus.js";
import { redrawFocusRing } from "./focus_ring.js";
import { loadGraphviz } from "./graphviz_shared.js";
import { Inspector } from "./inspector.js";
import { bindKeys } from "./keys.js";
import { buildLayout } from "./layout.js";
import { Lifetime } from "./lifetime.js";
import { watchModel } from "./model_binding.js";
import { Picture } from "./picture.js";
import { Renderer } from "./renderer.js";
import { Replay } from "./replay.js";
import { watchTheme } from "./theme.js";
import { Toolbar } from "./toolbar.js";
import { EdgeTooltip } from "./tooltip.js";
import { ViewText } from "./view_text.js";
import { Viewport } from "./viewport.js";

export class View {
  constructor(model, el) {
    const life = (this.life = new Lifetime());
    const listen = (target, type, fn, options) => life.listen(target, type, fn, options);
    const toolbar = new Toolbar();
    const parts = buildLayout(toolbar.element);
    const { root, canvas, stage } = parts;
    el.append(root);
    this.root = root;
    const send = (type, detail) => emit(root, type, detail);
    const text = new ViewText(parts, model, send);
    const showPicture = (on) => { stage.hidden = !on; toolbar.element.hidden = !on; };

    // The renderer's hooks name parts made below it: they run only once a render is under way.
    const renderer = (this.renderer = new Renderer({ canvas, stage, root, host: {
      dot: () => model.get("dot"),
      frame: () => viewport.frame,
      showError: (message) => text.showError(message),
      beforeRender: () => { focusKeeper.remember(); replay.clear(); picture.clearDecorations(); },
      laidOut: (data) => { showPicture(true); viewport.fitNew(data); },
      drawing: () => focusKeeper.keep(),
      drawn: () => {
        // Whatever goes wrong while decorating, the render counts and the queue moves on.
        for (const step of [() => viewport.setupZoom(), () => picture.index(), () => picture.decorate(),
          () => inspector.afterRender(), () => replay.afterRender()]) {
          try { step(); } catch (error) { console.error("graph view:", error); }
        }
        focusKeeper.restore();
        redrawFocusRing(picture);
      },
      nodeCount: () => picture.nodes.size,
      settled: () => viewport.settle(),
      failed: (hadPicture) => {
        if (hadPicture) picture.decorate(); // the old picture stays; put its decorations back
        else showPicture(false);
        replay.afterRender();
      },
      emptied: () => { showPicture(false); inspector.close(); text.showError(""); replay.sync(); },
    } }));
    const busy = () => renderer.busy;
    const picture = new Picture(canvas, { busy });
    const tooltip = new EdgeTooltip({
      tip: parts.tooltip, stage, canvas, listen, edgeInfo: (key) => (model.get("edges") || {})[key],
    });
    const viewport = new Viewport({
      gv: renderer.gv, canvas, root, container: el, svgEl: () => picture.svgEl(), shown: () => !stage.hidden, busy,
      moved: () => inspector.place(), zoomed: () => tooltip.hide(),
    });
    const inspector = new Inspector({
      stage, canvas, listen, emit: send, node: (id) => picture.nodes.get(id), details: () => model.get("details") || {},
    });
    stage.append(inspector.panel);
    const replay = (this.replay = new Replay({
      root, picture, busy, listen, emit: send,
      blank: () => renderer.shown === "",
      record: {
        steps: () => model.get("steps"), mode: () => model.get("mode"), step: () => model.get("step"),
        details: () => model.get("details"),
      },
      saveStep: (k) => { model.set("step", k); model.save_changes(); },
    }));
    parts.header.after(replay.controls);
    parts.body.append(replay.chain);
    const focusKeeper = new FocusKeeper({ root, picture, inspector });

    life.add(watchTheme(root));
    life.add(watchModel(model, [
      [["dot"], () => renderer.request()],
      [["title", "message", "message_kind", "omitted", "stale"], () => text.sync()],
      [["alt_label", "alt_description"], () => text.syncAlt()],
      [["details"], () => { inspector.refresh(); replay.apply(); text.syncAlt(); }],
      [["steps", "mode"], () => replay.sync()],
      [["step"], () => replay.fromModel()],
    ], () => !life.ended));

    const download = { svgEl: () => picture.svgEl(), size: () => viewport.size, layout: () => renderer.gv.data(), model, root };
    toolbar.bind(listen, {
      zoomIn: () => viewport.zoomBy(1.25),
      zoomOut: () => viewport.zoomBy(0.8),
      fit: () => viewport.setFitMode("fit"),
      actual: () => viewport.setFitMode("actual"),
      downloadSvg: () => text.showingErrors(() => downloadSvg(download)),
      downloadPng: () => text.showingErrors(() => downloadPng(download)),
    });
    listen(canvas, "click", (event) => {
      const node = event.target.closest?.("g.node");
      if (node && canvas.contains(node)) inspector.open(titleOf(node), { at: event.timeStamp, from: node });
    });
    bindKeys({ root, toolbar, inspector, replay, listen, nodes: () => [...picture.nodes.values()] });
    followFocus({ picture, busy, listen, reveal: (node) => viewport.reveal(node) });
    life.add(viewport.watchResize());

    text.sync();
    replay.sync();
    loadGraphviz().catch((error) => text.showError(`Graphviz could not start: ${error?.message ?? error}`));
    renderer.request();
  }

  destroy() {
    this.renderer.stop();
    this.replay.destroy();
    this.life.end();
    this.root.remove();
  }
}
