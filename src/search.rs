//! Search: a Pagefind index of the plan pages, built with the site and served as static files
//! under `pagefind/`. Pagefind's `extended` build segments Chinese (icu_segmenter), so 危险化学品
//! is found inside 加强危险化学品安全监管. The browser loads only the index fragments a query
//! needs. Plan pages mark what is indexed (`data-pagefind-body`), the title
//! (`data-pagefind-meta`) and the filters (地区, 年度, 责任单位); results link to the plan's
//! sections through their heading anchors.

use std::sync::mpsc::Receiver;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::output::Sink;

/// Where the index and Pagefind's scripts go in the site.
pub const DIR: &str = "pagefind";

/// Indexes the pages that arrive on `pages` as (site-relative file, HTML) until the senders are
/// gone, then writes the index through `sink`. Returns the number of pages indexed and the
/// bytes written.
pub fn index_pages(
    pages: Receiver<(String, Vec<u8>)>,
    sink: &dyn Sink,
) -> Result<(usize, u64), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("search index: {e}"))?;
    runtime.block_on(async {
        let options = PagefindServiceConfig::builder()
            .keep_index_url(false)
            .build();
        let mut index =
            PagefindIndex::new(Some(options)).map_err(|e| format!("search index: {e}"))?;
        let mut n = 0;
        for (file, html) in pages {
            let html = String::from_utf8_lossy(&html).into_owned();
            index
                .add_html_file(Some(file.clone()), None, html)
                .await
                .map_err(|e| format!("search index of {file}: {e}"))?;
            n += 1;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("search index: {e}"))?;
        let mut bytes = 0;
        for f in files {
            let name = format!("{DIR}/{}", f.filename.to_string_lossy().replace('\\', "/"));
            sink.write(&name, &f.contents)
                .map_err(|e| format!("cannot write {name}: {e}"))?;
            bytes += f.contents.len() as u64;
        }
        Ok((n, bytes))
    })
}
