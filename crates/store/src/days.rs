//! Calendar days as integers (days since 1970-01-01, proleptic Gregorian) and back, for date filters and buckets.

/// Days since 1970-01-01 of a civil date; `None` outside years 1–9999 or for an impossible day.
pub fn from_ymd(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > month_len(y, m) {
        return None;
    }
    // Days from civil (era-based algorithm on a March-based year).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The civil date of a day number.
pub fn to_ymd(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn month_len(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD` of a day number.
pub fn format(day: i64) -> String {
    let (y, m, d) = to_ymd(day);
    format!("{y:04}-{m:02}-{d:02}")
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
