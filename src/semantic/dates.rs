//! Dates in a script: the text of a date and every way PowerShell may read it, and the value of a
//! date expression (`Get-Date '2012-06-01'`, `[datetime]::UtcNow.AddYears(1)`, a variable that
//! holds one), as the set of moments it can be.
//!
//! Everything is conservative: a value that is not certain is `None`, and a comparison is
//! "certain" only when it holds for every reading PowerShell could make.
//!
//! ## How PowerShell reads a date written as text
//! * Given to a parameter of a compiled cmdlet (`New-MsolServicePrincipalCredential -StartDate`,
//!   `Get-Date -Date`, `Set-CsCertificate -EffectiveDate`), a string is converted with the
//!   **current culture** of the session: `6/1/2012` is 1 June on en-US, 6 January on en-GB, and
//!   `5/31/2013` fails where the day comes first (PowerShell issues #3348 and #6989: by design, and
//!   kept for compatibility).
//! * A cast (`[datetime]'6/1/2012'`) and the parameters of script functions use the **invariant
//!   culture**: month first, always.
//! * A date-time written with a year first (`2012-06-01`, `2012-06-01T08:00:00Z`) is read the same
//!   way in every culture.
//!
//! A text without an offset is a local time: on a machine in UTC+14 or UTC-12 it is up to 14 hours
//! away from the same text in UTC, so comparisons with UTC moments (a certificate's validity)
//! allow for that.

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::powershell::ast::{Expression, PipelineElement, Statement};

use super::values::single_expression;
use super::variables::MAX_HOPS;
use super::{Analysis, CommandUse};

/// Which number of a numeric date is the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `6/1/2012` is 1 June (en-US, and the invariant culture).
    MonthFirst,
    /// `6/1/2012` is 6 January (en-GB, de-DE, fr-FR...).
    DayFirst,
}

pub const ORDERS: [Order; 2] = [Order::MonthFirst, Order::DayFirst];

/// A date-time as written in a string.
#[derive(Debug, Clone, PartialEq)]
pub enum DateText {
    /// Year first (`2012-06-01`, `2012/06/01 08:00`, `2012-06-01T08:00:00Z`): one reading in
    /// every culture. With an offset or `Z`, a moment; without, a local time.
    YearFirst(When),
    /// Numbers with the year last (`6/1/2012`, `01.06.2012`, `6-1-12 8:00 AM`).
    Numeric(NumericDate),
}

/// `a/b/year [time]`, with the separator written.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericDate {
    pub first: u8,
    pub second: u8,
    pub year: i32,
    /// The year was written with two digits (how it is completed is a setting of Windows).
    pub short_year: bool,
    pub separator: char,
    pub time: Option<Time>,
}

impl NumericDate {
    /// The local date-time under `order`, when it is a valid date (and the year is written in
    /// full).
    pub fn reading(&self, order: Order) -> Option<PrimitiveDateTime> {
        if self.short_year {
            return None;
        }
        let (month, day) = match order {
            Order::MonthFirst => (self.first, self.second),
            Order::DayFirst => (self.second, self.first),
        };
        let date = Date::from_calendar_date(self.year, Month::try_from(month).ok()?, day).ok()?;
        Some(PrimitiveDateTime::new(
            date,
            self.time.unwrap_or(Time::MIDNIGHT),
        ))
    }

    /// The one date the text can mean, when every valid reading is the same date (`5/31/2013`
    /// has only one; `1/1/2012` reads the same both ways; `6/1/2012` has two).
    pub fn only_reading(&self) -> Option<PrimitiveDateTime> {
        let readings: Vec<PrimitiveDateTime> =
            ORDERS.iter().filter_map(|&o| self.reading(o)).collect();
        match readings.as_slice() {
            [one] => Some(*one),
            [a, b] if a == b => Some(*a),
            _ => None,
        }
    }
}

/// A date-time: a moment (UTC known) or a local time of the machine that runs the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Utc(OffsetDateTime),
    Local(PrimitiveDateTime),
}

impl When {
    /// The earliest and latest moment this can be, in UTC (a local time is somewhere between
    /// UTC-12 and UTC+14).
    pub fn bounds(self) -> (OffsetDateTime, OffsetDateTime) {
        match self {
            When::Utc(t) => (t, t),
            When::Local(t) => {
                let t = t.assume_utc();
                (t - Duration::hours(14), t + Duration::hours(12))
            }
        }
    }

