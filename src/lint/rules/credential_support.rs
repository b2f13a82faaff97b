//! What the credentials, principals, session and config rules share: the key credentials a script
//! creates (MSOnline parameters, Graph hashtables, Graph JSON bodies), the dates in them and how
//! PowerShell reads those dates, the certificates embedded in the script, and the writes of
//! service principal names and key lists.
//!
//! Everything is conservative, as in [`crate::semantic`]: a value that is not certain is `None`,
//! and a comparison is "certain" only when it holds for every reading PowerShell could make.
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

use std::collections::HashSet;

use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::cert::{CertErrorKind, Certificate};
use crate::lint::context::{CommandUse, ScriptContext};
use crate::powershell::ast::{
    BinaryOperator, CommandElement, ComparisonOperator, Expression, PipelineElement, Span,
    Statement, Variable,
};
use crate::powershell::{NodeRef, walk_node};
use crate::semantic::values::single_expression;

/// How many variables a value is followed through (`$a = $b`, `$b = [datetime]...`).
const MAX_HOPS: usize = 4;

// ---------------------------------------------------------------------------------------------
// Dates as text
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Dates as values
// ---------------------------------------------------------------------------------------------

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
pub fn date_value(cx: &ScriptContext<'_>, e: &Expression, reading: Reading) -> Option<DateValue> {
    date_value_hops(cx, e, reading, 0)
}

fn date_value_hops(
    cx: &ScriptContext<'_>,
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
fn statement_date(cx: &ScriptContext<'_>, s: &Statement, hops: usize) -> Option<DateValue> {
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
fn get_date_argument(cx: &ScriptContext<'_>, u: &CommandUse<'_>) -> Option<String> {
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
fn new_object_date(cx: &ScriptContext<'_>, u: &CommandUse<'_>) -> Option<DateValue> {
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
fn constructed(cx: &ScriptContext<'_>, args: &[Expression]) -> Option<DateValue> {
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
fn is_utc_kind(cx: &ScriptContext<'_>, e: &Expression) -> bool {
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

// ---------------------------------------------------------------------------------------------
// Key credentials
// ---------------------------------------------------------------------------------------------

/// Where a key credential is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialForm {
    /// `New-MsolServicePrincipalCredential` / `New-MsolServicePrincipal` parameters.
    MsOnline,
    /// A hashtable with Graph's keyCredential properties (`-KeyCredentials @{...}`).
    GraphHashtable,
    /// A JSON object in a string (an `Invoke-MgGraphRequest` body).
    GraphJson,
}

/// One property of a credential: its text when known, and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<'a> {
    pub text: Option<String>,
    pub span: Span,
    /// The expression written there (for a fix), when the field is an expression of its own.
    pub expression: Option<&'a Expression>,
}

/// A date property of a credential.
#[derive(Debug, Clone, PartialEq)]
pub struct DateField<'a> {
    pub value: Option<DateValue>,
    pub span: Span,
    pub expression: Option<&'a Expression>,
}

/// A key credential the script creates.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential<'a> {
    pub form: CredentialForm,
    /// The command, hashtable or JSON string.
    pub span: Span,
    pub kind: Option<Field<'a>>,
    pub usage: Option<Field<'a>>,
    /// The Base64 text of the key (`-Value`, `key`).
    pub value: Option<Field<'a>>,
    pub start: Option<DateField<'a>>,
    pub end: Option<DateField<'a>>,
}

impl Credential<'_> {
    /// Whether the credential is an asymmetric (certificate) one: `Some(false)` for another
    /// type, `None` when the type is not known. MSOnline's default type is symmetric.
    pub fn is_asymmetric(&self) -> Option<bool> {
        match &self.kind {
            Some(field) => {
                let text = field.text.as_deref()?;
                Some(
                    text.eq_ignore_ascii_case("Asymmetric")
                        || text.eq_ignore_ascii_case("AsymmetricX509Cert"),
                )
            }
            None if self.form == CredentialForm::MsOnline => Some(false),
            None => None,
        }
    }
}

/// The Graph keyCredential types and usages (to tell a credential hashtable from any other).
const GRAPH_TYPES: &[&str] = &["AsymmetricX509Cert", "Symmetric", "X509CertAndPassword"];
const GRAPH_USAGES: &[&str] = &["Verify", "Sign"];

/// Every key credential the script creates, in source order.
pub fn credentials<'a>(cx: &ScriptContext<'a>) -> Vec<Credential<'a>> {
    let mut out = Vec::new();
    for u in &cx.commands {
        if !(u.is("New-MsolServicePrincipalCredential") || u.is("New-MsolServicePrincipal")) {
            continue;
        }
        let b = &u.binding;
        let field = |name: &str| {
            let p = b.parameter(name)?;
            let value = p.value;
            Some(Field {
                text: value.and_then(|v| cx.values.string_value(v)),
                span: value.map_or(p.span, |v| v.span()),
                expression: value,
            })
        };
        let date = |name: &str| {
            let p = b.parameter(name)?;
            let value = p.value;
            Some(DateField {
                value: value.and_then(|v| date_value(cx, v, Reading::Culture)),
                span: value.map_or(p.span, |v| v.span()),
                expression: value,
            })
        };
        let credential = Credential {
            form: CredentialForm::MsOnline,
            span: u.command.span,
            kind: field("Type"),
            usage: field("Usage"),
            value: field("Value"),
            start: date("StartDate"),
            end: date("EndDate"),
        };
        if u.is("New-MsolServicePrincipal")
            && credential.kind.is_none()
            && credential.value.is_none()
        {
            continue;
        }
        out.push(credential);
    }
    cx.nodes.iter().copied().for_each(|node| {
        let NodeRef::Expression(e) = node else {
            return;
        };
        match e {
            Expression::Hashtable(h) => {
                if let Some(c) = hashtable_credential(cx, h) {
                    out.push(c);
                }
            }
            Expression::String(_) | Expression::ExpandableString(_) => {
                json_credentials(cx, e, &mut out);
            }
            _ => {}
        }
    });
    out.sort_by_key(|c| c.span.start);
    out
}

