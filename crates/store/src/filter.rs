//! The WHERE clause of the listings, built once for documents, events, quotes and
//! claims so every filter escapes LIKE wildcards and reads date periods the same way,
//! on SQLite and on PostgreSQL.

/// A WHERE clause under construction: conditions joined by AND, with their
/// positional arguments.
#[derive(Debug, Default)]
pub struct Where {
    clauses: Vec<String>,
    args: Vec<String>,
    postgres: bool,
}

/// Escapes LIKE's wildcards and the escape character itself, for `ESCAPE '\'`.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The smallest string greater than every string that starts with `prefix`, or
/// `None` when there is none (empty, or the last char cannot be incremented).
/// `to = 2016-10` becomes `< 2016-11`-ish (`2016-1:`): it keeps `2016-10-31`.
pub fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

impl Where {
    /// A clause in PostgreSQL's words: `$n` placeholders, and `ILIKE` and
    /// `strpos` where SQLite's `LIKE` (case-insensitive) and `instr` are meant.
    pub fn postgres() -> Self {
        Where {
            postgres: true,
            ..Default::default()
        }
    }

    fn arg(&mut self, value: String) -> String {
        self.args.push(value);
        let mark = if self.postgres { '$' } else { '?' };
        format!("{mark}{}", self.args.len())
    }

    /// SQLite's `LIKE` ignores ASCII case; PostgreSQL's needs `ILIKE` for that.
    fn like(&self) -> &'static str {
        if self.postgres {
            "ILIKE"
        } else {
            "LIKE"
        }
    }

    /// `column` contains `value` (ASCII case-insensitive, wildcards literal).
    pub fn contains(&mut self, column: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            let p = self.arg(format!("%{}%", like_escape(v)));
            let like = self.like();
            self.clauses
                .push(format!("{column} {like} {p} ESCAPE '\\'"));
        }
        self
    }

    /// One of `columns` starts with `value` (ASCII case-insensitive, wildcards literal).
    pub fn starts_with_any(&mut self, columns: &[&str], value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            let p = self.arg(format!("{}%", like_escape(v)));
            let like = self.like();
            let any: Vec<String> = columns
                .iter()
                .map(|c| format!("{c} {like} {p} ESCAPE '\\'"))
                .collect();
            self.clauses.push(format!("({})", any.join(" OR ")));
        }
        self
    }

    /// A dyad: one of the two columns starts with `a` and the other with `b`
    /// (ASCII case-insensitive, wildcards literal), either way round.
    pub fn dyad(
        &mut self,
        first: &str,
        second: &str,
        a: Option<&str>,
        b: Option<&str>,
    ) -> &mut Self {
        if let (Some(a), Some(b)) = (a, b) {
            let pa = self.arg(format!("{}%", like_escape(a)));
            let pb = self.arg(format!("{}%", like_escape(b)));
            let like = self.like();
            self.clauses.push(format!(
                "(({first} {like} {pa} ESCAPE '\\' AND {second} {like} {pb} ESCAPE '\\') OR ({first} {like} {pb} ESCAPE '\\' AND {second} {like} {pa} ESCAPE '\\'))"
            ));
        }
        self
    }

    /// `column` starts with `value`, exactly (case-sensitive): a range, so the
    /// column's index serves it.
    pub fn prefix_range(&mut self, column: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            let lo = self.arg(v.to_string());
            match prefix_end(v) {
                Some(end) => {
                    let hi = self.arg(end);
                    self.clauses
                        .push(format!("{column} >= {lo} AND {column} < {hi}"));
                }
                None => self.clauses.push(format!("{column} >= {lo}")),
            }
        }
        self
    }

    pub fn equals(&mut self, column: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            let p = self.arg(v.to_string());
            self.clauses.push(format!("{column} = {p}"));
        }
        self
    }

    /// `instr(column, needle) > 0` over a column kept lowercased by the writer:
    /// Unicode case-insensitive, no wildcards at all.
    pub fn folded_contains(&mut self, column: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            let p = self.arg(v.to_lowercase());
            let find = if self.postgres { "strpos" } else { "instr" };
            self.clauses.push(format!("{find}({column}, {p}) > 0"));
        }
        self
    }

    /// A condition written in SQL; `{}` and `{0}` stand for `value`'s placeholder.
    pub fn raw(&mut self, clause: &str, value: Option<String>) -> &mut Self {
        let clause = match value {
            Some(v) => {
                let p = self.arg(v);
                clause.replace("{0}", &p).replace("{}", &p)
            }
            None => clause.to_string(),
        };
        self.clauses.push(clause);
        self
    }

    /// Date bounds: `from` inclusive; `to` inclusive of the whole period it names
    /// (a stored date that starts with `to` is inside it).
    pub fn period(&mut self, column: &str, from: Option<&str>, to: Option<&str>) -> &mut Self {
        if let Some(f) = from {
            let p = self.arg(f.to_string());
            self.clauses.push(format!("{column} >= {p}"));
        }
        if let Some(t) = to {
            match prefix_end(t) {
                Some(end) => {
                    let p = self.arg(end);
                    self.clauses.push(format!("{column} < {p}"));
                }
                None => {
                    let p = self.arg(t.to_string());
                    self.clauses.push(format!("{column} <= {p}"));
                }
            }
        }
        self
    }

    /// ` WHERE …` (empty when there is no condition).
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    pub fn args(&self) -> rusqlite::ParamsFromIter<std::slice::Iter<'_, String>> {
        rusqlite::params_from_iter(self.args.iter())
    }

    /// The arguments as PostgreSQL parameters (all text).
    pub fn pg_args(&self) -> Vec<&(dyn ::postgres::types::ToSql + Sync)> {
        self.args
            .iter()
            .map(|a| a as &(dyn ::postgres::types::ToSql + Sync))
            .collect()
    }
}