    /// `2012-06-01`, `2012-06-01 08:00:00`, `2012-06-01 08:00:00 UTC`.
    pub fn text(self) -> String {
        match self {
            When::Utc(t) => crate::moment::utc_text(t),
            When::Local(t) => local_text(t),
        }
    }
}

/// `2012-06-01`, or `2012-06-01 08:00:00` when there is a time of day.
pub fn local_text(t: PrimitiveDateTime) -> String {
    let date = format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day());
    if t.time() == Time::MIDNIGHT {
        date
    } else {
        format!("{date} {:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

/// The ISO 8601 form that every culture reads the same: `2012-06-01`, `2012-06-01T08:00:00`.
pub fn iso_text(t: PrimitiveDateTime) -> String {
    let date = format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day());
    if t.time() == Time::MIDNIGHT {
        date
    } else {
        format!("{date}T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

/// Reads a date written as text, when it is one of the numeric forms above; `None` for anything
/// else (month names, relative dates, text around it).
pub fn parse_date_text(text: &str) -> Option<DateText> {
    let s = text.trim();
    let (date, rest) = split_date(s)?;
    let numbers = split_numbers(date)?;
    let (sep, parts) = numbers;
    if parts.len() != 3 {
        return None;
    }
    let (n0, d0) = parts[0];
    let (n1, d1) = parts[1];
    let (n2, d2) = parts[2];
    if d0 == 4 {
        // Year first.
        if d1 > 2 || d2 > 2 || !matches!(sep, '-' | '/' | '.') {
            return None;
        }
        let date =
            Date::from_calendar_date(n0 as i32, Month::try_from(n1 as u8).ok()?, n2 as u8).ok()?;
        let (time, offset) = parse_time(rest, true)?;
        let local = PrimitiveDateTime::new(date, time.unwrap_or(Time::MIDNIGHT));
        return Some(DateText::YearFirst(match offset {
            Some(offset) => When::Utc(local.assume_offset(offset).to_offset(time::UtcOffset::UTC)),
            None => When::Local(local),
        }));
    }
    if d0 > 2 || d1 > 2 || !(d2 == 4 || d2 == 2) || !matches!(sep, '/' | '.' | '-') {
        return None;
    }
    let (time, offset) = parse_time(rest, false)?;
    if offset.is_some() || n0 == 0 || n1 == 0 || n0 > 31 || n1 > 31 {
        return None;
    }
    Some(DateText::Numeric(NumericDate {
        first: n0 as u8,
        second: n1 as u8,
        year: n2 as i32,
        short_year: d2 == 2,
        separator: sep,
        time,
    }))
}

/// The date part (up to a space or `T`) and the rest.
fn split_date(s: &str) -> Option<(&str, &str)> {
    let end = s.find([' ', 'T', 't']).unwrap_or(s.len());
    let (date, rest) = s.split_at(end);
    (!date.is_empty()).then_some((date, rest))
}

/// `6/1/2012` → ('/', [(6, 1 digit), (1, 1 digit), (2012, 4 digits)]), one separator throughout.
fn split_numbers(date: &str) -> Option<(char, Vec<(u32, usize)>)> {
    let sep = date.chars().find(|c| !c.is_ascii_digit())?;
    let mut parts = Vec::new();
    for part in date.split(sep) {
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts.push((part.parse().ok()?, part.len()));
    }
    Some((sep, parts))
}

/// ` 08:00`, ` 8:00:00 AM`, `T08:00:00Z`, `T08:00:00.000+02:00`, or nothing.
#[allow(clippy::type_complexity)]
fn parse_time(rest: &str, iso: bool) -> Option<(Option<Time>, Option<time::UtcOffset>)> {
    if rest.is_empty() {
        return Some((None, None));
    }
    let t_form = rest.starts_with(['T', 't']);
    if t_form && !iso {
        return None;
    }
    let body = rest[1..].trim_start();
    let (clock, mut tail) = {
        let end = body
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .unwrap_or(body.len());
        body.split_at(end)
    };
    let mut fields = clock.split(':');
    let hour: u8 = fields.next()?.parse().ok()?;
    let minute: u8 = fields.next()?.parse().ok()?;
    let (second, fraction) = match fields.next() {
        Some(s) => match s.split_once('.') {
            Some((s, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
                (s.parse::<u8>().ok()?, true)
            }
            Some(_) => return None,
            None => (s.parse::<u8>().ok()?, false),
        },
        None => (0, false),
    };
    if fields.next().is_some() || (fraction && !iso) {
        return None;
    }
    let mut hour = hour;
    tail = tail.trim_start();
    let upper = tail.to_ascii_uppercase();
    if !iso && (upper == "AM" || upper == "PM") {
        if hour == 0 || hour > 12 {
            return None;
        }
        hour = match (upper.as_str(), hour) {
            ("AM", 12) => 0,
            ("PM", 12) => 12,
            ("PM", h) => h + 12,
            (_, h) => h,
        };
        tail = "";
    }
    let offset = if tail.is_empty() {
        None
    } else if iso && tail.eq_ignore_ascii_case("z") {
        Some(time::UtcOffset::UTC)
    } else if iso && tail.starts_with(['+', '-']) && tail.len() == 6 && &tail[3..4] == ":" {
        let sign: i8 = if tail.starts_with('-') { -1 } else { 1 };
        let h: i8 = tail[1..3].parse().ok()?;
        let m: i8 = tail[4..6].parse().ok()?;
        Some(time::UtcOffset::from_hms(sign * h, sign * m, 0).ok()?)
    } else {
        return None;
    };
    Some((Some(Time::from_hms(hour, minute, second).ok()?), offset))
}

/// A date-time value of the script, as PowerShell may read it: one date-time per order of day
/// and month (the same for both when the order does not matter). `None` under an order means the
/// text is not a valid date read that way (the command fails there) or is not known.
#[derive(Debug, Clone, PartialEq)]
pub struct DateValue {
    pub month_first: Option<When>,
    pub day_first: Option<When>,
}

impl DateValue {
    fn same(when: When) -> DateValue {
        DateValue {
            month_first: Some(when),
            day_first: Some(when),
        }
    }

    pub fn under(&self, order: Order) -> Option<When> {
        match order {
            Order::MonthFirst => self.month_first,
            Order::DayFirst => self.day_first,
        }
    }

    /// The one date-time whatever the order, when there is one.
    #[cfg(test)]
    pub fn certain(&self) -> Option<When> {
        match (self.month_first, self.day_first) {
            (Some(a), Some(b)) if a == b => Some(a),
            (Some(a), None) | (None, Some(a)) => Some(a),
            _ => None,
        }
    }

    /// How it reads, for a message: `2012-06-01`, or `2012-06-01 (or 2012-01-06 where the day
    /// comes first)`.
    pub fn describe(&self) -> String {
        match (self.month_first, self.day_first) {
            (Some(a), Some(b)) if a != b => {
                format!("{} ({} where the day comes first)", a.text(), b.text())
            }
            (Some(a), _) | (None, Some(a)) => a.text(),
            (None, None) => "?".to_string(),
        }
    }
}

/// Whether `a` is before `b` (or at the same moment, when `or_equal`) under every order that
/// reads both, allowing for the time zone of local times (two local times are compared as
/// they are: the same machine reads them). False when no order reads both.
pub fn certainly_before(a: &DateValue, b: &DateValue, or_equal: bool) -> bool {
    let mut compared = false;
    for order in ORDERS {
        let (Some(x), Some(y)) = (a.under(order), b.under(order)) else {
            continue;
        };
        compared = true;
        let holds = match (x, y) {
            (When::Local(x), When::Local(y)) => x < y || (or_equal && x == y),
            _ => {
                let (_, x_late) = x.bounds();
                let (y_early, _) = y.bounds();
                x_late < y_early || (or_equal && x_late == y_early)
            }
        };
        if !holds {
            return false;
        }
    }
    compared
}

/// Whether `a` is before the moment `t` under every order that reads it.
pub fn certainly_before_moment(a: &DateValue, t: OffsetDateTime) -> bool {
    certainly_before(a, &DateValue::same(When::Utc(t)), false)
}

/// Whether `a` is after the moment `t` under every order that reads it.
pub fn certainly_after_moment(a: &DateValue, t: OffsetDateTime) -> bool {
    certainly_before(&DateValue::same(When::Utc(t)), a, false)
}

/// How a string becomes a date where it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// A compiled cmdlet's parameter, `[datetime]::Parse(s)`: the current culture.
    Culture,
    /// A cast, a script function's parameter: the invariant culture (month first).
    Invariant,
}

/// The date a string means, read as `reading` says.
pub fn date_of_text(text: &str, reading: Reading) -> Option<DateValue> {
    match parse_date_text(text)? {
        DateText::YearFirst(when) => Some(DateValue::same(when)),
        DateText::Numeric(n) => {
            let local = |o| n.reading(o).map(When::Local);
            Some(match reading {
                // The invariant culture reads `/`-separated dates month first; other separators
                // are not relied on.
                Reading::Invariant if n.separator == '/' => DateValue {
                    month_first: local(Order::MonthFirst),
                    day_first: local(Order::MonthFirst),
                },
                _ => DateValue {
                    month_first: local(Order::MonthFirst),
                    day_first: local(Order::DayFirst),
                },
            })
        }
    }
}

/// The date-time an expression gives a parameter that takes one, `reading` saying how the
/// parameter converts a string. Known forms: a string (or a variable holding one), a cast
/// `[datetime]'...'`, `[datetime]::new(y, m, d...)`, `New-Object DateTime y, m, d...`,
/// `Get-Date '...'`, `[datetime]::Parse('...')`, and variables assigned one of these once.
pub fn date_value(cx: &Analysis<'_>, e: &Expression, reading: Reading) -> Option<DateValue> {
    date_value_hops(cx, e, reading, 0)
}

fn date_value_hops(
    cx: &Analysis<'_>,
    e: &Expression,
    reading: Reading,
    hops: usize,
) -> Option<DateValue> {
    if hops > MAX_HOPS {
        return None;
    }
    if let Some(text) = cx.values.string_value(e) {
        return date_of_text(&text, reading);
    }
    match e {
        Expression::Variable(v) => {
            let assigned = cx.values.assignment_at(v)?;
            statement_date(cx, assigned.value, hops + 1)
        }
        Expression::Paren(p) => statement_date(cx, &p.pipeline, hops + 1),
        Expression::Convert(c) if is_datetime_type(&c.type_name.name) => {
            let text = cx.values.string_value(&c.operand)?;
            date_of_text(&text, Reading::Invariant)
        }
        Expression::Invoke(i) if i.is_static => {
            let Expression::Type(t) = &i.target else {
                return None;
            };
            if !is_datetime_type(&t.type_name.name) {
                return None;
            }
            let method = i.member.as_str()?.to_ascii_lowercase();
            match method.as_str() {
                "new" => constructed(cx, &i.arguments),
                "parse" => {
                    let text = cx.values.string_value(i.arguments.first()?)?;
                    match i.arguments.len() {
                        1 => date_of_text(&text, Reading::Culture),
                        2 if is_invariant_culture(&i.arguments[1]) => {
                            date_of_text(&text, Reading::Invariant)
                        }
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The date a statement gives: an expression, or one `Get-Date '...'` / `New-Object DateTime`.
fn statement_date(cx: &Analysis<'_>, s: &Statement, hops: usize) -> Option<DateValue> {
    if let Some(e) = single_expression(s) {
        return date_value_hops(cx, e, Reading::Invariant, hops);
    }
    let Statement::Pipeline(p) = s else {
        return None;
    };
    let [PipelineElement::Command(command)] = p.elements.as_slice() else {
        return None;
    };
    let use_ = cx
        .commands
        .iter()
        .find(|c| std::ptr::eq(c.command, command))?;
    if use_.is("Get-Date") {
        let text = get_date_argument(cx, use_)?;
        return date_of_text(&text, Reading::Culture);
    }
    if use_.is("New-Object") {
        return new_object_date(cx, use_);
    }
    None
}

/// The text of `Get-Date 'text'` / `Get-Date -Date 'text'` with nothing else that changes the
/// date.
fn get_date_argument(cx: &Analysis<'_>, u: &CommandUse<'_>) -> Option<String> {
    let b = &u.binding;
    let others = b
        .parameters
        .iter()
        .any(|p| !p.name_as_written.eq_ignore_ascii_case("Date"));
    if others || !b.splats.is_empty() {
        return None;
    }
    let positional = match b.positionals.as_slice() {
        [one] => Some(one.value),
        _ => None,
    };
    let value = b.parameter("Date").and_then(|p| p.value).or(positional)?;
    cx.values.string_value(value)
}

/// `New-Object DateTime 2025, 1, 1` / `New-Object -TypeName System.DateTime -ArgumentList ...`.
fn new_object_date(cx: &Analysis<'_>, u: &CommandUse<'_>) -> Option<DateValue> {
    let b = &u.binding;
    let type_name = b
        .parameter("TypeName")
        .and_then(|p| p.value)
        .or_else(|| b.positionals.first().map(|p| p.value))?;
    if !is_datetime_type(&cx.values.string_value(type_name)?) {
        return None;
    }
    let list = b
        .parameter("ArgumentList")
        .and_then(|p| p.value)
        .or_else(|| b.positionals.get(1).map(|p| p.value))?;
    let mut list = list;
    while let Expression::Paren(p) = list {
        list = single_expression(&p.pipeline)?;
    }
    match list {
        Expression::Array(a) => constructed(cx, &a.elements),
        _ => None,
    }
}

/// `DateTime(y, m, d[, h, mi, s[, kind]])`.
fn constructed(cx: &Analysis<'_>, args: &[Expression]) -> Option<DateValue> {
    let number = |e: &Expression| cx.values.evaluate(e)?.as_integer();
    let n: Vec<i64> = args.iter().take(6).map(number).collect::<Option<_>>()?;
    let (y, mo, d, h, mi, s) = match (args.len(), n.as_slice()) {
        (3, [y, mo, d]) => (*y, *mo, *d, 0, 0, 0),
        (6 | 7, [y, mo, d, h, mi, s]) => (*y, *mo, *d, *h, *mi, *s),
        _ => return None,
    };
    let date = Date::from_calendar_date(
        i32::try_from(y).ok()?,
        Month::try_from(u8::try_from(mo).ok()?).ok()?,
        u8::try_from(d).ok()?,
    )
    .ok()?;
    let time = Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        u8::try_from(s).ok()?,
    )
    .ok()?;
    let local = PrimitiveDateTime::new(date, time);
    let utc = args.get(6).is_some_and(|k| is_utc_kind(cx, k));
    Some(DateValue::same(if utc {
        When::Utc(local.assume_utc())
    } else {
        When::Local(local)
    }))
}

/// `[System.DateTimeKind]::Utc`, `([DateTimeKind]::Utc)`, `'Utc'`.
fn is_utc_kind(cx: &Analysis<'_>, e: &Expression) -> bool {
    let mut e = e;
    while let Expression::Paren(p) = e {
        match single_expression(&p.pipeline) {
            Some(inner) => e = inner,
            None => return false,
        }
    }
    match e {
        Expression::Member(m) if m.is_static => {
            matches!(&m.target, Expression::Type(t) if {
                let n = t.type_name.name.to_ascii_lowercase();
                n == "datetimekind" || n == "system.datetimekind"
            }) && m
                .member
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("Utc"))
        }
        other => cx
            .values
            .string_value(other)
            .is_some_and(|s| s.eq_ignore_ascii_case("Utc")),
    }
}

fn is_datetime_type(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    matches!(n.as_str(), "datetime" | "system.datetime")
}

/// `[cultureinfo]::InvariantCulture`, `[System.Globalization.CultureInfo]::InvariantCulture`.
fn is_invariant_culture(e: &Expression) -> bool {
    matches!(e, Expression::Member(m) if m.is_static
        && m.member.as_str().is_some_and(|s| s.eq_ignore_ascii_case("InvariantCulture")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn local(t: PrimitiveDateTime) -> Option<When> {
        Some(When::Local(t))
    }

    #[test]
    fn numeric_dates_have_a_reading_per_order() {
        let Some(DateText::Numeric(n)) = parse_date_text("6/1/2012") else {
            panic!()
        };
        assert_eq!(
            n.reading(Order::MonthFirst),
            Some(datetime!(2012-06-01 00:00))
        );
        assert_eq!(
            n.reading(Order::DayFirst),
            Some(datetime!(2012-01-06 00:00))
        );
        assert_eq!(n.only_reading(), None);
        let Some(DateText::Numeric(n)) = parse_date_text("5/31/2013") else {
            panic!()
        };
        assert_eq!(n.only_reading(), Some(datetime!(2013-05-31 00:00)));
        let Some(DateText::Numeric(n)) = parse_date_text("01.01.2012") else {
            panic!()
        };
        assert_eq!(n.only_reading(), Some(datetime!(2012-01-01 00:00)));
        let Some(DateText::Numeric(n)) = parse_date_text("1/1/2018 12:00 AM") else {
            panic!()
        };
        assert_eq!(n.only_reading(), Some(datetime!(2018-01-01 00:00)));
        let Some(DateText::Numeric(n)) = parse_date_text("7/4/2018 1:30 PM") else {
            panic!()
        };
        assert_eq!(
            n.reading(Order::MonthFirst),
            Some(datetime!(2018-07-04 13:30))
        );
        let Some(DateText::Numeric(n)) = parse_date_text("09/24/24") else {
            panic!()
        };
        assert!(n.short_year && n.only_reading().is_none());
    }

    #[test]
    fn year_first_dates_have_one_reading() {
        assert_eq!(
            parse_date_text("2012-06-01"),
            Some(DateText::YearFirst(When::Local(
                datetime!(2012-06-01 00:00)
            )))
        );
        assert_eq!(
            parse_date_text("2025-01-01T00:00:00Z"),
            Some(DateText::YearFirst(When::Utc(
                datetime!(2025-01-01 00:00 UTC)
            )))
        );
        assert_eq!(
            parse_date_text("2025-01-01T02:00:00.000+02:00"),
            Some(DateText::YearFirst(When::Utc(
                datetime!(2025-01-01 00:00 UTC)
            )))
        );
        assert_eq!(
            parse_date_text("2012/06/01 08:00"),
            Some(DateText::YearFirst(When::Local(
                datetime!(2012-06-01 08:00)
            )))
        );
    }

    #[test]
    fn other_text_is_not_a_date() {
        for text in [
            "",
            "June 1, 2012",
            "1 Jun 2012",
            "6/1",
            "6/1/2012/3",
            "13/13/2012x",
            "6/1/2012 noon",
            "00000004-0000-0ff1-ce00-000000000000",
            "1.5",
            "2012-13-01",
            "6/1-2012",
        ] {
            assert_eq!(parse_date_text(text), None, "{text}");
        }
    }

    #[test]
    fn comparisons_hold_for_every_reading_and_time_zone() {
        let v = |t| date_of_text(t, Reading::Culture).unwrap();
        assert!(!certainly_before(&v("2013-05-31"), &v("6/1/2012"), false));
        assert!(certainly_before(&v("5/31/2011"), &v("6/1/2012"), false));
        // 3/1/2012 is 1 March or 3 January, 1/6/2012 is 6 January or 1 June: not certain.
        assert!(!certainly_before(&v("3/1/2012"), &v("1/6/2012"), false));
        // Both orders agree that 3/1 comes before 6/1.
        assert!(certainly_before(&v("3/1/2012"), &v("6/1/2012"), false));
        assert!(certainly_before(&v("6/1/2012"), &v("6/1/2012"), true));
        let utc = DateValue::same(When::Utc(datetime!(2025-01-01 00:00 UTC)));
        // A local midnight may be hours either side of UTC midnight.
        assert!(!certainly_before(&v("2024-12-31 23:00:00"), &utc, false));
        assert!(certainly_before(&v("2024-12-30"), &utc, false));
        assert_eq!(
            v("6/1/2012").month_first,
            local(datetime!(2012-06-01 00:00))
        );
        // Casts read month first.
        let cast = date_of_text("6/1/2012", Reading::Invariant).unwrap();
        assert_eq!(cast.certain(), local(datetime!(2012-06-01 00:00)));
        assert!(certainly_before_moment(
            &v("5/31/2013"),
            datetime!(2026-07-01 00:00 UTC)
        ));
        assert!(certainly_after_moment(
            &v("2030-01-01"),
            datetime!(2026-07-01 00:00 UTC)
        ));
    }
}
