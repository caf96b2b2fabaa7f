//! Calendar days as integers (days since 1970-01-01, proleptic Gregorian) and back, for date filters and buckets.

use rasid_text::day::{days_in_month, Ymd};

/// Days since 1970-01-01 of a civil date; `None` outside years 1–9999 or for an impossible day.
pub fn from_ymd(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=9999).contains(&y) {
        return None;
    }
    Ymd::new(i32::try_from(y).ok()?, u8::try_from(m).ok()?, u8::try_from(d).ok()?).map(Ymd::to_days)
}

/// The civil date of a day number.
pub fn to_ymd(z: i64) -> (i64, i64, i64) {
    let d = Ymd::from_days(z);
    (i64::from(d.y), i64::from(d.m), i64::from(d.d))
}

fn month_len(y: i64, m: i64) -> i64 {
    match (i32::try_from(y), u8::try_from(m)) {
        (Ok(y), Ok(m)) => i64::from(days_in_month(y, m)),
        _ => 0,
    }
}

/// `YYYY-MM-DD` of a day number.
pub fn format(day: i64) -> String {
    Ymd::from_days(day).to_string()
}

/// The first and last day of `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
pub fn parse_range(s: &str) -> Option<(i64, i64)> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<i64> {
        if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
            p.parse().ok()
        } else {
            None
        }
    };
    match parts.as_slice() {
        [y] => {
            let y = num(y, 4)?;
            Some((from_ymd(y, 1, 1)?, from_ymd(y, 12, 31)?))
        }
        [y, m] => {
            let (y, m) = (num(y, 4)?, num(m, 2)?);
            Some((from_ymd(y, m, 1)?, from_ymd(y, m, month_len(y, m))?))
        }
        [y, m, d] => {
            let day = from_ymd(num(y, 4)?, num(m, 2)?, num(d, 2)?)?;
            Some((day, day))
        }
        _ => None,
    }
}

/// The Monday starting the ISO week of a day.
pub fn week_start(day: i64) -> i64 {
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
    day - (day + 3).rem_euclid(7)
}

/// `year * 12 + month - 1` of a day: one integer per calendar month.
pub fn month_key(day: i64) -> i64 {
    let (y, m, _) = to_ymd(day);
    y * 12 + m - 1
}

/// `YYYY-MM` of a month key.
pub fn format_month(key: i64) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        assert_eq!(from_ymd(1970, 1, 1), Some(0));
        assert_eq!(from_ymd(2018, 3, 1), Some(17591));
        for day in [-719_162, -1, 0, 17591, 2_932_896] {
            let (y, m, d) = to_ymd(day);
            assert_eq!(from_ymd(y, m, d), Some(day));
        }
        assert_eq!(from_ymd(2018, 2, 29), None);
        assert_eq!(from_ymd(0, 1, 1), None);
    }

    #[test]
    fn ranges_weeks_and_months() {
        assert_eq!(
            parse_range("2018-02").map(|(a, b)| (format(a), format(b))),
            Some(("2018-02-01".into(), "2018-02-28".into()))
        );
        assert_eq!(parse_range("2016").map(|(a, b)| b - a), Some(365));
        assert_eq!(parse_range("2018-13-01"), None);
        assert_eq!(parse_range("18-01-01"), None);
        assert_eq!(parse_range("٢٠١٨"), None);
        let d = from_ymd(2018, 3, 4).unwrap(); // a Sunday
        assert_eq!(format(week_start(d)), "2018-02-26");
        assert_eq!(format_month(month_key(d)), "2018-03");
    }
}
