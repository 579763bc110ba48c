// Checks built sites the way an auditor and a citizen would. For each site it:
// - serves the output under its base path (as a portal would, e.g. /zwgk/aqsc/);
// - crawls it in headless Chromium from the home page;
// - runs axe-core (WCAG 2.0/2.1 A and AA) on every page at a phone width and a desktop width;
// - checks that every internal link and anchor resolves, that every page is reachable and that
//   no request leaves the site's origin;
// - takes a screenshot of each page kind at both widths;
// - validates every HTML file with the Nu HTML Checker (vnu).
//
// With --preview NAME=URL it also checks the pages only the running preview serves (the 核对
// pages of imports, `gongkai serve`'s /_review/): from the list at URL, every record page and its
// filtered view, with axe at both widths, vnu, the filter without JavaScript and the print view.
//
//   node check.mjs [--chromium PATH] [--shots DIR] [--aids NAME] [--disk NAME=DIR]
//                  [--preview NAME=URL] NAME=OUTPUT_DIR=BASE_PATH ...
//
// Exits non-zero when anything fails, listing every failure.

import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, join, relative, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const vnuJar = join(require.resolve("vnu-jar/package.json"), "..", "build", "dist", "vnu.jar");

const WIDTHS = { phone: { width: 375, height: 812 }, desktop: { width: 1280, height: 900 } };
const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8", ".csv": "text/csv; charset=utf-8",
  ".xml": "application/xml; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png",
};

function args() {
  const a = process.argv.slice(2);
  const out = { chromium: "/usr/bin/chromium", shots: null, sites: [], disk: [], preview: [] };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === "--chromium") out.chromium = a[++i];
    else if (a[i] === "--shots") out.shots = a[++i];
    else if (a[i] === "--aids") out.aids = a[++i];
    else if (a[i] === "--preview") {
      const [name, url] = a[++i].split(/=(.*)/s);
      out.preview.push({ name, url });
    }
    else if (a[i] === "--disk") {
      const [name, dir] = a[++i].split("=");
      out.disk.push({ name, dir: resolve(dir) });
    }
    else {
      const [name, dir, base] = a[i].split("=");
      out.sites.push({ name, dir: resolve(dir), base: base || "/", aids: false });
    }
  }
  return out;
}

function htmlFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(p));
    else if (e.name.endsWith(".html")) out.push(p);
  }
  return out;
}

// A static server for one output folder under its base path; nothing outside it.
function serve(dir, base) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let path = decodeURIComponent(url.pathname);
    if (!path.startsWith(base) || path.split("/").includes("..")) {
      res.writeHead(404).end();
      return;
    }
    let file = join(dir, path.slice(base.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !resolve(file).startsWith(dir)) {
      res.writeHead(404, { "Content-Type": TYPES[".html"] }).end(readFileSync(join(dir, "404.html")));
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] || "application/octet-stream" })
      .end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

// What kind of page a site-relative path is, for screenshots.
function kind(rel) {
  if (rel === "") return "home";
  if (rel === "404") return "404";
  const parts = rel.split("/").filter(Boolean);
  const [first] = parts;
  const lists = { districts: "district-list", years: "year-list", units: "unit-list", persons: "person-list", indicators: "indicator-list", compare: "comparison-list", search: "search" };
  if (parts.length === 1 && lists[first]) return lists[first];
  if (first === "sitemap") return "sitemap";
  if (first === "years") return "year";
  // units/<district>/ lists a district's units; units/<district>/<slug>/ (or a shared unit's
  // units/<slug>/) is a unit.
  if (first === "units") return parts.length === 2 ? "units-of" : "unit";
  if (first === "persons") return parts.length === 2 ? "persons-of" : "person";
  if (first === "indicators") return "indicator";
  if (first === "regions") return "region";
  if (first === "compare") return "comparison";
  if (parts.length === 1) return "district";
  if (parts.includes("progress")) return "progress";
  if (parts.includes("jiedu")) return "interpretation";
  return "plan";
}

