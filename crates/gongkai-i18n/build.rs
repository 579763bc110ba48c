//! The messages in `locales/` are read by `rust_i18n::i18n!` while compiling, and cargo does not
//! know that: without this, an edited message stays as it was until something in `src/` changes.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
