//! Answers of the costly views (a story, a timeline) kept while the store has
//! not changed. A view reads thousands of rows; the same story or actor is
//! asked for again and again by the people reading it, and the record only
//! changes when `chronicle ingest` or `relink` commits.
//!
//! Validity: every pooled connection remembers SQLite's `PRAGMA data_version`,
//! which changes whenever another connection commits. The first request on
//! any connection after a commit sees its own value change and moves the
//! cache's epoch on, before it reads; an answer is kept under the epoch seen
//! before its read began, so an answer is never served after a commit it
//! did not see. Bounded by bytes, least recently used out first. Requests for
//! a view being computed wait for it instead of computing it again (a story
//! in the news is opened by many readers at once).

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

pub struct ViewCache {
    max_bytes: usize,
    epoch: AtomicU64,
    inner: Mutex<Entries>,
    /// Keys being computed, and a signal when any computation ends.
    computing: Mutex<std::collections::HashSet<String>>,
    done: Condvar,
}

/// Marks a key as being computed until dropped (also when the computation
/// fails or panics), then wakes the requests waiting for it.
pub struct Computing<'a> {
    cache: &'a ViewCache,
    key: String,
}

impl Drop for Computing<'_> {
    fn drop(&mut self) {
        let mut keys = self
            .cache
            .computing
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        keys.remove(&self.key);
        self.cache.done.notify_all();
    }
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    used: usize,
    clock: u64,
}

struct Entry {
    epoch: u64,
    /// A written answer (`Bytes`) or a computed view (a timeline) that each
    /// request pages through.
    value: Arc<dyn Any + Send + Sync>,
    size: usize,
    used_at: u64,
}

impl ViewCache {
    /// `max_bytes` 0 keeps nothing.
    pub fn new(max_bytes: usize) -> Self {
        ViewCache {
            max_bytes,
            epoch: AtomicU64::new(0),
            inner: Mutex::new(Entries::default()),
            computing: Mutex::new(Default::default()),
            done: Condvar::new(),
        }
    }