async function checkSite(browser, site, shots, failures) {
  const server = await serve(site.dir, site.base);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const home = origin + site.base;
  const pages = new Map(); // url (no hash) -> ids
  const links = []; // [from, href] found on the page just visited
  const pending = []; // every internal link, checked once the crawl is done
  const todo = [home];
  const shot = new Set();
  const contexts = {};
  for (const [w, size] of Object.entries(WIDTHS)) {
    contexts[w] = await browser.newContext({ viewport: size, locale: "zh-CN" });
    contexts[w].on("request", (r) => {
      const u = new URL(r.url());
      if (u.origin !== origin && u.protocol !== "data:" && u.protocol !== "about:") {
        failures.push(`${site.name}: request leaves the site: ${r.url()}`);
      }
    });
  }
  const visit = async (url, label) => {
    for (const [w, ctx] of Object.entries(contexts)) {
      const page = await ctx.newPage();
      const resp = await page.goto(url, { waitUntil: "load" });
      if (!resp || (resp.status() !== 200 && label !== "404")) {
        failures.push(`${site.name}: ${url} answered ${resp && resp.status()}`);
      }
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
      for (const v of result.violations) {
        const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
        failures.push(`${site.name}: ${url} (${w}): ${v.id} (${v.impact}): ${v.help} at ${where}`);
      }
      if (w === "phone") {
        // Tables scroll inside their own box; the page itself never scrolls sideways.
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (wide > 1) failures.push(`${site.name}: ${url} (phone) is ${wide}px wider than the screen`);
      }
      const k = kind(label);
      if (shots && !shot.has(`${k}-${w}`)) {
        shot.add(`${k}-${w}`);
        await page.screenshot({ path: join(shots, `${site.name}-${k}-${w}.png`), fullPage: true });
      }
      if (w === "desktop" && label !== "404") {
        const found = await page.evaluate(() => ({
          ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
          hrefs: [...document.querySelectorAll("a[href], link[href]")].map((a) => a.href),
        }));
        pages.set(url, new Set(found.ids));
        for (const h of found.hrefs) links.push([url, h]);
      }
      await page.close();
    }
  };
  while (todo.length) {
    const url = todo.pop();
    if (pages.has(url)) continue;
    await visit(url, url.slice(home.length).replace(/index\.html$/, ""));
    for (const [from, href] of links.splice(0)) {
      const u = new URL(href);
      if (u.origin !== origin) continue; // canonical links and the like are not requests
      const bare = u.origin + u.pathname;
      if ((bare.endsWith("/") || bare.endsWith(".html")) && !pages.has(bare)) todo.push(bare);
      pending.push([from, u.href]);
    }
  }
  await visit(`${home}no-such-page/`, "404");
  if (site.aids) {
    try {
      await readingAids(browser, home, [...pages.keys()], failures, site.name);
    } catch (e) {
      failures.push(`${site.name}: reading aids: ${e.message.split("\n")[0]}`);
    }
  }
  try {
    await searchChecks(browser, home, failures, site.name, shots);
  } catch (e) {
    failures.push(`${site.name}: search: ${e.message.split("\n")[0]}`);
  }
  // Every link resolves; every anchor exists on its page.
  for (const [from, href] of pending) {
    const u = new URL(href);
    const bare = u.origin + u.pathname;
    if (bare.endsWith("/") || bare.endsWith(".html")) {
      const ids = pages.get(bare);
      if (!ids) failures.push(`${site.name}: ${from} links to ${href}, which does not load`);
      else if (u.hash && !ids.has(decodeURIComponent(u.hash.slice(1)))) {
        failures.push(`${site.name}: ${from} links to ${href}, which has no such anchor`);
      }
    } else {
      const file = join(site.dir, decodeURIComponent(u.pathname).slice(site.base.length));
      if (!existsSync(file)) failures.push(`${site.name}: ${from} links to missing ${href}`);
    }
  }
  // Every page of the output is reachable from home.
  for (const f of htmlFiles(site.dir)) {
    const rel = relative(site.dir, f).split(sep).join("/");
    if (rel === "404.html") continue;
    const url = home + rel.replace(/index\.html$/, "");
    if (!pages.has(url)) failures.push(`${site.name}: ${rel} is not reachable from the home page`);
  }
  for (const ctx of Object.values(contexts)) await ctx.close();
  server.close();
  return pages.size;
}

