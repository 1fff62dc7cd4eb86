//! Lemmatization as suffix-rewrite rules. A lemma is stored not as a string but
//! as the edit that produces it from the word ("lowercase, strip 3 chars,
//! append 'e'"), so the lookup table for known words stays small and the same
//! rule inventory is what the classifier for unknown words chooses from.

use crate::features::{lowercase_into, suffix_start};
use crate::TaggerError;
use chronicle_ml::hash::{feature2, hash_str, str_feature};

/// How a rule cases the word before editing it. EWT lowercases lemmas except
/// for proper nouns (and "I"), and gives proper nouns written in lower or upper
/// case their usual capitalization ("india" → "India", "TEHRAN" → "Tehran").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Case {
    Lower,
    Keep,
    /// First letter upper, the rest lower.
    Cap,
}

/// Edit script from a word to its lemma.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Rule {
    pub case: Case,
    /// Characters removed from the end.
    pub strip: u16,
    pub append: String,
}

impl Rule {
    /// Shortest edit from `form` to `lemma`; on ties lowercase beats keep
    /// beats capitalize, so rules learned on lowercase words also fix
    /// capitalized ones.
    pub fn derive(form: &str, lemma: &str) -> Rule {
        let mut best: Option<Rule> = None;
        let mut buf = String::new();
        for case in [Case::Lower, Case::Keep, Case::Cap] {
            let base = cased(form, case, &mut buf);
            let r = Self::edit(base, lemma, case);
            let better = match &best {
                None => true,
                Some(b) => r.strip < b.strip,
            };
            if better {
                best = Some(r);
            }
        }
        best.unwrap_or_else(|| Self::edit(form, lemma, Case::Keep))
    }

    fn edit(base: &str, lemma: &str, case: Case) -> Rule {
        let mut common = 0;
        for ((i, a), b) in base.char_indices().zip(lemma.chars()) {
            if a != b {
                break;
            }
            common = i + a.len_utf8();
        }
        Rule {
            case,
            strip: base[common..].chars().count().min(u16::MAX as usize) as u16,
            append: lemma[common..].to_string(),
        }
    }

    pub fn apply(&self, form: &str, buf: &mut String) -> String {
        let base = cased(form, self.case, buf);
        let n = base.chars().count();
        if self.strip as usize > n {
            // A rule meant for a longer word: leave the word whole rather than
            // produce a mangled lemma.
            return base.to_string();
        }
        let keep = suffix_start_n(base, self.strip as usize);
        let mut out = String::with_capacity(keep + self.append.len());
        out.push_str(&base[..keep]);
        out.push_str(&self.append);
        out
    }

    /// Compact text form, also used as the classifier's label.
    pub fn encode(&self) -> String {
        format!(
            "{}{}:{}",
            match self.case {
                Case::Lower => 'L',
                Case::Keep => 'K',
                Case::Cap => 'C',
            },
            self.strip,
            self.append
        )
    }

    pub fn decode(s: &str) -> Result<Rule, TaggerError> {
        let bad = || TaggerError::Corrupt(format!("bad lemma rule {s:?}"));
        let mut chars = s.chars();
        let case = match chars.next() {
            Some('L') => Case::Lower,
            Some('K') => Case::Keep,
            Some('C') => Case::Cap,
            _ => return Err(bad()),
        };
        let (n, append) = chars.as_str().split_once(':').ok_or_else(bad)?;
        let strip = n.parse::<u16>().map_err(|_| bad())?;
        Ok(Rule {
            case,
            strip,
            append: append.to_string(),
        })
    }
}

fn cased<'a>(form: &'a str, case: Case, buf: &'a mut String) -> &'a str {
    match case {
        Case::Keep => form,
        Case::Lower => {
            lowercase_into(form, buf);
            buf.as_str()
        }
        Case::Cap => {
            buf.clear();
            let mut chars = form.chars();
            if let Some(first) = chars.next() {
                buf.extend(first.to_uppercase());
                for c in chars {
                    buf.extend(c.to_lowercase());
                }
            }
            buf.as_str()
        }
    }
}

fn suffix_start_n(s: &str, k: usize) -> usize {
    if k == 0 {
        s.len()
    } else {
        suffix_start(s, k)
    }
}

/// Features for choosing a rule for a word unseen in training: its endings
/// conjoined with the predicted tag, which together decide inflection.
pub(crate) fn rule_features(form: &str, xpos: u64, low: &mut String, out: &mut Vec<u64>) {
    lowercase_into(form, low);
    let l = low.as_str();
    out.clear();
    out.push(feature2(200, xpos, 0));
    for k in 1..=5 {
        let s = &l[suffix_start(l, k)..];
        let h = str_feature(210 + k as u32, s);
        out.push(feature2(220, xpos, h));
        if k <= 3 {
            out.push(feature2(230, 0, h));
        }
    }
    let cap = form.chars().next().is_some_and(char::is_uppercase) as u64;
    let upper = form.chars().all(|c| !c.is_lowercase()) as u64;
    out.push(feature2(240, xpos, cap | (upper << 1)));
    out.push(feature2(241, xpos, l.chars().count().min(6) as u64));
    out.push(feature2(242, xpos, hash_str(l)));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(form: &str, lemma: &str) -> Rule {
        let r = Rule::derive(form, lemma);
        assert_eq!(r.apply(form, &mut String::new()), lemma, "{r:?}");
        assert_eq!(Rule::decode(&r.encode()).unwrap(), r);
        r
    }

    #[test]
    fn derives_minimal_rules() {
        let r = round("running", "run");
        assert_eq!((r.case, r.strip, r.append.as_str()), (Case::Lower, 4, ""));
        let r = round("The", "the");
        assert_eq!((r.case, r.strip), (Case::Lower, 0));
        let r = round("Bush", "Bush");
        assert_eq!((r.case, r.strip), (Case::Keep, 0));
        let r = round("india", "India");
        assert_eq!((r.case, r.strip), (Case::Cap, 0));
        assert_eq!(r.apply("kerala", &mut String::new()), "Kerala");
        let r = round("TEHRAN", "Tehran");
        assert_eq!((r.case, r.strip), (Case::Cap, 0));
        round("went", "go");
        round("studies", "study");
        round("naïve", "naïve");
        round("Über", "über");
        round("I", "I");
        // A learned rule applied to a word that is too short stays harmless.
        let r = Rule::derive("happiness", "happy");
        assert_eq!(r.apply("ss", &mut String::new()), "ss");
    }

    #[test]
    fn decode_rejects_garbage() {
        assert!(Rule::decode("").is_err());
        assert!(Rule::decode("X1:a").is_err());
        assert!(Rule::decode("L:a").is_err());
        assert!(Rule::decode("L99999999:a").is_err());
    }
}
