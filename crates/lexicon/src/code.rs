//! Actor codes: ISO-3 countries, the closed CAMEO role set, combined codes (`IRQGOVLEG`) and calendar days.

use std::fmt;

macro_rules! roles {
    ($($name:ident = $doc:literal),* $(,)?) => {
        /// A CAMEO actor role: the closed set documented in `data/README.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role {
            $(#[doc = $doc] $name,)*
        }

        impl Role {
            /// Every role, in declaration order.
            pub const ALL: &'static [Role] = &[$(Role::$name,)*];

            /// The three-letter code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Role::$name => stringify!($name),)*
                }
            }

            /// What the role means, in a few words.
            pub fn describe(self) -> &'static str {
                match self {
                    $(Role::$name => $doc,)*
                }
            }

            /// Parses a three-letter code (upper case).
            pub fn parse(s: &str) -> Option<Role> {
                match s {
                    $(stringify!($name) => Some(Role::$name),)*
                    _ => None,
                }
            }
        }
    };
}

roles! {
    GOV = "government",
    MIL = "military",
    REB = "rebels",
    OPP = "political opposition",
    CVL = "civilians",
    COP = "police",
    UAF = "unaffiliated armed forces, militias",
    PTY = "political party",
    JUD = "judiciary",
    LEG = "legislature",
    MED = "media",
    EDU = "education",
    REL = "religious",
    BUS = "business",
    IGO = "intergovernmental organisation",
    NGO = "non-governmental organisation",
    NGM = "non-governmental movement",
    SPY = "intelligence services",
    LAB = "labour",
    AGR = "agriculture",
    CRM = "criminals",
    DEV = "development",
    HLH = "health",
    REF = "refugees, displaced people",
    SEP = "separatists",
    MOD = "moderates",
    RAD = "radicals",
    IMG = "international militarised group",
    ELI = "elites, former officials",
    ENV = "environment",
    INS = "insurgents",
    HRI = "human rights",
    SET = "settlers",
    UIS = "unidentified state actor",
    MNC = "multinational corporation",
}

impl Role {
    /// Whether the role names a non-state international actor that CAMEO and PLOVER code in the country slot
    /// (PLOVER manual, "Non-state international actors": `IGO`, `NGO`, `IMG`, `MNC`; CAMEO writes the UN as
    /// `IGOUNO`, al-Qaeda as `IMG…`).
    pub fn is_transnational(self) -> bool {
        matches!(self, Role::IGO | Role::NGO | Role::IMG | Role::MNC)
    }
}

