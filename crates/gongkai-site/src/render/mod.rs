//! Render: the pages of a site ([`page`]), a typed view of what each shows ([`views`]), and
//! their templates ([`theme`]). Rust computes; templates present. A page's view is everything
//! its template reads, so two equal views render the same bytes: the preview keeps a rendered
//! page while its view's hash stays the same (see [`Rendered::hash`]).

pub mod chart;
pub mod page;
pub mod theme;
pub mod view;
pub mod views;

use std::hash::Hasher;

pub use page::{Page, Parts, root_of};
pub use theme::Theme;

use crate::diagnostics::Diagnostic;

/// Renders pages with a theme.
pub struct Renderer<'a> {
    pub theme: &'a Theme,
    pub parts: Parts<'a>,
}

/// A page's view, ready for its template, and a hash of it.
pub struct Rendered {
    pub context: tera::Value,
    /// Equal for equal views: what the page depends on, recorded by building it.
    pub hash: u64,
}

/// A `std::io::Write` that only hashes what is written to it.
struct HashWriter(std::collections::hash_map::DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> Renderer<'a> {
    /// The view of a page and its hash, for the preview, which re-renders a page only when
    /// its hash changes. A build renders straight from the view ([`Renderer::render`]): hashing
    /// every view was a large share of its time (see `bench/README.md`).
    pub fn view(&self, page: &Page) -> Rendered {
        let context = views::context(&self.parts, page);
        let mut h = HashWriter(std::collections::hash_map::DefaultHasher::new());
        let _ = serde_json::to_writer(&mut h, &context);
        h.0.write(page.template().as_bytes());
        Rendered {
            hash: h.0.finish(),
            context,
        }
    }

    /// A page's HTML before minifying; a template error names the template file, its line and
    /// the page.
    pub fn render(&self, page: &Page) -> Result<String, Diagnostic> {
        self.render_view(page, views::context(&self.parts, page))
    }

    pub fn render_view(&self, page: &Page, view: tera::Value) -> Result<String, Diagnostic> {
        let error = |e: &tera::Error| self.theme.error(e, Some(&self.parts.file(page)));
        // The view is a map already: its entries become the context as they are, not
        // serialized a second time (`Context::from_serialize`).
        let mut ctx = tera::Context::new();
        match view.into_map() {
            Some(map) => {
                for (key, value) in map {
                    ctx.insert_value(key.to_string(), value);
                }
            }
            None => return Err(error(&tera::Error::message("a page's view is not a map"))),
        }
        self.theme
            .tera
            .render(page.template(), &ctx)
            .map_err(|e| error(&e))
    }
}