// 适老化 and print: large base text, a larger-text and high-contrast switch that works without
// JavaScript and is remembered with it, and a print view with the page's address.
async function readingAids(browser, home, urls, failures, name) {
  const fail = (m) => failures.push(`${name}: reading aids: ${m}`);
  const px = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  for (const js of [false, true]) {
    const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: WIDTHS.phone });
    const page = await ctx.newPage();
    await page.goto(home);
    const base = await px(page);
    if (base < 16) fail(`base text is ${base}px, under 16px`);
    await page.click("label[for=care]");
    const big = await px(page);
    if (!(big > base * 1.15)) fail(`the switch (JavaScript ${js ? "on" : "off"}) took text from ${base}px to ${big}px`);
    const color = await page.evaluate(() => getComputedStyle(document.body).color);
    if (color !== "rgb(0, 0, 0)") fail(`high contrast text is ${color}, not black`);
    if (js) {
      await page.goto(urls.find((u) => u !== home) || home);
      if (!(await page.isChecked("#care"))) fail("the switch is not remembered on the next page");
    }
    await ctx.close();
  }
  const plan = urls.find((u) => kind(u.slice(home.length)) === "plan");
  if (plan) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(plan);
    await page.emulateMedia({ media: "print" });
    const shown = await page.evaluate(() => ({
      url: getComputedStyle(document.querySelector(".print-url")).display !== "none",
      nav: getComputedStyle(document.querySelector(".site-header nav")).display !== "none",
      meta: getComputedStyle(document.querySelector("#meta")).display !== "none",
    }));
    if (!shown.url || shown.nav || !shown.meta) fail(`print view of ${plan}: ${JSON.stringify(shown)}`);
    await ctx.close();
  }
}

// A build made with --for-disk, opened from the disk: every page reached by following links
// from index.html is a page (not a folder listing) with its stylesheet, and nothing is loaded
// from anywhere but the disk.
async function disk(browser, name, dir, failures) {
  const ctx = await browser.newContext({ viewport: WIDTHS.desktop });
  ctx.on("request", (r) => {
    if (!r.url().startsWith("file://")) failures.push(`${name}: request leaves the disk: ${r.url()}`);
  });
  const page = await ctx.newPage();
  const seen = new Set();
  const todo = [`file://${join(dir, "index.html")}`];
  while (todo.length) {
    const url = todo.pop();
    if (seen.has(url)) continue;
    seen.add(url);
    const path = decodeURIComponent(new URL(url).pathname);
    if (!existsSync(path) || statSync(path).isDirectory()) {
      failures.push(`${name}: a link leads to ${path}, which is not a file`);
      continue;
    }
    if (!path.endsWith(".html")) continue;
    await page.goto(url);
    const got = await page.evaluate(() => ({
      main: !!document.querySelector("main"),
      px: parseFloat(getComputedStyle(document.documentElement).fontSize),
      hrefs: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    }));
    if (!got.main) failures.push(`${name}: ${path} has no main element`);
    if (got.px !== 18) failures.push(`${name}: ${path} lost its stylesheet (text ${got.px}px)`);
    for (const h of got.hrefs) {
      const u = new URL(h);
      if (u.protocol === "file:") todo.push(`file://${u.pathname}`);
    }
  }
  await ctx.close();
  return seen.size;
}

