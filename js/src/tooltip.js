// The edge tooltip: hovering an edge says the gradient it carried (the model's "edges", keyed
// "SRC->DST" like the edges' <title>s).
import { titleOf } from "./dom.js";

export function edgeTooltipText(info) {
  return info?.grad != null && info.grad !== "" ? `gradient carried: ${info.grad}` : "no gradient recorded";
}

// Where a tooltip `tip` ({width, height}) goes for the pointer at (x, y), all in px from the
// stage's top left: right of the pointer, never past the stage's right edge, and above it (an
// edge runs down into the box that consumes it, which must stay readable), below only when
// there is no room above.
export function tooltipSpot(x, y, tip, stageWidth) {
  const above = y - tip.height - 10;
  return {
    left: Math.min(x + 12, Math.max(0, stageWidth - tip.width - 4)),
    top: above >= 0 ? above : y + 14,
  };
}

export class EdgeTooltip {
  // tip: the tooltip's element, in `stage`; canvas: where the edges are; edgeInfo(key): what
  // the model says of the edge; listen(target, type, fn): a listener removed with the view.
  constructor({ tip, stage, canvas, edgeInfo, listen }) {
    this.tip = tip;
    this.stage = stage;
    this.canvas = canvas;
    this.edgeInfo = edgeInfo;
    listen(canvas, "pointerover", (event) => this.hover(event));
    listen(canvas, "pointermove", (event) => this.hover(event));
    listen(canvas, "pointerleave", () => this.hide());
  }

  hover(event) {
    const edge = event.target.closest?.("g.edge");
    if (!edge || !this.canvas.contains(edge)) {
      if (event.type === "pointerover") this.hide();
      return;
    }
    const text = edgeTooltipText(this.edgeInfo(titleOf(edge)));
    if (this.tip.textContent !== text) this.tip.textContent = text;
    this.tip.hidden = false;
    const box = this.stage.getBoundingClientRect();
    const spot = tooltipSpot(event.clientX - box.left, event.clientY - box.top,
      { width: this.tip.offsetWidth, height: this.tip.offsetHeight }, box.width);
    this.tip.style.left = `${spot.left}px`;
    this.tip.style.top = `${spot.top}px`;
  }

  hide() {
    this.tip.hidden = true;
  }
}
