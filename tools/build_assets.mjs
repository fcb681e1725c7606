// The browser's files, built for serving: `make assets` (also part of `make install`).
//
// Into dist/ (git-ignored, made anew each time):
// - each page's entry module bundled with esbuild (ES modules, code shared between pages and
//   the board's dynamic imports split into chunks), and app.css, minified;
// - the browser libraries from node_modules (Socket.IO client, Chart.js) and the icons, copied;
// - every file named after its content ("main-3KQ2ZC7A.js"), so a browser may keep it for a year;
// - next to each text file a Brotli (.br) and a gzip (.gz) copy, made once here, not per request;
// - manifest.json: logical name ("js/kiosk/main.js") -> built name, what each entry loads with it
//   (its chunks, for the board's offline cache), and the digest of the sources it was built from
//   (kiosk/web/assets/ serves the plain files instead while dist/ is older than static/).

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const STATIC = join(ROOT, "static");
// `node tools/build_assets.mjs [--out DIR]`: dist/ unless told (the tests build into a folder of their own).
const OUT_FLAG = process.argv.indexOf("--out");
const OUT = OUT_FLAG > 0 ? resolve(process.argv[OUT_FLAG + 1]) : join(ROOT, "dist");
// Each page's own module (what a template loads with asset("…")), and the one stylesheet: one
// file each, all it imports inside. The board's entry loads the rest of the board with import()
// (to take the Start tap at once), so its build keeps those as chunks of their own.
const ENTRIES = [
  "css/app.css",
  "js/admin_webhooks.js",
  "js/digest_page.js",
  "js/common/stacked_tables.js",
  "js/kiosk/main.js",
  "js/kiosk/pair.js",
  "js/stats.js",
  "js/stats_live.js",
  "js/status/main.js",
];
const SPLIT_ENTRIES = ["js/board/main.js"];
const COPIED = ["favicon.svg", "icons"];
// The same names as VENDOR_FILES in kiosk/web/assets/ (the plain files' /vendor/ route).
const VENDOR = {
  "vendor/socket.io.min.js": "socket.io-client/dist/socket.io.min.js",
  "vendor/chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
};
const COMPRESSED = new Set([".js", ".css", ".svg", ".json"]);

function posixPath(path) {
  return path.split(sep).join("/");
}

function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The sources' digest: every file under static/ and every vendor file, by logical name; the
 * server computes the same (kiosk/web/assets/manifest.py) to know whether dist/ is current. */
function sourceDigest() {
  const sources = filesUnder(STATIC).map((path) => [posixPath(relative(STATIC, path)), path]);
  for (const [name, path] of Object.entries(VENDOR)) sources.push([name, join(ROOT, "node_modules", path)]);
  sources.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash("sha256");
  for (const [name, path] of sources) {
    digest.update(name + "\0");
    digest.update(readFileSync(path));
    digest.update("\0");
  }
  return digest.digest("hex");
}

function hashedName(name, body) {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const ext = posix.extname(name);
  return `${name.slice(0, -ext.length)}-${hash}${ext}`;
}

function write(name, body) {
  const path = join(OUT, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  if (!COMPRESSED.has(extname(name))) return;
  writeFileSync(path + ".br", brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  }));
  writeFileSync(path + ".gz", gzipSync(body, { level: 9 }));
}

/** esbuild's bundles of `names`: logical entry name -> built name, and each entry's chunks (what
 * it imports, statically or dynamically, all the way down). */
async function bundles(names, splitting) {
  const result = await build({
    entryPoints: names.map((name) => join(STATIC, name)),
    outbase: STATIC,
    outdir: OUT,
    bundle: true,
    splitting,
    format: "esm",
    minify: true,
    target: ["es2020", "chrome80", "safari14", "firefox78"],
    entryNames: "[dir]/[name]-[hash]",
    chunkNames: "js/chunks/[name]-[hash]",
    metafile: true,
    write: false,
    logLevel: "warning",
  });
  const outputs = result.metafile.outputs;
  const builtName = (path) => posixPath(relative(OUT, join(ROOT, path)));
  const entries = {};
  for (const [path, output] of Object.entries(outputs)) {
    if (output.entryPoint) entries[posixPath(relative(STATIC, join(ROOT, output.entryPoint)))] = builtName(path);
  }
  const needs = {};
  for (const [path, output] of Object.entries(outputs)) {
    if (!output.entryPoint) continue;
    const seen = new Set();
    const visit = (imports) => imports.filter((item) => !item.external && !seen.has(item.path)).forEach((item) => {
      seen.add(item.path);
      visit(outputs[item.path].imports);
    });
    visit(output.imports);
    needs[entries[posixPath(relative(STATIC, join(ROOT, output.entryPoint)))]] = [...seen].map(builtName).sort();
  }
  for (const file of result.outputFiles) write(posixPath(relative(OUT, file.path)), Buffer.from(file.contents));
  return { entries, needs };
}

/** Files served as they are, under their content's name. A library's sourceMappingURL comment is
 * dropped: its map is not shipped, and a browser's developer tools would only ask for it in vain. */
function copies() {
  const files = {};
  const copy = (name, body) => {
    const built = hashedName(name, body);
    write(built, body);
    files[name] = built;
  };
  for (const name of COPIED) {
    const path = join(STATIC, name);
    const paths = statSync(path).isDirectory() ? filesUnder(path) : [path];
    for (const file of paths) copy(posixPath(relative(STATIC, file)), readFileSync(file));
  }
  for (const [name, path] of Object.entries(VENDOR)) {
    const body = readFileSync(join(ROOT, "node_modules", path), "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
    copy(name, Buffer.from(body));
  }
  return files;
}

rmSync(OUT, { recursive: true, force: true });
const single = await bundles(ENTRIES, false);
const split = await bundles(SPLIT_ENTRIES, true);
const manifest = {
  sources: sourceDigest(),
  files: { ...single.entries, ...split.entries, ...copies() },
  needs: { ...single.needs, ...split.needs },
};
writeFileSync(join(OUT, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
console.log(`${OUT.startsWith(ROOT) ? relative(ROOT, OUT) : OUT}: ${Object.keys(manifest.files).length} assets, minified, named by content, with .br and .gz`);
