//! Dates as exported states write them: ISO 8601 text (what `Export-State.ps1` writes, and what
//! PowerShell 7's `ConvertTo-Json` writes), or `/Date(ms)/` (what Windows PowerShell's
//! `ConvertTo-Json` writes for a `[datetime]`, escaped in the file as `"\/Date(ms)\/"`).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A date read from a state file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadDate {
    pub at: OffsetDateTime,
    /// The text named no time zone (`2026-01-01T00:00:00`): it was read as UTC.
    pub assumed_utc: bool,
}

/// Reads `text` as a date, or says why not.
pub fn parse(text: &str) -> Result<ReadDate, String> {
    let trimmed = text.trim();
    if let Some(inner) = trimmed
        .strip_prefix("/Date(")
        .and_then(|rest| rest.strip_suffix(")/"))
    {
        return microsoft_json_date(inner).map(|at| ReadDate {
            at,
            assumed_utc: false,
        });
    }
    if let Ok(at) = OffsetDateTime::parse(trimmed, &Rfc3339) {
        return Ok(ReadDate {
            at: at.to_offset(time::UtcOffset::UTC),
            assumed_utc: false,
        });
    }
    // Lower-case `t`/`z` or a space between date and time are RFC 3339 too, in spirit.
    let normalised = trimmed.replacen(' ', "T", 1).to_ascii_uppercase();
    if let Ok(at) = OffsetDateTime::parse(&normalised, &Rfc3339) {
        return Ok(ReadDate {
            at: at.to_offset(time::UtcOffset::UTC),
            assumed_utc: false,
        });
    }
    for format in [
        time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]"
        ),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    ] {
        if let Ok(at) = time::PrimitiveDateTime::parse(&normalised, format) {
            return Ok(ReadDate {
                at: at.assume_utc(),
                assumed_utc: true,
            });
        }
    }
    if let Ok(date) = time::Date::parse(
        &normalised,
        time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        return Ok(ReadDate {
            at: date.midnight().assume_utc(),
            assumed_utc: true,
        });
    }
    Err(format!(
        "\"{text}\" is not a date xprem can read (ISO 8601 like 2026-01-01T00:00:00Z, or /Date(milliseconds)/ as Windows PowerShell's ConvertTo-Json writes it)"
    ))
}

/// The inside of `/Date(...)/`: milliseconds since 1970-01-01 UTC, optionally followed by the
/// writer's UTC offset (`+0100`), which does not change the moment.
fn microsoft_json_date(inner: &str) -> Result<OffsetDateTime, String> {
    let digits_end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '+' || *c == '-')
        .map_or(inner.len(), |(i, _)| i);
    let (millis, offset) = inner.split_at(digits_end);
    let offset_ok =
        offset.is_empty() || (offset.len() == 5 && offset[1..].bytes().all(|b| b.is_ascii_digit()));
    let millis: i64 = millis
        .parse()
        .ok()
        .filter(|_| offset_ok)
        .ok_or_else(|| format!("\"/Date({inner})/\" does not hold milliseconds since 1970"))?;
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .map_err(|_| format!("\"/Date({inner})/\" is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn windows_powershell_dates_are_milliseconds_since_1970_in_utc() {
        let d = parse("/Date(1767225600000)/").unwrap();
        assert_eq!(d.at, datetime!(2026-01-01 0:00 UTC));
        assert!(!d.assumed_utc);
        // The writer's offset does not move the moment.
        assert_eq!(
            parse("/Date(1767225600000+0100)/").unwrap().at,
            datetime!(2026-01-01 0:00 UTC)
        );
        assert_eq!(
            parse("/Date(-86400000)/").unwrap().at,
            datetime!(1969-12-31 0:00 UTC)
        );
        assert!(parse("/Date(abc)/").is_err());
        assert!(parse("/Date(1+01)/").is_err());
    }

    #[test]
    fn iso_dates_with_and_without_a_zone() {
        assert_eq!(
            parse("2026-01-01T02:00:00+02:00").unwrap().at,
            datetime!(2026-01-01 0:00 UTC)
        );
        assert_eq!(
            parse("2026-01-01T00:00:00.1234567Z").unwrap().at,
            datetime!(2026-01-01 0:00:00.1234567 UTC)
        );
        let d = parse("2026-01-01T00:00:00").unwrap();
        assert_eq!(d.at, datetime!(2026-01-01 0:00 UTC));
        assert!(d.assumed_utc);
        assert!(parse("2026-01-01").unwrap().assumed_utc);
        let err = parse("1/6/2026").unwrap_err();
        assert!(err.contains("ISO 8601"), "{err}");
        assert!(parse("2026-02-30T00:00:00Z").is_err());
    }
}
