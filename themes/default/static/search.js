/* gongkai search: queries the site's static bigram index (search/ix/, see src/search/index.rs)
 * in the browser. Fetches only the files that hold the query's grams and the results shown,
 * all from this site. Also loads in Node (module.exports), where the tests run the same query
 * logic over a built site. */
(function (global) {
  "use strict";

  // Folding, as src/search/fold.rs: ASCII lower case, full-width forms to ASCII, the
  // ideographic space to a space, traditional to simplified characters by the site's table.
  // One UTF-16 unit maps to one, so offsets in a folded text are offsets in the original.
  function makeFold(t2s) {
    var map = new Map();
    for (var i = 0; i + 1 < t2s.length; i += 2) map.set(t2s[i], t2s[i + 1]);
    return function fold(s) {
      var out = "";
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c + 32);
        else if (c >= 0xff01 && c <= 0xff5e) {
          var a = c - 0xfee0;
          out += String.fromCharCode(a >= 0x41 && a <= 0x5a ? a + 32 : a);
        } else if (c === 0x3000) out += " ";
        else if (c < 0x3400) out += s[i];
        else out += map.get(s[i]) || s[i];
      }
      return out;
    };
  }

  // A query's terms: split at spaces, folded, each once.
  function terms(fold, query) {
    var seen = new Set();
    return fold(query).split(/\s+/).filter(function (t) {
      if (!t || seen.has(t)) return false;
      seen.add(t);
      return true;
    });
  }

  // Which bigrams of a term prove it is there: every other one, and the last, so that each
  // character is in one of them. Returns [[c1, c2, offset in UTF-16 units]].
  function cover(term) {
    var cps = Array.from(term), offs = [], o = 0;
    for (var i = 0; i < cps.length; i++) { offs.push(o); o += cps[i].length; }
    if (cps.length === 1) return [[cps[0].codePointAt(0), 0, 0]];
    var picks = [];
    for (var j = 0; j + 1 < cps.length; j += 2) picks.push(j);
    if (picks[picks.length - 1] !== cps.length - 2) picks.push(cps.length - 2);
    return picks.map(function (j) { return [cps[j].codePointAt(0), cps[j + 1].codePointAt(0), offs[j]]; });
  }

  // The shard of a gram, as src/search/index.rs `shard_of`.
  function shardOf(c1, c2, shards) {
    var h = (Math.imul(c1, 0x9e3779b1) ^ Math.imul(c2, 0x85ebca77)) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    return h % shards;
  }

  function reader(bytes) {
    var at = 0;
    return {
      more: function () { return at < bytes.length; },
      next: function () {
        var v = 0, mul = 1, b;
        do { b = bytes[at++]; v += (b & 0x7f) * mul; mul *= 128; } while (b >= 0x80 && at < bytes.length);
        return v;
      },
      at: function () { return at; },
      skip: function (n) { at += n; },
    };
  }

  // Whether the ascending list `list` holds `x`. Positions are kept as the sorted arrays they
  // decode to, never put in a Set: an engine's Set holds at most 2^24 values, and a common
  // bigram of a long document can have more positions.
  function hasSorted(list, x) {
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >>> 1, v = list[mid];
      if (v === x) return true;
      if (v < x) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  // A gram's postings: plan → part → positions (or null for a single character).
  function decode(bytes, pair) {
    var r = reader(bytes), plans = new Map(), plan = -1;
    while (r.more()) {
      var d = r.next();
      plan = plan < 0 ? d : plan + d;
      var parts = new Map(), n = r.next(), part = 0;
      for (var i = 0; i < n; i++) {
        part += r.next();
        if (pair) {
          var k = r.next(), pos = new Array(k), p = 0;
          for (var j = 0; j < k; j++) { p += r.next(); pos[j] = p; }
          parts.set(part, pos);
        } else parts.set(part, null);
      }
      plans.set(plan, parts);
    }
    return plans;
  }

  function Engine(load) {
    // load(path, "json" | "bin") → Promise of the parsed JSON or a Uint8Array.
    this.load = load;
    this.cache = new Map();
  }

  Engine.prototype.get = function (path, kind) {
    if (!this.cache.has(path)) this.cache.set(path, this.load(path, kind));
    return this.cache.get(path);
  };

  Engine.prototype.init = function () {
    var self = this;
    if (!this.ready) {
      this.ready = Promise.all([this.get("meta.json", "json"), this.get("fold.json", "json")]).then(function (r) {
        self.meta = r[0];
        self.fold = makeFold(r[1].t2s);
      });
    }
    return this.ready;
  };

  Engine.prototype.postings = function (c1, c2) {
    var self = this;
    var s = shardOf(c1, c2, this.meta.shards);
    return this.get("s/" + s + ".bin", "bin").then(function (bytes) {
      var r = reader(bytes);
      while (r.more()) {
        var a = r.next(), b = r.next(), lf = r.next(), len = Math.floor(lf / 2), own = lf % 2 === 1;
        if (a === c1 && b === c2) {
          if (own) return self.get("x/" + c1.toString(16) + "_" + c2.toString(16) + ".bin", "bin").then(function (x) { return decode(x, c2 !== 0); });
          return decode(bytes.subarray(r.at(), r.at() + len), c2 !== 0);
        }
        if (!own) r.skip(len);
      }
      return new Map();
    });
  };

  // Where a term is: plan → part → start offsets (null for a one-character term, which is
  // found by document).
  Engine.prototype.term = function (term) {
    var grams = cover(term);
    return Promise.all(grams.map(function (g) { return this.postings(g[0], g[1]); }, this)).then(function (lists) {
      if (grams.length === 1 && grams[0][1] === 0) return lists[0];
      var out = new Map();
      // Walk the list with the fewest plans; the others must have each plan, part and offset.
      var order = lists.map(function (l, i) { return i; }).sort(function (a, b) { return lists[a].size - lists[b].size; });
      var first = order[0];
      lists[first].forEach(function (parts, plan) {
        var others = [];
        for (var i = 0; i < lists.length; i++) { var o = lists[i].get(plan); if (!o) return; others.push(o); }
        parts.forEach(function (pos, part) {
          var sets = [];
          for (var i = 0; i < lists.length; i++) {
            var q = others[i].get(part);
            if (!q) return;
            sets.push(i === first ? null : q);
          }
          var starts = [];
          for (var k = 0; k < pos.length; k++) {
            var start = pos[k] - grams[first][2], ok = true;
            for (var m = 0; m < lists.length && ok; m++) if (m !== first) ok = hasSorted(sets[m], start + grams[m][2]);
            if (ok) starts.push(start);
          }
          if (starts.length) {
            if (!out.has(plan)) out.set(plan, new Map());
            out.get(plan).set(part, starts);
          }
        });
      });
      return out;
    });
  };

  // What the filters offer: districts, years and units.
  Engine.prototype.facets = function () {
    return this.get("facets.json", "json");
  };

  // The plans of a filter: districts from facets.json's runs, years and units from their files.
  Engine.prototype.filter = function (kind, value) {
    if (kind === "district") {
      return this.facets().then(function (f) {
        var d = f.districts[value], set = new Set();
        for (var k = 1; k + 1 < d.length; k += 2) for (var p = d[k]; p < d[k] + d[k + 1]; p++) set.add(p);
        return set;
      });
    }
    var file = "f/" + (kind === "year" ? "y" : "u") + value + ".json";
    return this.get(file, "json").then(function (deltas) {
      var set = new Set(), p = 0;
      deltas.forEach(function (d) { p += d; set.add(p); });
      return set;
    });
  };

  // Runs a query. filters: {district: index, year: 2017, unit: index} (any may be missing).
  // Returns {terms, results: [{plan, all: [parts with every term], any: [parts with some],
  // phrase, title, hits}]} ordered best first: the exact phrase, then a match in the title,
  // then more documents, then more occurrences, then the site's order.
  Engine.prototype.search = function (query, filters) {
    var self = this;
    return this.init().then(function () {
      var ts = terms(self.fold, query);
      if (!ts.length) return { terms: ts, results: [] };
      var f = filters || {};
      var wanted = ["district", "year", "unit"].filter(function (k) { return f[k] !== undefined && f[k] !== ""; });
      return Promise.all([
        Promise.all(ts.map(function (t) { return self.term(t); })),
        Promise.all(wanted.map(function (k) { return self.filter(k, f[k]); })),
      ]).then(function (r) {
        var found = r[0], sets = r[1], results = [];
        var smallest = found.reduce(function (a, b) { return b.size < a.size ? b : a; });
        smallest.forEach(function (_, plan) {
          if (!found.every(function (m) { return m.has(plan); })) return;
          if (!sets.every(function (s) { return s.has(plan); })) return;
          var maps = found.map(function (m) { return m.get(plan); });
          var any = new Set(), all = [], hits = 0, phrase = false;
          maps.forEach(function (m) { m.forEach(function (pos, part) { any.add(part); hits += pos ? pos.length : 1; }); });
          any.forEach(function (part) {
            if (!maps.every(function (m) { return m.has(part); })) return;
            all.push(part);
            if (ts.length > 1 && !phrase) phrase = chained(maps, ts, part);
          });
          all.sort(function (a, b) { return a - b; });
          results.push({
            plan: plan, all: all, any: Array.from(any).sort(function (a, b) { return a - b; }),
            phrase: phrase, title: all[0] === 0, hits: hits,
          });
        });
        results.sort(function (a, b) {
          return (b.phrase - a.phrase) || (b.title - a.title) || (b.all.length - a.all.length) || (b.hits - a.hits) || (a.plan - b.plan);
        });
        return { terms: ts, results: results };
      });
    });
  };

  // Whether the terms follow one another, in order, somewhere in a part.
  function chained(maps, ts, part) {
    var lists = maps.map(function (m) { return m.get(part); });
    if (lists.some(function (l) { return l === null; })) return false;
    return lists[0].some(function (start) {
      var at = start;
      for (var i = 0; i + 1 < ts.length; i++) {
        at += ts[i].length;
        if (!hasSorted(lists[i + 1], at)) return false;
      }
      return true;
    });
  }

  Engine.prototype.plan = function (n) {
    return this.get("d/" + n + ".json", "json");
  };

  // What a document is searched in: its text, and its other names after a line break.
  function searchable(doc) {
    return doc[3] ? doc[2] + "\n" + doc[3] : doc[2];
  }

  // Where the terms are in a text: [[start, end]] in UTF-16 offsets, merged, in order.
  Engine.prototype.marks = function (text, ts) {
    var folded = this.fold(text), ranges = [];
    ts.forEach(function (t) {
      for (var i = folded.indexOf(t); i >= 0; i = folded.indexOf(t, i + 1)) ranges.push([i, i + t.length]);
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var out = [];
    ranges.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else out.push([r[0], r[1]]);
    });
    return out;
  };

  var api = { Engine: Engine, makeFold: makeFold, terms: terms, cover: cover, shardOf: shardOf, decode: decode, hasSorted: hasSorted, searchable: searchable };
  if (typeof module === "object" && module.exports) { module.exports = api; return; }
  global.gongkaiSearch = api;

  // ---- The search page ----
  var form = document.getElementById("search");
  if (!form) return;
  // Browsers do not let a page opened from disk fetch the index.
  if (location.protocol === "file:") {
    document.getElementById("search-offline").hidden = false;
    return;
  }
  var base = new URL(form.getAttribute("data-index"), location.href);
  var root = new URL(form.getAttribute("data-root"), location.href);
  var engine = new Engine(function (path, kind) {
    return fetch(new URL(path, base)).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return kind === "json" ? r.json() : r.arrayBuffer().then(function (b) { return new Uint8Array(b); });
    });
  });
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var selects = { district: document.getElementById("f-district"), year: document.getElementById("f-year"), unit: document.getElementById("f-unit") };
  var PAGE = 5, SUBS = 5, current = null, shown = 0, serial = 0;
  form.hidden = false;

  engine.facets().then(function (m) {
    m.districts.forEach(function (d, i) { selects.district.add(new Option(d[0], String(i))); });
    m.years.forEach(function (y) { selects.year.add(new Option(String(y), String(y))); });
    m.units.forEach(function (u) { selects.unit.add(new Option(u[1], String(u[0]))); });
  }, function () { status.textContent = "搜索索引无法加载，请稍后再试。"; });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Text with the ranges marked, cut to a window around the first mark.
  function excerpt(text, ranges, width) {
    var p = el("p", "excerpt");
    var from = 0, to = text.length;
    if (text.length > width) {
      var first = ranges.length ? ranges[0][0] : 0;
      from = Math.max(0, first - Math.floor(width / 3));
      to = Math.min(text.length, from + width);
      // Never cut a mark: a window's edge inside one moves to its end.
      ranges.forEach(function (r) { if (r[0] < to && to < r[1]) to = r[1]; });
    }
    if (from > 0) p.appendChild(document.createTextNode("…"));
    var at = from;
    ranges.forEach(function (r) {
      if (r[1] <= from || r[0] >= to) return;
      var s = Math.max(r[0], from), e = Math.min(r[1], to);
      if (s > at) p.appendChild(document.createTextNode(text.slice(at, s)));
      p.appendChild(el("mark", null, text.slice(s, e)));
      at = e;
    });
    if (at < to) p.appendChild(document.createTextNode(text.slice(at, to)));
    if (to < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  // A document's excerpt: from its text, or from its other names when only they match.
  function docExcerpt(doc, ts) {
    var text = doc[2].replace(/\n/g, " ");
    var ranges = engine.marks(text, ts);
    if (ranges.length || !doc[3]) return excerpt(text, ranges, 80);
    var names = doc[3].replace(/\n/g, "、");
    var p = excerpt(names, engine.marks(names, ts), 80);
    p.insertBefore(document.createTextNode("又称："), p.firstChild);
    return p;
  }

  function render(result, plan, ts) {
    var li = el("li", "result");
    var h = el("h2", "result-title");
    var a = el("a", "result-link", plan.t);
    a.href = new URL(plan.u, root).href;
    h.appendChild(a);
    li.appendChild(h);
    var parts = result.all.length ? result.all : result.any;
    if (parts[0] === 0) li.appendChild(docExcerpt(plan.d[0], ts));
    var subs = parts.filter(function (p) { return p !== 0; });
    if (subs.length) {
      var ul = el("ul", "result-subs");
      subs.slice(0, SUBS).forEach(function (p) {
        var doc = plan.d[p], item = el("li", "result-sub");
        var link = el("a", "result-link", doc[1]);
        // An anchor ending in "/" is a page below the plan's (its 解读), not a place on it.
        var to = !doc[0] ? "" : /\/$/.test(doc[0]) ? doc[0] : "#" + doc[0];
        link.href = new URL(plan.u + to, root).href;
        item.appendChild(link);
        item.appendChild(docExcerpt(doc, ts));
        ul.appendChild(item);
      });
      if (subs.length > SUBS) ul.appendChild(el("li", "result-more", "另有 " + (subs.length - SUBS) + " 处"));
      li.appendChild(ul);
    }
    return li;
  }

  // Shows the next results. The first of the first page is fetched alone, so it is on the
  // screen before the others share the connection; the rest follow in order.
  function showMore(n) {
    var batch = current.results.slice(shown, shown + PAGE), ts = current.terms;
    shown += batch.length;
    var show = function (r, p) { if (n === serial) list.appendChild(render(r, p, ts)); };
    var head = shown === batch.length ? batch.slice(0, 1) : [];
    var rest = batch.slice(head.length);
    return Promise.all(head.map(function (r) { return engine.plan(r.plan); })).then(function (plans) {
      plans.forEach(function (p, i) { show(head[i], p); });
      return Promise.all(rest.map(function (r) { return engine.plan(r.plan); }));
    }).then(function (plans) {
      plans.forEach(function (p, i) { show(rest[i], p); });
      if (n === serial) more.hidden = shown >= current.results.length;
    });
  }

  function run() {
    var n = ++serial, q = input.value.trim();
    var url = new URL(location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    list.textContent = "";
    more.hidden = true;
    if (!q) { status.textContent = ""; return; }
    status.textContent = "正在搜索…";
    var f = {};
    Object.keys(selects).forEach(function (k) { if (selects[k].value !== "") f[k] = Number(selects[k].value); });
    engine.search(q, f).then(function (r) {
      if (n !== serial) return;
      current = r;
      shown = 0;
      if (!r.results.length) {
        status.textContent = "没有找到与“" + q + "”有关的内容";
        return;
      }
      var places = r.results.reduce(function (s, x) { return s + (x.all.length || x.any.length); }, 0);
      return showMore(n).then(function () {
        if (n === serial) status.textContent = "找到 " + r.results.length.toLocaleString("zh-CN") + " 个文件，" + places.toLocaleString("zh-CN") + " 处与“" + q + "”有关";
      });
    }).catch(function () {
      if (n === serial) status.textContent = "搜索索引无法加载，请稍后再试。";
    });
  }

  var timer;
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); run(); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 300); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", run); });
  more.addEventListener("click", function () { showMore(serial); });
  // A portal's own search box can link here: /search/?q=危险化学品
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(); }
})(typeof window !== "undefined" ? window : this);
