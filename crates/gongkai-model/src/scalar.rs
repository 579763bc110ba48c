//! YAML scalars read as text: targets, years and numbers are text to gongkai, whether the
//! publisher quoted them or not.

use serde::{Deserialize, Deserializer};

/// Accepts `10%`, `150` or `0.5` alike: targets and years are text to us.
pub fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sn {
        S(String),
        I(i64),
        F(f64),
    }
    Ok(match Sn::deserialize(d)? {
        Sn::S(s) => s,
        Sn::I(i) => i.to_string(),
        Sn::F(f) => f.to_string(),
    })
}

pub fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    string_or_number(d).map(Some)
}
