// A view's elements, as a tree: the header (title, out-of-date badge, toolbar), the stage
// (the canvas the picture is drawn in, its text description, the edge tooltip) and the notes
// under it. The inspector's panel and the replay's controls are put in by the view.
import { h } from "./dom.js";

export function buildLayout(toolbar) {
  const titleEl = h("div", { class: "agl-title" });
  const badge = h("span", { class: "agl-badge", text: "out of date", hidden: true });
  const header = h("div", { class: "agl-header" }, h("div", { class: "agl-heading" }, titleEl, badge), toolbar);
  // The picture as a whole: a figure named by its text alternative, described node by node
  // (and how to use the keys) in a text only screen readers see. A random id: every view on
  // a page may run its own copy of this module, so no counter is unique.
  const describedBy = `agl-desc-${Math.random().toString(36).slice(2, 10)}`;
  // Not a tab stop itself: one node of it is (the roving tabindex); it takes the focus only
  // when the focused node leaves the picture.
  const canvas = h("div", { class: "agl-canvas", tabindex: "-1", role: "figure", "aria-describedby": describedBy });
  const altDescription = h("div", { class: "agl-sr-only", id: describedBy });
  const tooltip = h("div", { class: "agl-tooltip", role: "tooltip", hidden: true });
  const stage = h("div", { class: "agl-stage" }, canvas, altDescription, tooltip);
  const body = h("div", { class: "agl-body" }, stage);
  const omittedEl = h("div", { class: "agl-omitted", hidden: true });
  const messageEl = h("div", { class: "agl-message", role: "status", hidden: true });
  const errorEl = h("div", { class: "agl-render-error agl-message--error", role: "alert", hidden: true });
  const root = h("div", { class: "agl-view", "data-renders": "0", "data-theme": "light" },
    header, body, omittedEl, messageEl, errorEl);
  return { root, header, titleEl, badge, canvas, altDescription, tooltip, stage, body, omittedEl, messageEl, errorEl };
}