/// The value of the entry `key` (any case) of a hashtable literal.
pub fn entry<'e>(h: &'e crate::powershell::ast::Hashtable, key: &str) -> Option<&'e Expression> {
    h.entries.iter().find_map(|e| {
        let k = match &e.key {
            Expression::String(s) => s.value.as_str(),
            _ => return None,
        };
        if k.eq_ignore_ascii_case(key) {
            single_expression(&e.value)
        } else {
            None
        }
    })
}

/// Whether a hashtable literal has the entry `key` (any case), whatever its value.
pub fn has_entry(h: &crate::powershell::ast::Hashtable, key: &str) -> bool {
    h.entries
        .iter()
        .any(|e| matches!(&e.key, Expression::String(s) if s.value.eq_ignore_ascii_case(key)))
}

fn hashtable_credential<'a>(
    cx: &ScriptContext<'a>,
    h: &'a crate::powershell::ast::Hashtable,
) -> Option<Credential<'a>> {
    if !has_entry(h, "Key") {
        return None;
    }
    let field = |name: &str| {
        let value = entry(h, name)?;
        Some(Field {
            text: cx.values.string_value(value),
            span: value.span(),
            expression: Some(value),
        })
    };
    let kind = field("Type");
    let usage = field("Usage");
    let known = |f: &Option<Field>, list: &[&str]| {
        f.as_ref()
            .and_then(|f| f.text.as_deref())
            .is_some_and(|t| list.iter().any(|k| k.eq_ignore_ascii_case(t)))
    };
    if !known(&kind, GRAPH_TYPES) && !known(&usage, GRAPH_USAGES) {
        return None;
    }
    let value = entry(h, "Key").map(|v| Field {
        text: key_text(cx, v),
        span: v.span(),
        expression: Some(v),
    });
    let date = |name: &str| {
        let value = entry(h, name)?;
        Some(DateField {
            // How the Graph module converts a string is not relied on: both orders.
            value: date_value(cx, value, Reading::Culture),
            span: value.span(),
            expression: Some(value),
        })
    };
    Some(Credential {
        form: CredentialForm::GraphHashtable,
        span: h.span,
        kind,
        usage,
        value,
        start: date("StartDateTime"),
        end: date("EndDateTime"),
    })
}

/// The Base64 text a Graph `Key` holds: `[Text.Encoding]::ASCII.GetBytes(s)`,
/// `[Convert]::FromBase64String(s)`, or a string.
fn key_text(cx: &ScriptContext<'_>, e: &Expression) -> Option<String> {
    if let Some(s) = cx.values.string_value(e) {
        return Some(s);
    }
    let mut e = e;
    while let Expression::Paren(p) = e {
        e = single_expression(&p.pipeline)?;
    }
    let Expression::Invoke(i) = e else {
        return None;
    };
    let method = i.member.as_str()?;
    if (method.eq_ignore_ascii_case("GetBytes") || method.eq_ignore_ascii_case("FromBase64String"))
        && i.arguments.len() == 1
    {
        return cx.values.string_value(&i.arguments[0]);
    }
    None
}

