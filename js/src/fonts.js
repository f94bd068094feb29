// Graphviz in wasm has no fonts: it sizes text from built-in metrics, and knows "monospace"
// only as Times (too narrow: the text spills out of its box). Courier's metrics match any
// monospace font the browser draws with (CSS picks the face), and Helvetica's are close to
// the browser's sans-serif.
const FONT_ALIASES = { monospace: "Courier", mono: "Courier", "sans-serif": "Helvetica", sans: "Helvetica" };

// The DOT with every generic fontname swapped for the font Graphviz measures it by.
export function forBrowserFonts(dot) {
  // Quoted strings (labels) are matched first and left alone.
  return dot.replace(/"(?:[^"\\]|\\.)*"|(\bfontname\s*=\s*)("?)(monospace|mono|sans-serif|sans)\2(?=[\s,;\]])/gi,
    (match, head, _q, name) => (head ? `${head}"${FONT_ALIASES[name.toLowerCase()]}"` : match));
}
