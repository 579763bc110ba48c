// Measures the search index of a built site as a reader meets it: for each query, the time from
// opening /search/?q=QUERY to the first result on screen, the requests made and the bytes
// fetched, each with an empty cache, on a desktop and on a simulated phone (Lighthouse's "slow
// 4G": 150 ms round trip, 1.6 Mbit/s down, CPU slowed 4×). Also prints the index's size.
//
//   node bench/search-query.mjs --site OUTPUT_DIR [--runs 5] [--queries 危险化学品,电梯,区应急局]
//
// It measures gongkai's own index (search/ix/, searched by static/search.js) or, for a site
// built by Pagefind's indexer (pagefind/; the Hugo side of bench/run), Pagefind's. A site
// without a search page gets a plain one (Pagefind's interface and nothing else). "Index"
// counts the files that hold postings: gongkai's shards and grams' own files, Pagefind's
// .pf_index chunks.
// Uses the Chromium and the npm packages that tests/browser/run installs.

import { createServer } from "node:http";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
};

function args() {
  const a = process.argv.slice(2);
  const o = { runs: 5, queries: ["危险化学品", "电梯", "区应急局", "安全生产"], chromium: "/usr/bin/chromium" };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === "--site") o.site = resolve(a[++i]);
    else if (a[i] === "--runs") o.runs = Number(a[++i]);
    else if (a[i] === "--queries") o.queries = a[++i].split(",");
    else if (a[i] === "--chromium") o.chromium = a[++i];
  }
  if (!o.site) throw new Error("--site OUTPUT_DIR is required");
  return o;
}

// For a site without a search page (the Hugo side of the benchmark), Pagefind's interface on a
// page of its own, as its documentation sets it up.
const PLAIN_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>搜索</title>
<link rel="stylesheet" href="/pagefind/pagefind-ui.css"></head><body><div id="search"></div>
<script src="/pagefind/pagefind-ui.js"></script><script>
var ui = new PagefindUI({ element: "#search", showSubResults: true });
var q = new URLSearchParams(location.search).get("q"); if (q) ui.triggerSearch(q);
</script></body></html>`;

function serve(dir) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.split("/").includes("..")) return res.writeHead(404).end();
    if (path === "/search/" && !existsSync(join(dir, "search", "index.html"))) {
      return res.writeHead(200, { "Content-Type": TYPES[".html"] }).end(PLAIN_PAGE);
    }
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) return res.writeHead(404).end();
    const body = readFileSync(file);
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] || "application/octet-stream", "Content-Length": body.length }).end(body);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

function walk(dir) {
  let files = 0, bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { const s = walk(p); files += s.files; bytes += s.bytes; }
    else { files += 1; bytes += statSync(p).size; }
  }
  return { files, bytes };
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function once(browser, url, phone) {
  const ctx = await browser.newContext({ viewport: phone ? { width: 375, height: 812 } : { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  if (phone) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  }
  const seen = { requests: 0, bytes: 0, index: 0, fragments: 0, indexBytes: 0 };
  page.on("response", async (r) => {
    const len = Number(r.headers()["content-length"] || 0);
    seen.requests += 1;
    seen.bytes += len;
    const p = new URL(r.url()).pathname;
    if (p.endsWith(".pf_index") || /\/search\/ix\/[sx]\//.test(p)) { seen.index += 1; seen.indexBytes += len; }
    if (p.endsWith(".pf_fragment") || /\/search\/ix\/d\//.test(p)) seen.fragments += 1;
  });
  const t0 = Date.now();
  await page.goto(url);
  // gongkai's page says what it found in its status region, Pagefind's in its message.
  const said = () => (document.getElementById("search-status") || document.querySelector(".pagefind-ui__message"))?.textContent || "";
  await page.waitForFunction(`document.querySelector(".result-link, .pagefind-ui__result-link") || /没有找到/.test((${said})())`, null, { timeout: 120000 });
  const ms = Date.now() - t0;
  // gongkai's page writes its count once the first results are on screen.
  await page.waitForFunction(`!/正在/.test((${said})())`, null, { timeout: 120000 });
  const results = await page.evaluate(said);
  await ctx.close();
  return { ms, results, ...seen };
}

async function main() {
  const o = args();
  const ours = existsSync(join(o.site, "search", "ix", "meta.json"));
  const dir = ours ? join(o.site, "search", "ix") : join(o.site, "pagefind");
  const size = walk(dir);
  console.log(`index (${ours ? "gongkai, search/ix/" : "Pagefind, pagefind/"}): ${size.files} files, ${size.bytes.toLocaleString("en")} bytes (${(size.bytes / 2 ** 20).toFixed(1)} MiB)`);
  const server = await serve(o.site);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: o.chromium });
  console.log(`\n${"query".padEnd(8)} ${"found".padEnd(22)} ${"desktop ms".padStart(10)} ${"phone ms".padStart(9)} ${"requests".padStart(8)} ${"index req".padStart(9)} ${"KiB index".padStart(9)} ${"KiB all".padStart(8)}`);
  for (const q of o.queries) {
    const url = `${origin}/search/?q=${encodeURIComponent(q)}`;
    const desk = [], phone = [];
    let last;
    for (let r = 0; r < o.runs; r++) {
      last = await once(browser, url, false);
      desk.push(last.ms);
      phone.push((await once(browser, url, true)).ms);
    }
    console.log(`${q.padEnd(8)} ${last.results.slice(0, 20).padEnd(22)} ${String(median(desk)).padStart(10)} ${String(median(phone)).padStart(9)} ${String(last.requests).padStart(8)} ${String(last.index).padStart(9)} ${(last.indexBytes / 1024).toFixed(0).padStart(9)} ${(last.bytes / 1024).toFixed(0).padStart(8)}`);
  }
  console.log(`\nmedians of ${o.runs} runs, each with an empty cache; requests and bytes of the last run`);
  await browser.close();
  server.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
