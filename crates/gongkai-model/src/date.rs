//! Dates: a calendar day as plans, progress reports and `--as-of` write it (`YYYY-MM-DD`), and
//! the one calendar every check of a date goes through.

use std::fmt;

/// A real day of the Gregorian calendar, written `YYYY-MM-DD`. Ordered as days are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The first and the last day there are.
    pub const MIN: Date = Date {
        year: 0,
        month: 1,
        day: 1,
    };
    pub const MAX: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// The day, if there is one: month 1–12, day within the month, year 0–9999.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        let valid = year <= 9999
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Exactly `YYYY-MM-DD` with a real month and day; nothing else.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(digits(0..4)?, digits(5..7)?, digits(8..10)?)
    }

    /// The last day of a month.
    pub fn last_of_month(year: u32, month: u32) -> Option<Date> {
        Date::new(year, month, days_in_month(year, month))
    }

    pub fn year(self) -> u32 {
        u32::from(self.year)
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }
}

/// How many days a month of a year has (31 for a month that is none, which [`Date::new`]
/// refuses anyway).
pub fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = ();
    fn from_str(s: &str) -> Result<Date, ()> {
        Date::parse(s).ok_or(())
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_in_one_form() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("1900-02-29"), None);
        assert!(Date::parse("2000-02-29").is_some());
        assert_eq!(Date::parse("2024-04-31"), None);
        assert_eq!(Date::parse("2024-13-01"), None);
        assert_eq!(Date::parse("2024-1-01"), None);
        assert_eq!(Date::parse("2024-01-01 "), None);
        assert_eq!(Date::parse("+024-01-01"), None);
        assert_eq!(Date::parse("２０２４-01-01"), None);
        assert_eq!(Date::parse("2024-00-10"), None);
        assert_eq!(Date::parse("2024-01-00"), None);
    }

    #[test]
    fn days_order_as_days() {
        let d = |s| Date::parse(s).unwrap();
        assert!(d("2024-01-31") < d("2024-02-01"));
        assert!(d("2023-12-31") < d("2024-01-01"));
        assert_eq!(Date::last_of_month(2024, 2), Some(d("2024-02-29")));
        assert_eq!(Date::last_of_month(2025, 6), Some(d("2025-06-30")));
    }
}
