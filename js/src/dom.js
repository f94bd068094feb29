// Tiny element builders, so the view's structure reads as a tree.
export const SVG_NS = "http://www.w3.org/2000/svg";

function apply(el, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  return el;
}

export function h(tag, props = {}, ...children) {
  const el = apply(document.createElement(tag), props);
  for (const child of children.flat()) if (child != null && child !== false) el.append(child);
  return el;
}

export function svg(tag, props = {}, ...children) {
  const el = apply(document.createElementNS(SVG_NS, tag), props);
  for (const child of children.flat()) if (child != null && child !== false) el.append(child);
  return el;
}

export function titleOf(g) {
  for (const child of g.children) if (child.tagName === "title") return child.textContent;
  return null;
}

export function reducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}

// An event from the view (agl:rendered, agl:step, ...): the page and the tests listen on its root.
export function emit(el, type, detail) {
  el.dispatchEvent(new CustomEvent(type, { bubbles: true, detail: { time: performance.now(), ...detail } }));
}
