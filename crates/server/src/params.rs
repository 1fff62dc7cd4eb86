//! Query-string parsing and paging. Every parameter arrives as text and is
//! checked here, so a bad value is a 400 naming that parameter, never a silently
//! empty or unfiltered answer. Values reach the store only as bound parameters
//! of its typed filters: no SQL is built from them.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// `Query<T>` whose failures (an unknown parameter, a repeated one) are JSON 400s.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => {
                let text = rejection.body_text();
                // serde names the field between backquotes: "unknown field `foo`, expected …".
                let parameter = text
                    .split('`')
                    .nth(1)
                    .filter(|p| p.len() <= 64)
                    .unwrap_or("query")
                    .to_string();
                Err(ApiError::bad_parameter(&parameter, text))
            }
        }
    }
}

/// A date bound (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date).
pub fn date(name: &str, value: Option<&str>) -> Result<Option<String>, ApiError> {
    value
        .map(|v| {
            chronicle_engine::query::params::date_bound(v)
                .map_err(|e| ApiError::bad_parameter(name, e))
        })
        .transpose()
}

/// `from` and `to` as a range: both dates, `from` not after `to`.
pub fn date_range(
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(Option<String>, Option<String>), ApiError> {
    let from = date("from", from)?;
    let to = date("to", to)?;
    chronicle_engine::query::params::check_range(from.as_deref(), to.as_deref())
        .map_err(|e| ApiError::bad_parameter("from", e))?;
    Ok((from, to))
}

/// Free text used as a substring filter: bounded in length, no control characters.
pub fn text(name: &str, value: Option<&str>) -> Result<Option<String>, ApiError> {
    match value {
        None => Ok(None),
        Some("") => Ok(None),
        Some(v) if v.chars().count() > 200 => Err(ApiError::bad_parameter(
            name,
            format!("{name} is longer than 200 characters"),
        )),
        Some(v) if v.chars().any(char::is_control) => Err(ApiError::bad_parameter(
            name,
            format!("{name} contains control characters"),
        )),
        Some(v) => Ok(Some(v.to_string())),
    }
}

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub offset: usize,
    pub limit: usize,
    /// Ties a cursor to the query that issued it.
    fingerprint: u64,
}

/// A cursor never points further than this: deeper paging is refused rather
/// than read and skipped.
pub const MAX_OFFSET: usize = 100_000;

impl PageRequest {
    /// Reads `limit` and `cursor`. `query` is what the answer depends on (the
    /// path and every other parameter), so a cursor from another query is a 400.
    pub fn parse(
        limit: Option<&str>,
        cursor: Option<&str>,
        query: &str,
        default: usize,
        max: usize,
    ) -> Result<Self, ApiError> {
        let limit = match limit {
            None => default,
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_parameter(
                        "limit",
                        format!("limit {l:?} is not a whole number from 1 to {max}"),
                    ))
                }
            },
        };
        let fingerprint = fnv1a(query.as_bytes());
        let offset = match cursor {
            None | Some("") => 0,
            Some(c) => decode_cursor(c, fingerprint)?,
        };
        Ok(PageRequest {
            offset,
            limit,
            fingerprint,
        })
    }

    /// Rows to read to answer this page and know whether another follows.
    pub fn rows_needed(&self) -> usize {
        self.offset + self.limit + 1
    }

    /// This page of `rows` (all rows from the start) and the next page's cursor.
    pub fn cut<T>(&self, rows: Vec<T>) -> (Vec<T>, Option<String>) {
        let (range, next) = self.window(rows.len());
        let items: Vec<T> = rows
            .into_iter()
            .skip(range.start)
            .take(range.len())
            .collect();
        (items, next)
    }

    /// The positions of this page among `total` rows, and the next page's cursor.
    pub fn window(&self, total: usize) -> (std::ops::Range<usize>, Option<String>) {
        let end = (self.offset + self.limit).min(total);
        let more = total > self.offset + self.limit;
        let next = (more && self.offset + self.limit <= MAX_OFFSET)
            .then(|| encode_cursor(self.offset + self.limit, self.fingerprint));
        (self.offset.min(end)..end, next)
    }
}

fn encode_cursor(offset: usize, fingerprint: u64) -> String {
    format!("{fingerprint:016x}{offset:08x}")
}

fn decode_cursor(c: &str, fingerprint: u64) -> Result<usize, ApiError> {
    let bad = |why: &str| ApiError::bad_parameter("cursor", format!("cursor {c:?} {why}"));
    if c.len() != 24 || !c.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("is not a cursor this server gave"));
    }
    let (f, o) = c.split_at(16);
    let f = u64::from_str_radix(f, 16).map_err(|_| bad("is not a cursor this server gave"))?;
    let o = usize::from_str_radix(o, 16).map_err(|_| bad("is not a cursor this server gave"))?;
    if f != fingerprint {
        return Err(bad(
            "belongs to another query (the cursor must come with the same parameters)",
        ));
    }
    if o > MAX_OFFSET {
        return Err(bad("points past the deepest page served"));
    }
    Ok(o)
}

/// FNV-1a: a stable 64-bit hash for cursors and ETags (not a security boundary:
/// a forged cursor only pages the same query).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_belong_to_their_query() {
        let p = PageRequest::parse(Some("2"), None, "q=a", 50, 500).unwrap();
        let (items, next) = p.cut(vec![1, 2, 3, 4, 5]);
        assert_eq!(items, vec![1, 2]);
        let next = next.unwrap();
        let p2 = PageRequest::parse(Some("2"), Some(&next), "q=a", 50, 500).unwrap();
        assert_eq!(p2.offset, 2);
        assert_eq!(p2.cut(vec![1, 2, 3, 4, 5]).0, vec![3, 4]);
        let e = PageRequest::parse(Some("2"), Some(&next), "q=b", 50, 500).unwrap_err();
        assert_eq!(e.detail.parameter.as_deref(), Some("cursor"));
        let last = PageRequest::parse(
            Some("2"),
            Some(&encode_cursor(4, p.fingerprint)),
            "q=a",
            50,
            500,
        )
        .unwrap();
        assert_eq!(last.cut(vec![1, 2, 3, 4, 5]), (vec![5], None));
    }

    #[test]
    fn limits_are_checked() {
        for bad in ["0", "501", "-1", "ten", ""] {
            let e = PageRequest::parse(Some(bad), None, "", 50, 500).unwrap_err();
            assert_eq!(e.detail.parameter.as_deref(), Some("limit"), "{bad}");
        }
        for bad in [
            "zz",
            "0000000000000000000000000",
            "ffffffffffffffffffffffff",
        ] {
            let e = PageRequest::parse(None, Some(bad), "", 50, 500).unwrap_err();
            assert_eq!(e.detail.parameter.as_deref(), Some("cursor"), "{bad}");
        }
    }
}
