//! Calendar arithmetic for dates: the [`Ymd`] day type, Gregorian day numbers, weekdays, month lengths, and
//! the tabular (arithmetical) Islamic calendar for Hijri dates.
//!
//! Hijri caveat: the tabular calendar (30-year cycle, leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29, civil
//! epoch 16 July 622 Julian) follows the mean lunar month; the calendars in use (Umm al-Qura, local moon
//! sighting) differ from it by up to one day, sometimes two. A converted Hijri date is therefore exact only to
//! ±1 day; dates.rs still reports it with day precision, as the source wrote a day.

use std::fmt;

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

    /// Parses `YYYY-MM-DD` (the first ten bytes; a time part after them is ignored).
    pub fn parse(s: &str) -> Option<Ymd> {
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(5..7)?.parse().ok()?;
        let d = s.get(8..10)?.parse().ok()?;
        Ymd::new(y, m, d)
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

/// Days from 1970-01-01 to 1 Muharram AH 1 (16 July 622 Julian = 19 July 622 proleptic Gregorian), civil epoch.
const HIJRI_EPOCH: i64 = -492_148;

/// Days from 1 Muharram AH 1 to Hijri year `y`, month `m`, day `d` (tabular calendar: 354 days a year plus 11
/// leap days every 30 years).
fn hijri_day_number(y: i64, m: i64, d: i64) -> i64 {
    (y - 1) * 354 + (3 + 11 * y).div_euclid(30) + month_days_before(m) + d - 1
}

/// Days in Hijri months before month `m` (1-based): 30, 29, 30, 29, …
fn month_days_before(m: i64) -> i64 {
    let k = m - 1;
    k * 29 + (k + 1) / 2
}

/// Converts a tabular Hijri date to a Gregorian day (±1 day against the calendars in use; see module docs).
pub fn hijri_to_gregorian(y: i32, m: u8, d: u8) -> Option<Ymd> {
    if !(1..=12).contains(&m) || d == 0 || d > 30 || !(1..=3000).contains(&y) {
        return None;
    }
    Some(Ymd::from_days(HIJRI_EPOCH + hijri_day_number(i64::from(y), i64::from(m), i64::from(d))))
}

/// The tabular Hijri year in which Gregorian day `g` falls.
pub fn hijri_year_of(g: Ymd) -> i32 {
    let n = g.to_days() - HIJRI_EPOCH;
    // Approximate, then correct by comparing with year starts.
    let mut y = ((30 * n + 10_646) / 10_631) as i32;
    while y > 1 && hijri_to_gregorian(y, 1, 1).is_some_and(|s| s > g) {
        y -= 1;
    }
    while hijri_to_gregorian(y + 1, 1, 1).is_some_and(|s| s <= g) {
        y += 1;
    }
    y
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
        assert_eq!(Ymd::parse("2018-03-01T10:00"), Ymd::new(2018, 3, 1));
    }

    #[test]
    fn tabular_hijri() {
        // 1 Muharram 1 = 19 July 622 (proleptic Gregorian) in the civil tabular calendar.
        assert_eq!(hijri_to_gregorian(1, 1, 1).map(|d| d.to_string()), Some("0622-07-19".into()));
        // 1 Ramadan 1445: Umm al-Qura 2024-03-11; tabular 2024-03-11 or a day either side.
        let r = hijri_to_gregorian(1445, 9, 1).expect("valid");
        let uq = Ymd::new(2024, 3, 11).expect("valid");
        assert!((r.to_days() - uq.to_days()).abs() <= 1, "{r}");
        // 15 Rajab 1445 ≈ 2024-01-27.
        let r = hijri_to_gregorian(1445, 7, 15).expect("valid");
        assert!((r.to_days() - Ymd::new(2024, 1, 27).expect("valid").to_days()).abs() <= 1, "{r}");
        assert_eq!(hijri_year_of(Ymd::new(2024, 2, 18).expect("valid")), 1445);
        assert_eq!(hijri_year_of(Ymd::new(2018, 3, 1).expect("valid")), 1439);
    }
}