// What to search for on each site, and what must be found: `plans` distinct plans at least,
// `in` a path some result must be under, `none` no result at all, `exact` every highlight is the
// query itself (电梯 is never 电 or 梯 alone). `filter` picks one value of a filter and expects
// that many plans.
const SEARCHES = {
  real: [
    { q: "危险化学品", plans: 3, marks: true, anchors: true },
    { q: "区应急局", in: "/chongming/" },
    { q: "唐林芳", in: "/pudong/" },
    { q: "电梯", exact: true, marks: true },
    { q: "电梯安全", exact: true, marks: true },
    // Long excerpts are cut to a window, never through a mark.
    { q: "区应急管理局", exact: true, marks: true, in: "/pudong/" },
    { q: "危險化學品", plans: 3, marks: true },
    { q: "鲸鱼", none: true },
    { q: "企鹅", none: true },
  ],
  // A plan's 解读 is found with it, and its result links to the 解读's own page.
  tracker: [{ q: "出台背景", plans: 1, exact: true, marks: true, in: "/jiedu/" }],
  compare: [
    { q: "区应急局", plans: 5, filter: ["f-district", "样例区", 1] },
    { q: "区应急局", plans: 5, filter: ["f-year", "2023", 3] },
    { q: "鲸鱼", none: true },
  ],
};

// Full-text search through the search page, as a citizen or a portal's search box (?q=) uses
// it: results, highlighted excerpts, links to sections and tasks under the site's base path,
// filters, a plain message when nothing is found, keyboard use, and axe on the page with results
// at both widths.
async function searchChecks(browser, home, failures, name, shots) {
  const specs = SEARCHES[name];
  if (!specs) return;
  const fail = (m) => failures.push(`${name}: search: ${m}`);
  const ctx = await browser.newContext({ viewport: WIDTHS.desktop, locale: "zh-CN" });
  const page = await ctx.newPage();
  const settle = async () => {
    // The status region says 正在搜索… until the results are on the page.
    await page.waitForFunction(() => {
      const t = document.getElementById("search-status")?.textContent || "";
      return t && !/正在/.test(t);
    }, null, { timeout: 20000 });
    return page.evaluate(() => ({
      status: document.getElementById("search-status").textContent,
      results: [...document.querySelectorAll(".result")].map((r) => r.querySelector(".result-link").href),
      links: [...document.querySelectorAll(".search-results a")].map((a) => a.href),
      marks: [...document.querySelectorAll(".search-results mark")].map((m) => m.textContent),
    }));
  };
  const run = async (q) => {
    await page.goto(`${home}search/?q=${encodeURIComponent(q)}`);
    return settle();
  };
  const plans = (links) => new Set(links.map((l) => new URL(l).pathname));
  const base = new URL(home).pathname;
  for (const s of specs) {
    const r = await run(s.q);
    if (s.none) {
      if (r.links.length || !r.status.includes("没有找到")) fail(`${s.q}: a query with no hits says “${r.status}”, ${r.links.length} links`);
      continue;
    }
    if (!r.links.length) { fail(`${s.q}: no results (${r.status})`); continue; }
    if (!/找到 [\d,]+ 个文件/.test(r.status)) fail(`${s.q}: the status region says “${r.status}”`);
    if (s.plans && plans(r.results).size < s.plans) fail(`${s.q}: ${plans(r.results).size} plans found, not ${s.plans}: ${r.results}`);
    if (s.in && !r.links.some((l) => l.includes(s.in))) fail(`${s.q}: nothing under ${s.in}: ${r.links}`);
    if (s.marks && r.marks.length === 0) fail(`${s.q}: no highlighted excerpt`);
    if (s.exact && r.marks.some((m) => m !== s.q)) fail(`${s.q}: highlights ${[...new Set(r.marks)].join("、")}, not only ${s.q}`);
    if (s.anchors && !r.links.some((l) => /#task-/.test(l))) fail(`${s.q}: no result links to a task`);
    if (s.anchors && !r.links.some((l) => /#s-/.test(l))) fail(`${s.q}: no result links to a section`);
    // Every result is a page of this site, under its base path, and its anchor is there.
    for (const l of new Set(r.links)) {
      const u = new URL(l);
      if (!u.pathname.startsWith(base)) { fail(`${s.q}: ${l} is outside ${base}`); continue; }
      const check = await ctx.newPage();
      const resp = await check.goto(l);
      if (!resp || resp.status() !== 200) fail(`${s.q}: ${l} answered ${resp && resp.status()}`);
      else if (u.hash && !(await check.evaluate((id) => !!document.getElementById(id), decodeURIComponent(u.hash.slice(1))))) {
        fail(`${s.q}: ${l} has no such anchor`);
      }
      await check.close();
    }
    if (s.filter) {
      const [select, value, expect] = s.filter;
      await page.selectOption(`#${select}`, { label: value });
      const f = await settle();
      if (plans(f.results).size !== expect) fail(`${s.q} with ${value}: ${plans(f.results).size} plans, not ${expect}: ${f.results}`);
    }
  }
  // Results pass axe at both widths, and are on the screenshots.
  const first = specs.find((s) => !s.none);
  for (const [w, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    await run(first.q);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() =>
      window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
      fail(`results (${w}): ${v.id} (${v.impact}): ${v.help} at ${where}`);
    }
    if (w === "phone") {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 1) fail(`results (phone) are ${wide}px wider than the screen`);
    }
    if (shots) await page.screenshot({ path: join(shots, `${name}-search-results-${w}.png`), fullPage: true });
  }
  // By keyboard alone: Tab reaches the search box, typing and Enter search, Tab reaches a result.
  await page.goto(`${home}search/`);
  await page.waitForSelector("#search-q", { state: "visible" });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.id === "search-q");
  }
  if (!reached) fail("Tab never reaches the search box");
  else {
    await page.keyboard.type(first.q);
    await page.keyboard.press("Enter");
    const r = await settle();
    if (!r.links.length) fail(`typing ${first.q} found nothing`);
    let onResult = false;
    for (let i = 0; i < 60 && !onResult; i++) {
      await page.keyboard.press("Tab");
      onResult = await page.evaluate(() => !!document.activeElement?.closest(".result"));
    }
    if (!onResult) fail("Tab never reaches a result");
  }
  await ctx.close();
}

// Axe (WCAG 2.0/2.1 A and AA) on the page open in `page`, and no sideways scroll on a phone.
async function axeAndWidth(page, w, label, failures) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  for (const v of result.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
    failures.push(`${label} (${w}): ${v.id} (${v.impact}): ${v.help} at ${where}`);
  }
  if (w === "phone") {
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (wide > 1) failures.push(`${label} (phone) is ${wide}px wider than the screen`);
  }
}

