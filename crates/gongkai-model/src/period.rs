//! The year a plan covers, or its period of several years.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// The year a plan covers, or its period (a five-year plan: 2016–2020).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

impl Period {
    /// Parses `2017`, `2016-2020`, `2016–2020`, `2016—2020` or `2016至2020`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim().trim_end_matches('年');
        let year = |t: &str| -> Option<u16> {
            let t = t.trim().trim_end_matches('年');
            (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        };
        if let Some(y) = year(s) {
            return Some(Period { start: y, end: y });
        }
        let (a, b) = s.split_once(['-', '–', '—', '~', '至'])?;
        let (start, end) = (year(a)?, year(b)?);
        (start < end && end - start <= 20).then_some(Period { start, end })
    }

    /// The folder and URL segment: `2017` or `2016-2020`.
    pub fn slug(&self) -> String {
        if self.start == self.end {
            self.start.to_string()
        } else {
            format!("{}-{}", self.start, self.end)
        }
    }

    pub fn contains(&self, year: u16) -> bool {
        (self.start..=self.end).contains(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = u16> {
        self.start..=self.end
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            // One way of writing a period everywhere: pages, data and URLs.
            write!(f, "{}-{}", self.start, self.end)
        }
    }
}

/// How a period that is not one starts its serde error, followed by the text as written: the
/// model speaks no language, so the YAML reader (`gongkai_site::yaml`) recognises this and says
/// it in the publisher's.
pub const BAD_PERIOD: &str = "not a period: ";

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = super::scalar::string_or_number(d)?;
        Period::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{BAD_PERIOD}{s}")))
    }
}

/// A period as the publisher writes it (`2017`, `2016-2020`), for the files gongkai writes in
/// the publisher's terms; data files keep the `{start, end}` form.
pub fn as_text<S: serde::Serializer>(p: &Period, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}

/// [`as_text`] for an optional period.
pub fn opt_as_text<S: serde::Serializer>(p: &Option<Period>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.collect_str(p),
        None => s.serialize_none(),
    }
}

/// `YYYY-MM-DD` with a real month and day (see [`crate::Date`]).
pub fn is_date(s: &str) -> bool {
    crate::Date::parse(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(
            Period::parse("2017"),
            Some(Period {
                start: 2017,
                end: 2017
            })
        );
        let p = Period::parse("2016—2020").unwrap();
        assert_eq!(
            (p.start, p.end, p.slug()),
            (2016, 2020, "2016-2020".to_string())
        );
        assert_eq!(p.to_string(), "2016-2020");
        assert_eq!(Period::parse("2016-2020"), Some(p));
        assert_eq!(Period::parse("2020-2016"), None);
        assert_eq!(Period::parse("17"), None);
        assert!(p.contains(2018) && !p.contains(2021));
    }
}