/// The country and role fields an actor is reported with, in the field's convention: a country-less actor whose
/// role is transnational ([`Role::is_transnational`]) has that code as its country and no role (the UN: country
/// `IGO`, where the lexicon writes the role `IGO`); everything else as it is.
pub fn reported_slots(country: Option<Country>, role: Option<Role>) -> (Option<String>, Option<String>) {
    match (country, role) {
        (None, Some(r)) if r.is_transnational() => (Some(r.as_str().to_string()), None),
        (c, r) => (c.map(|c| c.as_str().to_string()), r.map(|r| r.as_str().to_string())),
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An ISO 3166-1 alpha-3 country code (upper-case ASCII). Whether it is a known country is up to the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(pub [u8; 3]);

impl Country {
    /// Three upper-case ASCII letters, or `None`.
    pub fn parse(s: &str) -> Option<Country> {
        let b = s.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Some(Country([b[0], b[1], b[2]]))
        } else {
            None
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ever built from three ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A combined actor code: optional country, then up to two roles (`IRQGOV`, `IGO`, `LBNPTYLEG`, `PSE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Code {
    pub country: Option<Country>,
    pub role: Option<Role>,
    pub role2: Option<Role>,
}

/// Why a code string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("code `{0}` is not a sequence of three-letter upper-case parts")]
    Shape(String),
    #[error("unknown country `{0}`")]
    UnknownCountry(String),
    #[error("unknown role `{0}`")]
    UnknownRole(String),
    #[error("code `{0}` has more than two roles")]
    TooManyRoles(String),
}

impl Code {
    /// Parses `CCCRRRRRR`: a first part that is not a role must be a country known to `is_country`.
    pub fn parse(s: &str, is_country: impl Fn(Country) -> bool) -> Result<Code, CodeError> {
        if s.is_empty() || s.len() % 3 != 0 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CodeError::Shape(s.to_string()));
        }
        let mut code = Code::default();
        for (i, part) in s.as_bytes().chunks(3).enumerate() {
            let part = std::str::from_utf8(part).map_err(|_| CodeError::Shape(s.to_string()))?;
            if let Some(role) = Role::parse(part) {
                if code.role.is_none() {
                    code.role = Some(role);
                } else if code.role2.is_none() {
                    code.role2 = Some(role);
                } else {
                    return Err(CodeError::TooManyRoles(s.to_string()));
                }
            } else if i == 0 {
                let c = Country::parse(part).ok_or_else(|| CodeError::Shape(s.to_string()))?;
                if !is_country(c) {
                    return Err(CodeError::UnknownCountry(part.to_string()));
                }
                code.country = Some(c);
            } else {
                return Err(CodeError::UnknownRole(part.to_string()));
            }
        }
        Ok(code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<&str> = Vec::with_capacity(3);
        if let Some(c) = &self.country {
            parts.push(c.as_str());
        }
        if let Some(r) = self.role {
            parts.push(r.as_str());
        }
        if let Some(r) = self.role2 {
            parts.push(r.as_str());
        }
        if parts.is_empty() {
            f.write_str("-")
        } else {
            f.write_str(&parts.join(" "))
        }
    }
}

pub use rasid_text::day::{DateError, Ymd};

/// A code valid between two days (inclusive); an open end is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedCode {
    pub code: Code,
    pub from: Option<Ymd>,
    pub to: Option<Ymd>,
}

impl DatedCode {
    /// Whether the code holds on `day`.
    pub fn covers(&self, day: Ymd) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }

    /// Whether neither end is given.
    pub fn is_undated(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }
}

impl fmt::Display for DatedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if !self.is_undated() {
            f.write_str(" ")?;
            if let Some(d) = self.from {
                write!(f, "{d}")?;
            }
            f.write_str("..")?;
            if let Some(d) = self.to {
                write!(f, "{d}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        let known = |c: Country| c.as_str() == "IRQ" || c.as_str() == "LBN";
        let c = Code::parse("IRQGOV", known).unwrap();
        assert_eq!(c.country.unwrap().as_str(), "IRQ");
        assert_eq!(c.role, Some(Role::GOV));
        let c = Code::parse("LBNPTYLEG", known).unwrap();
        assert_eq!((c.role, c.role2), (Some(Role::PTY), Some(Role::LEG)));
        let c = Code::parse("IGO", known).unwrap();
        assert_eq!((c.country, c.role), (None, Some(Role::IGO)));
        assert_eq!(Code::parse("XYZGOV", known), Err(CodeError::UnknownCountry("XYZ".into())));
        assert_eq!(Code::parse("IRQXYZ", known), Err(CodeError::UnknownRole("XYZ".into())));
        assert!(matches!(Code::parse("IRQGO", known), Err(CodeError::Shape(_))));
        assert!(matches!(Code::parse("GOVMILREB", known), Err(CodeError::TooManyRoles(_))));
    }

    #[test]
    fn transnational_roles_are_reported_in_the_country_slot() {
        let iraq = Country::parse("IRQ");
        assert_eq!(reported_slots(None, Some(Role::IGO)), (Some("IGO".to_string()), None));
        assert_eq!(reported_slots(None, Some(Role::IMG)), (Some("IMG".to_string()), None));
        assert_eq!(reported_slots(None, Some(Role::GOV)), (None, Some("GOV".to_string())));
        assert_eq!(reported_slots(iraq, Some(Role::GOV)), (Some("IRQ".to_string()), Some("GOV".to_string())));
        assert_eq!(reported_slots(iraq, None), (Some("IRQ".to_string()), None));
        assert_eq!(reported_slots(None, None), (None, None));
    }

    #[test]
    fn dated_code_covers() {
        let day = |s: &str| s.parse::<Ymd>().unwrap();
        let d = DatedCode { code: Code::default(), from: Some(day("2005-04-07")), to: Some(day("2014-07-24")) };
        assert!(d.covers(day("2005-04-07")) && d.covers(day("2014-07-24")) && !d.covers(day("2014-07-25")));
        assert_eq!(d.to_string(), "- 2005-04-07..2014-07-24");
    }
}