// The 核对 pages of a running preview: the list at `url`, each record it links to and the
// record's “只看需要核对的行” view. Each passes axe at both widths and vnu; the filter is a link
// that works with JavaScript off; printed, a record drops the navigation and the filter, shows
// every row and ends with the line to sign.
async function preview(browser, { name, url }, shots, failures) {
  const fail = (m) => failures.push(`${name}: ${m}`);
  const contexts = {};
  for (const [w, size] of Object.entries(WIDTHS)) {
    contexts[w] = await browser.newContext({ viewport: size, locale: "zh-CN" });
  }
  const origin = new URL(url).origin;
  const html = join(shots || ".", `${name}-html`);
  mkdirSync(html, { recursive: true });
  const todo = [url];
  const seen = new Set();
  while (todo.length) {
    const u = todo.shift();
    if (seen.has(u)) continue;
    seen.add(u);
    const resp = await fetch(u);
    if (resp.status !== 200) fail(`${u} answered ${resp.status}`);
    writeFileSync(join(html, `page-${seen.size}.html`), await resp.text());
    for (const [w, ctx] of Object.entries(contexts)) {
      const page = await ctx.newPage();
      await page.goto(u, { waitUntil: "load" });
      await axeAndWidth(page, w, `${name}: ${u}`, failures);
      const links = await page.evaluate(() =>
        [...document.querySelectorAll(".review-list a, .review-filter a")].map((a) => a.href));
      for (const l of links) if (l.startsWith(origin + "/_review/")) todo.push(l);
      const k = u === url ? "list" : u.includes("only=attention") ? "attention" : "record";
      if (shots) await page.screenshot({ path: join(shots, `${name}-${k}-${w}.png`), fullPage: true });
      await page.close();
    }
  }
  if (seen.size < 3) fail(`only ${seen.size} pages reached from ${url}: no record listed?`);
  vnu({ name, dir: html }, failures);
  const record = [...seen].find((u) => u !== url && !u.includes("?"));
  if (record) await reviewFilterAndPrint(browser, record, fail);
  for (const ctx of Object.values(contexts)) await ctx.close();
  return seen.size;
}

