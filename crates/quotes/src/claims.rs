//! Numeric claims: a number phrase, what it counts, what happened to them (a GKG-like
//! kind), who claims it, where and when.
//!
//! What is counted is the noun the number modifies in the parse; the kind comes from
//! that noun ("deaths", "refugees"), a participle on it ("people wounded"), the verb it
//! is subject or object of ("killed 62 soldiers", "20 people were killed"), or the
//! subject of the verb a bare number completes ("the toll rose to 112"). Nouns reached
//! through "including"/"among" take the kind of the noun they hang on. Years, dates,
//! clock times, ages and durations are skipped; money and percentages are their own
//! kinds. The claimant is the speaker of the smallest quote containing the claim.

use crate::cues::{self, in_list};
use crate::numbers::{fraction_value, read_number};
use crate::spans::SpanIndex;
use crate::view::View;
use chronicle_core::{Claim, Quote};

fn is_time_word(w: &str) -> bool {
    let w = w.trim_end_matches('s');
    in_list(cues::TIME_UNITS, w) || w.ends_with("-year-old") || w.ends_with("-old")
}

/// Kind from the words around the counted noun `n`; `None` when nothing says what
/// happened to them.
/// Kinds decided by the number's own shape or by nothing more specific.
pub(crate) const SHAPE_KINDS: [&str; 3] = ["MONEY", "PERCENT", "COUNT"];

fn kind_for(v: &View, n: usize) -> Option<&'static str> {
    let kind_at = |t: usize| cues::kind_of(v.lemma(t)).or_else(|| cues::kind_of(v.lower(t)));
    let mut cur = n;
    for _ in 0..3 {
        if let Some(k) = kind_at(cur) {
            return Some(k);
        }
        let h = v.head(cur);
        let rel = v.deprel(cur);
        // The verb the counted noun is subject or object of is the surest sign.
        if let Some(h) = h.filter(|_| {
            matches!(
                rel,
                "obj" | "nsubj" | "nsubj:pass" | "iobj" | "obl" | "xcomp" | "obl:npmod"
            )
        }) {
            if matches!(v.upos(h), "VERB" | "ADJ" | "AUX") {
                if let Some(k) = kind_at(h) {
                    return Some(k);
                }
                // "living under siege"
                for &o in &v.children[h] {
                    if v.deprel(o) == "obl" && kind_at(o) == Some("BESIEGED") {
                        return Some("BESIEGED");
                    }
                }
                // "the death toll rose to 112"
                if let Some(s) = v.child_with(h, &["nsubj"]).filter(|&s| s != cur) {
                    let compounds = v.children[s].iter().copied();
                    for t in std::iter::once(s).chain(compounds) {
                        if let Some(k) = cues::kind_of(v.lemma(t)) {
                            return Some(k);
                        }
                    }
                }
            }
        }
        // "people wounded", "displaced civilians"
        for &c in &v.children[cur] {
            if matches!(v.deprel(c), "acl" | "amod" | "acl:relcl")
                && matches!(v.upos(c), "VERB" | "ADJ")
            {
                if let Some(k) = kind_at(c) {
                    return Some(k);
                }
            }
        }
        // "275,000 people are besieged" read as a noun phrase by a confused parse:
        // a kind verb or adjective right after the noun, before any other noun.
        let sent = v.sent_of[cur];
        for t in cur + 1..v.len().min(cur + 4) {
            if v.sent_of[t] != sent || matches!(v.upos(t), "NOUN" | "PROPN" | "PUNCT" | "NUM") {
                break;
            }
            if matches!(v.upos(t), "VERB" | "ADJ") {
                if let Some(k) = kind_at(t) {
                    return Some(k);
                }
            }
        }
        match h {
            // "12 children among them", "including 12 children"
            Some(h)
                if matches!(rel, "nmod" | "appos" | "conj" | "obl")
                    && matches!(v.upos(h), "NOUN" | "PROPN" | "NUM") =>
            {
                cur = h;
            }
            _ => return None,
        }
    }
    None
}

/// Things and acts that a casualty sentence counts beside its victims.
fn is_not_a_victim(lemma: &str) -> bool {
    matches!(
        lemma,
        "attack"
            | "strike"
            | "airstrike"
            | "raid"
            | "bomb"
            | "shell"
            | "missile"
            | "rocket"
            | "explosion"
            | "blast"
            | "bombing"
            | "side"
            | "village"
            | "town"
            | "city"
            | "building"
            | "hospital"
            | "school"
            | "house"
            | "home"
            | "car"
            | "vehicle"
            | "truck"
            | "time"
            | "incident"
            | "round"
            | "province"
            | "district"
    )
}

