// The text around the picture: the title, the out-of-date badge, the note on what was left
// out, the kernel's message, the render error, and the picture's text alternative (the
// canvas's name and the description only screen readers see).
import { KEYS_HINT, pictureLabel } from "./a11y.js";

// What the model says around the picture, with empty strings for what is not there.
export function captions(model) {
  return {
    title: model.get("title") || "",
    stale: !!model.get("stale"),
    omitted: model.get("omitted") || "",
    message: model.get("message") || "",
    kind: model.get("message_kind") || "",
  };
}

// How a message of `kind` ("", "info", "warning", "error", ...) is shown: an error is an
// alert (read out at once), anything else a status.
export function messageLook(kind) {
  return { className: `agl-message${kind ? ` agl-message--${kind}` : ""}`, role: kind === "error" ? "alert" : "status" };
}

// The canvas's name and its description: the kernel's description, then how to use the keys.
export function altText(model) {
  return {
    label: pictureLabel(model),
    description: [model.get("alt_description"), KEYS_HINT].filter(Boolean).join("\n"),
  };
}

export class ViewText {
  // parts: the layout's root, titleEl, badge, omittedEl, messageEl, errorEl, canvas and
  // altDescription; emit(type, detail) sends an event from the view.
  constructor(parts, model, emit) {
    this.parts = parts;
    this.model = model;
    this.emit = emit;
  }

  sync() {
    const p = this.parts;
    const c = captions(this.model);
    p.titleEl.textContent = c.title;
    p.titleEl.hidden = !c.title;
    p.root.classList.toggle("agl-stale", c.stale);
    p.badge.hidden = !c.stale;
    p.omittedEl.textContent = c.omitted;
    p.omittedEl.hidden = !c.omitted;
    const look = messageLook(c.kind);
    p.messageEl.textContent = c.message;
    p.messageEl.hidden = !c.message;
    p.messageEl.className = look.className;
    p.messageEl.setAttribute("role", look.role);
    this.syncAlt();
  }

  syncAlt() {
    const { canvas, altDescription } = this.parts;
    const { label, description } = altText(this.model);
    if (canvas.getAttribute("aria-label") !== label) canvas.setAttribute("aria-label", label);
    if (altDescription.textContent !== description) altDescription.textContent = description;
  }

  // The error under the picture ("" takes it away); each one is also sent as agl:error.
  showError(text) {
    const errorEl = this.parts.errorEl;
    errorEl.textContent = text;
    errorEl.hidden = !text;
    if (text) this.emit("agl:error", { message: text });
  }

  // Runs a learner's action (a download): what goes wrong, thrown or a rejected promise, is
  // shown as the view's error rather than lost in the console.
  showingErrors(fn) {
    try {
      const result = fn();
      if (result && typeof result.catch === "function") result.catch((e) => this.showError(String(e?.message ?? e)));
    } catch (e) {
      this.showError(String(e?.message ?? e));
    }
  }
}
