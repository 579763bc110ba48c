//! What minifying costs against rendering, and what it saves: renders every page of a site
//! (one thread, nothing written), then runs minify-html with gongkai's settings
//! (`output::minify`) and minify-html-onepass, its faster sibling, over the same pages.
//!
//!     cargo run --release --example minify_cost -- SITE_DIR [PAGES]
//!
//! The README's Speed section quotes it; it is why pages are minified only when asked.

use std::time::Instant;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let limit: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    let engine = match gongkai::build::check(std::path::Path::new(&root), None) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{root}: {e:?}");
            std::process::exit(1);
        }
    };
    let renderer = engine.renderer();
    let t = Instant::now();
    let html: Vec<String> = engine
        .pages
        .iter()
        .take(limit)
        .filter_map(|p| renderer.render(p).ok())
        .collect();
    let render = t.elapsed();
    let bytes: usize = html.iter().map(String::len).sum();
    let mb = |n: usize| n as f64 / 1e6;

    let t = Instant::now();
    let minified: usize = html
        .iter()
        .map(|h| gongkai::output::minify(h.as_bytes()).len())
        .sum();
    let minify = t.elapsed();

    let cfg = minify_html_onepass::Cfg {
        minify_css: false,
        minify_js: false,
    };
    let t = Instant::now();
    let mut onepass = 0;
    let mut invalid = 0;
    for h in &html {
        let mut v = h.as_bytes().to_vec();
        if let Ok(n) = minify_html_onepass::in_place(&mut v, &cfg) {
            onepass += n;
            // An unquoted attribute value may not hold `=` (HTML: "unquoted attribute value
            // syntax"); onepass writes `content=width=device-width,…`.
            let out = String::from_utf8_lossy(&v[..n]);
            invalid += usize::from(out.contains("content=width="));
        }
    }
    let onepass_time = t.elapsed();

    println!(
        "{} pages, {:.1} MB rendered in {:.2} s\n\
         minify-html (gongkai's settings): {:.2} s ({:.0}% of rendering), {:.1} MB ({:.1}% smaller)\n\
         minify-html-onepass:              {:.2} s ({:.0}% of rendering), {:.1} MB ({:.1}% smaller), \
         {invalid} pages with unquoted values holding '='",
        html.len(),
        mb(bytes),
        render.as_secs_f64(),
        minify.as_secs_f64(),
        100.0 * minify.as_secs_f64() / render.as_secs_f64(),
        mb(minified),
        100.0 * (1.0 - minified as f64 / bytes as f64),
        onepass_time.as_secs_f64(),
        100.0 * onepass_time.as_secs_f64() / render.as_secs_f64(),
        mb(onepass),
        100.0 * (1.0 - onepass as f64 / bytes as f64),
    );
}
