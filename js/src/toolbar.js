// The picture's toolbar: zoom in and out, fit, 100%, and the SVG and PNG downloads. It is one
// tab stop (a roving tabindex, roving.js); the arrow keys walk it (keys.js).
import { h } from "./dom.js";
import { giveStop } from "./roving.js";

// [action, class, text, label], in the order they are shown
const BUTTONS = [
  ["zoomIn", "agl-zoom-in", "+", "Zoom in"],
  ["zoomOut", "agl-zoom-out", "\u2212", "Zoom out"],
  ["fit", "agl-fit", "Fit", "Fit to width"],
  ["actual", "agl-actual", "100%", "Actual size (100%)"],
  ["downloadSvg", "agl-download-svg", "SVG", "Download the picture as SVG"],
  ["downloadPng", "agl-download-png", "PNG", "Download the picture as PNG"],
];

export class Toolbar {
  constructor() {
    const button = (cls, text, label) => h("button", { type: "button", class: `agl-button ${cls}`, "aria-label": label, title: label, text });
    this.buttons = BUTTONS.map(([, cls, text, label]) => button(cls, text, label));
    this.element = h("div", { class: "agl-toolbar", role: "toolbar", "aria-label": "Picture" }, this.buttons);
    giveStop(this.buttons, this.buttons[0]);
  }

  // What each button does: `actions` has a function for every one of
  // zoomIn, zoomOut, fit, actual, downloadSvg and downloadPng.
  bind(listen, actions) {
    BUTTONS.forEach(([name], i) => {
      if (typeof actions[name] !== "function") throw new TypeError(`the toolbar's "${name}" button needs a function to run`);
      listen(this.buttons[i], "click", () => actions[name]());
    });
  }
}
