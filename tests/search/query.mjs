// Runs queries with the search page's own query logic (themes/default/static/search.js) over a
// built site's index, reading the files from disk, and prints what each finds as JSON:
//
//   node tests/search/query.mjs OUTPUT_DIR < queries.json
//
// queries.json is a list of query strings. For each, the output lists the plans found (their
// URLs, best first), and the documents with every term (`URL#anchor`), and the ranges marked in
// them. tests/search.rs compares these with what a plain substring search of the plans' text
// expects.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { Engine, searchable } = require(join(here, "..", "..", "themes", "default", "static", "search.js"));

const out = resolve(process.argv[2]);
const ix = join(out, "search", "ix");
let fetched = 0;
const engine = new Engine(async (path, kind) => {
  const bytes = readFileSync(join(ix, path));
  fetched += bytes.length;
  return kind === "json" ? JSON.parse(bytes.toString("utf8")) : new Uint8Array(bytes);
});

const queries = JSON.parse(readFileSync(0, "utf8"));
const answers = [];
for (const q of queries) {
  const r = await engine.search(q, {});
  const plans = [], docs = [], marks = [];
  for (const res of r.results) {
    const plan = await engine.plan(res.plan);
    plans.push(plan.u);
    for (const p of res.all) {
      const d = plan.d[p];
      docs.push(plan.u + "#" + d[0]);
      const text = searchable(d);
      marks.push(...engine.marks(text, r.terms).map(([s, e]) => text.slice(s, e)));
    }
  }
  answers.push({ q, terms: r.terms, plans, docs, marks: [...new Set(marks)] });
}
process.stdout.write(JSON.stringify(answers));