/// ` LIMIT n` or nothing.
pub fn limit(n: Option<usize>) -> String {
    n.map(|n| format!(" LIMIT {n}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rusqlite::Connection;

    fn matches(w: &Where, value: &str) -> bool {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (v TEXT)").unwrap();
        c.execute("INSERT INTO t VALUES (?1)", [value]).unwrap();
        let sql = format!("SELECT COUNT(*) FROM t{}", w.sql().replace("COL", "v"));
        c.query_row(&sql, w.args(), |r| r.get::<_, i64>(0)).unwrap() == 1
    }

    #[test]
    fn wildcards_are_literal() {
        let mut w = Where::default();
        w.contains("COL", Some("%"));
        assert!(!matches(&w, "example.org"));
        assert!(matches(&w, "100% news"));
        let mut w = Where::default();
        w.contains("COL", Some("a_c"));
        assert!(!matches(&w, "abc"));
        assert!(matches(&w, "xa_cx"));
        let mut w = Where::default();
        w.contains("COL", Some("\\"));
        assert!(!matches(&w, "plain"));
        assert!(matches(&w, "back\\slash"));
    }

    #[test]
    fn to_includes_the_whole_period() {
        for (to, inside, outside) in [
            ("2016", "2016-12-31", "2017-01-01"),
            ("2016-10", "2016-10-31", "2016-11-01"),
            ("2016-09", "2016-09-30", "2016-10-01"),
            ("2016-10-31", "2016-10-31", "2016-11-01"),
            ("2019-12", "2019-12-31", "2020-01-01"),
        ] {
            let mut w = Where::default();
            w.period("COL", None, Some(to));
            assert!(matches(&w, inside), "{to} keeps {inside}");
            assert!(!matches(&w, outside), "{to} drops {outside}");
        }
        let mut w = Where::default();
        w.period("COL", Some("2016-10"), None);
        assert!(matches(&w, "2016-10-01"));
        assert!(!matches(&w, "2016-09-30"));
    }

    proptest! {
        #[test]
        fn escaped_contains_is_substring(hay in "[a-z%_\\\\]{0,8}", needle in "[a-z%_\\\\]{1,3}") {
            let mut w = Where::default();
            w.contains("COL", Some(&needle));
            prop_assert_eq!(matches(&w, &hay), hay.contains(&needle));
        }

        #[test]
        fn prefix_end_bounds_every_extension(p in "[0-9-]{1,10}", tail in "[0-9-]{0,5}") {
            let end = prefix_end(&p).unwrap();
            let s = format!("{p}{tail}");
            prop_assert!(s < end);
            prop_assert!(p.as_str() < end.as_str());
        }
    }
}
