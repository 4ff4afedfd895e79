// After `vite build`: gzip every script and style sheet beside itself (the server sends the .gz to
// browsers that accept it), then report the JavaScript of the first load and enforce its budget.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET = 1024 * 1024; // compressed JavaScript of the first load (issue 6)
const dist = new URL("../dist/", import.meta.url).pathname;
const assets = join(dist, "assets");

const gz = new Map();
for (const name of readdirSync(assets)) {
  if (!/\.(js|css)$/.test(name)) continue;
  const raw = readFileSync(join(assets, name));
  const packed = gzipSync(raw, { level: 9 });
  writeFileSync(join(assets, `${name}.gz`), packed);
  gz.set(`assets/${name}`, { raw: raw.length, gzip: packed.length });
}

// The first load: the entry and what it imports statically, transitively (not dynamic imports).
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));
const first = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || first.has(chunk.file)) return;
  first.add(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
let raw = 0;
let packed = 0;
const rows = [];
for (const file of [...gz.keys()].sort()) {
  if (!file.endsWith(".js")) continue;
  const size = gz.get(file);
  const initial = first.has(file);
  if (initial) {
    raw += size.raw;
    packed += size.gzip;
  }
  rows.push(`${initial ? "first load" : "on demand "}  ${kb(size.gzip).padStart(11)} gzip  ${kb(size.raw).padStart(11)}  ${file}`);
}
console.log(rows.join("\n"));
console.log(`First load: ${first.size} scripts, ${kb(raw)} (${kb(packed)} gzip); budget ${kb(BUDGET)} gzip.`);
writeFileSync(join(dist, "bundle-size.json"), JSON.stringify({ firstLoad: { scripts: [...first], raw, gzip: packed }, budget: BUDGET }, null, 2));
if (packed > BUDGET) {
  console.error("The first load is over its budget: split a heavy view out with a dynamic import().");
  process.exit(1);
}
