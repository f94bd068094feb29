// Builds helpers/static/graph_runtime.js, graph_view.js and graph_player.js: minified ES
// modules, every dependency inlined (Graphviz's WebAssembly included, as base91 text inside
// @hpcc-js/wasm), so the view needs no CDN and makes no request at run time.
//
// Each module's first line is `// source-hash: <hex>`, so a test can tell a stale bundle
// from a fresh one without node. <hex> is the lowercase hex SHA-256 of these bytes, fed
// in this order with nothing between them:
//   1. the bytes of js/package.json
//   2. the bytes of js/package-lock.json
//   3. for every regular file under js/src (recursively, dotfiles included), in order of
//      its path relative to js/src, written with "/" separators (e.g. "index.js",
//      "sub/x.js") and compared as UTF-8 bytes (Python: sorted(paths, key=str.encode)):
//      that relative path encoded UTF-8, one NUL byte (0x00), then the file's bytes.
// Files are hashed as they are on disk (no newline conversion).
//
// Usage: cd js && npm ci && npm run build
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");
const outDir = join(here, "..", "helpers", "static");

function filesUnder(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

export function sourceHash() {
  const hash = createHash("sha256");
  hash.update(readFileSync(join(here, "package.json")));
  hash.update(readFileSync(join(here, "package-lock.json")));
  const files = filesUnder(src)
    .map((path) => ({ path, rel: Buffer.from(relative(src, path).split(sep).join("/"), "utf8") }))
    .sort((a, b) => Buffer.compare(a.rel, b.rel));
  for (const { path, rel } of files) {
    hash.update(rel);
    hash.update(Buffer.from([0]));
    hash.update(readFileSync(path));
  }
  return hash.digest("hex");
}

// d3-graphviz calls Graphviz.load() from its own copy of @hpcc-js/wasm; send that import
// to src/graphviz_shared.js so every view on the page shares one compiled instance.
const sharedGraphviz = {
  name: "shared-graphviz",
  setup(b) {
    const shim = join(src, "graphviz_shared.js");
    b.onResolve({ filter: /^@hpcc-js\/wasm\/graphviz$/ }, (args) =>
      args.importer === shim ? undefined : { path: shim });
  },
};

// Three modules: the page's one runtime (heavy), each view's own module (small) and the
// course site's player (small); the small ones find the runtime through runtime_slot.js.
const OUTPUTS = [
  { entry: "runtime.js", file: "graph_runtime.js" },
  { entry: "view_module.js", file: "graph_view.js", maxBytes: 64 * 1024 },
  { entry: "player/index.js", file: "graph_player.js", maxBytes: 64 * 1024 },
];
// graphviz_adapter.js reaches into d3-graphviz's private fields, checked for one version only.
const installed = JSON.parse(readFileSync(join(here, "node_modules", "d3-graphviz", "package.json"))).version;
const checked = readFileSync(join(src, "graphviz_adapter.js"), "utf8").match(/CHECKED_D3_GRAPHVIZ = "([^"]+)"/)[1];
if (installed !== checked) {
  throw new Error(`d3-graphviz ${installed} is installed, but src/graphviz_adapter.js was checked against ${checked}: `
    + "check the private fields it uses in the new version, then update CHECKED_D3_GRAPHVIZ");
}
const hash = sourceHash();
for (const { entry, file, maxBytes } of OUTPUTS) {
  const result = await build({
    entryPoints: [join(src, entry)],
    bundle: true,
    format: "esm",
    target: "es2020",
    minify: true,
    write: false,
    legalComments: "eof",
    plugins: [sharedGraphviz],
    logLevel: "warning",
    metafile: true,
  });
  const code = result.outputFiles[0].text;
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  if (imports.length) {
    throw new Error(`${file} must be self-contained, but imports ${imports.map((i) => i.path).join(", ")}`);
  }
  if (maxBytes && code.length > maxBytes) {
    throw new Error(`${file} is ${code.length} bytes; it must stay under ${maxBytes} (the heavy code belongs in runtime.js)`);
  }
  const path = join(outDir, file);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path, `// source-hash: ${hash}\n${code}`);
  console.log(`wrote ${relative(process.cwd(), path)}: ${statSync(path).size} bytes`);
}
