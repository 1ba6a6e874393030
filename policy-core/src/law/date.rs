//! Calendar dates for effective periods and `--at`.

use core::fmt;

/// A calendar date (proleptic Gregorian, UTC), used for `effective_from`/`effective_until` and
/// for the moment a decision is taken (`--at`).
///
/// Dates compare in calendar order, so `entry.effective_from <= at` reads as it should.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01 (negative before).
    days: i64,
}

/// Why a date or timestamp did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    message: &'static str,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for DateError {}

const fn err(message: &'static str) -> DateError {
    DateError { message }
}

impl Date {
    /// Builds a date from year, month (1-12) and day, or `None` if no such day exists.
    #[must_use]
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// The UTC date of a Unix timestamp in seconds.
    #[must_use]
    pub fn from_unix_seconds(seconds: i64) -> Date {
        Date {
            days: seconds.div_euclid(86_400),
        }
    }

    /// Seconds since the Unix epoch at 00:00 UTC of this date.
    #[must_use]
    pub fn unix_seconds(self) -> i64 {
        self.days.saturating_mul(86_400)
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// # Errors
    /// When the text is not a valid calendar date in that form.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let b = text.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(err("expected a date as YYYY-MM-DD, e.g. `2026-01-31`"));
        }
        let year = digits(text.get(0..4))?;
        let month = digits(text.get(5..7))?;
        let day = digits(text.get(8..10))?;
        let month = u32::try_from(month).map_err(|_| err("month out of range"))?;
        let day = u32::try_from(day).map_err(|_| err("day out of range"))?;
        Date::from_ymd(year, month, day).ok_or(err("no such calendar day (check month and day)"))
    }

    /// Parses an RFC 3339 timestamp (`2026-03-01T12:00:00Z`, `...+01:00`) or a plain date, and
    /// returns its UTC date.
    ///
    /// # Errors
    /// When the text is neither a date nor an RFC 3339 timestamp.
    pub fn parse_rfc3339(text: &str) -> Result<Date, DateError> {
        let Some(date_part) = text.get(0..10) else {
            return Err(err(
                "expected an RFC 3339 timestamp such as `2026-03-01T12:00:00Z`",
            ));
        };
        let date = Date::parse(date_part)?;
        let rest = text.get(10..).unwrap_or("");
        if rest.is_empty() {
            return Ok(date);
        }
        let rest = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix('t'))
            .or_else(|| rest.strip_prefix(' '))
            .ok_or(err(
                "expected `T` between date and time, e.g. `2026-03-01T12:00:00Z`",
            ))?;
        let hour = digits(rest.get(0..2))?;
        let minute = digits(rest.get(3..5))?;
        if rest.get(2..3) != Some(":") || rest.get(5..6) != Some(":") || hour > 23 || minute > 59 {
            return Err(err("expected a time as HH:MM:SS after `T`"));
        }
        let _seconds = digits(rest.get(6..8))?;
        let mut zone = rest.get(8..).unwrap_or("");
        if let Some(frac) = zone.strip_prefix('.') {
            let end = frac
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(frac.len());
            zone = frac.get(end..).unwrap_or("");
        }
        let offset_minutes = match zone {
            "Z" | "z" => 0,
            _ => {
                let sign = match zone.get(0..1) {
                    Some("+") => 1,
                    Some("-") => -1,
                    _ => return Err(err("expected a zone `Z` or `+HH:MM` at the end")),
                };
                if zone.len() != 6 || zone.get(3..4) != Some(":") {
                    return Err(err("expected a zone `Z` or `+HH:MM` at the end"));
                }
                sign * (digits(zone.get(1..3))? * 60 + digits(zone.get(4..6))?)
            }
        };
        let local_minutes = hour * 60 + minute;
        let utc_minutes = local_minutes - offset_minutes;
        Ok(Date {
            days: date.days + utc_minutes.div_euclid(1440),
        })
    }

    /// Year, month and day of this date.
    #[must_use]
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn digits(text: Option<&str>) -> Result<i64, DateError> {
    let text = text.ok_or(err("timestamp is too short"))?;
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err("expected digits in the date or time"));
    }
    text.parse::<i64>().map_err(|_| err("number out of range"))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn dates_round_trip_and_order() {
        let a = Date::parse("2024-02-29").unwrap();
        assert_eq!(a.to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2025-13-01").is_err());
        assert!(Date::parse("2025-1-01").is_err());
        assert!(Date::parse("2025-07-10").unwrap() > Date::parse("2023-07-10").unwrap());
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_unix_seconds(1_764_400_000).to_string(),
            "2025-11-29"
        );
    }

    #[test]
    fn rfc3339_offsets_move_the_utc_date() {
        let d = |s: &str| Date::parse_rfc3339(s).unwrap().to_string();
        assert_eq!(d("2026-03-01T12:00:00Z"), "2026-03-01");
        assert_eq!(d("2026-03-01T00:30:00+01:00"), "2026-02-28");
        assert_eq!(d("2026-12-31T23:30:00.123-02:00"), "2027-01-01");
        assert_eq!(d("2026-03-01"), "2026-03-01");
        assert!(Date::parse_rfc3339("2026-03-01T25:00:00Z").is_err());
        assert!(Date::parse_rfc3339("2026-03-01T12:00:00").is_err());
        assert!(Date::parse_rfc3339("yesterday").is_err());
    }
}
