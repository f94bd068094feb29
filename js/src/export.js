// SVG and PNG downloads of the picture as it is now (theme colours, step marks), laid
// out whole rather than as panned or zoomed on screen, named by its text alternative.
//
// `source` is what they read of the view: svgEl() (the <svg> on screen), size() (the
// picture's size in pt, null before the first), layout() (d3-graphviz's data for it),
// model (its title and text alternative) and root (whose background the PNG takes).
import { pictureLabel } from "./a11y.js";
import { SVG_NS } from "./dom.js";

const SHAPE_STYLE = ["fill", "stroke", "stroke-width", "stroke-dasharray", "opacity", "visibility"];
const TEXT_STYLE = ["fill", "font-family", "font-size", "font-weight", "visibility"];

function fileName(source, ext) {
  const title = (source.model.get("title") || "autograd-graph").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `${title || "autograd-graph"}.${ext}`;
}

export function svgText(source) {
  const live = source.svgEl();
  const size = source.size();
  if (!live || !size) throw new Error("There is no picture to download yet.");
  const copy = live.cloneNode(true);
  // CSS (the theme) does not travel with the file: write the computed colours on each element.
  const from = live.querySelectorAll("*");
  const to = copy.querySelectorAll("*");
  for (let i = 0; i < from.length; i++) {
    const tag = from[i].tagName;
    if (tag === "title" || tag === "g") continue;
    const computed = getComputedStyle(from[i]);
    const names = tag === "text" ? TEXT_STYLE : SHAPE_STYLE;
    to[i].setAttribute("style", names.map((n) => `${n}:${computed.getPropertyValue(n)}`).join(";"));
  }
  for (const el of copy.querySelectorAll(".agl-hit, .agl-flow-dot, .agl-focus-layer")) el.remove();
  for (const el of copy.querySelectorAll("[tabindex], [aria-hidden], [role]")) {
    for (const name of ["tabindex", "role", "aria-label", "aria-hidden"]) el.removeAttribute(name);
  }
  // One image for a screen reader, as the kernel's SVG is: role, name, <title> and <desc> first.
  copy.querySelector("g.graph > title")?.remove(); // Graphviz's "%3"
  const label = pictureLabel(source.model);
  copy.setAttribute("role", "img");
  copy.setAttribute("aria-label", label);
  const title = document.createElementNS(SVG_NS, "title");
  title.textContent = label;
  const desc = document.createElementNS(SVG_NS, "desc");
  desc.textContent = source.model.get("alt_description") || "";
  copy.prepend(title, desc);
  const { w, h } = size;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", `${w}pt`);
  copy.setAttribute("height", `${h}pt`);
  copy.setAttribute("viewBox", `0 0 ${w} ${h}`);
  copy.removeAttribute("preserveAspectRatio");
  copy.removeAttribute("style");
  const top = copy.querySelector("g");
  const original = source.layout()?.children?.find((d) => d.tag === "g")?.attributes?.transform;
  if (top && original) top.setAttribute("transform", original);
  return new XMLSerializer().serializeToString(copy);
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function downloadSvg(source) {
  save(new Blob([svgText(source)], { type: "image/svg+xml" }), fileName(source, "svg"));
}

export function backgroundOf(el) {
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== "transparent" && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return el.dataset?.theme === "dark" ? "#111111" : "#ffffff";
}

export function downloadPng(source, scale = 2) {
  const text = svgText(source);
  const { w, h } = source.size();
  const width = Math.ceil(w * (4 / 3) * scale);
  const height = Math.ceil(h * (4 / 3) * scale);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = backgroundOf(source.root);
      ctx.fillRect(0, 0, width, height);
      ctx.drawImage(img, 0, 0, width, height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => {
        if (!blob) { reject(new Error("The browser could not make a PNG of this picture.")); return; }
        save(blob, fileName(source, "png"));
        resolve();
      }, "image/png");
    };
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error("The browser could not draw the SVG for the PNG.")); };
    img.src = url;
  });
}
