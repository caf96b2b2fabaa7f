//! Reading: events with filters and cursor pages, one event with its mentions, articles, actors, timelines,
//! actor networks and full-text search. Every value is a bound parameter.

use crate::days;
use crate::error::StoreError;
use crate::facets;
use crate::fingerprint;
use crate::sql::{Backend, RowReader, Val};
use crate::types::*;
use crate::Store;

/// Columns of an [`EventRecord`], in the order [`read_event`] reads them.
const EVENT_COLUMNS: &str = "e.id, e.type, e.cameo, e.date, e.date_precision, e.day_start, e.day_end, \
    e.source_actor, e.source_name, e.source_country, e.source_role, e.target_actor, e.target_name, \
    e.target_country, e.target_role, e.place, e.place_country, e.lat, e.lon, e.killed, e.wounded, e.arrested, \
    e.participants, e.modality, e.negated, e.mentions, e.sources, e.independent, m.trigger_text, m.sentence_text, \
    a.id, a.ext_id, a.outlet, a.published, a.url";

const EVENT_FROM: &str =
    "FROM events e JOIN mentions m ON m.id = e.first_mention JOIN articles a ON a.id = m.article_id";

fn read_event(row: Vec<Val<'static>>) -> EventRecord {
    let mut r = RowReader::new(row);
    let id = r.i64();
    let kind = r.str();
    let cameo = r.opt_str();
    let date = r.opt_str();
    let date_precision = r.opt_str();
    let date_start = r.opt_i64().map(days::format);
    let date_end = r.opt_i64().map(days::format);
    EventRecord {
        id,
        kind,
        cameo,
        date,
        date_precision,
        date_start,
        date_end,
        source_actor_id: r.opt_str(),
        source_name: r.opt_str(),
        source_country: r.opt_str(),
        source_role: r.opt_str(),
        target_actor_id: r.opt_str(),
        target_name: r.opt_str(),
        target_country: r.opt_str(),
        target_role: r.opt_str(),
        place: r.opt_str(),
        place_country: r.opt_str(),
        lat: r.opt_f64(),
        lon: r.opt_f64(),
        killed: r.opt_u64(),
        wounded: r.opt_u64(),
        arrested: r.opt_u64(),
        participants: r.opt_u64(),
        modality: r.str(),
        negated: r.bool(),
        mentions: r.u64(),
        sources: r.u64(),
        independent_sources: r.u64(),
        trigger: r.str(),
        sentence: r.str(),
        article_id: r.i64(),
        article_ext_id: r.str(),
        outlet: r.opt_str(),
        published: r.opt_str(),
        url: r.opt_str(),
    }
}

/// A WHERE clause under construction: conditions joined by AND, values numbered `$1`, `$2` … in order.
struct Where {
    conds: Vec<String>,
    params: Vec<Val<'static>>,
}

impl Where {
    fn new() -> Where {
        Where { conds: Vec::new(), params: Vec::new() }
    }

    /// Binds a value and returns its placeholder.
    fn bind(&mut self, v: Val<'_>) -> String {
        self.params.push(v.into_owned());
        format!("${}", self.params.len())
    }

    fn sql(&self) -> String {
        if self.conds.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conds.join(" AND "))
        }
    }
}

