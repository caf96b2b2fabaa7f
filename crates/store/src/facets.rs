//! Event facets: the access path of filtered event pages.
//!
//! `event_facets` holds one row per event and facet, keyed `(facet, event_id)`, with the event's days beside
//! it: `*` (every event), `t:TYPE`, `c:COUNTRY` and `r:ROLE` (of the source or the target: one row even when
//! both sides share it) and `p:PLACE_KEY`. A page of events matching several filters is read along one facet
//! in event-id order (the rarest of the filter's facets, whose day columns answer the date filter without
//! touching the events), probing the others by key, and stops after the page is full: a filter on a country
//! OR-ed over two columns, a role, a type and a date range costs a few hundred key look-ups, not a sort of
//! every match.
//!
//! The rows are derived from the `events` row by [`insert_sql`] (when an event is created, when a merge fills
//! in a country or role, and by migration 2 for stores written before); they go with their event.

use crate::types::EventFilter;

/// The facet every event has.
pub(crate) const ALL: &str = "*";

/// `INSERT` of the facets of the events matching `cond` (SQL over `events` columns; `true` for all of them),
/// keeping rows already there.
pub(crate) fn insert_sql(cond: &str) -> String {
    let keys = [
        ("'*'", "true"),
        ("'t:' || type", "true"),
        ("'c:' || source_country", "source_country IS NOT NULL"),
        ("'c:' || target_country", "target_country IS NOT NULL"),
        ("'r:' || source_role", "source_role IS NOT NULL"),
        ("'r:' || target_role", "target_role IS NOT NULL"),
        ("'p:' || place_key", "place_key IS NOT NULL"),
    ];
    let selects: Vec<String> = keys
        .iter()
        .map(|(key, present)| format!("SELECT {key}, id, day_start, day_end FROM events WHERE ({cond}) AND {present}"))
        .collect();
    format!(
        "INSERT INTO event_facets (facet, event_id, day_start, day_end) {} ON CONFLICT (facet, event_id) DO NOTHING",
        selects.join(" UNION ")
    )
}

/// The facets of an event of type `kind` with these source and target countries and roles and place key: what
/// [`insert_sql`] derives from its row (a facet both sides share once).
pub(crate) fn keys(
    kind: &str,
    countries: [Option<&str>; 2],
    roles: [Option<&str>; 2],
    place: Option<&str>,
) -> Vec<String> {
    let mut keys: Vec<String> = vec![ALL.to_string(), type_facet(kind)];
    keys.extend(countries.into_iter().flatten().map(country_facet));
    keys.extend(roles.into_iter().flatten().map(role_facet));
    keys.extend(place.map(place_facet));
    keys.dedup();
    keys
}

/// The facet of events of PLOVER type `t`.
pub(crate) fn type_facet(t: &str) -> String {
    format!("t:{t}")
}

/// The facet of events with `c` as the source's or the target's country.
pub(crate) fn country_facet(c: &str) -> String {
    format!("c:{c}")
}

/// The facet of events with `r` as the source's or the target's role.
pub(crate) fn role_facet(r: &str) -> String {
    format!("r:{r}")
}

/// The facet of events at the place keyed `p`.
pub(crate) fn place_facet(p: &str) -> String {
    format!("p:{p}")
}

/// The facets an event must have to match `f` (types only when there is exactly one; several are probed, see
/// [`any_type`]).
pub(crate) fn required(f: &EventFilter) -> Vec<String> {
    let mut out = Vec::new();
    if let [t] = f.types.as_slice() {
        out.push(type_facet(t));
    }
    out.extend(f.country.as_deref().map(country_facet));
    out.extend(f.role.as_deref().map(role_facet));
    out.extend(f.place.as_deref().map(place_facet));
    out
}

/// The facets of which an event must have one to match `f`: its types when there are several, else none.
pub(crate) fn any_type(f: &EventFilter) -> Vec<String> {
    if f.types.len() > 1 {
        f.types.iter().map(|t| type_facet(t)).collect()
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_facets_follow_the_filter() {
        let f = EventFilter {
            types: vec!["ASSAULT".into()],
            country: Some("IRQ".into()),
            role: Some("MIL".into()),
            place: Some("بغداد".into()),
            ..EventFilter::default()
        };
        assert_eq!(required(&f), ["t:ASSAULT", "c:IRQ", "r:MIL", "p:بغداد"]);
        let f = EventFilter { types: vec!["ASSAULT".into(), "PROTEST".into()], ..EventFilter::default() };
        assert!(required(&f).is_empty());
    }

    #[test]
    fn facets_are_derived_from_the_events_row() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, type TEXT, source_country TEXT, target_country TEXT, \
             source_role TEXT, target_role TEXT, place_key TEXT, day_start INTEGER, day_end INTEGER); \
             CREATE TABLE event_facets (facet TEXT NOT NULL, event_id INTEGER NOT NULL, day_start INTEGER, \
             day_end INTEGER, PRIMARY KEY (facet, event_id)) WITHOUT ROWID; \
             INSERT INTO events VALUES (1, 'ASSAULT', 'IRQ', 'IRQ', 'MIL', NULL, NULL, 10, 10);",
        )
        .unwrap();
        let sql = crate::sql::sqlite_placeholders(&insert_sql("id = $1")).into_owned();
        c.execute(&sql, [1]).unwrap();
        c.execute(&sql, [1]).unwrap();
        let mut st = c.prepare("SELECT facet, day_start FROM event_facets ORDER BY facet").unwrap();
        let got: Vec<(String, i64)> =
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
        let want: Vec<(String, i64)> =
            ["*", "c:IRQ", "r:MIL", "t:ASSAULT"].iter().map(|k| (k.to_string(), 10)).collect();
        assert_eq!(got, want);
        // `keys` gives the same facets from the row's values (what a reprocess deletes an event's facets by).
        let mut row = super::keys("ASSAULT", [Some("IRQ"), Some("IRQ")], [Some("MIL"), None], None);
        row.sort();
        assert_eq!(row, want.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>());
        let mut row = super::keys("PROTEST", [Some("SYR"), Some("IRQ")], [None, Some("GOV")], Some("بغداد"));
        row.sort();
        assert_eq!(row, ["*", "c:IRQ", "c:SYR", "p:بغداد", "r:GOV", "t:PROTEST"]);
    }
}
