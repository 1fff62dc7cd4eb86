//! Event listings with the filters the store's own do not take: a pair of
//! actors (either way round), a place and an outlet, applied to the store's
//! rows (`GET /api/v1/events` and `/merged-events`; the CLI's `events` takes
//! the store's filters alone).

use chronicle_store::{
    DocumentFilter, EventFilter, EventRow, MergedEventFilter, MergedEventRow, Store, StoreError,
};
use std::collections::HashSet;

/// Filters beyond the store's.
#[derive(Debug, Clone, Default)]
pub struct ExtraFilter {
    /// Two actor code prefixes: source one and target the other, either way round.
    pub pair: Option<(String, String)>,
    /// Substring of the place (case-insensitive).
    pub place: Option<String>,
    /// Substring of the outlet (case-insensitive).
    pub outlet: Option<String>,
}

impl ExtraFilter {
    pub fn is_empty(&self) -> bool {
        self.pair.is_none() && self.place.is_none() && self.outlet.is_none()
    }
}

fn pair_fits(pair: &(String, String), source: Option<&str>, target: Option<&str>) -> bool {
    let is = |code: Option<&str>, prefix: &str| code.is_some_and(|c| c.starts_with(prefix));
    (is(source, &pair.0) && is(target, &pair.1)) || (is(source, &pair.1) && is(target, &pair.0))
}

fn contains(hay: Option<&str>, needle: &str) -> bool {
    hay.is_some_and(|h| h.to_lowercase().contains(&needle.to_lowercase()))
}

/// Event mentions by date. `limit` counts rows after every filter.
pub fn events(
    store: &dyn Store,
    filter: &EventFilter,
    extra: &ExtraFilter,
    limit: Option<usize>,
) -> Result<Vec<EventRow>, StoreError> {
    let mut filter = filter.clone();
    if let (None, Some((a, b))) = (&filter.actor, &extra.pair) {
        // The store narrows to the dyad (ASCII case-insensitively); the pair
        // test keeps what the codes' exact prefixes say.
        filter.actor = Some(a.clone());
        filter.other = Some(b.clone());
    }
    if extra.is_empty() {
        filter.limit = limit;
        return store.events(&filter);
    }
    filter.limit = None;
    let outlet_docs: Option<HashSet<String>> = match &extra.outlet {
        Some(o) => Some(
            store
                .list(&DocumentFilter {
                    outlet: Some(o.clone()),
                    ..Default::default()
                })?
                .into_iter()
                .map(|d| d.id)
                .collect(),
        ),
        None => None,
    };
    let rows = store.events(&filter)?.into_iter().filter(|e| {
        extra
            .pair
            .as_ref()
            .is_none_or(|p| pair_fits(p, e.source_code.as_deref(), e.target_code.as_deref()))
            && extra
                .place
                .as_deref()
                .is_none_or(|p| contains(e.location.as_deref(), p))
            && outlet_docs.as_ref().is_none_or(|d| d.contains(&e.doc_id))
    });
    Ok(match limit {
        Some(n) => rows.take(n).collect(),
        None => rows.collect(),
    })
}

/// Merged events by date (with their mentions). `limit` counts rows after
/// every filter; an outlet fits when one of the mentions is from it.
pub fn merged_events(
    store: &dyn Store,
    filter: &MergedEventFilter,
    extra: &ExtraFilter,
    limit: Option<usize>,
) -> Result<Vec<MergedEventRow>, StoreError> {
    let mut filter = filter.clone();
    if let (None, Some((a, _))) = (&filter.actor, &extra.pair) {
        filter.actor = Some(a.clone());
    }
    if extra.is_empty() {
        filter.limit = limit;
        return store.merged_events(&filter);
    }
    filter.limit = None;
    let rows = store.merged_events(&filter)?.into_iter().filter(|e| {
        extra
            .pair
            .as_ref()
            .is_none_or(|p| pair_fits(p, e.source.as_deref(), e.target.as_deref()))
            && extra
                .place
                .as_deref()
                .is_none_or(|p| contains(e.place.as_deref(), p))
            && extra
                .outlet
                .as_deref()
                .is_none_or(|o| e.mentions.iter().any(|m| contains(m.outlet.as_deref(), o)))
    });
    Ok(match limit {
        Some(n) => rows.take(n).collect(),
        None => rows.collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_fit_either_way_round() {
        let p = ("USA".to_string(), "RUS".to_string());
        assert!(pair_fits(&p, Some("USAGOV"), Some("RUS")));
        assert!(pair_fits(&p, Some("RUSMIL"), Some("USA")));
        assert!(!pair_fits(&p, Some("USA"), Some("SYR")));
        assert!(!pair_fits(&p, None, Some("RUS")));
    }
}