/// The FTS match expression of a query: its stems, each quoted, all required.
fn fts5_query(q: &str) -> Option<String> {
    let terms = fingerprint::search_terms(q);
    if terms.is_empty() {
        return None;
    }
    // Each term in the index's spelling (`fts.rs`): a phrase of its tokens, as the tokenizer would split it.
    Some(
        terms
            .iter()
            .map(|t| format!("\"{}\"", crate::fts::index_text(t).replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

impl Store {
    /// The conditions on `events e` of a filter, led by its facets (`facets.rs`), the indexed access path: the
    /// events table itself has no index on the filtered columns.
    fn filter_where(&mut self, f: &EventFilter) -> Result<Where, StoreError> {
        let mut w = Where::new();
        let required = facets::required(f);
        for k in &required {
            let p = w.bind(k.as_str().into());
            w.conds.push(format!("e.id IN (SELECT event_id FROM event_facets WHERE facet = {p})"));
        }
        let any_type = facets::any_type(f);
        if !any_type.is_empty() {
            let ps: Vec<String> = any_type.into_iter().map(|k| w.bind(k.into())).collect();
            w.conds.push(format!("e.id IN (SELECT event_id FROM event_facets WHERE facet IN ({}))", ps.join(", ")));
        }
        if required.is_empty() && f.types.len() <= 1 && (f.from.is_some() || f.to.is_some()) {
            // Dates alone: the day columns of the `*` facet, not the wider event rows.
            let all = w.bind(facets::ALL.into());
            let mut days = format!("facet = {all}");
            if let Some(from) = f.from {
                days.push_str(&format!(" AND day_end >= {}", w.bind(from.into())));
            }
            if let Some(to) = f.to {
                days.push_str(&format!(" AND day_start <= {}", w.bind(to.into())));
            }
            w.conds.push(format!("e.id IN (SELECT event_id FROM event_facets WHERE {days})"));
        }
        if !f.types.is_empty() {
            let ps: Vec<String> = f.types.iter().map(|t| w.bind(t.as_str().into())).collect();
            w.conds.push(format!("e.type IN ({})", ps.join(", ")));
        }
        if let Some(c) = &f.country {
            let p = w.bind(c.as_str().into());
            w.conds.push(format!("(e.source_country = {p} OR e.target_country = {p})"));
        }
        if let Some(r) = &f.role {
            let p = w.bind(r.as_str().into());
            w.conds.push(format!("(e.source_role = {p} OR e.target_role = {p})"));
        }
        if let Some(a) = &f.actor {
            let id = w.bind(a.as_str().into());
            let like = w.bind(format!("%{}%", like_escape(a)).into());
            w.conds.push(format!(
                "(e.source_actor = {id} OR e.target_actor = {id} OR e.actor_text LIKE {like} ESCAPE '\\')"
            ));
        }
        if let Some(from) = f.from {
            let p = w.bind(from.into());
            w.conds.push(format!("e.day_end >= {p}"));
        }
        if let Some(to) = f.to {
            let p = w.bind(to.into());
            w.conds.push(format!("e.day_start <= {p}"));
        }
        if let Some(place) = &f.place {
            let p = w.bind(place.as_str().into());
            w.conds.push(format!("e.place_key = {p}"));
        }
        if let Some(text) = &f.text {
            self.text_cond(&mut w, text, "e.id")?;
        }
        Ok(w)
    }

    /// `id_expr` is the id of an event reported by an article containing every word of `text`.
    fn text_cond(&mut self, w: &mut Where, text: &str, id_expr: &str) -> Result<(), StoreError> {
        match self.conn.backend() {
            Backend::Sqlite => {
                let Some(q) = fts5_query(text) else {
                    return Err(StoreError::invalid("text", "no words to search for"));
                };
                let p = w.bind(q.into());
                w.conds.push(format!(
                    "{id_expr} IN (SELECT mm.event_id FROM mentions mm WHERE mm.article_id IN \
                     (SELECT rowid FROM articles_fts WHERE articles_fts MATCH {p}))"
                ));
            }
            Backend::Postgres => {
                let terms = fingerprint::search_terms(text);
                if terms.is_empty() {
                    return Err(StoreError::invalid("text", "no words to search for"));
                }
                let p = w.bind(terms.join(" ").into());
                w.conds.push(format!(
                    "{id_expr} IN (SELECT mm.event_id FROM mentions mm WHERE mm.article_id IN \
                     (SELECT aa.id FROM articles aa WHERE aa.fts @@ plainto_tsquery('simple', {p})))"
                ));
            }
        }
        Ok(())
    }

    /// Of the facets `keys`, the one with the fewest events (counted up to a cap, so the choice stays cheap).
    fn rarest_facet(&mut self, keys: &[String]) -> Result<String, StoreError> {
        if keys.len() < 2 {
            return Ok(keys.first().map_or_else(|| facets::ALL.to_string(), Clone::clone));
        }
        let mut best: Option<(i64, &String)> = None;
        for k in keys {
            let n = self.conn.query_i64(
                "SELECT count(*) FROM (SELECT 1 FROM event_facets WHERE facet = $1 LIMIT 20000) t",
                &[k.as_str().into()],
            )?;
            if best.is_none_or(|(m, _)| n < m) {
                best = Some((n, k));
            }
        }
        Ok(best.map_or_else(|| facets::ALL.to_string(), |(_, k)| k.clone()))
    }

    /// The ids of one page of events matching `f`: read along the rarest required facet in id order, the other
    /// facets probed by key, the page's limit pushed down (see `facets.rs`).
    fn page_ids(
        &mut self,
        f: &EventFilter,
        after_id: Option<i64>,
        limit: usize,
    ) -> Result<(String, Vec<Val<'static>>), StoreError> {
        let mut w = Where::new();
        let required = facets::required(f);
        let driver = self.rarest_facet(&required)?;
        let p = w.bind(driver.as_str().into());
        w.conds.push(format!("f.facet = {p}"));
        if let Some(after) = after_id {
            let p = w.bind(after.into());
            w.conds.push(format!("f.event_id > {p}"));
        }
        if let Some(from) = f.from {
            let p = w.bind(from.into());
            w.conds.push(format!("f.day_end >= {p}"));
        }
        if let Some(to) = f.to {
            let p = w.bind(to.into());
            w.conds.push(format!("f.day_start <= {p}"));
        }
        for k in required.iter().filter(|k| **k != driver) {
            let p = w.bind(k.as_str().into());
            w.conds
                .push(format!("EXISTS (SELECT 1 FROM event_facets g WHERE g.facet = {p} AND g.event_id = f.event_id)"));
        }
        let any_type = facets::any_type(f);
        if !any_type.is_empty() {
            let ps: Vec<String> = any_type.into_iter().map(|k| w.bind(k.into())).collect();
            w.conds.push(format!(
                "EXISTS (SELECT 1 FROM event_facets g WHERE g.facet IN ({}) AND g.event_id = f.event_id)",
                ps.join(", ")
            ));
        }
        if let Some(a) = &f.actor {
            let id = w.bind(a.as_str().into());
            let like = w.bind(format!("%{}%", like_escape(a)).into());
            w.conds.push(format!(
                "EXISTS (SELECT 1 FROM events x WHERE x.id = f.event_id AND (x.source_actor = {id} OR \
                 x.target_actor = {id} OR x.actor_text LIKE {like} ESCAPE '\\'))"
            ));
        }
        if let Some(text) = &f.text {
            self.text_cond(&mut w, text, "f.event_id")?;
        }
        let lim = w.bind(limit.into());
        let sql = format!("SELECT f.event_id FROM event_facets f {} ORDER BY f.event_id LIMIT {lim}", w.sql());
        Ok((sql, w.params))
    }

    /// Merged events matching `f`, in id order, one page at a time.
    pub fn events(&mut self, f: &EventFilter, page: &PageRequest) -> Result<Page<EventRecord>, StoreError> {
        let limit = page.limit.clamp(1, 1000);
        let (ids, params) = self.page_ids(f, page.after_id, limit + 1)?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM ({ids}) k JOIN events e ON e.id = k.event_id \
             JOIN mentions m ON m.id = e.first_mention JOIN articles a ON a.id = m.article_id ORDER BY e.id"
        );
        let mut items: Vec<EventRecord> = self.conn.query(&sql, &params)?.into_iter().map(read_event).collect();
        let more = items.len() > limit;
        items.truncate(limit);
        let next_after = if more { items.last().map(|e| e.id) } else { None };
        Ok(Page { items, next_after })
    }

    /// Calls `each` on every merged event matching `f`, in id order (for exports), reading pages of 1000.
    pub fn for_each_event(
        &mut self,
        f: &EventFilter,
        mut each: impl FnMut(&EventRecord) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut page = PageRequest { after_id: None, limit: 1000 };
        let mut n = 0;
        loop {
            let p = self.events(f, &page)?;
            for e in &p.items {
                each(e)?;
                n += 1;
            }
            match p.next_after {
                Some(after) => page.after_id = Some(after),
                None => return Ok(n),
            }
        }
    }

    /// One merged event with its mentions (article, sentence, trigger) and outlets.
    pub fn event(&mut self, id: i64) -> Result<Option<EventDetail>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} {EVENT_FROM} WHERE e.id = $1");
        let Some(row) = self.conn.query_opt(&sql, &[id.into()])? else { return Ok(None) };
        let event = read_event(row);
        let rows = self.conn.query(
            "SELECT m.id, a.id, a.ext_id, a.title, a.outlet, a.published, a.url, m.sentence, m.sentence_text, \
             m.trigger_start, m.trigger_end, m.trigger_text, m.rule, m.source_text, m.target_text, m.date, m.place, \
             m.modality, m.negated, m.attribution FROM mentions m JOIN articles a ON a.id = m.article_id \
             WHERE m.event_id = $1 ORDER BY m.id",
            &[id.into()],
        )?;
        let mentions: Vec<MentionRecord> = rows
            .into_iter()
            .map(|row| {
                let mut r = RowReader::new(row);
                MentionRecord {
                    id: r.i64(),
                    article_id: r.i64(),
                    article_ext_id: r.str(),
                    title: r.opt_str(),
                    outlet: r.opt_str(),
                    published: r.opt_str(),
                    url: r.opt_str(),
                    sentence: r.u64() as usize,
                    sentence_text: r.str(),
                    trigger_start: r.u64() as usize,
                    trigger_end: r.u64() as usize,
                    trigger: r.str(),
                    rule: r.str(),
                    source_text: r.opt_str(),
                    target_text: r.opt_str(),
                    date: r.opt_str(),
                    place: r.opt_str(),
                    modality: r.str(),
                    negated: r.bool(),
                    attribution: r.str(),
                }
            })
            .collect();
        let mut outlets: Vec<String> = mentions.iter().filter_map(|m| m.outlet.clone()).collect();
        outlets.sort();
        outlets.dedup();
        Ok(Some(EventDetail { event, mentions, outlets }))
    }

    /// One stored article: metadata, original text and rasid's document.
    pub fn article(&mut self, id: i64) -> Result<Option<ArticleRecord>, StoreError> {
        let Some(row) = self.conn.query_opt(
            "SELECT id, ext_id, title, published, outlet, url, lang, content_hash, dup_of, dup_similarity, text, document \
             FROM articles WHERE id = $1",
            &[id.into()],
        )?
        else {
            return Ok(None);
        };
        let mut r = RowReader::new(row);
        let (id, ext_id, title, published, outlet, url, lang) =
            (r.i64(), r.str(), r.opt_str(), r.opt_str(), r.opt_str(), r.opt_str(), r.opt_str());
        let (content_hash, duplicate_of, duplicate_similarity) = (r.str(), r.opt_i64(), r.opt_f64());
        let (text, stored) = (r.str(), r.bytes());
        let document = crate::doccodec::decode_value(&stored, &text)?;
        Ok(Some(ArticleRecord {
            id,
            ext_id,
            title,
            published,
            outlet,
            url,
            lang,
            content_hash,
            duplicate_of,
            duplicate_similarity,
            text,
            document,
        }))
    }

    /// Actors whose id or normalised name contains `q` (all when empty), most events first.
    pub fn actors(&mut self, q: &str, limit: usize) -> Result<Vec<ActorSummary>, StoreError> {
        let q = q.trim();
        if q.len() > 200 {
            return Err(StoreError::invalid("q", "longer than 200 bytes"));
        }
        let like = format!("%{}%", like_escape(&rasid_text::normalize(q)));
        let rows = self.conn.query(
            "SELECT x.id, x.name, x.country, x.role, \
             (SELECT count(*) FROM events e WHERE e.source_actor = x.id) + \
             (SELECT count(*) FROM events e WHERE e.target_actor = x.id) AS n \
             FROM actors x WHERE x.norm_name LIKE $1 ESCAPE '\\' OR x.id = $2 ORDER BY n DESC, x.id LIMIT $3",
            &[like.into(), q.into(), limit.clamp(1, 1000).into()],
        )?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut r = RowReader::new(row);
                ActorSummary { id: r.str(), name: r.str(), country: r.opt_str(), role: r.opt_str(), events: r.u64() }
            })
            .collect())
    }

    /// Events per bucket and type. An event counts in the bucket of its first day when its date is no coarser
    /// than the bucket (a month-precise date is left out of a weekly timeline).
    pub fn timeline(&mut self, f: &EventFilter, by: Bucket) -> Result<Vec<TimelinePoint>, StoreError> {
        let mut w = self.filter_where(f)?;
        let (key, span) = match by {
            Bucket::Day => ("e.day_start", 0),
            Bucket::Week => ("e.week", 6),
            Bucket::Month => ("e.month", 30),
        };
        w.conds.push("e.day_start IS NOT NULL".into());
        let p = w.bind(Val::Int(span));
        w.conds.push(format!("e.day_end - e.day_start <= {p}"));
        let sql = format!(
            "SELECT {key}, e.type, count(*), CAST(sum(e.sources) AS BIGINT) {EVENT_FROM} {} GROUP BY {key}, e.type ORDER BY {key}, e.type",
            w.sql()
        );
        Ok(self
            .conn
            .query(&sql, &w.params)?
            .into_iter()
            .map(|row| {
                let mut r = RowReader::new(row);
                let k = r.i64();
                let bucket = match by {
                    Bucket::Month => days::format_month(k),
                    _ => days::format(k),
                };
                TimelinePoint { bucket, kind: r.str(), events: r.u64(), sources: r.u64() }
            })
            .collect())
    }

    /// Source → target pairs of the events matching `f`, heaviest first. An actor is its id, else its
    /// country and role codes (`IRQMIL`); events with an unknown side are left out.
    pub fn network(&mut self, f: &EventFilter, limit: usize) -> Result<Vec<ActorEdge>, StoreError> {
        let mut w = self.filter_where(f)?;
        let src = "COALESCE(e.source_actor, COALESCE(e.source_country, '') || COALESCE(e.source_role, ''))";
        let tgt = "COALESCE(e.target_actor, COALESCE(e.target_country, '') || COALESCE(e.target_role, ''))";
        w.conds.push(format!("{src} <> ''"));
        w.conds.push(format!("{tgt} <> ''"));
        let lim = w.bind(limit.clamp(1, 10_000).into());
        let sql = format!(
            "SELECT {src} AS s, min(e.source_name), {tgt} AS t, min(e.target_name), count(*) AS n {EVENT_FROM} {} \
             GROUP BY {src}, {tgt} ORDER BY n DESC, s, t LIMIT {lim}",
            w.sql()
        );
        Ok(self
            .conn
            .query(&sql, &w.params)?
            .into_iter()
            .map(|row| {
                let mut r = RowReader::new(row);
                ActorEdge {
                    source: r.str(),
                    source_name: r.opt_str(),
                    target: r.str(),
                    target_name: r.opt_str(),
                    events: r.u64(),
                }
            })
            .collect())
    }

    /// Articles containing every word of `q` (after Arabic normalisation and clitic splitting), best first.
    pub fn search(&mut self, q: &str, limit: usize) -> Result<Vec<ArticleHit>, StoreError> {
        if q.len() > 500 {
            return Err(StoreError::invalid("q", "longer than 500 bytes"));
        }
        let limit = limit.clamp(1, 1000);
        let rows = match self.conn.backend() {
            Backend::Sqlite => {
                let Some(expr) = fts5_query(q) else { return Ok(Vec::new()) };
                self.conn.query(
                    "SELECT a.id, a.ext_id, a.title, a.published, a.outlet, a.url, substr(a.text, 1, 200), -f.rank \
                     FROM (SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH $1 ORDER BY rank LIMIT $2) f \
                     JOIN articles a ON a.id = f.rowid ORDER BY f.rank",
                    &[expr.into(), limit.into()],
                )?
            }
            Backend::Postgres => {
                let terms = fingerprint::search_terms(q);
                if terms.is_empty() {
                    return Ok(Vec::new());
                }
                self.conn.query(
                    "SELECT a.id, a.ext_id, a.title, a.published, a.outlet, a.url, substr(a.text, 1, 200), \
                     ts_rank(a.fts, plainto_tsquery('simple', $1))::float8 AS score FROM articles a \
                     WHERE a.fts @@ plainto_tsquery('simple', $1) ORDER BY score DESC, a.id LIMIT $2",
                    &[terms.join(" ").into(), limit.into()],
                )?
            }
        };
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut r = RowReader::new(row);
                ArticleHit {
                    id: r.i64(),
                    ext_id: r.str(),
                    title: r.opt_str(),
                    published: r.opt_str(),
                    outlet: r.opt_str(),
                    url: r.opt_str(),
                    snippet: r.str(),
                    score: r.opt_f64().unwrap_or(0.0),
                }
            })
            .collect())
    }

    /// Schema version, generation and row counts.
    pub fn info(&mut self) -> Result<DbInfo, StoreError> {
        let mut count = |sql: &str| -> Result<u64, StoreError> { Ok(self.conn.query_i64(sql, &[])?.max(0) as u64) };
        let articles = count("SELECT count(*) FROM articles")?;
        let near_duplicates = count("SELECT count(*) FROM articles WHERE dup_of IS NOT NULL")?;
        let sentences = count("SELECT count(*) FROM sentences")?;
        let entities = count("SELECT count(*) FROM entities")?;
        let actors = count("SELECT count(*) FROM actors")?;
        let events = count("SELECT count(*) FROM events")?;
        let mentions = count("SELECT count(*) FROM mentions")?;
        let corroborated_events = count("SELECT count(*) FROM events WHERE sources > 1")?;
        let range = self.conn.query_opt("SELECT min(day_start), max(day_start) FROM events", &[])?;
        let (first_day, last_day) = match range {
            Some(row) => {
                let mut r = RowReader::new(row);
                (r.opt_i64().map(days::format), r.opt_i64().map(days::format))
            }
            None => (None, None),
        };
        let schema_version =
            crate::schema::get_meta(&mut self.conn, "schema_version")?.and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(DbInfo {
            backend: match self.conn.backend() {
                Backend::Sqlite => "sqlite".into(),
                Backend::Postgres => "postgres".into(),
            },
            schema_version,
            generation: self.generation()?,
            articles,
            near_duplicates,
            sentences,
            entities,
            actors,
            events,
            mentions,
            corroborated_events,
            first_day,
            last_day,
        })
    }
}

