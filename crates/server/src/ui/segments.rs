//! A document's text cut at every annotation and sentence boundary, so each
//! piece can be drawn with the kinds of annotation covering it (annotations
//! overlap and nest: a quote holds entities and events). Each piece keeps its
//! byte range, which the page's script compares with `#s=START-END`.

/// What kind of fact an annotation is (a CSS class `k-…` each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Entity,
    Time,
    Quote,
    Event,
    Claim,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Entity => "k-ent",
            Kind::Time => "k-time",
            Kind::Quote => "k-quote",
            Kind::Event => "k-event",
            Kind::Claim => "k-claim",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Entity => "entity",
            Kind::Time => "time",
            Kind::Quote => "quote",
            Kind::Event => "event",
            Kind::Claim => "claim",
        }
    }

    /// The prefix of its element ids (`a-ent-3`).
    pub fn id(self, index: usize) -> String {
        format!("a-{}-{index}", &self.class()[2..])
    }
}

/// An annotation's place in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub kind: Kind,
    /// Its position in its layer.
    pub index: usize,
    pub start: usize,
    pub end: usize,
}

/// A stretch of text no boundary cuts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    /// Indices into the marks covering it, shortest span first (a click picks
    /// the innermost).
    pub marks: Vec<usize>,
    /// The sentence it lies in.
    pub sentence: Option<usize>,
}

/// Cuts `text` at the boundaries of `marks` and `sentences`. Marks and
/// sentences off the text or off char boundaries are left out (a stored
/// document's spans are checked, but the page must not fail on one); the
/// segments cover the whole text in order.
pub fn segments(text: &str, marks: &[Mark], sentences: &[(usize, usize)]) -> Vec<Segment> {
    let valid = |s: usize, e: usize| {
        s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
    };
    let kept: Vec<usize> = (0..marks.len())
        .filter(|&i| valid(marks[i].start, marks[i].end))
        .collect();
    let mut sentences: Vec<(usize, usize)> = sentences
        .iter()
        .copied()
        .filter(|&(s, e)| valid(s, e))
        .collect();
    sentences.sort_unstable();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for &i in &kept {
        cuts.push(marks[i].start);
        cuts.push(marks[i].end);
    }
    for &(s, e) in &sentences {
        cuts.push(s);
        cuts.push(e);
    }
    cuts.sort_unstable();
    cuts.dedup();

    // A sweep: marks by start; the open ones kept while they cover the cut.
    let mut by_start = kept.clone();
    by_start.sort_by_key(|&i| (marks[i].start, marks[i].end));
    let mut next = 0;
    let mut open: Vec<usize> = Vec::new();
    let mut sent = 0;
    let mut out = Vec::with_capacity(cuts.len());
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        open.retain(|&i| marks[i].end > a);
        while next < by_start.len() && marks[by_start[next]].start <= a {
            if marks[by_start[next]].end > a {
                open.push(by_start[next]);
            }
            next += 1;
        }
        let mut covering = open.clone();
        covering.sort_by_key(|&i| (marks[i].end - marks[i].start, i));
        while sent < sentences.len() && sentences[sent].1 <= a {
            sent += 1;
        }
        let sentence = sentences
            .get(sent)
            .filter(|&&(s, e)| s <= a && b <= e)
            .map(|_| sent);
        out.push(Segment {
            start: a,
            end: b,
            marks: covering,
            sentence,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mark(kind: Kind, index: usize, start: usize, end: usize) -> Mark {
        Mark {
            kind,
            index,
            start,
            end,
        }
    }

    #[test]
    fn nested_marks_cut_the_text_and_list_the_innermost_first() {
        let text = "Police said \"Aske fled\" today.";
        let marks = vec![
            mark(Kind::Quote, 0, 12, 23),
            mark(Kind::Entity, 0, 13, 17),
            mark(Kind::Entity, 1, 0, 6),
        ];
        let segs = segments(text, &marks, &[(0, text.len())]);
        let pieces: Vec<&str> = segs.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(
            pieces,
            ["Police", " said ", "\"", "Aske", " fled\"", " today."]
        );
        assert_eq!(segs[3].marks, vec![1, 0]);
        assert_eq!(segs[0].marks, vec![2]);
        assert!(segs[1].marks.is_empty());
        assert!(segs.iter().all(|s| s.sentence == Some(0)));
    }

    #[test]
    fn spans_off_the_text_or_inside_a_character_are_left_out() {
        let text = "Väre left.";
        let marks = vec![mark(Kind::Entity, 0, 0, 2), mark(Kind::Entity, 1, 3, 99)];
        let segs = segments(text, &marks, &[]);
        assert_eq!(segs.len(), 1);
        assert!(segs[0].marks.is_empty());
    }

    proptest! {
        #[test]
        fn segments_tile_the_text_and_marks_cover_exactly_their_span(
            text in "[a-zé ]{0,40}",
            raw in proptest::collection::vec((0usize..50, 0usize..50), 0..8),
        ) {
            let marks: Vec<Mark> = raw
                .iter()
                .enumerate()
                .map(|(i, &(s, e))| mark(Kind::Claim, i, s.min(e), s.max(e)))
                .collect();
            let segs = segments(&text, &marks, &[]);
            let mut at = 0;
            for s in &segs {
                prop_assert_eq!(s.start, at);
                prop_assert!(text.is_char_boundary(s.end));
                at = s.end;
            }
            prop_assert_eq!(at, text.len());
            for (i, m) in marks.iter().enumerate() {
                let ok = m.start < m.end && m.end <= text.len()
                    && text.is_char_boundary(m.start) && text.is_char_boundary(m.end);
                let covered: usize = segs
                    .iter()
                    .filter(|s| s.marks.contains(&i))
                    .map(|s| s.end - s.start)
                    .sum();
                prop_assert_eq!(covered, if ok { m.end - m.start } else { 0 });
            }
        }
    }
}
