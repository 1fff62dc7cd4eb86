//! Span lookups over one layer of a document (entities, times, quotations): which
//! items cover, lie within or start at a byte range, in O(log n + k) instead of a
//! scan of the whole layer per question (a long document asked once per sentence,
//! quote or verb made that cost grow with the square of its length).
//!
//! Answers are item indices in the layer's own order, so a caller that took the
//! first match of a scan takes the same item.

/// Items' `[start, end)` byte spans, sorted by start, with the running maximum of
/// their ends (an item before position `i` ends at or before `max_end[i]`).
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    /// `(start, end, index in the layer)`, sorted by start, then index.
    items: Vec<(usize, usize, usize)>,
    /// `max_end[i]`: the largest end among `items[..=i]`.
    max_end: Vec<usize>,
    /// Items compared while answering: what tests of the algorithm's shape count
    /// (a document twice as long must cost about twice as many).
    visited: std::cell::Cell<usize>,
}

impl SpanIndex {
    /// Indexes spans given in layer order.
    pub fn new(spans: impl IntoIterator<Item = (usize, usize)>) -> Self {
        Self::from_items(
            spans
                .into_iter()
                .enumerate()
                .map(|(i, (s, e))| (s, e, i))
                .collect(),
        )
    }

    /// Indexes the spans of `layer`'s items that pass `keep`; answers are still
    /// indices into `layer`.
    pub fn of<T>(
        layer: &[T],
        span: impl Fn(&T) -> (usize, usize),
        keep: impl Fn(&T) -> bool,
    ) -> Self {
        Self::from_items(
            layer
                .iter()
                .enumerate()
                .filter(|(_, x)| keep(x))
                .map(|(i, x)| {
                    let (s, e) = span(x);
                    (s, e, i)
                })
                .collect(),
        )
    }

    fn from_items(mut items: Vec<(usize, usize, usize)>) -> Self {
        items.sort_unstable_by_key(|&(s, _, i)| (s, i));
        let mut m = 0;
        let max_end = items
            .iter()
            .map(|&(_, e, _)| {
                m = m.max(e);
                m
            })
            .collect();
        SpanIndex {
            items,
            max_end,
            visited: std::cell::Cell::new(0),
        }
    }

    /// Items compared so far by this index's answers.
    pub fn visited(&self) -> usize {
        self.visited.get()
    }

    fn count(&self, n: usize) {
        self.visited.set(self.visited.get() + n);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Indices, in layer order, of the items that start at or before `a` and end at
    /// or after `b`: with `a <= b`, those covering `[a, b)`; with `a > b`, those
    /// overlapping the bytes `b..a` or touching them.
    pub fn reaching(&self, a: usize, b: usize) -> Vec<usize> {
        let mut i = self.items.partition_point(|&(s, _, _)| s <= a);
        let mut out = Vec::new();
        // Walk back while some earlier item may still end at or after `b`.
        while i > 0 && self.max_end[i - 1] >= b {
            i -= 1;
            self.count(1);
            let (_, e, k) = self.items[i];
            if e >= b {
                out.push(k);
            }
        }
        out.sort_unstable();
        out
    }

    /// Indices, in layer order, of the items covering `[a, b)` (start ≤ a, b ≤ end).
    pub fn covering(&self, a: usize, b: usize) -> Vec<usize> {
        self.reaching(a, b)
    }

    /// Whether some item covers `[a, b)`; O(log n).
    pub fn any_covering(&self, a: usize, b: usize) -> bool {
        let i = self.items.partition_point(|&(s, _, _)| s <= a);
        self.count(1);
        i > 0 && self.max_end[i - 1] >= b
    }

    /// Indices, in layer order, of the items lying within `[a, b]` (a ≤ start,
    /// end ≤ b).
    pub fn within(&self, a: usize, b: usize) -> Vec<usize> {
        let from = self.items.partition_point(|&(s, _, _)| s < a);
        let mut out: Vec<usize> = Vec::new();
        for &(_, e, k) in self.items[from..].iter().take_while(|&&(s, _, _)| s <= b) {
            self.count(1);
            if e <= b {
                out.push(k);
            }
        }
        out.sort_unstable();
        out
    }

    /// Indices, in layer order, of the items starting at byte `s`.
    pub fn starting_at(&self, s: usize) -> impl Iterator<Item = usize> + '_ {
        let from = self.items.partition_point(|&(x, _, _)| x < s);
        self.items[from..]
            .iter()
            .take_while(move |&&(x, _, _)| x == s)
            .map(|&(_, _, k)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spans() -> impl Strategy<Value = Vec<(usize, usize)>> {
        prop::collection::vec((0usize..200, 0usize..40), 0..40)
            .prop_map(|v| v.into_iter().map(|(s, l)| (s, s + l)).collect())
    }

    proptest! {
        /// Every answer is the one a scan of the whole layer gives, in layer order.
        #[test]
        fn answers_match_a_scan(layer in spans(), a in 0usize..250, len in 0usize..60) {
            let b = a + len;
            let idx = SpanIndex::new(layer.iter().copied());
            let scan = |f: &dyn Fn(usize, usize) -> bool| -> Vec<usize> {
                layer.iter().enumerate().filter(|(_, &(s, e))| f(s, e)).map(|(i, _)| i).collect()
            };
            prop_assert_eq!(idx.covering(a, b), scan(&|s, e| s <= a && b <= e));
            prop_assert_eq!(idx.reaching(b, a), scan(&|s, e| s <= b && e >= a));
            prop_assert_eq!(idx.any_covering(a, b), !scan(&|s, e| s <= a && b <= e).is_empty());
            prop_assert_eq!(idx.within(a, b), scan(&|s, e| a <= s && e <= b));
            prop_assert_eq!(idx.starting_at(a).collect::<Vec<_>>(), scan(&|s, _| s == a));
            let kept = SpanIndex::of(&layer, |&x| x, |&(s, _)| s % 2 == 0);
            prop_assert_eq!(
                kept.within(a, b),
                scan(&|s, e| s % 2 == 0 && a <= s && e <= b)
            );
        }
    }
}