fn json_credentials<'a>(cx: &ScriptContext<'a>, e: &'a Expression, out: &mut Vec<Credential<'a>>) {
    let Some(text) = json_text(cx, e) else {
        return;
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return;
    };
    let mut stack = vec![&value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            serde_json::Value::Object(map) => {
                let get = |k: &str| {
                    map.iter()
                        .find(|(key, _)| key.eq_ignore_ascii_case(k))
                        .map(|(_, v)| v)
                };
                let text_of = |k: &str| get(k).and_then(|v| v.as_str()).map(str::to_owned);
                let kind = text_of("type");
                let usage = text_of("usage");
                let is_credential = get("key").is_some()
                    && (kind
                        .as_deref()
                        .is_some_and(|t| GRAPH_TYPES.iter().any(|k| k.eq_ignore_ascii_case(t)))
                        || usage.as_deref().is_some_and(|t| {
                            GRAPH_USAGES.iter().any(|k| k.eq_ignore_ascii_case(t))
                        }));
                if is_credential {
                    let span = e.span();
                    let field = |text: Option<String>| {
                        Some(Field {
                            text,
                            span,
                            expression: None,
                        })
                    };
                    let date = |k: &str| {
                        let v = get(k)?;
                        Some(DateField {
                            value: v.as_str().and_then(|s| date_of_text(s, Reading::Culture)),
                            span,
                            expression: None,
                        })
                    };
                    out.push(Credential {
                        form: CredentialForm::GraphJson,
                        span,
                        kind: get("type").and_then(|_| field(kind.clone())),
                        usage: get("usage").and_then(|_| field(usage.clone())),
                        value: field(text_of("key")),
                        start: date("startDateTime"),
                        end: date("endDateTime"),
                    });
                } else {
                    stack.extend(map.values().rev());
                }
            }
            _ => {}
        }
    }
}

/// The text of a string that may be JSON with key credentials or service principal names.
pub fn json_text(cx: &ScriptContext<'_>, e: &Expression) -> Option<String> {
    let text = match e {
        Expression::String(s) => s.value.clone(),
        Expression::ExpandableString(_) => cx.values.string_value(e)?,
        _ => return None,
    };
    let trimmed = text.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('[')).then_some(text)
}

// ---------------------------------------------------------------------------------------------
// Certificates in the script
// ---------------------------------------------------------------------------------------------

/// Decodes the Base64 text of a credential's value: the certificate, or why it is not one.
pub fn decode(text: &str) -> Result<Certificate, CertErrorKind> {
    Certificate::from_bytes(text.trim().as_bytes())
}

/// A certificate written in the script.
#[derive(Debug, Clone)]
pub struct Embedded {
    pub certificate: Certificate,
    /// Where its text is written.
    pub span: Span,
}

/// Whether a string looks like a certificate's text (before it is decoded): DER in Base64 starts
/// with `MII`, a PEM block with its BEGIN line.
fn looks_like_certificate(text: &str) -> bool {
    let t = text.trim_start();
    (t.starts_with("MII") && t.len() >= 300) || t.contains("-----BEGIN CERTIFICATE-----")
}

/// Every certificate written in the script (each once, where it first appears): the values of
/// its credentials, and strings (or variables assigned strings) that hold a certificate.
pub fn embedded_certificates(cx: &ScriptContext<'_>) -> Vec<Embedded> {
    let mut found: Vec<Embedded> = Vec::new();
    let add = |text: &str, span: Span, found: &mut Vec<Embedded>| {
        if !looks_like_certificate(text) {
            return;
        }
        if let Ok(certificate) = decode(text) {
            found.push(Embedded { certificate, span });
        }
    };
    for c in credentials(cx) {
        if let Some(Field {
            text: Some(text),
            span,
            expression,
        }) = &c.value
        {
            let span = expression.and_then(|e| written_at(cx, e)).unwrap_or(*span);
            add(text, span, &mut found);
        }
    }
    cx.nodes.iter().copied().for_each(|node| match node {
        NodeRef::Expression(e @ Expression::String(s)) => add(&s.value, e.span(), &mut found),
        NodeRef::Statement(Statement::Assignment(a)) => {
            if let Expression::Variable(v) = &a.target
                && let Some(known) = cx.values.assigned(&v.name)
                && known.assignment == a.span
                && !matches!(known.expression, Expression::String(_))
                && let Some(text) = known.value.as_str()
            {
                add(text, known.expression.span(), &mut found);
            }
        }
        _ => {}
    });
    found.sort_by_key(|e| e.span.start);
    let mut seen = HashSet::new();
    found.retain(|e| seen.insert(e.certificate.sha1_thumbprint.clone()));
    found
}