impl Store {
    /// Consistency problems, one line each (none on a healthy store): an article whose stored sentences, entities
    /// or mentions do not match its document, an event without mentions or whose counts disagree with them.
    /// Reads every article's document: a full scan.
    pub fn check(&mut self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let mut after = 0i64;
        loop {
            let rows = self.conn.query(
                "SELECT a.id, a.text, a.document, (SELECT count(*) FROM sentences s WHERE s.article_id = a.id), \
                 (SELECT count(*) FROM entities x WHERE x.article_id = a.id), \
                 (SELECT count(*) FROM mentions m WHERE m.article_id = a.id) FROM articles a WHERE a.id > $1 \
                 ORDER BY a.id LIMIT 500",
                &[after.into()],
            )?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let mut r = RowReader::new(row);
                let (id, text, doc) = (r.i64(), r.str(), r.bytes());
                after = id;
                let stored = (r.u64(), r.u64(), r.u64());
                let doc = crate::doccodec::decode(&doc, &text)?;
                let expected = (doc.sentences.len() as u64, doc.entities.len() as u64, doc.events.len() as u64);
                if stored != expected {
                    problems.push(format!(
                        "article {id}: stored sentences/entities/mentions {stored:?}, its document has {expected:?}"
                    ));
                }
            }
        }
        let bad = self.conn.query(
            "SELECT e.id, e.mentions, e.sources, count(m.id), count(DISTINCT m.article_id) FROM events e \
             LEFT JOIN mentions m ON m.event_id = e.id GROUP BY e.id, e.mentions, e.sources \
             HAVING count(m.id) = 0 OR count(m.id) <> e.mentions OR count(DISTINCT m.article_id) <> e.sources \
             ORDER BY e.id LIMIT 100",
            &[],
        )?;
        for row in bad {
            let mut r = RowReader::new(row);
            let (id, n, s, real_n, real_s) = (r.i64(), r.i64(), r.i64(), r.i64(), r.i64());
            problems.push(format!("event {id}: says {n} mention(s) from {s} article(s), has {real_n} from {real_s}"));
        }
        let orphans = self.conn.query_i64(
            "SELECT count(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id)",
            &[],
        )?;
        if orphans > 0 {
            problems.push(format!("{orphans} mention(s) of missing events"));
        }
        let unfaceted = self.conn.query_i64(
            "SELECT count(*) FROM events e WHERE NOT EXISTS \
             (SELECT 1 FROM event_facets f WHERE f.facet = '*' AND f.event_id = e.id)",
            &[],
        )?;
        if unfaceted > 0 {
            problems.push(format!("{unfaceted} event(s) missing from event_facets"));
        }
        let stale = self.conn.query_i64(
            "SELECT count(*) FROM event_facets f WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = f.event_id)",
            &[],
        )?;
        if stale > 0 {
            problems.push(format!("{stale} facet row(s) of missing events"));
        }
        Ok(problems)
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_and_fts_queries_are_escaped() {
        assert_eq!(like_escape("a%b_c\\"), "a\\%b\\_c\\\\");
        assert_eq!(fts5_query("بالقاهرة").as_deref(), Some("\"قاهره\""));
        assert_eq!(fts5_query("\" OR *").as_deref(), Some("\"or\""));
        assert_eq!(fts5_query("* ( )"), None);
    }
}