async function reviewFilterAndPrint(browser, record, fail) {
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: WIDTHS.phone });
  const page = await ctx.newPage();
  await page.goto(record);
  const all = await page.locator(".review-table tbody tr").count();
  await page.click(".review-filter a");
  const marked = await page.evaluate(() => [...document.querySelectorAll(".review-table tbody tr")]
    .map((tr) => tr.classList.contains("attention") && tr.textContent.includes("需核对")));
  if (!marked.length || marked.length >= all || marked.some((m) => !m)) {
    fail(`the filter (no JavaScript) shows ${marked.length} of ${all} rows, marked: ${marked}`);
  }
  await ctx.close();
  const print = await browser.newContext();
  const p = await print.newPage();
  await p.goto(record);
  await p.emulateMedia({ media: "print" });
  const shown = await p.evaluate(() => {
    const visible = (s) => [...document.querySelectorAll(s)].some((e) => getComputedStyle(e).display !== "none");
    return {
      nav: visible(".site-header nav"), filter: visible(".review-filter"), signoff: visible(".signoff"),
      rows: [...document.querySelectorAll(".review-table tbody tr")].every((tr) => tr.getBoundingClientRect().height > 0),
      cut: document.querySelector(".review-wrap").scrollWidth > document.querySelector(".review-wrap").clientWidth + 1,
    };
  });
  if (shown.nav || shown.filter || !shown.signoff || !shown.rows || shown.cut) fail(`print view of ${record}: ${JSON.stringify(shown)}`);
  await print.close();
}

function vnu(site, failures) {
  const r = spawnSync("java", ["-jar", vnuJar, "--errors-only", "--format", "gnu", "--skip-non-html", site.dir], { encoding: "utf8" });
  const lines = (r.stderr + r.stdout).split("\n").filter((l) => l.includes("error"));
  for (const l of lines) failures.push(`${site.name}: vnu: ${l.replace(`file:${site.dir}`, "")}`);
  if (r.status !== 0 && lines.length === 0) failures.push(`${site.name}: vnu failed: ${r.stderr}`);
}

const opts = args();
// The site named by --aids also gets the reading-aid and print checks.
for (const s of opts.sites) s.aids = s.name === opts.aids;
if (opts.shots) mkdirSync(opts.shots, { recursive: true });
const failures = [];
const browser = await chromium.launch({
  executablePath: opts.chromium,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  for (const site of opts.sites) {
    const before = failures.length;
    const n = await checkSite(browser, site, opts.shots, failures);
    vnu(site, failures);
    console.log(`${site.name}: ${n} pages, each at ${Object.keys(WIDTHS).length} widths: ${failures.length - before} problems`);
  }
  for (const p of opts.preview) {
    const before = failures.length;
    const n = await preview(browser, p, opts.shots, failures);
    console.log(`${p.name}: ${n} preview pages, each at ${Object.keys(WIDTHS).length} widths: ${failures.length - before} problems`);
  }
  for (const d of opts.disk) {
    const before = failures.length;
    const n = await disk(browser, d.name, d.dir, failures);
    console.log(`${d.name}: ${n} files reached from the disk: ${failures.length - before} problems`);
  }
} finally {
  await browser.close();
}
for (const f of failures) console.error(f);
process.exit(failures.length ? 1 : 0);
