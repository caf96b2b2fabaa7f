//! The calendar day type shared by every crate ([`Ymd`]): parsing `YYYY-MM-DD`, Gregorian day numbers,
//! weekdays and month arithmetic.

use std::fmt;
use std::str::FromStr;

/// A proleptic Gregorian calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ymd {
    pub y: i32,
    pub m: u8,
    pub d: u8,
}

impl Ymd {
    /// A valid day, or `None`.
    pub fn new(y: i32, m: u8, d: u8) -> Option<Ymd> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(-9999..=9999).contains(&y) {
            return None;
        }
        Some(Ymd { y, m, d })
    }

    /// Parses `YYYY-MM-DD` at the start of `s` (a time part after the ten bytes is ignored: `2018-03-01T10:00`).
    pub fn parse(s: &str) -> Option<Ymd> {
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Ymd::from_digits(&b[0..4], &b[5..7], &b[8..10])
    }

    /// Parses exactly `YYYY-MM-DD`, nothing before or after.
    pub fn parse_exact(s: &str) -> Option<Ymd> {
        if s.len() == 10 {
            Ymd::parse(s)
        } else {
            None
        }
    }

    /// A day from ASCII digit runs (year 1 or later).
    fn from_digits(y: &[u8], m: &[u8], d: &[u8]) -> Option<Ymd> {
        let num = |digits: &[u8]| -> Option<i32> {
            digits.iter().try_fold(0i32, |v, &c| c.is_ascii_digit().then(|| v * 10 + i32::from(c - b'0')))
        };
        let y = num(y).filter(|&y| y >= 1)?;
        Ymd::new(y, u8::try_from(num(m)?).ok()?, u8::try_from(num(d)?).ok()?)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Civil-from-days inverse (era-based), written for this module.
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Ymd {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        Ymd { y, m, d }
    }

    /// This day moved by `n` days.
    pub fn add_days(self, n: i64) -> Ymd {
        Ymd::from_days(self.to_days() + n)
    }

    /// This day moved by `n` months, the day clamped to the month's length.
    pub fn add_months(self, n: i32) -> Ymd {
        let idx = self.y * 12 + i32::from(self.m) - 1 + n;
        let y = idx.div_euclid(12);
        let m = (idx.rem_euclid(12) + 1) as u8;
        Ymd { y, m, d: self.d.min(days_in_month(y, m)) }
    }

    /// Day of the week, 0 = Sunday … 6 = Saturday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (4).
        (self.to_days() + 4).rem_euclid(7) as u8
    }

    /// The first day of this day's month.
    pub fn month_start(self) -> Ymd {
        Ymd { d: 1, ..self }
    }

    /// The last day of this day's month.
    pub fn month_end(self) -> Ymd {
        Ymd { d: days_in_month(self.y, self.m), ..self }
    }
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad date `{}` (expected YYYY-MM-DD)", self.0)
    }
}

impl std::error::Error for DateError {}

impl FromStr for Ymd {
    type Err = DateError;

    /// Exactly `YYYY-MM-DD` or `YYYYMMDD`, a real day of year 1 or later.
    fn from_str(s: &str) -> Result<Ymd, DateError> {
        let b = s.as_bytes();
        let day = match b.len() {
            10 => Ymd::parse_exact(s),
            8 => Ymd::from_digits(&b[0..4], &b[4..6], &b[6..8]),
            _ => None,
        };
        day.ok_or_else(|| DateError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        let d = Ymd::new(2024, 2, 18).expect("valid");
        assert_eq!(d.to_days(), 19_771);
        assert_eq!(Ymd::from_days(19_771), d);
        assert_eq!(d.weekday(), 0); // a Sunday
        assert_eq!(Ymd::new(1970, 1, 1).map(Ymd::to_days), Some(0));
        for n in (-800_000..800_000).step_by(997) {
            assert_eq!(Ymd::from_days(n).to_days(), n);
        }
        assert_eq!(d.add_days(-20).to_string(), "2024-01-29");
        assert_eq!(Ymd::new(2024, 3, 31).map(|d| d.add_months(-1).to_string()), Some("2024-02-29".into()));
        assert!(Ymd::new(2023, 2, 29).is_none());
    }

    #[test]
    fn parsing() {
        assert_eq!(Ymd::parse("2018-03-01T10:00"), Ymd::new(2018, 3, 1));
        assert_eq!(Ymd::parse_exact("2018-03-01T10:00"), None);
        assert_eq!("2005-04-07".parse(), Ok(Ymd { y: 2005, m: 4, d: 7 }));
        assert_eq!("20140724".parse(), Ok(Ymd { y: 2014, m: 7, d: 24 }));
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "٢٠٢٤-٠١-٠١", "+024-01-01", "0000-01-01", "2024-01-01x"]
        {
            assert!(bad.parse::<Ymd>().is_err(), "{bad}");
        }
        assert!("2024-02-29".parse::<Ymd>().is_ok());
        assert_eq!("x".parse::<Ymd>().unwrap_err().to_string(), "bad date `x` (expected YYYY-MM-DD)");
    }

    #[test]
    fn days_order_as_dates() {
        let a = Ymd::new(2005, 4, 7).expect("valid");
        let b = Ymd::new(2014, 7, 24).expect("valid");
        assert!(a < b && b < Ymd::new(2014, 7, 25).expect("valid"));
    }
}
