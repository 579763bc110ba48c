//! What an indicator's target says as a number: the semantics that validation (is a result met?),
//! comparison (raised or lowered?) and charts share.

/// Targets above this are no quantity a plan sets (a typo, or 309 digits); they are neither
/// charted nor compared as numbers.
pub const MAX_TARGET: f64 = 1e15;

/// The first number in a target (`下降8%` → 8), for telling a raised target from a lowered one
/// and for charts. `None` when there is none, or it is beyond [`MAX_TARGET`].
pub fn target_number(target: &str) -> Option<f64> {
    let start = target.find(|c: char| c.is_ascii_digit())?;
    let rest = &target[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let v: f64 = rest[..end].trim_end_matches('.').parse().ok()?;
    (v.is_finite() && v <= MAX_TARGET).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_numbers() {
        assert_eq!(target_number("8%"), Some(8.0));
        assert_eq!(target_number("下降10.5%"), Some(10.5));
        assert_eq!(target_number("控制在5起以内"), Some(5.0));
        assert_eq!(target_number("杜绝"), None);
    }

    #[test]
    fn absurd_targets_are_no_numbers() {
        assert_eq!(target_number(&"9".repeat(309)), None);
        assert_eq!(target_number("1e400"), Some(1.0));
        assert_eq!(target_number("下降1000000000000000000%"), None);
    }
}
