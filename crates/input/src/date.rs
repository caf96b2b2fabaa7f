//! Publication dates: validate `YYYY-MM-DD` (a real calendar day) and take the date part of a timestamp.

/// `s` if it is exactly a valid `YYYY-MM-DD` day.
pub fn parse_ymd(s: &str) -> Option<&str> {
    rasid_text::Ymd::parse_exact(s).map(|_| s)
}

/// The `YYYY-MM-DD` part of a date or timestamp (`2018-02-18`, `2018-02-18T10:00:00Z`, `2018-02-18 10:00`),
/// surrounding whitespace ignored; `None` for anything else.
pub fn date_part(s: &str) -> Option<&str> {
    let s = s.trim();
    if s.len() == 10 {
        return parse_ymd(s);
    }
    let sep = *s.as_bytes().get(10)?;
    if sep != b'T' && sep != b't' && sep != b' ' {
        return None;
    }
    // Index 10 is an ASCII byte, so 10 is a char boundary.
    parse_ymd(s.get(..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_ymd("2018-02-18"), Some("2018-02-18"));
        assert_eq!(parse_ymd("2020-02-29"), Some("2020-02-29"));
        assert_eq!(parse_ymd("2019-02-29"), None);
        assert_eq!(parse_ymd("1900-02-29"), None);
        assert_eq!(parse_ymd("2018-13-01"), None);
        assert_eq!(parse_ymd("2018-00-01"), None);
        assert_eq!(parse_ymd("2018-1-01"), None);
        assert_eq!(parse_ymd("18-02-2018"), None);
        assert_eq!(parse_ymd("٢٠١٨-٠٢-١٨"), None);
        assert_eq!(date_part("2018-02-18T10:00:00Z"), Some("2018-02-18"));
        assert_eq!(date_part(" 2018-02-18 10:00 "), Some("2018-02-18"));
        assert_eq!(date_part("2018-02-18X"), None);
        assert_eq!(date_part("yesterday"), None);
        assert_eq!(date_part("2018-02-1é"), None);
        assert_eq!(date_part(""), None);
    }
}