    /// Waits (at most `patience`) while another request computes `key`;
    /// then returns the marker that makes this request the one computing it,
    /// or `None` when it waited in vain (it computes anyway, unmarked).
    pub fn claim(&self, key: &str, patience: Duration) -> Option<Computing<'_>> {
        let until = Instant::now() + patience;
        let mut keys = self.computing.lock().unwrap_or_else(|p| p.into_inner());
        while keys.contains(key) {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            keys = self
                .done
                .wait_timeout(keys, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        keys.insert(key.to_string());
        Some(Computing {
            cache: self,
            key: key.to_string(),
        })
    }

    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    /// The store changed: every kept answer is stale.
    pub fn invalidate(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves consistent entries (every
        // update is a single insert or remove): keep using them.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The value kept for `key` at `epoch`.
    pub fn get<T: Any + Send + Sync>(&self, key: &str, epoch: u64) -> Option<Arc<T>> {
        let mut e = self.entries();
        e.clock += 1;
        let now = e.clock;
        let hit = e.map.get_mut(key).filter(|x| x.epoch == epoch)?;
        hit.used_at = now;
        Arc::clone(&hit.value).downcast::<T>().ok()
    }

    /// Whether a value is kept for `key` at `epoch`.
    pub fn holds(&self, key: &str, epoch: u64) -> bool {
        self.entries()
            .map
            .get(key)
            .is_some_and(|x| x.epoch == epoch)
    }

    /// Keeps `value` (about `bytes` large) for `key`, read at `epoch`; one
    /// larger than half the budget is not kept.
    pub fn put<T: Any + Send + Sync>(&self, key: String, epoch: u64, value: Arc<T>, bytes: usize) {
        self.put_any(key, epoch, value, bytes);
    }

    /// [`ViewCache::put`] of a value whose type is already erased.
    pub fn put_any(
        &self,
        key: String,
        epoch: u64,
        value: Arc<dyn Any + Send + Sync>,
        bytes: usize,
    ) {
        if bytes > self.max_bytes / 2 || epoch != self.epoch() {
            return;
        }
        let mut e = self.entries();
        e.clock += 1;
        let now = e.clock;
        let size = bytes + key.len();
        if let Some(old) = e.map.remove(&key) {
            e.used -= old.size;
        }
        // Stale answers go first, then the least recently used.
        let current = self.epoch();
        let stale: Vec<String> = e
            .map
            .iter()
            .filter(|(_, v)| v.epoch != current)
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            if let Some(old) = e.map.remove(&k) {
                e.used -= old.size;
            }
        }
        while e.used + size > self.max_bytes {
            let Some(oldest) = e
                .map
                .iter()
                .min_by_key(|(_, v)| v.used_at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = e.map.remove(&oldest) {
                e.used -= old.size;
            }
        }
        e.used += size;
        e.map.insert(
            key,
            Entry {
                epoch,
                value,
                size,
                used_at: now,
            },
        );
    }

    /// Bytes held (answers and keys).
    #[cfg(test)]
    pub fn used(&self) -> usize {
        self.entries().used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(c: &ViewCache, key: &str, epoch: u64, n: usize) {
        c.put(key.to_string(), epoch, Arc::new(vec![b'x'; n]), n);
    }

    fn has(c: &ViewCache, key: &str, epoch: u64) -> bool {
        c.get::<Vec<u8>>(key, epoch).is_some()
    }

    #[test]
    fn an_answer_is_served_only_in_its_epoch() {
        let c = ViewCache::new(1000);
        let e = c.epoch();
        put(&c, "a", e, 10);
        assert!(has(&c, "a", e));
        assert!(c.get::<String>("a", e).is_none(), "another type is a miss");
        c.invalidate();
        assert!(!has(&c, "a", c.epoch()));
    }

    #[test]
    fn an_answer_read_before_a_change_is_not_kept_after_it() {
        let c = ViewCache::new(1000);
        let e = c.epoch();
        c.invalidate();
        put(&c, "a", e, 10);
        assert!(!has(&c, "a", e));
        assert_eq!(c.used(), 0);
    }

    #[test]
    fn the_budget_holds_and_the_least_recently_used_goes_first() {
        let c = ViewCache::new(400);
        let e = c.epoch();
        put(&c, "a", e, 99);
        put(&c, "b", e, 99);
        put(&c, "c", e, 99);
        put(&c, "d", e, 99);
        assert_eq!(c.used(), 400);
        assert!(has(&c, "a", e));
        put(&c, "e", e, 99);
        assert!(c.used() <= 400);
        assert!(!has(&c, "b", e), "b was the least recently used");
        assert!(has(&c, "a", e) && has(&c, "e", e));
        // Too large for the budget: answered, not kept.
        put(&c, "big", e, 201);
        assert!(!has(&c, "big", e));
    }

    #[test]
    fn a_view_is_computed_once_while_others_wait() {
        let c = Arc::new(ViewCache::new(1000));
        let computed = Arc::new(AtomicU64::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (c, computed) = (Arc::clone(&c), Arc::clone(&computed));
                std::thread::spawn(move || {
                    let e = c.epoch();
                    let _marker = c.claim("a", Duration::from_secs(10));
                    if c.get::<Vec<u8>>("a", e).is_none() {
                        computed.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        c.put("a".into(), e, Arc::new(vec![1u8]), 1);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        // A marker dropped without an answer lets the next request compute.
        drop(c.claim("b", Duration::ZERO));
        assert!(c.claim("b", Duration::ZERO).is_some());
    }

    #[test]
    fn a_zero_budget_keeps_nothing() {
        let c = ViewCache::new(0);
        assert!(!c.enabled());
        put(&c, "a", 0, 1);
        assert!(!has(&c, "a", 0));
    }
}
