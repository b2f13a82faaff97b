//! Moments in time as xprem writes them: always in UTC, in one of two forms. Every message,
//! report and script comment uses these, so a date reads the same wherever it appears.

use time::{OffsetDateTime, UtcOffset};

/// `2025-01-01 00:00:00 UTC`: for people.
pub fn utc_text(moment: OffsetDateTime) -> String {
    let utc = moment.to_offset(UtcOffset::UTC);
    let format =
        time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    // Formatting only fails for years outside 0..=9999, which X.509 times cannot express.
    utc.format(format).unwrap_or_else(|_| utc.to_string())
}

/// `2025-01-01T00:00:00Z`: RFC 3339, for machines.
pub fn rfc3339(moment: OffsetDateTime) -> String {
    let utc = moment.to_offset(UtcOffset::UTC);
    utc.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| utc.to_string())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    #[test]
    fn both_forms_are_utc_whatever_the_offset() {
        let t = datetime!(2025-01-01 02:00:00 +02:00);
        assert_eq!(super::utc_text(t), "2025-01-01 00:00:00 UTC");
        assert_eq!(super::rfc3339(t), "2025-01-01T00:00:00Z");
    }
}
