// Tables on a phone (issue 16): the pages with the widest tables — the annex task list of 崇明
// 2023 (序号, 重点任务, 区领导, 责任单位, 配合单位, 工作内容), the indicator tables, a comparison,
// the unit list — opened at 320, 375 and 1280 px. No cell may be narrower than two characters of
// its own text (a column squeezed to one character a line is unreadable), and the page never
// scrolls sideways. A screenshot of each page's first table at each width goes to SHOTS.
//
// node tables.mjs SITE_DIR SHOTS_DIR   (SITE_DIR: a build made with --for-disk)
import { mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [site, shots] = process.argv.slice(2);
if (!site || !shots) {
  console.error("usage: node tables.mjs SITE_DIR SHOTS_DIR");
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

const PAGES = [
  "chongming/2023/aqsc-gongzuo-yijian/index.html",
  "gaochun/2016-2020/aqsc-guihua/index.html",
  "gaochun/index.html",
  "indicators/index.html",
  "units/chongming/index.html",
  "compare/index.html",
];
const WIDTHS = [320, 375, 1280];

const failures = [];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
let measured = 0;
for (const width of WIDTHS) {
  const ctx = await browser.newContext({ viewport: { width, height: 800 }, locale: "zh-CN" });
  for (const rel of PAGES) {
    const file = join(site, rel);
    if (!existsSync(file)) {
      failures.push(`${rel}: not built`);
      continue;
    }
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const r = await page.evaluate(() => {
      const narrow = [];
      let cells = 0;
      for (const cell of document.querySelectorAll("main table th, main table td")) {
        const text = cell.innerText.trim();
        const box = cell.getBoundingClientRect();
        // Empty cells, and the header a reflowed table keeps for screen readers only.
        const head = cell.closest("thead");
        if (!text || box.width === 0 || (head && head.getBoundingClientRect().width <= 1)) continue;
        cells += 1;
        const style = getComputedStyle(cell);
        const font = parseFloat(style.fontSize);
        const inner = box.width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        // Two characters, or the whole text when it is shorter (a one-digit 序号); a Chinese
        // character is 1 em wide, a Latin letter or digit about half.
        const need = [...text].slice(0, 2).reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 1 : 0.5), 0) * font;
        if (inner < need - 1) narrow.push(`${text.slice(0, 12)} (${inner.toFixed(0)} px of ${need.toFixed(0)})`);
      }
      const doc = document.scrollingElement;
      return { narrow, cells, sideways: doc.scrollWidth > window.innerWidth + 1, scrollWidth: doc.scrollWidth };
    });
    measured += r.cells;
    if (r.cells === 0 && rel.startsWith("chongming/")) failures.push(`${rel}: no table found`);
    for (const n of r.narrow) failures.push(`${rel} at ${width} px: a cell narrower than two characters: ${n}`);
    if (r.sideways) failures.push(`${rel} at ${width} px: the page scrolls sideways (${r.scrollWidth} px)`);
    const table = page.locator("main table").first();
    if (await table.count()) {
      const name = rel.replace(/\/index\.html$/, "").replace(/[/]/g, "_") || "home";
      await table.screenshot({ path: join(shots, `table-${name}-${width}.png`) });
    }
    await page.close();
  }
  await ctx.close();
}
await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`tables: ${measured} cells on ${PAGES.length} pages at ${WIDTHS.join(", ")} px, none narrower than two characters, no sideways scrolling`);
