// Unit tests of the search page's query logic (themes/default/static/search.js), run by
// `cargo test` (tests/search.rs) with Node's test runner: folding, terms, the bigrams that prove
// a term, the shard of a gram (the same as crates/gongkai-search/src/index.rs), reading postings, and marks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const s = require("../../themes/default/static/search.js");

test("queries fold as the index does", () => {
  const fold = s.makeFold("險险學学區区應应");
  assert.equal(fold("危險化學品"), "危险化学品");
  assert.equal(fold("ＹＩＮＧＪＩ２０２１"), "yingji2021");
  assert.equal(fold("區應急局　电梯"), "区应急局 电梯");
  assert.deepEqual(s.terms(fold, "  电梯  安全 电梯 "), ["电梯", "安全"]);
  assert.deepEqual(s.terms(fold, "   "), []);
});

test("a term's bigrams cover every character", () => {
  for (const term of ["电梯", "危险化学品", "安全生产责任制", "ab", "abc", "浦应急〔2021〕39号", "𠀀体育"]) {
    const cps = Array.from(term);
    const grams = s.cover(term);
    const offs = [];
    let o = 0;
    for (const c of cps) { offs.push(o); o += c.length; }
    const covered = new Set();
    for (const [a, b, off] of grams) {
      const i = offs.indexOf(off);
      assert.ok(i >= 0 && i + 1 < cps.length, `${term}: offset ${off}`);
      assert.equal(a, cps[i].codePointAt(0));
      assert.equal(b, cps[i + 1].codePointAt(0));
      covered.add(i).add(i + 1);
    }
    assert.equal(covered.size, cps.length, `${term}: ${JSON.stringify(grams)}`);
    assert.ok(grams.length <= Math.ceil(cps.length / 2) + 1);
  }
  // One character is looked up alone.
  assert.deepEqual(s.cover("企"), [["企".codePointAt(0), 0, 0]]);
});

test("grams go to the shards the build puts them in", () => {
  // The same values are asserted of shard_of in crates/gongkai-search/src/index.rs.
  assert.equal(s.shardOf("电".codePointAt(0), "梯".codePointAt(0), 4096), 3351);
  assert.equal(s.shardOf("企".codePointAt(0), 0, 512), 315);
});

test("postings read back", () => {
  // Plan 0, one part (0) with 电梯 at 0 and 5; plan 3 (0 + 3), part 2 at 7.
  const p = s.decode(Uint8Array.from([0, 1, 0, 2, 0, 5, 3, 1, 2, 1, 7]), true);
  assert.deepEqual([...p.keys()], [0, 3]);
  assert.deepEqual(p.get(0).get(0), [0, 5]);
  assert.deepEqual(p.get(3).get(2), [7]);
  // A single character's postings have parts only; numbers over 127 take two bytes.
  const q = s.decode(Uint8Array.from([0xac, 0x02, 2, 1, 4]), false);
  assert.deepEqual([...q.get(300).keys()], [1, 5]);
});

test("a term is found past 2^24 positions of a gram in one document", async () => {
  // An engine's Set holds at most 2^24 values: positions must not be put in one.
  const n = (1 << 24) + 8;
  const leb = (out, v) => { while (v >= 0x80) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); } out.push(v); };
  // Plan 0, part 0: 安全 at 0, 4, 8 … and 生产 at 2, 6, 10 … (n times each): 安全生产 n times.
  const postings = (first) => {
    const head = [];
    leb(head, 0); leb(head, 1); leb(head, 0); leb(head, n); leb(head, first);
    const bytes = new Uint8Array(head.length + n - 1);
    bytes.set(head);
    bytes.fill(4, head.length);
    return bytes;
  };
  const [an, quan, sheng, chan] = ["安", "全", "生", "产"].map((c) => c.codePointAt(0));
  const shard = [];
  for (const [a, b] of [[an, quan], [sheng, chan]]) { leb(shard, a); leb(shard, b); leb(shard, 1); }
  const files = {
    "meta.json": { shards: 1 },
    "fold.json": { t2s: "" },
    "s/0.bin": Uint8Array.from(shard),
    [`x/${an.toString(16)}_${quan.toString(16)}.bin`]: postings(0),
    [`x/${sheng.toString(16)}_${chan.toString(16)}.bin`]: postings(2),
  };
  const e = new s.Engine((path) => (path in files ? Promise.resolve(files[path]) : Promise.reject(new Error(path))));
  const r = await e.search("安全生产");
  assert.equal(r.results.length, 1);
  assert.equal(r.results[0].plan, 0);
  assert.equal(r.results[0].hits, n);
  const two = await e.search("安全 生产");
  assert.equal(two.results.length, 1);
  assert.ok(s.hasSorted([1, 3, 5], 5) && !s.hasSorted([1, 3, 5], 4) && !s.hasSorted([], 1));
});

test("marks are the terms, merged where they touch", () => {
  const e = new s.Engine(() => Promise.reject(new Error("no files")));
  e.fold = s.makeFold("險险");
  assert.deepEqual(e.marks("加强电梯安全管理", ["电梯安全"]), [[2, 6]]);
  assert.deepEqual(e.marks("加强电梯安全管理", ["电梯", "安全"]), [[2, 6]]);
  assert.deepEqual(e.marks("安全，电梯", ["电梯"]), [[3, 5]]);
  assert.deepEqual(e.marks("危險品和危险品", ["危险"]), [[0, 2], [4, 6]]);
  assert.deepEqual(e.marks("安全", ["电梯"]), []);
});