/// The certificates written in a script that deals with key credentials (creates one, or
/// writes a principal's key list): there a certificate in a string is the one uploaded. In
/// other scripts (a test suite's code-signing certificate, a module's trusted roots) a
/// certificate in a string is none of these rules' business.
pub fn credential_certificates(cx: &ScriptContext<'_>) -> Vec<Embedded> {
    let relevant = !credentials(cx).is_empty()
        || list_writes(cx)
            .iter()
            .any(|w| w.kind == ListKind::KeyCredentials)
        || cx.commands.iter().any(|u| {
            u.is("Add-MgServicePrincipalKey")
                || u.is("Add-MgApplicationKey")
                || u.is("New-CsPartnerApplication")
                || u.is("Set-CsPartnerApplication")
        });
    if relevant {
        embedded_certificates(cx)
    } else {
        Vec::new()
    }
}

/// Where a value is written: the variable's assigned expression when it holds a known value,
/// else the expression itself.
pub fn written_at(cx: &ScriptContext<'_>, e: &Expression) -> Option<Span> {
    match e {
        Expression::Variable(v) => cx.values.at(v).map(|k| k.expression.span()),
        _ => Some(e.span()),
    }
}

// ---------------------------------------------------------------------------------------------
// Variables and lists
// ---------------------------------------------------------------------------------------------

/// The variable at the root of `$x`, `$x.A.B`, `$x[0]`, `$x.M()`, `($x).A`.
pub fn root_variable(e: &Expression) -> Option<&Variable> {
    let mut e = e;
    loop {
        match e {
            Expression::Variable(v) => return Some(v),
            Expression::Member(m) => e = &m.target,
            Expression::Index(i) => e = &i.target,
            Expression::Invoke(i) => e = &i.target,
            Expression::Paren(p) => e = single_expression(&p.pipeline)?,
            Expression::ArrayExpression(s) | Expression::SubExpression(s) => {
                match s.statements.as_slice() {
                    [one] => e = single_expression(one)?,
                    _ => return None,
                }
            }
            Expression::Convert(c) => e = &c.operand,
            _ => return None,
        }
    }
}

/// The lower-case name of a variable without its scope (`$script:x` → `x`).
pub fn variable_key(v: &Variable) -> String {
    v.unqualified().to_ascii_lowercase()
}

/// The member named last in `$x.A.B` (`B`), when it is a constant name.
pub fn last_member(e: &Expression) -> Option<&str> {
    match e {
        Expression::Member(m) => m.member.as_str(),
        _ => None,
    }
}

/// Every variable read in an expression or statement (lower case, no scope).
pub fn variables_in(node: NodeRef<'_>, out: &mut HashSet<String>) {
    walk_node(node, |n| {
        if let NodeRef::Expression(Expression::Variable(v)) = n {
            out.insert(variable_key(v));
        }
    });
}

/// What "checks" a script makes, for the rules that want a list looked at before it is
/// written: the variables read in `if`/`elseif`/`while`/`do`/`switch` conditions, in
/// `Where-Object` filters and `.Where()`, in `-contains`/`-notcontains`/`-in`/`-notin`
/// comparisons, and on either side of `.Contains()`. Built once per file.
#[derive(Debug, Default)]
pub struct Guards {
    pub variables: HashSet<String>,
    /// Members read in those places (`KeyCredentials`, `ServicePrincipalNames`), lower case.
    pub members: HashSet<String>,
}