/// Nouns that count figures, not people or things that happened.
fn is_meta_count(lemma: &str) -> bool {
    matches!(
        lemma,
        "toll"
            | "tolls"
            | "figure"
            | "estimate"
            | "tally"
            | "count"
            | "number"
            | "report"
            | "account"
            | "version"
            | "source"
            | "statistic"
    )
}

struct Num {
    first: usize,
    last: usize,
    value: f64,
    year_shape: bool,
}

fn numbers_in(v: &View) -> Vec<Num> {
    let words: Vec<&str> = (0..v.len()).map(|i| v.lower(i)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let w = words[i];
        // "a fifth of", "half of"
        if let Some(f) = fraction_value(w) {
            if words.get(i + 1) == Some(&"of") {
                // "a quarter of a million people" is a count, not a share.
                let of_a_million = matches!(words.get(i + 2), Some(&("a" | "one")))
                    .then(|| words.get(i + 3).and_then(|m| crate::numbers::multiplier(m)))
                    .flatten();
                let (value, last) = match of_a_million {
                    Some(m) => (f * m, i + 3),
                    None => (f, i),
                };
                out.push(Num {
                    first: i,
                    last,
                    value,
                    year_shape: false,
                });
                i = last + 1;
                continue;
            }
            i += 1;
            continue;
        }
        // "Forty-two" opening a sentence is often tagged PROPN; a tens word
        // hyphened to a unit is a number whatever its tag.
        let compound = words.get(i + 1) == Some(&"-")
            && crate::numbers::read_number(&words, i)
                .is_some_and(|(n, used, _)| used >= 3 && (21.0..100.0).contains(&n));
        let numeric = v.upos(i) == "NUM"
            || compound
            || crate::numbers::vague_value(w).is_some()
            || w.chars().next().is_some_and(|c| c.is_ascii_digit());
        if !numeric {
            i += 1;
            continue;
        }
        match read_number(&words, i) {
            Some((value, used, year_shape)) => {
                let last = (i + used - 1).min(v.len() - 1);
                // A number phrase must stay inside one sentence.
                let last = (i..=last)
                    .take_while(|&t| v.sent_of[t] == v.sent_of[i])
                    .last()
                    .unwrap_or(i);
                out.push(Num {
                    first: i,
                    last,
                    value,
                    year_shape,
                });
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

fn qualifier(v: &View, first: usize) -> Option<(usize, String)> {
    let sent = v.sent_of[first];
    for q in cues::QUALIFIERS {
        let n = q.split(' ').count();
        if first < n {
            continue;
        }
        let start = first - n;
        if v.sent_of[start] != sent {
            continue;
        }
        let words: Vec<&str> = (start..first).map(|t| v.lower(t)).collect();
        if words.join(" ") == *q {
            return Some((start, (*q).to_string()));
        }
    }
    None
}

/// Is this number a date, time, age, duration, ordinal-ish label or part of a name?
fn not_a_count(v: &View, num: &Num) -> bool {
    let sent = v.sent_of[num.first];
    let prev = (num.first > 0 && v.sent_of[num.first - 1] == sent).then(|| v.lower(num.first - 1));
    let next =
        (num.last + 1 < v.len() && v.sent_of[num.last + 1] == sent).then(|| v.lower(num.last + 1));
    let text = v.lower(num.first);
    if text.contains(':')
        || text.chars().any(|c| c.is_ascii_alphabetic()) && text.chars().any(|c| c.is_ascii_digit())
    {
        return true;
    }
    let month = |w: &str| chronicle_timex::month_number(w.trim_end_matches('.')).is_some();
    if prev.is_some_and(month) || next.is_some_and(month) {
        return true;
    }
    if next.is_some_and(is_time_word)
        || text.contains('-') && is_time_word(text.rsplit('-').next().unwrap_or(""))
    {
        return true;
    }
    if num.year_shape && (1900.0..=2100.0).contains(&num.value) {
        return true;
    }
    if prev.is_some_and(|p| {
        matches!(
            p,
            "aged"
                | "age"
                | "at"
                | "no."
                | "number"
                | "resolution"
                | "article"
                | "page"
                | "chapter"
                | "route"
                | "room"
        )
    }) {
        return true;
    }
    // Inside a named entity ("Resolution 2254", "G 20"): a label, not a count.
    let t = v.tok(num.first);
    v.entities.any_covering(t.start, t.end)
}

fn money_or_percent(v: &View, num: &Num) -> Option<&'static str> {
    let sent = v.sent_of[num.first];
    let prev = (num.first > 0 && v.sent_of[num.first - 1] == sent)
        .then(|| v.tok(num.first - 1).text.as_str());
    let next =
        (num.last + 1 < v.len() && v.sent_of[num.last + 1] == sent).then(|| v.lower(num.last + 1));
    if next.is_some_and(|n| matches!(n, "%" | "percent" | "per" | "pct")) {
        return Some("PERCENT");
    }
    if prev.is_some_and(|p| p.ends_with(['$', '€', '£', '¥']) || matches!(p, "US$" | "USD" | "EUR"))
        || next.is_some_and(|n| in_list(cues::CURRENCY_WORDS, n.trim_end_matches('s')))
    {
        return Some("MONEY");
    }
    None
}

pub fn extract(v: &View, quotes: &[Quote]) -> Vec<Claim> {
    let mut out = Vec::new();
    let quote_spans = SpanIndex::new(quotes.iter().map(|q| (q.start, q.end)));
    for num in numbers_in(v) {
        let own = money_or_percent(v, &num);
        if own.is_none() && not_a_count(v, &num) {
            continue;
        }
        let sent = v.sent_of[num.first];
        let sr = v.sentence_tokens(sent);
        let n = num.last;
        // The counted noun.
        let counted = match v.deprel(n) {
            "nummod" | "compound" | "amod" => v
                .head(n)
                .filter(|&h| matches!(v.upos(h), "NOUN" | "PROPN" | "ADJ" | "VERB")),
            _ => None,
        };
        // "dozens of civilians", "a fifth of the population", "2 of them"
        let counted = counted.or_else(|| {
            if n + 2 >= sr.end || v.lower(n + 1) != "of" {
                return None;
            }
            let first =
                (n + 2..sr.end.min(n + 6)).find(|&t| matches!(v.upos(t), "NOUN" | "PRON"))?;
            // "dozens of overnight air strikes": the phrase head, not "air".
            let mut h = first;
            while let Some(p) = v
                .head(h)
                .filter(|&p| p > h && p < sr.end && matches!(v.deprel(h), "compound" | "amod"))
            {
                h = p;
            }
            Some(h)
        });
        // "one of the charities" picks one out; it claims no count.
        if num.value == 1.0 && n + 1 < sr.end && v.lower(n + 1) == "of" {
            continue;
        }
        let (kind, subject_end) = if let Some(k) = own {
            (k.to_string(), None)
        } else {
            let c = counted.unwrap_or(n);
            // A counted noun must not be a time unit ("three years"), nor a
            // figure about casualties rather than people ("three different
            // death tolls", "two estimates").
            if counted.is_some_and(|c| is_time_word(v.lower(c)) || is_meta_count(v.lemma(c))) {
                continue;
            }
            match kind_for(v, c) {
                // "killed 39 civilians in two attacks": the attacks were not killed.
                Some(_) if counted.is_some_and(|c| is_not_a_victim(v.lemma(c))) => {
                    ("COUNT".to_string(), counted)
                }
                Some(k) => (k.to_string(), counted),
                None => match counted {
                    Some(c) if v.upos(c) == "NOUN" && c > n && c - n <= 5 && num.value >= 1.0 => {
                        ("COUNT".to_string(), Some(c))
                    }
                    _ => continue,
                },
            }
        };
        let (qstart, mut qual) = match qualifier(v, num.first) {
            Some((s, q)) => (s, Some(q)),
            None => (num.first, None),
        };
        // "20 or so countries", "50-odd": a qualifier after the number.
        let after = (n + 2 < sr.end).then(|| (v.lower(n + 1), v.lower(n + 2)));
        let or_so = matches!(after, Some(("or", "so" | "more")));
        if or_so && qual.is_none() {
            qual = Some(format!("or {}", v.lower(n + 2)));
        }
        let mut first = qstart;
        // "$" before the digits belongs to the claim.
        if own == Some("MONEY") && first > sr.start && v.upos(first - 1) == "SYM" {
            first -= 1;
        }
        let subject_tok = subject_end.filter(|&c| c > n && c - n <= 5);
        let mut last = subject_tok.unwrap_or(n);
        if own == Some("PERCENT") && n + 1 < sr.end {
            last = n + 1;
        }
        let start = v.tok(first).start;
        let end = v.tok(last).end;
        let subject = subject_tok.map(|c| {
            let s = v.tok(n + 1).start;
            v.text(s, v.tok(c).end)
                .trim_start_matches("or so ")
                .trim_start_matches("or more ")
                .trim_start_matches("of ")
                .to_string()
        });
        let claimant = estimator(v, sent, num.first).or_else(|| {
            quote_spans
                .covering(start, end)
                .into_iter()
                .map(|i| &quotes[i])
                .min_by_key(|q| q.end - q.start)
                .and_then(|q| q.speaker_canonical.clone().or_else(|| q.speaker.clone()))
        });
        out.push(Claim {
            start,
            end,
            text: v.text(start, end).to_string(),
            value: num.value,
            qualifier: qual,
            kind,
            subject,
            claimant,
            place: place(v, sent, n),
            time: time(v, sent, n),
        });
    }
    out
}

/// "the UN estimates 275,000 …", "the Observatory counted 112 …": a named source
/// right before a counting verb right before the number.
fn estimator(v: &View, sent: usize, first: usize) -> Option<String> {
    let sr = v.sentence_tokens(sent);
    let verb = (sr.start..first).rev().take(4).find(|&t| {
        matches!(
            v.lemma(t),
            "estimate" | "count" | "document" | "record" | "tally" | "put" | "report" | "say"
        )
    })?;
    let t = v.tok(verb.checked_sub(1)?);
    v.entities
        .reaching(t.end, t.end)
        .into_iter()
        .map(|i| &v.doc.entities[i])
        .find(|e| e.end == t.end && matches!(e.label.as_str(), "ORG" | "PER" | "LOC"))
        .map(|e| e.text.clone())
}

/// The LOC nearest the number in its sentence among those after "in", "near", …
fn place(v: &View, sent: usize, n: usize) -> Option<String> {
    let sr = v.sentence_tokens(sent);
    let (s, e) = (v.tok(sr.start).start, v.tok(sr.end - 1).end);
    let anchor = v.tok(n).start;
    v.entities
        .within(s, e)
        .into_iter()
        .map(|i| &v.doc.entities[i])
        .filter(|x| x.label == "LOC")
        .filter(|x| {
            let t = v.token_at_or_after(x.start);
            t > 0
                && matches!(
                    v.lower(t - 1),
                    "in" | "near" | "across" | "around" | "outside" | "of" | "at" | "from"
                )
        })
        .min_by_key(|x| x.start.abs_diff(anchor))
        .map(|x| x.text.clone())
}

/// The value of the time expression nearest the number in its sentence.
fn time(v: &View, sent: usize, n: usize) -> Option<String> {
    let sr = v.sentence_tokens(sent);
    let (s, e) = (v.tok(sr.start).start, v.tok(sr.end - 1).end);
    let anchor = v.tok(n).start;
    v.times
        .within(s, e)
        .into_iter()
        .map(|i| &v.doc.times[i])
        .filter(|x| matches!(x.kind.as_str(), "DATE" | "TIME"))
        .min_by_key(|x| x.start.abs_diff(anchor))
        .map(|x| x.value.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chronicle_core::{Document, Sentence, SourceRef, Token};

    /// A document of hand-tagged tokens (the tagger is not needed to read numbers).
    fn tagged(words: &[(&str, &str)]) -> Document {
        let mut text = String::new();
        let mut tokens = Vec::new();
        for (w, upos) in words {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(w);
            tokens.push(Token {
                start,
                end: text.len(),
                text: (*w).to_string(),
                upos: Some((*upos).to_string()),
                xpos: None,
                lemma: None,
                head: None,
                deprel: None,
            });
        }
        let mut doc = Document::new(
            "t".into(),
            SourceRef {
                path: "fixture".into(),
                format: "text".into(),
                record: None,
            },
            text.clone(),
        );
        doc.sentences = vec![Sentence {
            start: 0,
            end: text.len(),
            token_start: 0,
            token_end: tokens.len(),
        }];
        doc.tokens = tokens;
        doc
    }

    #[test]
    fn a_hyphened_tens_word_tagged_as_a_name_is_still_a_number() {
        let doc = tagged(&[
            ("Forty", "PROPN"),
            ("-", "PUNCT"),
            ("two", "NUM"),
            ("people", "NOUN"),
            ("died", "VERB"),
        ]);
        let v = View::new(&doc);
        let nums: Vec<(usize, usize, f64)> = numbers_in(&v)
            .iter()
            .map(|n| (n.first, n.last, n.value))
            .collect();
        assert_eq!(nums, vec![(0, 2, 42.0)]);
        // A name alone is not a number.
        let doc = tagged(&[("Forty", "PROPN"), ("Acres", "PROPN"), ("burned", "VERB")]);
        assert!(numbers_in(&View::new(&doc)).is_empty());
    }
}
