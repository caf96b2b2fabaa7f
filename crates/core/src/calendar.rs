//! The tabular (arithmetical) Islamic calendar for Hijri dates; the Gregorian day type [`Ymd`] and its arithmetic
//! live in `rasid_text::day` and are re-exported here.
//!
//! Hijri caveat: the tabular calendar (30-year cycle, leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29, civil
//! epoch 16 July 622 Julian) follows the mean lunar month; the calendars in use (Umm al-Qura, local moon
//! sighting) differ from it by up to one day, sometimes two. A converted Hijri date is therefore exact only to
//! ±1 day; dates.rs still reports it with day precision, as the source wrote a day.

pub use rasid_text::day::{days_in_month, is_leap, Ymd};

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