impl Guards {
    pub fn new(cx: &ScriptContext<'_>) -> Guards {
        let mut roots: Vec<NodeRef<'_>> = Vec::new();
        cx.nodes.iter().copied().for_each(|node| match node {
            NodeRef::Statement(Statement::If(s)) => {
                // `if ($PSCmdlet.ShouldProcess(...))` asks the user, it checks nothing.
                roots.extend(
                    s.clauses
                        .iter()
                        .filter(|c| {
                            !c.condition
                                .span()
                                .text(cx.text())
                                .to_ascii_lowercase()
                                .contains("shouldprocess")
                        })
                        .map(|c| NodeRef::Statement(&c.condition)),
                );
            }
            NodeRef::Statement(Statement::While(s)) => roots.push(NodeRef::Statement(&s.condition)),
            NodeRef::Statement(Statement::Do(s)) => roots.push(NodeRef::Statement(&s.condition)),
            NodeRef::Statement(Statement::Switch(s)) => {
                if let Some(c) = &s.condition {
                    roots.push(NodeRef::Statement(c));
                }
            }
            NodeRef::Expression(e @ Expression::Binary(b))
                if matches!(
                    b.operator,
                    BinaryOperator::Comparison(
                        ComparisonOperator::Contains
                            | ComparisonOperator::NotContains
                            | ComparisonOperator::In
                            | ComparisonOperator::NotIn,
                        _
                    )
                ) =>
            {
                roots.push(NodeRef::Expression(e));
            }
            NodeRef::Expression(e @ Expression::Invoke(i))
                if i.member.as_str().is_some_and(|m| {
                    m.eq_ignore_ascii_case("Contains") || m.eq_ignore_ascii_case("Where")
                }) =>
            {
                roots.push(NodeRef::Expression(e));
            }
            NodeRef::Command(c) => {
                let name = c.name().unwrap_or("");
                if ["Where-Object", "where", "?"]
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(name))
                {
                    for el in &c.elements {
                        match el {
                            CommandElement::Argument(a) => roots.push(NodeRef::Expression(a)),
                            CommandElement::Parameter(p) => {
                                if let Some(v) = &p.value {
                                    roots.push(NodeRef::Expression(v));
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        });
        let mut guards = Guards::default();
        let mut read: Vec<&Variable> = Vec::new();
        for root in roots {
            walk_node(root, |n| match n {
                NodeRef::Expression(Expression::Variable(v))
                    if guards.variables.insert(variable_key(v)) =>
                {
                    read.push(v);
                }
                NodeRef::Expression(Expression::Member(m)) => {
                    if let Some(name) = m.member.as_str() {
                        guards.members.insert(name.to_ascii_lowercase());
                    }
                }
                _ => {}
            });
        }
        // A check of a variable is a check of what it was computed from
        // (`$holder = Get-MsolServicePrincipal -ServicePrincipalName $spn; if ($holder) ...`).
        for v in read {
            if let Some(a) = cx.values.assignment_at(v) {
                variables_in(NodeRef::Statement(a.value), &mut guards.variables);
            }
        }
        guards
    }

    /// Whether a check reads any of `variables`.
    pub fn mention_any(&self, variables: &HashSet<String>) -> bool {
        variables.iter().any(|v| self.variables.contains(v))
    }
}

/// The variables a value comes from: those it reads, and those their one assignment reads, a
/// few assignments deep.
pub fn involved_variables(cx: &ScriptContext<'_>, e: &Expression) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut frontier: Vec<&Variable> = Vec::new();
    collect_variables(NodeRef::Expression(e), &mut frontier);
    for _ in 0..MAX_HOPS {
        let mut next = Vec::new();
        for v in frontier {
            if !out.insert(variable_key(v)) {
                continue;
            }
            if let Some(a) = cx.values.assignment_at(v) {
                collect_variables(NodeRef::Statement(a.value), &mut next);
            }
        }
        if next.is_empty() {
            return out;
        }
        frontier = next;
    }
    out.extend(frontier.iter().map(|v| variable_key(v)));
    out
}

/// The variables read under a node.
pub fn collect_variables<'e>(node: NodeRef<'e>, out: &mut Vec<&'e Variable>) {
    walk_node(node, |n| {
        if let NodeRef::Expression(Expression::Variable(v)) = n {
            out.push(v);
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Writes of whole lists: service principal names and key credentials
// ---------------------------------------------------------------------------------------------

/// The most list writes (or removals) one file's rules judge: a real script has a handful, and the
/// cap keeps a pathological file linear.
pub const MAX_SITES: usize = 256;

/// Which list of a service principal is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    ServicePrincipalNames,
    KeyCredentials,
}

impl ListKind {
    /// The property's name, lower case, as Graph and MSOnline spell it (any case).
    pub fn property(self) -> &'static str {
        match self {
            ListKind::ServicePrincipalNames => "serviceprincipalnames",
            ListKind::KeyCredentials => "keycredentials",
        }
    }
}

/// What a list is written from.
#[derive(Debug, Clone)]
pub enum ListValue<'a> {
    /// An expression of the script (`-ServicePrincipalNames $names`).
    Expression(&'a Expression),
    /// The items of a JSON array in a request body.
    Json(Vec<serde_json::Value>),
}

/// A write that replaces a whole list of a service principal.
#[derive(Debug, Clone)]
pub struct ListWrite<'a> {
    pub kind: ListKind,
    pub value: ListValue<'a>,
    /// The value (or the request body).
    pub span: Span,
    /// The command that writes.
    pub command: Span,
    /// How the command is named in messages.
    pub by: String,
}

/// Every write of a whole SPN or key list: `Set-MsolServicePrincipal -ServicePrincipalNames`,
/// `Update-MgServicePrincipal -ServicePrincipalNames/-KeyCredentials/-BodyParameter`, and
/// `Invoke-MgGraphRequest -Method PATCH -Body` with `servicePrincipalNames` or `keyCredentials`.
pub fn list_writes<'a>(cx: &ScriptContext<'a>) -> Vec<ListWrite<'a>> {
    let mut out = Vec::new();
    for u in &cx.commands {
        if out.len() >= MAX_SITES {
            break;
        }
        let b = &u.binding;
        let mut push = |kind, value: &'a Expression, by: &str| {
            out.push(ListWrite {
                kind,
                value: ListValue::Expression(value),
                span: value.span(),
                command: u.command.span,
                by: by.to_string(),
            });
        };
        if u.is("Set-MsolServicePrincipal") {
            if let Some(v) = b.value("ServicePrincipalNames") {
                push(
                    ListKind::ServicePrincipalNames,
                    v,
                    "Set-MsolServicePrincipal -ServicePrincipalNames",
                );
            }
        } else if u.is("Update-MgServicePrincipal") || u.is("Update-MgApplication") {
            if let Some(v) = b.value("ServicePrincipalNames") {
                push(
                    ListKind::ServicePrincipalNames,
                    v,
                    "Update-MgServicePrincipal -ServicePrincipalNames",
                );
            }
            if let Some(v) = b.value("KeyCredentials") {
                push(
                    ListKind::KeyCredentials,
                    v,
                    "Update-MgServicePrincipal -KeyCredentials",
                );
            }
            if let Some(v) = b.value("BodyParameter")
                && let Some(h) = hashtable_of(cx, v)
            {
                for kind in [ListKind::ServicePrincipalNames, ListKind::KeyCredentials] {
                    if let Some(v) = entry(h, kind.property()) {
                        push(kind, v, "Update-MgServicePrincipal -BodyParameter");
                    }
                }
            }
        } else if u.is("Invoke-MgGraphRequest") {
            let patch = b
                .parameter("Method")
                .and_then(|p| p.value)
                .and_then(|v| cx.values.string_value(v))
                .is_some_and(|m| m.eq_ignore_ascii_case("PATCH"));
            let Some(body) = b.parameter("Body").and_then(|p| p.value) else {
                continue;
            };
            if !patch {
                continue;
            }
            if let Some(h) = hashtable_of(cx, body) {
                for kind in [ListKind::ServicePrincipalNames, ListKind::KeyCredentials] {
                    if let Some(v) = entry(h, kind.property()) {
                        push(kind, v, "Invoke-MgGraphRequest -Method PATCH");
                    }
                }
                continue;
            }
            let Some(text) = cx.values.string_value(body) else {
                continue;
            };
            let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&text) else {
                continue;
            };
            for kind in [ListKind::ServicePrincipalNames, ListKind::KeyCredentials] {
                if let Some((_, serde_json::Value::Array(items))) = map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(kind.property()))
                {
                    out.push(ListWrite {
                        kind,
                        value: ListValue::Json(items.clone()),
                        span: written_at(cx, body).unwrap_or(body.span()),
                        command: u.command.span,
                        by: "Invoke-MgGraphRequest -Method PATCH".to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The hashtable literal an expression is, or a variable is assigned once.
pub fn hashtable_of<'a>(
    cx: &ScriptContext<'a>,
    e: &'a Expression,
) -> Option<&'a crate::powershell::ast::Hashtable> {
    match follow(cx, e) {
        Expression::Hashtable(h) => Some(h),
        Expression::Convert(c) => match &c.operand {
            Expression::Hashtable(h) => Some(h),
            _ => None,
        },
        _ => None,
    }
}

/// The expression a variable was assigned once (a few assignments deep), or the expression
/// itself; parentheses are looked through.
pub fn follow<'a>(cx: &ScriptContext<'a>, e: &'a Expression) -> &'a Expression {
    let mut e = e;
    for _ in 0..MAX_HOPS {
        match e {
            Expression::Variable(v) => {
                match cx.values.assignment_at(v).and_then(|a| a.expression) {
                    Some(next) => e = next,
                    None => return e,
                }
            }
            Expression::Paren(p) => match single_expression(&p.pipeline) {
                Some(next) => e = next,
                None => return e,
            },
            _ => return e,
        }
    }
    e
}

/// The items of an array literal (`'a', 'b'`, `@('a'; 'b')`, `@()`), looked through variables.
pub fn array_items<'a>(cx: &ScriptContext<'a>, e: &'a Expression) -> Option<Vec<&'a Expression>> {
    match follow(cx, e) {
        Expression::Array(a) => Some(a.elements.iter().collect()),
        Expression::ArrayExpression(s) => {
            let mut items = Vec::new();
            for st in &s.statements {
                match single_expression(st)? {
                    Expression::Array(a) => items.extend(a.elements.iter()),
                    other => items.push(other),
                }
            }
            Some(items)
        }
        _ => None,
    }
}

/// A list written from nothing that was read: literal names (`'a', "b/$fqdn"`), or hashtable
/// literals of key credentials, and no existing list in it. `Some(n)`: a fresh list of `n` items.
pub fn fresh_list(cx: &ScriptContext<'_>, kind: ListKind, value: &ListValue<'_>) -> Option<usize> {
    match value {
        ListValue::Json(items) => Some(items.len()),
        ListValue::Expression(e) => {
            let literal_item = |x: &Expression| match kind {
                ListKind::ServicePrincipalNames => match x {
                    Expression::String(_) => true,
                    Expression::ExpandableString(_) => true,
                    other => matches!(
                        cx.values.evaluate(other),
                        Some(crate::semantic::Value::String(_))
                    ),
                },
                ListKind::KeyCredentials => {
                    matches!(follow(cx, x), Expression::Hashtable(_))
                        || matches!(follow(cx, x), Expression::Convert(c) if matches!(c.operand, Expression::Hashtable(_)))
                }
            };
            let target = follow(cx, e);
            if let Some(items) = array_items(cx, e) {
                return items.iter().all(|x| literal_item(x)).then_some(items.len());
            }
            if literal_item(target) {
                return Some(1);
            }
            if kind == ListKind::ServicePrincipalNames
                && let Some(strings) = cx.values.evaluate(e).and_then(|v| v.strings())
            {
                return Some(strings.len());
            }
            None
        }
    }
}

/// The `if` clauses of a file, to find those around a place: each clause's body span (and the
/// `else` body, which the same conditions decide) with the conditions, nested as the code is.
pub struct Enclosing<'a> {
    /// (body span, the if statement's conditions), sorted by start.
    bodies: Vec<(Span, &'a crate::powershell::ast::IfStatement, usize)>,
}

impl<'a> Enclosing<'a> {
    pub fn new(cx: &ScriptContext<'a>) -> Enclosing<'a> {
        let mut bodies = Vec::new();
        cx.nodes.iter().copied().for_each(|node| {
            if let NodeRef::Statement(Statement::If(s)) = node {
                for c in &s.clauses {
                    bodies.push((c.body.span, &**s, usize::MAX));
                }
                if let Some(e) = &s.else_body {
                    bodies.push((e.span, &**s, usize::MAX));
                }
            }
        });
        bodies.sort_by_key(|(span, _, _)| (span.start, std::cmp::Reverse(span.end)));
        // Parent of each body: the nearest earlier body that contains it.
        let mut stack: Vec<usize> = Vec::new();
        for i in 0..bodies.len() {
            let span = bodies[i].0;
            while let Some(&top) = stack.last() {
                if bodies[top].0.end >= span.end && bodies[top].0.start <= span.start {
                    break;
                }
                stack.pop();
            }
            bodies[i].2 = stack.last().copied().unwrap_or(usize::MAX);
            stack.push(i);
        }
        Enclosing { bodies }
    }

    /// The if statements whose clause bodies (or else body) hold `offset`, innermost first.
    pub fn around(&self, offset: usize) -> Vec<&'a crate::powershell::ast::IfStatement> {
        let mut out = Vec::new();
        let i = self.bodies.partition_point(|(s, _, _)| s.start <= offset);
        if i == 0 {
            return out;
        }
        let mut at = i - 1;
        loop {
            let (span, statement, parent) = self.bodies[at];
            if span.start <= offset && offset < span.end {
                out.push(statement);
            }
            if parent == usize::MAX {
                break;
            }
            at = parent;
        }
        out
    }
}

/// Spans that nest (or are apart), as the blocks of a script do, to find those around a place
/// in logarithmic time plus the nesting depth.
pub struct Nesting {
    /// (span, parent index or `usize::MAX`), sorted by start, outer before inner.
    spans: Vec<(Span, usize)>,
}

impl Nesting {
    pub fn new(mut spans: Vec<Span>) -> Nesting {
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut out: Vec<(Span, usize)> = Vec::with_capacity(spans.len());
        let mut stack: Vec<usize> = Vec::new();
        for span in spans {
            while let Some(&top) = stack.last() {
                let t = out[top].0;
                if t.start <= span.start && span.end <= t.end {
                    break;
                }
                stack.pop();
            }
            out.push((span, stack.last().copied().unwrap_or(usize::MAX)));
            stack.push(out.len() - 1);
        }
        Nesting { spans: out }
    }

    /// The spans that hold `offset`, innermost first.
    pub fn containing(&self, offset: usize) -> Vec<Span> {
        let mut out = Vec::new();
        let i = self.spans.partition_point(|(s, _)| s.start <= offset);
        if i == 0 {
            return out;
        }
        let mut at = i - 1;
        loop {
            let (span, parent) = self.spans[at];
            if span.start <= offset && offset < span.end {
                out.push(span);
            }
            if parent == usize::MAX {
                break;
            }
            at = parent;
        }
        out
    }

    /// Whether any span holds `offset`.
    pub fn holds(&self, offset: usize) -> bool {
        !self.containing(offset).is_empty()
    }
}

/// Whether an if statement's conditions look at `word` (lower case): in their text, or in the
/// one assignment of a variable they read (`$keys = $sp.KeyCredentials; if ($keys) {...}`).
pub fn conditions_mention(
    cx: &ScriptContext<'_>,
    s: &crate::powershell::ast::IfStatement,
    word: &str,
) -> bool {
    let text = cx.text();
    s.clauses.iter().any(|c| {
        if c.condition
            .span()
            .text(text)
            .to_ascii_lowercase()
            .contains(word)
        {
            return true;
        }
        let mut vars = Vec::new();
        collect_variables(NodeRef::Statement(&c.condition), &mut vars);
        vars.iter().any(|v| {
            cx.values.assignment_at(v).is_some_and(|a| {
                a.value
                    .span()
                    .text(text)
                    .to_ascii_lowercase()
                    .contains(word)
            })
        })
    })
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

/// Certificates and secrets for the rules' tests: the shipped public certificates, and keys and
/// certificates made at test time (never stored).
#[cfg(test)]
pub(crate) mod test_certs {
    use base64::Engine as _;

    /// The sample OAuth certificate (valid 2025-01-01 to 2045-12-31 23:59:59 UTC).
    pub const OAUTH_PEM: &str = include_str!("../../../samples/certs/oauth.cer");
    /// Valid 2015-01-01 to 2020-12-31 23:59:59 UTC.
    pub const EXPIRED_PEM: &str = include_str!("../../../tests/fixtures/certs/expired.cer");

    /// The Base64 body of a PEM file, on one line (what `ToBase64String(GetRawCertData())` gives).
    pub fn base64_of(pem: &str) -> String {
        pem.lines()
            .filter(|l| !l.starts_with("-----"))
            .map(str::trim)
            .collect()
    }

    pub fn oauth() -> String {
        base64_of(OAUTH_PEM)
    }

    pub fn expired() -> String {
        base64_of(EXPIRED_PEM)
    }

    /// A self-signed certificate valid between the two dates (year, month, day), in Base64.
    pub fn made(from: (i32, u8, u8), to: (i32, u8, u8)) -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params =
            rcgen::CertificateParams::new(vec!["lyncpool.fabrikam.com".to_string()]).unwrap();
        params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
        params.not_after = rcgen::date_time_ymd(to.0, to.1, to.2);
        let cert = params.self_signed(&key).expect("self-signed");
        base64::engine::general_purpose::STANDARD.encode(cert.der())
    }

    /// A PKCS#8 private key, in Base64.
    pub fn private_key() -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        base64::engine::general_purpose::STANDARD.encode(key.serialize_der())
    }

    /// The outline of a PFX (PKCS#12) file, in Base64.
    pub fn pfx() -> String {
        let der: Vec<u8> = vec![
            0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7,
            0x0D, 0x01, 0x07, 0x01, 0xA0, 0x80, 0x24, 0x80, 0x04, 0x02, 0x30, 0x00, 0, 0, 0, 0, 0,
            0, 0, 0,
        ];
        base64::engine::general_purpose::STANDARD.encode(der)
    }

    /// `-join @('...', '...')` with lines of 64 characters, as generated scripts write it.
    pub fn joined(base64: &str) -> String {
        let lines: Vec<String> = base64
            .as_bytes()
            .chunks(64)
            .map(|c| format!("    '{}'", String::from_utf8_lossy(c)))
            .collect();
        format!("-join @(\n{}\n)", lines.join(",\n"))
    }
}
